"""Photos taken as evidence: JPEG, PNG or WebP recognised by their first bytes (not their name), within
the size limit, stored under MEDIA_ROOT with a name of our own, served only through a permission-checked
view. A refused upload saves nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from coproduce.assessment import inspection_services as inspections
from coproduce.assessment.models import FindingPhoto
from coproduce.testing import cleaned, tiny_jpeg, tiny_png, tiny_webp

JPEG = tiny_jpeg()
PNG = tiny_png()
WEBP = tiny_webp()


@pytest.fixture
def finding(inspection, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return inspections.record_finding(inspection.ivy, inspection.visit, inspection.items[0], rating=3)


@pytest.mark.parametrize("data,kind,ext", [(JPEG, "image/jpeg", "jpg"), (PNG, "image/png", "png"),
                                           (WEBP, "image/webp", "webp")])
def test_photos_are_recognised_by_content_and_stored_under_media_root(finding, inspection, settings, data, kind, ext):
    photo = inspections.add_photo(inspection.ivy, finding, SimpleUploadedFile("whatever.txt", data), caption="Ramp")
    assert photo.content_type == kind and photo.file.name.endswith(f".{ext}")
    assert "whatever" not in photo.file.name
    path = (settings.MEDIA_ROOT / photo.file.name).resolve()
    assert path.is_file() and path.read_bytes() == cleaned(data)
    assert not str(path).startswith(str(settings.STATIC_ROOT))


@pytest.mark.parametrize("data,name", [(b"<html><script>alert(1)</script>", "evil.jpg"),
                                       (b"GIF89a" + b"\x00" * 50, "anim.gif"), (b"%PDF-1.4", "doc.png")])
def test_other_files_are_refused_and_nothing_is_saved(finding, inspection, settings, data, name):
    with pytest.raises(ValidationError) as caught:
        inspections.add_photo(inspection.ivy, finding, SimpleUploadedFile(name, data))
    assert "photo" in caught.value.message_dict
    assert not FindingPhoto.objects.exists()
    assert not (settings.MEDIA_ROOT / "inspections").exists()


def test_photos_over_the_limit_are_refused(finding, inspection, settings):
    settings.INSPECTION_PHOTO_MAX_BYTES = 50
    with pytest.raises(ValidationError) as caught:
        inspections.add_photo(inspection.ivy, finding, SimpleUploadedFile("big.jpg", JPEG))
    assert "too large" in " ".join(caught.value.message_dict["photo"])
    assert not FindingPhoto.objects.exists()


def test_the_finding_page_uploads_and_the_photo_view_serves_with_permission(finding, inspection, personas, client_as):
    url = f"/services/inspections/visits/{inspection.visit.pk}/findings/{inspection.items[0].pk}/"
    page = client_as(inspection.ivy).post(url, {"rating": "3", "notes": "Ramp ok", "caption": "The ramp",
                                               "photo": SimpleUploadedFile("r.png", PNG)})
    assert page.status_code == 302
    photo = FindingPhoto.objects.get()
    served = client_as(inspection.ivy).get(f"/services/inspections/photos/{photo.pk}/")
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff" and b"".join(served.streaming_content) == cleaned(PNG)
    assert client_as(personas["staff"]).get(f"/services/inspections/photos/{photo.pk}/").status_code == 403
    bad = client_as(inspection.ivy).post(url, {"rating": "3", "photo": SimpleUploadedFile("x.jpg", b"not a photo")})
    assert bad.status_code == 200 and b"not a JPEG, PNG or WebP" in bad.content
    assert FindingPhoto.objects.count() == 1
