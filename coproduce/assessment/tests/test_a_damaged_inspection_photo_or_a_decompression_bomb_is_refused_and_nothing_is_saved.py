"""An inspection finding photo that starts with a photo's magic bytes but does not decode (garbage, or cut
off) is refused on the photo field as not a JPEG/PNG/WebP photo or damaged; a small file that would decode
to a huge image (a decompression bomb) is refused as too large. Nothing is saved or recorded either way."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from coproduce.assessment import inspection_services as inspections
from coproduce.assessment.models import FindingPhoto
from coproduce.core.models import AuditEntry
from coproduce.testing import damaged_photos, decompression_bombs


@pytest.fixture
def finding(inspection, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return inspections.record_finding(inspection.ivy, inspection.visit, inspection.items[0], rating=3)


def refused(inspection, finding, settings, data) -> str:
    with pytest.raises(ValidationError) as caught:
        inspections.add_photo(inspection.ivy, finding, SimpleUploadedFile("ramp.jpg", data))
    assert not FindingPhoto.objects.exists() and not AuditEntry.objects.filter(action="inspection.photo").exists()
    assert not (settings.MEDIA_ROOT / "inspections").exists()
    return " ".join(caught.value.message_dict["photo"])


@pytest.mark.parametrize("data", damaged_photos())
def test_a_damaged_photo_is_refused(finding, inspection, settings, data):
    assert "not a JPEG, PNG or WebP photo, or it is damaged" in refused(inspection, finding, settings, data)


@pytest.mark.parametrize("data", decompression_bombs())
def test_a_decompression_bomb_is_refused_as_too_large(finding, inspection, settings, data):
    assert "too large: at most 40 megapixels" in refused(inspection, finding, settings, data)


def test_the_finding_page_shows_the_error_next_to_the_photo(finding, inspection, client_as):
    url = f"/services/inspections/visits/{inspection.visit.pk}/findings/{inspection.items[0].pk}/"
    page = client_as(inspection.ivy).post(url, {"rating": "3", "photo": SimpleUploadedFile("r.jpg", damaged_photos()[0])})
    assert page.status_code == 200 and b"or it is damaged" in page.content
    assert not FindingPhoto.objects.exists()
