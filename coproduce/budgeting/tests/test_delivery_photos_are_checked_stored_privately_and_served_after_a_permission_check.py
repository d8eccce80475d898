"""Staff add photos of delivery to milestones of funded proposals. The type is recognised from the file's
first bytes (JPEG, PNG or WebP: a renamed text file is refused whatever it is called), the size is
limited, the file is stored under MEDIA_ROOT with a name of our own, and it is served only through a
view that checks the viewer may see the process."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from coproduce.budgeting import services
from coproduce.budgeting.models import MilestonePhoto, Process
from coproduce.core.models import AuditEntry
from coproduce.testing import cleaned, tiny_jpeg, tiny_png, tiny_webp

PNG = tiny_png()
JPEG = tiny_jpeg()
WEBP = tiny_webp()


@pytest.fixture
def milestone(pb, personas, phase, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    phase(pb.process, "vote")
    skate = pb.proposals["Skate park"]
    services.cast_ballot(personas["citizen"], pb.city, choices=[skate.pk])
    services.set_phase(personas["org_admin"], pb.process, "delivery")
    skate.process = Process.objects.get(pk=pb.process.pk)
    return services.add_milestone(personas["org_admin"], skate, title="Ramps installed")


def test_photos_are_recognised_by_content_and_stored_under_media_root(milestone, personas, client_as, settings):
    client = client_as(personas["org_admin"])
    url = f"/budgeting/{milestone.proposal.process.slug}/milestones/{milestone.pk}/photos/"
    for name, data, expected in [("ramp.png", PNG, "image/png"), ("ramp.txt", JPEG, "image/jpeg"),
                                 ("r.webp", WEBP, "image/webp")]:
        response = client.post(url, {"photo": SimpleUploadedFile(name, data, "application/octet-stream"),
                                     "caption": "The new ramp"})
        assert response.status_code == 302, response.content
        photo = MilestonePhoto.objects.latest("id")
        assert photo.content_type == expected and photo.size == len(cleaned(data))
        assert name not in photo.file.name and photo.file.path.startswith(str(settings.MEDIA_ROOT))
    assert AuditEntry.objects.filter(action="delivery.photo").count() == 3
    page = client_as(None).get(milestone.proposal.get_absolute_url()).content.decode()
    served = client_as(None).get(f"/budgeting/{milestone.proposal.process.slug}/photos/{photo.pk}/")
    assert f"/photos/{photo.pk}/" in page and 'alt="The new ramp"' in page
    assert served.status_code == 200 and served["Content-Type"] == "image/webp"
    assert served["X-Content-Type-Options"] == "nosniff" and b"".join(served.streaming_content) == cleaned(WEBP)


def test_other_types_oversized_files_and_other_people_are_refused(milestone, personas, client_as, settings):
    admin = personas["org_admin"]
    url = f"/budgeting/{milestone.proposal.process.slug}/milestones/{milestone.pk}/photos/"
    html = SimpleUploadedFile("photo.png", b"<html><script>alert(1)</script>", "image/png")
    response = client_as(admin).post(url, {"photo": html})
    assert response.status_code == 400 and "not a JPEG, PNG or WebP" in response.content.decode()
    settings.BUDGETING_PHOTO_MAX_BYTES = 32
    with pytest.raises(ValidationError) as info:
        services.add_milestone_photo(admin, milestone, SimpleUploadedFile("big.png", PNG, "image/png"))
    assert "too large" in info.value.message_dict["photo"][0]
    for persona in ("citizen", "other_org"):
        upload = SimpleUploadedFile("ok.png", PNG[:20], "image/png")
        assert client_as(personas[persona]).post(url, {"photo": upload}).status_code == 403
    assert not MilestonePhoto.objects.exists() and not AuditEntry.objects.filter(action="delivery.photo").exists()


def test_photos_of_an_unpublished_process_are_not_served_to_the_public(milestone, personas, client_as):
    photo = services.add_milestone_photo(personas["org_admin"], milestone, SimpleUploadedFile("a.png", PNG))
    url = f"/budgeting/{milestone.proposal.process.slug}/photos/{photo.pk}/"
    assert client_as(None).get(url).status_code == 200
    Process.objects.filter(pk=milestone.proposal.process_id).update(is_published=False)
    assert client_as(None).get(url).status_code == 403
    assert client_as(personas["citizen"]).get(url).status_code == 403
    assert client_as(personas["org_admin"]).get(url).status_code == 200
    assert str(settings.MEDIA_ROOT) not in url
