"""At submission and on resolution the complainant is invited to help; acceptances are helper offers,
and the share of invited complainants who accept is reported per service."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from coproduce.assessment import services
from coproduce.assessment.models import HelpOffer
from coproduce.assessment.queries import response_metrics
from coproduce.core.models import AuditEntry


def test_offering_help_when_reporting_records_a_helper_offer(personas, care, client_as):
    client = client_as(personas["citizen"])
    response = client.post("/services/home-care/report/", {
        "kind": "complaint", "description": "Visits are late.", "offer_help": "on",
        "help_how": "I can join a group that reviews the rota."})
    assert response.status_code == 302
    offer = HelpOffer.objects.get()
    assert offer.person == personas["citizen"].person and offer.stage == "submission"
    assert offer.follow_up == "new" and offer.how.startswith("I can join")
    assert offer.complaint.help_invited_at is not None
    assert AuditEntry.objects.filter(action="helpoffer.create").count() == 1
    assert "help fix this" in mail.outbox[0].body


def test_the_invitation_is_shown_again_on_resolution_and_accepting_it_works(personas, care, client_as, staff):
    complaint = services.submit_complaint(personas["citizen"], care, description="Late again.")
    client = client_as(personas["citizen"])
    assert b"Would you like to help fix this" in client.get(complaint.get_absolute_url()).content
    for status in ("acknowledged", "resolved"):
        complaint = services.change_complaint_status(staff, complaint, status)
    page = client.get(complaint.get_absolute_url()).content
    assert b"It is resolved. Would you like to help improve this service?" in page
    assert client.post(f"/services/complaints/{complaint.pk}/help/", {"how": "Test the new rota"}).status_code == 302
    assert HelpOffer.objects.get().stage == "resolution"
    assert b"I would like to help" not in client.get(complaint.get_absolute_url()).content
    with pytest.raises(ValidationError):
        services.offer_help(personas["citizen"], complaint)  # once per stage


def test_only_the_complainant_may_accept_and_staff_may_record_it_for_a_caller(personas, care, staff):
    complaint = services.submit_complaint(personas["citizen"], care, description="Late.")
    for persona in ("broker", "other_org", "staff"):
        with pytest.raises(PermissionDenied):
            services.offer_help(personas[persona], complaint)
    offer = services.offer_help(staff, complaint, on_behalf=True, channel="phone")
    entry = AuditEntry.objects.get(action="helpoffer.create")
    assert entry.on_behalf_of == personas["citizen"].person and entry.channel == "phone"
    services.follow_up_help_offer(staff, offer, "contacted", "Called her on Monday.")
    offer.refresh_from_db()
    assert offer.follow_up == "contacted"
    with pytest.raises(PermissionDenied):
        services.follow_up_help_offer(personas["broker"], offer, "declined")


def test_conversion_rate_per_service(personas, care, parks, staff):
    citizen = personas["citizen"]
    reports = [services.submit_complaint(citizen, care, description=f"Report {i}") for i in range(4)]
    services.offer_help(citizen, reports[0])
    services.offer_help(citizen, reports[1])
    for status in ("acknowledged", "resolved"):
        services.change_complaint_status(staff, reports[1], status)
    services.offer_help(citizen, reports[1])  # the same complaint twice counts once
    figures = response_metrics([care.pk, parks.pk])
    assert figures[care.pk]["invited"] == 4 and figures[care.pk]["helpers"] == 2
    assert figures[care.pk]["conversion_rate"] == 0.5
    assert figures[parks.pk]["conversion_rate"] is None
    assert figures[care.pk]["median_hours_to_acknowledge"] is not None
    assert figures[care.pk]["median_hours_to_resolve"] is not None
