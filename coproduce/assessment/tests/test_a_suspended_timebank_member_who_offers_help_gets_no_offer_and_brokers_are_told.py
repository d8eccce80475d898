"""A complainant whose membership of the chosen timebank is suspended gets no offer of time: their help
offer is kept, the bank's brokers get a note (seen by them only) to get in touch, the complainant is
told a broker will be in touch (nothing about the suspension), and once a broker reinstates them the
waiting offer can be posted. Staff recording it for someone who phoned get the same."""

import pytest
from django.core.exceptions import ValidationError

from coproduce.assessment import help_services, services
from coproduce.assessment.help_views import thanks
from coproduce.core.models import AuditEntry
from coproduce.timebank import services as timebank_services
from coproduce.timebank.models import BrokerNote, Offer


@pytest.fixture
def suspended(personas, helping):
    timebank_services.set_member_status(personas["broker"], helping.carla, "suspended")
    helping.carla.refresh_from_db()
    return helping.carla


@pytest.fixture
def complaint(personas, care, helping):
    return services.submit_complaint(personas["citizen"], care, description="Nobody answers the phone.")


def test_no_offer_is_posted_and_the_brokers_get_a_note(personas, complaint, helping, suspended, client_as):
    offer = services.offer_help(personas["citizen"], complaint, route="timebank", timebank=helping.millbrook.pk)
    assert offer.timebank_member == suspended and offer.timebank_offer is None and not Offer.objects.exists()
    suspended.refresh_from_db()
    assert suspended.status == "suspended"
    note = BrokerNote.objects.get(member=suspended)
    assert note.author is None and f"report {complaint.pk}" in note.text and "suspended" in note.text
    assert AuditEntry.objects.get(action="timebank.note.add").details == {"from": "platform", "member": suspended.pk}
    message = thanks(offer)
    assert "A broker of Millbrook Timebank will be in touch" in message and "suspend" not in message
    member_page = f"/timebanks/{helping.millbrook.slug}/members/{suspended.pk}/trust/"
    assert f"report {complaint.pk}" in client_as(personas["broker"]).get(member_page).content.decode()
    assert client_as(personas["citizen"]).get(member_page).status_code in (403, 404)
    with pytest.raises(ValidationError):
        help_services.post_pending_offer(personas["citizen"], offer)
    timebank_services.set_member_status(personas["broker"], suspended, "active")
    offer = help_services.post_pending_offer(personas["citizen"], offer)
    assert offer.timebank_offer.member == suspended


def test_staff_recording_it_for_a_caller_get_the_same(personas, complaint, helping, suspended, staff):
    offer = services.offer_help(staff, complaint, route="timebank", timebank=helping.millbrook.pk, on_behalf=True,
                                channel="phone")
    assert offer.timebank_offer is None and BrokerNote.objects.filter(member=suspended).count() == 1
    entry = AuditEntry.objects.get(action="helpoffer.create")
    assert entry.on_behalf_of == personas["citizen"].person and entry.channel == "phone"


def test_the_conversion_figures_count_her_as_a_helper_not_as_a_request_to_join(personas, complaint, helping,
                                                                                suspended, care):
    from coproduce.assessment.queries import response_metrics

    services.offer_help(personas["citizen"], complaint, route="timebank", timebank=helping.millbrook.pk)
    figures = response_metrics([care.pk])[care.pk]
    assert (figures["helpers"], figures["timebank_offers"], figures["join_requests"]) == (1, 0, 0)
