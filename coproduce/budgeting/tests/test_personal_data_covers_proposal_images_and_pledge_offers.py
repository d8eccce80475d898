"""'Download my data' lists the images a person added to proposals and the timebank offer each pledge
became; erasure treats their images as it treats their proposals: they stay with the (public)
proposal, no longer linked to the person."""

from django.core.files.uploadedfile import SimpleUploadedFile

from coproduce.budgeting import proposal_media_services as media
from coproduce.budgeting.models import ProposalImage
from coproduce.core import services as core_services
from coproduce.testing import tiny_png

PNG = tiny_png()


def test_images_are_exported_and_kept_without_the_person_on_erasure(pb, personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    carla = personas["citizen"]
    skate = pb.proposals["Skate park"]
    media.add_proposal_image(carla, skate, SimpleUploadedFile("a.png", PNG), alt_text="My sketch", caption="Ramps")
    staff_image = media.add_proposal_image(personas["org_admin"], skate, SimpleUploadedFile("b.png", PNG),
                                           alt_text="Site visit")
    data = core_services.export_person_data(carla, carla.person)["budgeting"]
    assert [(i["proposal"], i["alt_text"], i["caption"]) for i in data["proposal_images"]] == [
        ("Skate park", "My sketch", "Ramps")]
    assert all("timebank_offer" in p for p in data["pledges"])
    core_services.erase_person(carla, carla.person)
    mine = ProposalImage.objects.get(alt_text="My sketch")
    assert mine.person is None and mine.proposal == skate and mine.file
    assert ProposalImage.objects.get(pk=staff_image.pk).person == personas["org_admin"].person


def test_an_erased_pledger_is_not_listed_to_invite(pb, personas, phase):
    from coproduce.budgeting import pledge_handover_services, services
    from coproduce.budgeting.models import Process

    skate = pb.proposals["Skate park"]
    services.make_pledge(personas["citizen"], skate, kind="hours", minutes=60)
    phase(pb.process, "vote")
    services.cast_ballot(personas["citizen"], pb.city, choices=[skate.pk])
    services.set_phase(personas["org_admin"], pb.process, "results")
    process = Process.objects.get(pk=pb.process.pk)
    services.settle_pledges(personas["org_admin"], process)
    assert len(pledge_handover_services.overview(process)["to_invite"]) == 1
    core_services.erase_person(personas["citizen"], personas["citizen"].person)
    assert pledge_handover_services.overview(process)["to_invite"] == []


def test_proposal_places_and_pledge_details_are_in_the_download(pb, personas, world, phase):
    from coproduce.budgeting import services
    from coproduce.core.models import Topic

    carla = personas["citizen"]
    phase(pb.process, "collect")
    housing = Topic.objects.get(slug="housing")
    services.submit_proposal(carla, pb.process, title="Bench by my door", category=housing, area=world.hood,
                             address="12 Mill Lane", latitude=52.1, longitude=-1.2)
    services.make_pledge(carla, pb.proposals["Skate park"], kind="hours", minutes=90, group=world.group)
    data = core_services.export_person_data(carla, carla.person)["budgeting"]
    mine = next(p for p in data["proposals"] if p["title"] == "Bench by my door")
    assert (mine["address"], mine["latitude"], mine["longitude"]) == ("12 Mill Lane", 52.1, -1.2)
    assert (mine["category"], mine["area"]) == ("Housing", world.hood.name)
    pledge = next(p for p in data["pledges"] if p["minutes"] == 90)
    assert (pledge["group"], pledge["channel"]) == (world.group.name, "web")
