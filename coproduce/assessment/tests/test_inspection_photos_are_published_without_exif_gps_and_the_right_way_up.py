"""A citizen inspector's phone photo of a finding carries EXIF: the GPS position where it was taken and the
owner's name. What is stored (and published with the report) has no EXIF at all, and the Orientation tag
has been applied to the pixels, so the photo still shows the right way up."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from coproduce.assessment import inspection_services as inspections
from coproduce.testing import assert_no_metadata, phone_exif, tiny_jpeg


@pytest.fixture
def finding(inspection, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return inspections.record_finding(inspection.ivy, inspection.visit, inspection.items[0], rating=3)


def test_gps_and_the_owners_name_are_removed_and_the_orientation_applied(finding, inspection, settings):
    upload = tiny_jpeg(size=(30, 20), exif=phone_exif(orientation=6))
    assert b"Jane Citizen" in upload and b"Exif" in upload  # the test photo really carries what must go
    photo = inspections.add_photo(inspection.ivy, finding, SimpleUploadedFile("ramp.jpg", upload))
    stored = (settings.MEDIA_ROOT / photo.file.name).read_bytes()
    assert_no_metadata(stored)
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG" and image.size == (20, 30)
    assert photo.size == len(stored) and photo.content_type == "image/jpeg"


def test_the_finding_page_upload_is_cleaned_too(finding, inspection, client_as, settings):
    from coproduce.assessment.models import FindingPhoto

    url = f"/services/inspections/visits/{inspection.visit.pk}/findings/{inspection.items[0].pk}/"
    response = client_as(inspection.ivy).post(url, {"rating": "3", "photo": SimpleUploadedFile(
        "r.jpg", tiny_jpeg(exif=phone_exif()))})
    assert response.status_code == 302
    served = client_as(inspection.ivy).get(f"/services/inspections/photos/{FindingPhoto.objects.get().pk}/")
    assert_no_metadata(b"".join(served.streaming_content))
