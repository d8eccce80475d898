"""A phone photo uploaded as a proposal image carries EXIF: the GPS position where it was taken and the
owner's name. What is stored (and so published) has no EXIF at all, and the phone's Orientation tag has
been applied to the pixels, so the photo still shows the right way up."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from coproduce.budgeting import proposal_media_services as media
from coproduce.testing import assert_no_metadata, phone_exif, tiny_jpeg, tiny_webp


@pytest.fixture
def skate(pb, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return pb.proposals["Skate park"]


@pytest.mark.parametrize("make", [tiny_jpeg, tiny_webp])
def test_gps_and_the_owners_name_are_removed_and_the_orientation_applied(skate, personas, make):
    upload = make(size=(30, 20), exif=phone_exif(orientation=6))
    assert b"Jane Citizen" in upload  # the test photo really carries what must go
    image = media.add_proposal_image(personas["citizen"], skate, SimpleUploadedFile("phone.jpg", upload),
                                     alt_text="The corner from the road")
    with image.file.open("rb") as handle:
        stored = handle.read()
    assert_no_metadata(stored)
    with Image.open(io.BytesIO(stored)) as photo:
        assert photo.size == (20, 30)  # turned upright: the Orientation tag is applied, then dropped
        assert photo.format == {tiny_jpeg: "JPEG", tiny_webp: "WEBP"}[make]
    assert image.size == len(stored)
