"""The new co-commissioning pages for every persona: adding an image (the proposer and the staff
running the process), removing one, and the staff settlement page (who has pledged time and is to
be invited to a timebank: personal data, for the process's commissioners only)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from coproduce.budgeting import proposal_media_services as media
from coproduce.budgeting import services
from coproduce.budgeting.models import ProposalImage
from coproduce.testing import tiny_png

PERSONAS = ["anonymous", "citizen", "other_org", "staff", "broker", "org_admin", "platform_admin"]
PNG = tiny_png()


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.parametrize("path,phase_name,allowed", [
    ("/budgeting/{slug}/proposals/{proposal}/images/new/", "collect", {"citizen", "org_admin", "platform_admin"}),
    ("/budgeting/{slug}/pledges/settle/", "results", {"org_admin", "platform_admin"}),
    ("/budgeting/{slug}/proposals/{proposal}/pledge/on-behalf/", "collect", {"org_admin", "platform_admin"}),
])
def test_pages(path, phase_name, allowed, pb, personas, client_as, phase, media_root):
    if phase_name == "results":
        services.set_phase(personas["org_admin"], pb.process, "results")
    else:
        phase(pb.process, phase_name)
    url = path.format(slug=pb.process.slug, proposal=pb.proposals["Skate park"].pk)
    for persona in PERSONAS:
        response = client_as(personas[persona]).get(url)
        expected = 200 if persona in allowed else (302 if persona == "anonymous" else 403)
        assert response.status_code == expected, (persona, url, response.status_code)


def test_removing_an_image(pb, personas, client_as, media_root):
    skate = pb.proposals["Skate park"]
    for persona in PERSONAS:
        image = media.add_proposal_image(personas["citizen"], skate, SimpleUploadedFile("a.png", PNG), alt_text="x")
        response = client_as(personas[persona]).post(f"/budgeting/{pb.process.slug}/images/{image.pk}/remove/")
        gone = not ProposalImage.objects.filter(pk=image.pk).exists()
        assert gone == (persona in {"citizen", "org_admin", "platform_admin"}), persona
        assert response.status_code == (302 if gone or persona == "anonymous" else 403), persona
        ProposalImage.objects.filter(pk=image.pk).delete()


def test_posting_an_image_or_a_settlement(pb, personas, client_as, media_root):
    from coproduce.core.models import AuditEntry

    skate = pb.proposals["Skate park"]
    for persona in PERSONAS:
        if persona in {"citizen", "org_admin", "platform_admin"}:
            continue
        response = client_as(personas[persona]).post(
            f"/budgeting/{pb.process.slug}/proposals/{skate.pk}/images/new/",
            {"image": SimpleUploadedFile("a.png", PNG), "alt_text": "Not mine"})
        assert response.status_code == (302 if persona == "anonymous" else 403), persona
    assert not ProposalImage.objects.exists()
    services.set_phase(personas["org_admin"], pb.process, "results")
    for persona in PERSONAS:
        if persona in {"org_admin", "platform_admin"}:
            continue
        response = client_as(personas[persona]).post(f"/budgeting/{pb.process.slug}/pledges/settle/")
        assert response.status_code == (302 if persona == "anonymous" else 403), persona
        if persona == "anonymous":
            assert response["Location"].startswith("/accounts/login/")
    assert not AuditEntry.objects.filter(action="pledge.settle").exists()
