"""Through the inspections API, Ivy records a finding with a photo (multipart), checked like the web
form: a wrong rating, a file that is not a photo, a photo that is too large, an item of another
checklist, an action marked done without saying what was done, closing twice – each is refused with an
error naming the field and writes nothing (no finding, no photo file, no change of status)."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from coproduce.assessment import inspection_services as inspections
from coproduce.assessment.models import Finding, FindingPhoto, InspectionAction
from coproduce.testing import cleaned, tiny_png

PNG = tiny_png()
BASE = "/api/v1/assessment/inspections"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored(media):
    return sorted(p.name for p in media.rglob("*") if p.is_file())


def test_a_finding_with_a_photo(inspection, api_as, client_as, media):
    client = api_as(inspection.ivy)
    item = inspection.items[0]
    response = client.post(f"{BASE}/visits/{inspection.visit.pk}/items/{item.pk}/finding", {
        "rating": "3", "notes": "A ramp, but steep.", "caption": "The ramp",
        "photo": SimpleUploadedFile("ramp.png", PNG, content_type="image/png")})
    assert response.status_code == 200, response.content
    body = response.json()
    finding = body["findings"][0]
    assert finding["rating"] == 3 and finding["rating_label"] == "Good" and finding["notes"] == "A ramp, but steep."
    photo = FindingPhoto.objects.get()
    assert finding["photos"] == [{"id": photo.pk, "url": f"/services/inspections/photos/{photo.pk}/",
                                  "caption": "The ramp", "content_type": "image/png", "size": len(cleaned(PNG))}]
    assert str(media) in photo.file.path and len(stored(media)) == 1
    assert client_as(inspection.ivy).get(finding["photos"][0]["url"]).status_code == 200
    assert client_as(None).get(finding["photos"][0]["url"]).status_code == 403  # a draft's photo


@pytest.mark.parametrize("data,field", [
    ({"rating": "9"}, "rating"),
    ({"rating": "good"}, "rating"),
    ({"rating": "3", "notes": "x" * 5001}, "notes"),
    ({"rating": "3", "photo": SimpleUploadedFile("a.png", b"GIF89a" + b"\x00" * 40)}, "photo"),
    ({"rating": "3", "photo": SimpleUploadedFile("big.png", PNG + b"\x00" * 2048)}, "photo"),
])
def test_bad_findings_write_nothing(data, field, inspection, api_as, media, settings):
    settings.INSPECTION_PHOTO_MAX_BYTES = 1024
    response = api_as(inspection.ivy).post(
        f"{BASE}/visits/{inspection.visit.pk}/items/{inspection.items[0].pk}/finding", data)
    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"]
    assert not Finding.objects.exists() and not FindingPhoto.objects.exists() and stored(media) == []


def test_an_item_of_another_checklist_is_not_found(inspection, api_as, world):
    other = inspections.create_template(inspection.admin, world.council, title="Other", items=[("Signs", "")])
    response = api_as(inspection.ivy).post(
        f"{BASE}/visits/{inspection.visit.pk}/items/{other.items.get().pk}/finding", {"rating": "2"})
    assert response.status_code == 404 and not Finding.objects.exists()


def test_bad_action_changes_write_nothing(published, api_as, personas):
    action = inspections.add_action(published.ivy, published.visit, description="Fix the ramp",
                                    due_on=published.today + timedelta(days=7))
    staff = api_as(personas["staff"])
    response = staff.post(f"{BASE}/actions/{action.pk}/done", {"note": "  "}, content_type="application/json")
    assert response.status_code == 400 and "done_note" in response.json()["error"]["fields"]
    response = staff.post(f"{BASE}/actions/{action.pk}/done", {}, content_type="application/json")
    assert response.status_code == 400 and "note" in response.json()["error"]["fields"]
    assert InspectionAction.objects.get().status == "open"
    team = api_as(published.ivy)
    response = team.post(f"{BASE}/actions/{action.pk}/reopen")
    assert response.status_code == 400 and "status" in response.json()["error"]["fields"]
    assert team.post(f"{BASE}/actions/{action.pk}/close").json()["status"] == "closed"
    response = team.post(f"{BASE}/actions/{action.pk}/close")
    assert response.status_code == 400 and InspectionAction.objects.get().status == "closed"
    assert team.post(f"{BASE}/actions/999999/close").status_code == 404
