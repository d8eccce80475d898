"""A proposal image (delivery photos take the same path, `images.read_image`) that starts with a photo's magic bytes but does not decode (garbage, or
cut off) is refused on its field as not a JPEG/PNG/WebP photo or damaged; a small file that would decode to a
huge image (a decompression bomb) is refused as too large. Nothing is stored or recorded either way."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from coproduce.budgeting import proposal_media_services as media
from coproduce.budgeting.models import ProposalImage
from coproduce.core.models import AuditEntry
from coproduce.testing import damaged_photos, decompression_bombs


@pytest.fixture
def skate(pb, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return pb.proposals["Skate park"]


def add(skate, personas, data):
    with pytest.raises(ValidationError) as info:
        media.add_proposal_image(personas["citizen"], skate, SimpleUploadedFile("photo.jpg", data), alt_text="A view")
    return " ".join(info.value.message_dict["image"])


def nothing_written(settings):
    media_root = settings.MEDIA_ROOT
    assert not ProposalImage.objects.exists() and not AuditEntry.objects.filter(action="proposal.image_add").exists()
    assert not media_root.exists() or not any(path.is_file() for path in media_root.rglob("*"))


@pytest.mark.parametrize("data", damaged_photos())
def test_a_damaged_photo_is_refused_on_its_field(skate, personas, settings, data):
    assert "not a JPEG, PNG or WebP photo, or it is damaged" in add(skate, personas, data)
    nothing_written(settings)


@pytest.mark.parametrize("data", decompression_bombs())
def test_a_decompression_bomb_is_refused_as_too_large(skate, personas, settings, data):
    assert len(data) < 100_000
    assert "too large: at most 40 megapixels" in add(skate, personas, data)
    nothing_written(settings)

