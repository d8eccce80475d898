"""A complainant who left the timebank they choose to help through is neither given an offer as if
still a member nor turned away: a request to rejoin is made through the timebank's membership services
(the same membership, its account and history kept), a broker welcomes them back, and the waiting offer
is then posted. Staff may ask for them when they phoned, if they broker the bank or support the person;
others are refused and nothing is written."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coproduce.assessment import help_services, services
from coproduce.assessment.help_views import thanks
from coproduce.core.models import AuditEntry, Membership
from coproduce.timebank import services as timebank_services
from coproduce.timebank.models import Offer, TimebankMember, Transfer


@pytest.fixture
def former(personas, helping):
    """Carla had an hour carried over from the paper ledger, then left Millbrook."""
    bea = personas["broker"]
    timebank_services.record_opening_balance(bea, helping.carla, 60, "Paper ledger")
    timebank_services.set_member_status(bea, helping.carla, "left")
    helping.carla.refresh_from_db()
    return helping.carla


@pytest.fixture
def complaint(personas, care, helping):
    return services.submit_complaint(personas["citizen"], care, description="Nobody answers the phone.")


def test_she_asks_to_rejoin_and_her_offer_is_posted_once_a_broker_welcomes_her_back(personas, complaint,
                                                                                      helping, former):
    left_at, history = former.left_at, Transfer.objects.filter(to_account__member=former).count()
    offer = services.offer_help(personas["citizen"], complaint, route="timebank", timebank=helping.millbrook.pk,
                                how="I can ring people back")
    member = TimebankMember.objects.get(pk=former.pk)  # the same membership, not a new one
    assert member.status == "requested" and member.left_at == left_at
    assert offer.timebank_member == member and offer.timebank_offer is None and not Offer.objects.exists()
    assert "asked to rejoin Millbrook Timebank" in thanks(offer)
    entry = AuditEntry.objects.get(action="timebank.member.rejoin")
    assert entry.details["left_at"] == left_at.isoformat() and entry.on_behalf_of is None
    with pytest.raises(ValidationError):  # not active yet: nothing to post
        help_services.post_pending_offer(personas["citizen"], offer)
    timebank_services.approve_member(personas["broker"], member)
    member.refresh_from_db()
    assert member.status == "active" and member.left_at is None
    assert Transfer.objects.filter(to_account__member=member).count() == history == 1  # her hour is still hers
    assert AuditEntry.objects.get(action="timebank.member.approve").details == {
        "rejoined_after_leaving": left_at.isoformat()}
    offer = help_services.post_pending_offer(personas["citizen"], offer)
    assert offer.timebank_offer.member == member


def test_staff_who_broker_the_bank_ask_for_her_when_she_phoned(personas, complaint, helping, former, staff):
    offer = services.offer_help(staff, complaint, route="timebank", timebank=helping.millbrook.pk, on_behalf=True,
                                channel="phone")
    assert offer.timebank_member.status == "requested" and offer.timebank_offer is None
    entry = AuditEntry.objects.get(action="timebank.member.rejoin")
    assert entry.on_behalf_of == personas["citizen"].person and entry.channel == "phone" and entry.actor == staff


def test_staff_who_neither_broker_the_bank_nor_support_her_are_refused(personas, complaint, helping, former,
                                                                        staff, world):
    Membership.objects.filter(person=staff.person, organisation=world.group).delete()
    staff.__dict__.pop("_coproduce_roles", None)
    before = (AuditEntry.objects.count(), Offer.objects.count())
    with pytest.raises(ValidationError) as error:
        services.offer_help(staff, complaint, route="timebank", timebank=helping.millbrook.pk, on_behalf=True,
                            channel="phone")
    assert "left Millbrook Timebank" in error.value.message_dict["timebank"][0]
    assert TimebankMember.objects.get(pk=former.pk).status == "left"
    assert (AuditEntry.objects.count(), Offer.objects.count()) == before
    assert not complaint.help_offers.exists()


@pytest.mark.parametrize("name", ["other_org", "staff", "anonymous"])
def test_the_rejoin_service_refuses_people_who_may_not_act_for_her(name, personas, former, world):
    from django.contrib.auth.models import AnonymousUser

    user = AnonymousUser() if name == "anonymous" else personas[name]
    if name == "staff":  # Sam, without his broker role in Millbrook
        Membership.objects.filter(person=user.person, organisation=world.group).delete()
    with pytest.raises(PermissionDenied):
        timebank_services.request_to_rejoin(user, former, accept_agreement=True, channel="phone")
    assert TimebankMember.objects.get(pk=former.pk).status == "left"


def test_only_a_former_member_can_ask_to_rejoin(personas, helping):
    with pytest.raises(ValidationError) as error:
        timebank_services.request_to_rejoin(personas["citizen"], helping.carla, accept_agreement=True)
    assert "status" in error.value.message_dict
