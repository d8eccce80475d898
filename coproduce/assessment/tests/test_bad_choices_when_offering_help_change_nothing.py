"""Bad input when accepting the invitation to help is refused with an error naming the field, and
nothing is written: no help offer, no timebank offer or request to join, no lab invitation, no audit."""

import pytest
from django.core.exceptions import ValidationError

from coproduce.assessment import services
from coproduce.assessment.models import HelpOffer
from coproduce.core.models import AuditEntry
from coproduce.design.models import Invitation, Lab
from coproduce.timebank.models import Category, Offer, TimebankMember


def snapshot():
    return (HelpOffer.objects.count(), Offer.objects.count(), TimebankMember.objects.count(),
            Invitation.objects.count(), AuditEntry.objects.count())


@pytest.fixture
def complaint(personas, care, helping):
    return services.submit_complaint(personas["citizen"], care, description="Nobody answers the phone.")


def refused(field, complaint, actor, **choice):
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        services.offer_help(actor, complaint, **choice)
    assert field in error.value.message_dict, error.value.message_dict
    assert snapshot() == before


def test_unknown_or_closed_choices(personas, complaint, helping):
    carla = personas["citizen"]
    refused("route", complaint, carla, route="money")
    refused("timebank", complaint, carla, route="timebank", timebank=999999)
    refused("timebank", complaint, carla, route="timebank", timebank="millbrook")
    own = Category.objects.create(timebank=helping.council_bank, group="x", group_name="X", slug="rota", name="Rota")
    refused("category", complaint, carla, route="timebank", timebank=helping.millbrook.pk, category=own.pk)
    refused("category", complaint, carla, route="timebank", timebank=helping.millbrook.pk, category="gardening")
    refused("lab", complaint, carla, route="lab", lab=999999)
    refused("how", complaint, carla, route="contact", how="x" * 2001)
    # the agreement of the council's bank must be accepted to ask to join it
    refused("accept_agreement", complaint, carla, route="timebank", timebank=helping.council_bank.pk)


def test_a_lab_that_stopped_gathering_or_of_another_organisation_is_refused(personas, complaint, helping, world):
    from coproduce.design import services as design_services

    other = design_services.create_lab(personas["platform_admin"], world.other_group, title="Fernside parks")
    refused("lab", complaint, personas["citizen"], route="lab", lab=other.pk)
    Lab.objects.filter(pk=helping.lab.pk).update(stage=Lab.Stage.DECIDE)
    refused("lab", complaint, personas["citizen"], route="lab", lab=helping.lab.pk)
    refused("lab", complaint, personas["citizen"], route="lab")


def test_a_referred_report_is_refused(personas, complaint, helping, staff):
    # (a suspended member is not refused: see test_a_suspended_timebank_member_who_offers_help_gets_no_offer…)
    services.change_complaint_status(staff, complaint, "referred", referred_to="The NHS trust")
    refused("stage", complaint, personas["citizen"], route="lab")


def test_offering_twice_at_the_same_stage_is_refused(personas, complaint, helping):
    services.offer_help(personas["citizen"], complaint, route="timebank", timebank=helping.millbrook.pk)
    refused("stage", complaint, personas["citizen"], route="lab")
    refused("stage", complaint, personas["citizen"], route="timebank", timebank=helping.millbrook.pk)
