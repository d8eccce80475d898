"""When the pledges are settled after the count, each pledge of time to a funded proposal whose
pledger is an active timebank member becomes a real offer in their bank (made by the platform on
their behalf, linked to the pledge, described as help delivering the project). Settling again never
makes a second offer; pledgers who are not members get none and are listed for staff to invite, and
their pledge is handed over once they have joined. Withdrawn pledges and pledges to unfunded
proposals make nothing."""

import pytest

from coproduce.budgeting import services
from coproduce.budgeting.models import Pledge, Process
from coproduce.core.models import AuditEntry
from coproduce.timebank import services as timebank_services
from coproduce.timebank.models import Offer


@pytest.fixture
def funded(pb, personas, phase, world):
    """Millbrook Timebank (Carla is an active member); Nell, who phoned in her pledge, is in no bank.
    Carla's ballot funds the skate park, not the library."""
    from coproduce.core import services as core_services

    ada = personas["org_admin"]
    bank = timebank_services.create_timebank(personas["platform_admin"], name="Millbrook Timebank",
                                             slug="millbrook", organisation=world.group)
    carla = timebank_services.register_member(personas["broker"], bank, person=personas["citizen"].person)
    nell = core_services.register_person(ada, world.council, consent=True, name="Nell Offline",
                                         email="nell@example.org")
    skate, library = pb.proposals["Skate park"], pb.proposals["Library late opening"]
    pledges = {
        "carla": services.make_pledge(personas["citizen"], skate, kind="hours", minutes=150,
                                      description="I can paint the ramps."),
        "nell": services.make_pledge(ada, skate, kind="hours", minutes=90, on_behalf_of=nell, channel="phone"),
        "withdrawn": services.make_pledge(personas["citizen"], skate, kind="hours", minutes=60),
        "unfunded": services.make_pledge(personas["citizen"], library, kind="hours", minutes=30),
        "money": services.make_pledge(personas["citizen"], skate, kind="money", amount=500),
    }
    services.withdraw_pledge(personas["citizen"], pledges["withdrawn"])
    phase(pb.process, "vote")
    services.cast_ballot(personas["citizen"], pb.city, choices=[skate.pk])
    services.set_phase(ada, pb.process, "results")
    process = Process.objects.get(pk=pb.process.pk)
    return process, bank, carla, nell, pledges


def test_a_members_pledge_of_time_becomes_one_offer_and_settling_again_makes_no_other(funded, personas):
    process, bank, carla, nell, pledges = funded
    result = services.settle_pledges(personas["org_admin"], process)
    assert result == {"collected": 3, "released": 1, "offers": 1, "to_invite": 1}
    offer = Offer.objects.get()
    pledge = Pledge.objects.get(pk=pledges["carla"].pk)
    assert pledge.timebank_offer == offer and offer.member == carla and offer.channel == "system" and offer.on_behalf
    assert offer.description == ("Help delivering “Skate park”, a project funded in Testville Decides 2026: "
                                 "2:30 hours pledged. I can paint the ramps.")
    entry = AuditEntry.objects.get(action="timebank.offer.create")
    assert entry.on_behalf_of == personas["citizen"].person and entry.channel == "system"
    assert AuditEntry.objects.get(action="pledge.settle").details["timebank_offers"] == [offer.pk]
    for _again in range(2):
        assert services.settle_pledges(personas["org_admin"], process)["offers"] == 0
    assert Offer.objects.count() == 1


def test_withdrawn_pledges_and_unfunded_proposals_make_nothing(funded, personas):
    process, _bank, _carla, _nell, pledges = funded
    services.settle_pledges(personas["org_admin"], process)
    withdrawn = Pledge.objects.get(pk=pledges["withdrawn"].pk)
    unfunded = Pledge.objects.get(pk=pledges["unfunded"].pk)
    assert withdrawn.status == "withdrawn" and withdrawn.timebank_offer is None
    assert unfunded.status == "released" and unfunded.timebank_offer is None
    assert Pledge.objects.get(pk=pledges["money"].pk).timebank_offer is None
    assert not Offer.objects.exclude(pk=Pledge.objects.get(pk=pledges["carla"].pk).timebank_offer_id).exists()


def test_non_members_are_listed_to_invite_and_handed_over_once_they_join(funded, personas, client_as):
    process, bank, _carla, nell, pledges = funded
    services.settle_pledges(personas["org_admin"], process)
    page = client_as(personas["org_admin"]).get(f"/budgeting/{process.slug}/pledges/settle/").content.decode()
    invite = page.split('id="invite-h"', 1)[1].split('id="handed-h"', 1)[0]
    assert "Nell Offline" in invite and "nell@example.org" in invite and "1:30" in invite
    assert "Carla Citizen" not in invite and "Carla Citizen" in page.split('id="handed-h"', 1)[1]
    assert Pledge.objects.get(pk=pledges["nell"].pk).timebank_offer is None
    timebank_services.register_member(personas["platform_admin"], bank, person=nell)
    assert "settle again" in client_as(personas["org_admin"]).get(
        f"/budgeting/{process.slug}/pledges/settle/").content.decode()
    assert services.settle_pledges(personas["org_admin"], process)["offers"] == 1
    assert Pledge.objects.get(pk=pledges["nell"].pk).timebank_offer.member.person == nell
    assert Offer.objects.count() == 2


def test_the_offer_goes_to_the_bank_nearest_the_process_organisation(funded, personas, world):
    process, _bank, carla, _nell, pledges = funded
    council_bank = timebank_services.create_timebank(personas["platform_admin"], name="Council Timebank",
                                                     slug="council-bank", organisation=world.council)
    in_council = timebank_services.register_member(personas["platform_admin"], council_bank,
                                                   person=personas["citizen"].person)
    services.settle_pledges(personas["org_admin"], process)
    assert Pledge.objects.get(pk=pledges["carla"].pk).timebank_offer.member == in_council != carla
