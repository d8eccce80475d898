"""The JSON API: proposals carry their address and point (a bad point is a 400 naming the field); a
proposal's detail lists its images with alt text and the URL they are served at; the proposer (or
staff) upload an image as multipart and remove it; everyone else is refused in the JSON error format."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from coproduce.budgeting import proposal_media_services as media
from coproduce.budgeting.models import Proposal, ProposalImage
from coproduce.testing import cleaned, tiny_png

PNG = tiny_png()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_proposal_with_a_place_and_its_detail(pb, personas, api_as):
    client = api_as(personas["citizen"])
    base = f"/api/v1/budgeting/processes/{pb.process.slug}/proposals"
    bad = client.post(base, {"title": "Fountain", "latitude": 52.1}, content_type="application/json")
    assert bad.status_code == 400 and "longitude" in bad.json()["error"]["fields"]
    made = client.post(base, {"title": "Fountain", "address": "Market Square", "latitude": 52.1, "longitude": -1.5},
                       content_type="application/json")
    assert made.status_code == 201, made.content
    assert (made.json()["address"], made.json()["latitude"], made.json()["longitude"]) == ("Market Square", 52.1, -1.5)
    fountain = Proposal.objects.get(title="Fountain")
    image = media.add_proposal_image(personas["citizen"], fountain, SimpleUploadedFile("a.png", PNG),
                                     alt_text="The square", caption="Now")
    detail = api_as(None).get(f"{base}/{fountain.pk}").json()
    assert detail["latitude"] == 52.1 and detail["images"] == [{
        "id": image.pk, "url": f"/budgeting/{pb.process.slug}/images/{image.pk}/", "alt_text": "The square",
        "caption": "Now", "content_type": "image/png", "size": len(cleaned(PNG))}]


def test_the_proposer_uploads_and_removes_an_image(pb, personas, api_as):
    skate = pb.proposals["Skate park"]
    client = api_as(personas["citizen"])
    url = f"/api/v1/budgeting/processes/{pb.process.slug}/proposals/{skate.pk}/images"
    missing = client.post(url, {"image": SimpleUploadedFile("a.png", PNG)})
    assert missing.status_code == 400 and "alt_text" in missing.json()["error"]["fields"]
    made = client.post(url, {"image": SimpleUploadedFile("a.png", PNG), "alt_text": "The bowl"})
    assert made.status_code == 201, made.content
    image = ProposalImage.objects.get()
    assert made.json()["id"] == image.pk and image.channel == "api" and image.person == personas["citizen"].person
    gone = client.delete(f"/api/v1/budgeting/processes/{pb.process.slug}/images/{image.pk}")
    assert gone.status_code == 204 and not ProposalImage.objects.exists()


@pytest.mark.parametrize("persona,status,code", [("anonymous", 401, "unauthenticated"), ("other_org", 403, "forbidden"),
                                                 ("broker", 403, "forbidden")])
def test_others_are_refused(pb, personas, api_as, persona, status, code):
    skate = pb.proposals["Skate park"]
    image = media.add_proposal_image(personas["citizen"], skate, SimpleUploadedFile("a.png", PNG), alt_text="x")
    client = api_as(personas[persona])
    made = client.post(f"/api/v1/budgeting/processes/{pb.process.slug}/proposals/{skate.pk}/images",
                       {"image": SimpleUploadedFile("b.png", PNG), "alt_text": "Not mine"})
    gone = client.delete(f"/api/v1/budgeting/processes/{pb.process.slug}/images/{image.pk}")
    assert (made.status_code, gone.status_code) == (status, status)
    assert made.json()["error"]["code"] == code
    assert list(ProposalImage.objects.values_list("pk", flat=True)) == [image.pk]
