"""received → acknowledged → in progress → resolved → closed, or referred; anything else is refused."""

import pytest
from django.core.exceptions import ValidationError

from coproduce.assessment import services
from coproduce.assessment.models import Complaint, ComplaintUpdate
from coproduce.core.models import AuditEntry


@pytest.fixture
def complaint(personas, care):
    return services.submit_complaint(personas["citizen"], care, description="Nobody came on Tuesday.",
                                     kind=Complaint.Kind.COMPLAINT)


def test_the_happy_path_sets_the_timestamps_and_writes_updates_and_audit(staff, complaint):
    for status in ("acknowledged", "in_progress", "resolved", "closed"):
        complaint = services.change_complaint_status(staff, complaint, status, note=f"now {status}")
    assert complaint.status == "closed" and complaint.open311_status == "closed"
    assert complaint.acknowledged_at <= complaint.resolved_at <= complaint.closed_at
    assert list(ComplaintUpdate.objects.values_list("status_to", flat=True)) == [
        "acknowledged", "in_progress", "resolved", "closed"]
    assert AuditEntry.objects.filter(action="complaint.status", channel="web").count() == 4


@pytest.mark.parametrize("path,illegal", [
    ([], "in_progress"),
    ([], "resolved"),
    (["acknowledged"], "received"),
    (["acknowledged", "in_progress"], "closed"),
    (["referred"], "in_progress"),
    (["acknowledged", "resolved", "closed"], "in_progress"),
    ([], "nonsense"),
])
def test_illegal_transitions_are_refused_and_change_nothing(staff, complaint, path, illegal):
    for status in path:
        complaint = services.change_complaint_status(staff, complaint, status, referred_to="NHS Trust")
    before = (complaint.status, ComplaintUpdate.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ValidationError) as exc:
        services.change_complaint_status(staff, complaint, illegal)
    assert "status" in exc.value.message_dict
    complaint.refresh_from_db()
    assert (complaint.status, ComplaintUpdate.objects.count(), AuditEntry.objects.count()) == before


def test_referring_needs_to_say_where_and_shows_as_closed_in_open311(staff, complaint):
    with pytest.raises(ValidationError) as exc:
        services.change_complaint_status(staff, complaint, "referred")
    assert "referred_to" in exc.value.message_dict
    complaint = services.change_complaint_status(staff, complaint, "referred", referred_to="Testville NHS Trust")
    assert complaint.open311_status == "closed" and "Testville NHS Trust" in complaint.status_notes


def test_resolved_can_be_reopened(staff, complaint):
    for status in ("acknowledged", "resolved", "in_progress"):
        complaint = services.change_complaint_status(staff, complaint, status)
    assert complaint.status == "in_progress" and complaint.resolved_at is None


def test_staff_change_the_status_through_the_page_without_javascript(staff, complaint, client_as):
    client = client_as(staff)
    response = client.post(f"/services/complaints/{complaint.pk}/status/",
                           {"status": "acknowledged", "note": "We are looking into it.", "is_public": "on"})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == "acknowledged" and complaint.status_notes == "We are looking into it."
    response = client.post(f"/services/complaints/{complaint.pk}/status/", {"status": "closed"}, follow=True)
    complaint.refresh_from_db()
    assert complaint.status == "acknowledged"
    assert b"Select a valid choice" in response.content
