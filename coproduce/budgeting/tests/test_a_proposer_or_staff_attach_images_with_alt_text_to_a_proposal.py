"""Images on proposals: the proposer adds them to their own proposal before the vote, each with alt
text (required) and an optional caption; staff add them as themselves (reviewing) or on the
proposer's behalf (recorded with the channel); the type is recognised from the content by the same
checks as delivery photos; at most six per proposal; bad input changes nothing; the proposer or
staff remove them (with the stored file)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from coproduce.budgeting import proposal_media_services as media
from coproduce.budgeting import services
from coproduce.budgeting.models import ProposalImage
from coproduce.core.models import AuditEntry
from coproduce.testing import tiny_jpeg, tiny_png

PNG = tiny_png()
JPEG = tiny_jpeg()


def upload(data=PNG, name="corner.png"):
    return SimpleUploadedFile(name, data, "application/octet-stream")


@pytest.fixture
def skate(pb, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return pb.proposals["Skate park"]


def test_the_proposer_adds_an_image_with_alt_text_and_a_caption(skate, personas):
    carla = personas["citizen"]
    image = media.add_proposal_image(carla, skate, upload(JPEG, "x.txt"), alt_text=" The empty corner ",
                                     caption="Where the ramps would go")
    assert image.content_type == "image/jpeg" and image.alt_text == "The empty corner"
    assert image.person == carla.person and not image.on_behalf and image.channel == "web"
    assert "x.txt" not in image.file.name and default_storage.exists(image.file.name)
    entry = AuditEntry.objects.get(action="proposal.image_add")
    assert entry.actor == carla and entry.on_behalf_of is None


def test_staff_add_an_image_on_the_proposers_behalf_or_as_themselves(skate, personas):
    ada = personas["org_admin"]
    sent_in = media.add_proposal_image(ada, skate, upload(), alt_text="A sketch of the ramp", channel="paper")
    assert sent_in.person == personas["citizen"].person and sent_in.on_behalf and sent_in.channel == "paper"
    entry = AuditEntry.objects.get(action="proposal.image_add", details__image=sent_in.pk)
    assert entry.on_behalf_of == personas["citizen"].person and entry.channel == "paper"
    reviewing = media.add_proposal_image(ada, skate, upload(), alt_text="The site today")
    assert reviewing.person == ada.person and not reviewing.on_behalf


def test_alt_text_type_size_and_the_limit_are_checked_and_nothing_is_written(skate, personas, settings):
    carla = personas["citizen"]
    with pytest.raises(ValidationError) as info:
        media.add_proposal_image(carla, skate, upload(b"<svg onload=alert(1)>"), alt_text="  ", caption="x" * 201)
    assert set(info.value.message_dict) == {"image", "alt_text", "caption"}
    settings.BUDGETING_PHOTO_MAX_BYTES = 32
    with pytest.raises(ValidationError) as info:
        media.add_proposal_image(carla, skate, upload(), alt_text="Too big")
    assert "too large" in info.value.message_dict["image"][0]
    assert not ProposalImage.objects.exists() and not AuditEntry.objects.filter(action="proposal.image_add").exists()
    settings.BUDGETING_PHOTO_MAX_BYTES = 1024
    for n in range(media.MAX_IMAGES):
        media.add_proposal_image(carla, skate, upload(), alt_text=f"View {n}")
    with pytest.raises(ValidationError) as info:
        media.add_proposal_image(carla, skate, upload(), alt_text="One too many")
    assert "at most 6" in info.value.message_dict["image"][0]
    assert ProposalImage.objects.count() == media.MAX_IMAGES


def test_other_people_and_closed_proposals_are_refused(skate, pb, personas, phase):
    for persona in ("anonymous", "broker", "other_org", "staff"):
        with pytest.raises(PermissionDenied):
            media.add_proposal_image(personas[persona], skate, upload(), alt_text="Not mine")
    services.withdraw_proposal(personas["citizen"], skate, reason="Changed my mind.")
    with pytest.raises(ValidationError) as info:
        media.add_proposal_image(personas["citizen"], skate, upload(), alt_text="Too late")
    assert "proposal" in info.value.message_dict
    phase(pb.process, "vote")
    with pytest.raises(ValidationError):
        media.add_proposal_image(personas["org_admin"], pb.proposals["Benches by the river"], upload(), alt_text="x")
    assert not ProposalImage.objects.exists()


def test_the_proposer_and_staff_remove_images_and_their_files(skate, pb, personas, phase,
                                                              django_capture_on_commit_callbacks):
    carla, ada = personas["citizen"], personas["org_admin"]
    first = media.add_proposal_image(carla, skate, upload(), alt_text="First")
    second = media.add_proposal_image(carla, skate, upload(), alt_text="Second")
    for persona in ("anonymous", "broker", "other_org"):
        with pytest.raises(PermissionDenied):
            media.remove_proposal_image(personas[persona], first)
    name = first.file.name
    with django_capture_on_commit_callbacks(execute=True):  # the file goes once the removal is committed
        media.remove_proposal_image(carla, first)
    assert not ProposalImage.objects.filter(pk=first.pk).exists() and not default_storage.exists(name)
    phase(pb.process, "vote")  # after the vote opens only staff remove images (moderation)
    second.proposal.process.refresh_from_db()
    with pytest.raises(ValidationError):
        media.remove_proposal_image(carla, second)
    media.remove_proposal_image(ada, second)
    assert not ProposalImage.objects.exists()
    assert AuditEntry.objects.filter(action="proposal.image_remove").count() == 2
