"""A coordinator credits volunteers' minutes through the campaign's timebank: one ledger transfer per
volunteer from the community pot (or the organisation's member account), the observations marked
credited; running it again credits nothing; the books still balance; a refusal writes nothing."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from coproduce.assessment import monitoring_services as monitoring
from coproduce.assessment.models import Observation
from coproduce.conftest import make_user
from coproduce.core.models import Person
from coproduce.timebank import ledger
from coproduce.timebank import services as timebank
from coproduce.timebank.models import Account, TimebankMember, Transfer


@pytest.fixture
def bank(personas, world, river):
    pat = personas["platform_admin"]
    bank = timebank.create_timebank(pat, name="Millbrook Timebank", slug="millbrook", organisation=world.group)
    carla = timebank.register_member(river.bea, bank, person=personas["citizen"].person)
    gift = timebank.register_member(river.bea, bank, name="Generous Gill")
    hal = timebank.register_member(river.bea, bank, name="Hal Helped")
    timebank.transfer(river.bea, hal, gift, 600, "Garden clearing")  # Gill earns 10 hours
    timebank.donate(river.bea, gift, 300)  # and gives 5 to the community pot
    monitoring.update_campaign(river.bea, river.campaign, timebank=bank)
    return bank, carla


def observe(actor, river, minutes, *, volunteer=None, hours_ago=2):
    return monitoring.record_observation(
        actor, river.campaign, volunteer=volunteer, values={river.ph.field: "7", river.temp.field: "10",
                                                            river.turbidity.field: "0"},
        observed_at=timezone.now() - timedelta(hours=hours_ago), location="Weir", minutes_spent=minutes)


def balance(member) -> int:
    return Account.objects.get(member=member).balance_minutes


def pot(bank) -> int:
    return Account.objects.get(timebank=bank, kind="community_pot").balance_minutes


def test_minutes_are_credited_from_the_pot_once(personas, river, bank):
    bank, carla_member = bank
    first, second = observe(personas["citizen"], river, 30), observe(personas["citizen"], river, 45, hours_ago=5)
    observe(personas["citizen"], river, 0)  # nothing to credit
    dot = Person.objects.create(name="Dot Offline")
    not_a_member = monitoring.enrol(river.bea, river.campaign, dot)
    waiting = observe(river.bea, river, 60, volunteer=not_a_member)
    withdrawn = observe(personas["citizen"], river, 15)
    monitoring.withdraw_observation(river.bea, withdrawn)

    result = monitoring.credit_hours(river.bea, river.campaign)
    assert (result.minutes, result.observations, len(result.transfers)) == (75, 2, 1)
    assert result.skipped == [dot]
    assert balance(carla_member) == 75 and pot(bank) == 300 - 75
    [posted] = result.transfers
    assert posted.kind == Transfer.Kind.DONATION and "Mill River water watch" in posted.reason
    assert set(Observation.objects.filter(credit_transfer=posted).values_list("pk", flat=True)) == {first.pk,
                                                                                                    second.pk}
    assert Observation.objects.get(pk=waiting.pk).credited_at is None
    assert ledger.verify().ok

    again = monitoring.credit_hours(river.bea, river.campaign)
    assert (again.minutes, again.transfers) == (0, [])
    assert balance(carla_member) == 75 and Transfer.objects.filter(reason__startswith="Monitoring").count() == 1

    with pytest.raises(ValidationError) as caught:  # credited minutes are fixed
        monitoring.correct_observation(personas["citizen"], first, values={
            river.ph.field: "7", river.temp.field: "10", river.turbidity.field: "0"},
            observed_at=first.observed_at, location="Weir", minutes_spent=90)
    assert "minutes_spent" in caught.value.message_dict


def test_credits_can_come_from_the_organisations_member_account(personas, river, bank):
    bank, carla_member = bank
    account = TimebankMember.objects.get(person__name="Generous Gill")  # 300 minutes left
    monitoring.update_campaign(river.bea, river.campaign, credit_from=account)
    observe(personas["citizen"], river, 50)
    result = monitoring.credit_hours(river.bea, river.campaign)
    assert result.transfers[0].kind == Transfer.Kind.EXCHANGE
    assert balance(account) == 250 and balance(carla_member) == 50 and pot(bank) == 300


def test_refusals_write_nothing(personas, river, bank):
    bank, carla_member = bank
    observe(personas["citizen"], river, 400)  # more than the pot holds
    with pytest.raises(ValidationError):
        monitoring.credit_hours(river.bea, river.campaign)
    with pytest.raises(PermissionDenied):
        monitoring.credit_hours(personas["citizen"], river.campaign)
    cora = make_user("cora", name="Cora Coordinator")  # coordinates the campaign, but is no broker of the bank
    monitoring.enrol(river.bea, river.campaign, cora.person, role="coordinator")
    observe(personas["citizen"], river, 10)
    with pytest.raises(PermissionDenied):
        monitoring.credit_hours(cora, river.campaign)
    assert balance(carla_member) == 0 and pot(bank) == 300
    assert not Observation.objects.filter(credited_at__isnull=False).exists()


def test_a_campaign_without_a_timebank_cannot_credit(personas, river):
    with pytest.raises(ValidationError) as caught:
        monitoring.credit_hours(river.bea, river.campaign)
    assert "timebank" in caught.value.message_dict
