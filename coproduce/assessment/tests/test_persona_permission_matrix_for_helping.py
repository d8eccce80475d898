"""Who may accept the invitation to help on a complaint: only the complainant for themselves; staff of the
service (and platform admins) on behalf of a caller. Everyone else is refused, on the service and on the
page, and nothing is written."""

import pytest
from django.core.exceptions import PermissionDenied

from coproduce.assessment import help_services, services
from coproduce.assessment.models import HelpOffer
from coproduce.design.models import Invitation
from coproduce.timebank.models import Offer, TimebankMember

PERSONAS = ["anonymous", "citizen", "other_org", "staff", "broker", "org_admin", "platform_admin"]
MAY_ACCEPT = {"citizen"}
MAY_RECORD = {"staff", "org_admin", "platform_admin"}


@pytest.fixture
def complaint(personas, care, helping):
    return services.submit_complaint(personas["citizen"], care, description="Late again.")


def written():
    return (HelpOffer.objects.count(), Offer.objects.count(), TimebankMember.objects.count(),
            Invitation.objects.count())


def actor(personas, persona):
    from django.contrib.auth.models import AnonymousUser

    return personas[persona] or AnonymousUser()


@pytest.mark.parametrize("persona", sorted(set(PERSONAS) - MAY_ACCEPT))
def test_others_may_not_accept_for_themselves(persona, personas, complaint, helping, client_as):
    before = written()
    with pytest.raises(PermissionDenied):
        services.offer_help(actor(personas, persona), complaint, route="timebank", timebank=helping.millbrook.pk)
    response = client_as(personas[persona]).post(f"/services/complaints/{complaint.pk}/help/",
                                                 {"route": "lab", "lab": helping.lab.pk})
    assert response.status_code == (302 if persona == "anonymous" else 403)
    assert written() == before


@pytest.mark.parametrize("persona", sorted(set(PERSONAS) - MAY_RECORD))
def test_only_the_services_staff_record_it_for_a_caller(persona, personas, complaint, helping, client_as):
    before = written()
    with pytest.raises(PermissionDenied):
        services.offer_help(actor(personas, persona), complaint, route="lab", on_behalf=True, channel="phone")
    response = client_as(personas[persona]).post(f"/services/complaints/{complaint.pk}/help/",
                                                 {"on_behalf": "1", "route": "lab", "lab": helping.lab.pk})
    assert response.status_code == (302 if persona == "anonymous" else 403)
    assert written() == before


@pytest.mark.parametrize("persona", sorted(MAY_RECORD))
def test_staff_and_admins_may_record_it(persona, personas, complaint, helping):
    offer = services.offer_help(personas[persona], complaint, route="lab", on_behalf=True, channel="phone")
    assert offer.lab_invitation is not None


@pytest.mark.parametrize("persona", ["anonymous", "other_org", "broker"])
def test_posting_the_waiting_offer_is_refused_to_others(persona, personas, complaint, helping, client_as):
    from coproduce.timebank import services as timebank_services

    offer = services.offer_help(personas["citizen"], complaint, route="timebank",
                                timebank=helping.council_bank.pk, accept_agreement=True)
    timebank_services.approve_member(personas["platform_admin"], offer.timebank_member)
    if personas[persona] is not None:
        with pytest.raises(PermissionDenied):
            help_services.post_pending_offer(personas[persona], offer)
    response = client_as(personas[persona]).post(f"/services/help-offers/{offer.pk}/post-offer/")
    assert response.status_code in (302, 403)
    assert not Offer.objects.exists()
    client_as(personas["citizen"]).post(f"/services/help-offers/{offer.pk}/post-offer/")
    assert Offer.objects.count() == 1
