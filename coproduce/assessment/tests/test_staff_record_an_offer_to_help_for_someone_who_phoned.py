"""Staff record that a complainant who phoned would like to help: the lab invitation or the timebank
offer is made, recorded as on behalf of them with the channel; only a broker of the bank may post an offer
for a member or register someone who is not one."""

import pytest
from django.core.exceptions import ValidationError

from coproduce.assessment import services
from coproduce.assessment.models import HelpOffer
from coproduce.core.models import AuditEntry, Person
from coproduce.design.models import Invitation
from coproduce.timebank.models import Offer, TimebankMember


@pytest.fixture
def caller(personas, care, staff):
    """Olive has no login: she phoned Social Care, and Sam filed her report."""
    from coproduce.core.models import Membership

    olive = Person.objects.create(name="Olive Offline", phone="01632 960123")
    Membership.objects.create(person=olive, organisation=care.organisation, role="member")
    return services.submit_complaint(staff, care, description="The lift is broken.", on_behalf_of=olive,
                                     channel="phone")


def test_staff_record_a_lab_invitation_for_a_caller(caller, staff, helping):
    offer = services.offer_help(staff, caller, route="lab", how="Knows the building well", on_behalf=True,
                                channel="phone")
    assert offer.person.name == "Olive Offline" and offer.channel == "phone"
    assert offer.lab_invitation == Invitation.objects.get(person=offer.person, lab=helping.lab)
    entry = AuditEntry.objects.get(action="helpoffer.create")
    assert entry.on_behalf_of == offer.person and entry.channel == "phone" and entry.actor == staff


def test_a_broker_registers_the_caller_in_the_bank_and_posts_her_offer(caller, staff, helping):
    # Sam is staff of Social Care and a broker of Millbrook.
    offer = services.offer_help(staff, caller, route="timebank", timebank=helping.millbrook.pk, on_behalf=True,
                                accept_agreement=True, channel="phone", how="Can make phone calls")
    member = TimebankMember.objects.get(person=offer.person)
    assert member.status == "active" and member.timebank == helping.millbrook
    posted = Offer.objects.get(member=member)
    assert offer.timebank_offer == posted and posted.on_behalf is True and posted.channel == "phone"
    entry = AuditEntry.objects.get(action="timebank.offer.create")
    assert entry.on_behalf_of == offer.person and entry.channel == "phone"


def test_staff_who_do_not_broker_the_bank_cannot_post_for_the_caller(caller, staff, helping, world):
    from coproduce.core.models import Membership

    Membership.objects.filter(person=staff.person, organisation=world.group).delete()
    staff.__dict__.pop("_coproduce_roles", None)
    before = (HelpOffer.objects.count(), Offer.objects.count(), TimebankMember.objects.count())
    with pytest.raises(ValidationError) as error:
        services.offer_help(staff, caller, route="timebank", timebank=helping.millbrook.pk, on_behalf=True,
                            accept_agreement=True, channel="phone")
    assert "only its brokers" in error.value.message_dict["timebank"][0]
    assert (HelpOffer.objects.count(), Offer.objects.count(), TimebankMember.objects.count()) == before


def test_the_complaint_page_records_the_choice_for_the_caller(caller, staff, helping, client_as):
    client = client_as(staff)
    page = client.get(caller.get_absolute_url()).content.decode()
    assert "Record that they would like to help" in page and "Redesigning home care visits" in page
    response = client.post(f"/services/complaints/{caller.pk}/help/", {
        "on_behalf": "1", "route": "lab", "lab": helping.lab.pk, "how": "", "channel": "phone"})
    assert response.status_code == 302
    offer = HelpOffer.objects.get()
    assert offer.lab_invitation is not None and offer.channel == "phone"
