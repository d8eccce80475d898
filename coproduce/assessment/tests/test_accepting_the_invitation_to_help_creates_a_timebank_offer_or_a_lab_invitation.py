"""A complainant who accepts the invitation to help chooses how: a real offer of time in a timebank (or a
request to join the bank, after which the offer is posted), or an invitation to a design lab about the
service. The help offer links to what was created."""

import pytest
from django.core.exceptions import ValidationError

from coproduce.assessment import help_services, services
from coproduce.assessment.models import HelpOffer
from coproduce.core.models import AuditEntry
from coproduce.design.models import Invitation
from coproduce.timebank import services as timebank_services
from coproduce.timebank.models import Offer, TimebankMember


@pytest.fixture
def complaint(personas, care):
    return services.submit_complaint(personas["citizen"], care, description="The carer came two hours late.")


def test_a_member_offers_time_in_her_bank(personas, complaint, helping):
    offer = services.offer_help(personas["citizen"], complaint, route="timebank", timebank=helping.millbrook.pk,
                                category=helping.befriending.pk, how="I could visit older neighbours.")
    posted = Offer.objects.get()
    assert offer.timebank_offer == posted and offer.timebank_member == helping.carla and offer.route == "timebank"
    assert posted.member == helping.carla and posted.category == helping.befriending and posted.status == "open"
    assert posted.description == "To help improve Home Care: I could visit older neighbours."
    assert posted.on_behalf is False and posted.channel == "web"
    assert AuditEntry.objects.filter(action="timebank.offer.create").count() == 1
    entry = AuditEntry.objects.get(action="helpoffer.create")
    assert entry.details["route"] == "timebank" and entry.details["timebank_offer"] == posted.pk


def test_without_a_membership_she_asks_to_join_and_the_offer_is_posted_once_approved(personas, complaint, helping):
    # The council's bank is the default: the service belongs to Social Care, part of the council.
    assert help_services.default_bank(complaint.service, complaint.person) == helping.council_bank
    offer = services.offer_help(personas["citizen"], complaint, route="timebank", accept_agreement=True,
                                how="Helping with the rota")
    member = TimebankMember.objects.get(timebank=helping.council_bank)
    assert member.person == personas["citizen"].person and member.status == "requested"
    assert offer.timebank_member == member and offer.timebank_offer is None and not Offer.objects.exists()
    with pytest.raises(ValidationError) as error:
        help_services.post_pending_offer(personas["citizen"], offer)
    assert "timebank" in error.value.message_dict
    timebank_services.approve_member(personas["platform_admin"], member)
    offer.refresh_from_db()
    assert help_services.may_post_pending_offer(personas["citizen"], offer)
    help_services.post_pending_offer(personas["citizen"], offer)
    offer.refresh_from_db()
    assert offer.timebank_offer == Offer.objects.get(member=member)
    assert offer.timebank_offer.description == "To help improve Home Care: Helping with the rota"


def test_the_persons_only_bank_is_the_default_when_the_service_organisation_has_none(personas, world, helping):
    from coproduce.timebank.models import Timebank

    Timebank.objects.filter(pk=helping.council_bank.pk).update(organisation=world.other_group)
    other = services.create_service(personas["platform_admin"], world.council, name="Libraries")
    assert help_services.default_bank(other, personas["citizen"].person) == helping.millbrook
    assert help_services.default_bank(other, personas["broker"].person) is None


def test_the_category_suggested_shares_words_with_the_service_and_her_words(personas, helping, world):
    garden = services.create_service(personas["platform_admin"], world.council, name="Parks", keywords="gardening")
    assert help_services.suggest_category(helping.millbrook, garden).slug == "gardening"
    assert help_services.suggest_category(helping.millbrook, garden, "help with computers").slug in {
        "gardening", "digital"}


def test_joining_the_design_lab_about_the_service_makes_an_invitation(personas, complaint, helping):
    offer = services.offer_help(personas["citizen"], complaint, route="lab", how="I have ideas about the rota")
    invitation = Invitation.objects.get()
    assert invitation.lab == helping.lab and invitation.person == personas["citizen"].person
    assert offer.lab_invitation == invitation and offer.route == "lab"
    assert personas["citizen"].has_perm("design.view_lab", helping.lab)
    from coproduce.design.permissions import eligible_for_lab

    assert eligible_for_lab(personas["citizen"], helping.lab)


def test_an_existing_invitation_is_reused_on_resolution(personas, complaint, helping, staff):
    services.offer_help(personas["citizen"], complaint, route="lab")
    for status in ("acknowledged", "resolved"):
        complaint = services.change_complaint_status(staff, complaint, status)
    again = services.offer_help(personas["citizen"], complaint, route="lab")
    assert again.stage == "resolution" and Invitation.objects.count() == 1
    assert HelpOffer.objects.filter(lab_invitation=Invitation.objects.get()).count() == 2
