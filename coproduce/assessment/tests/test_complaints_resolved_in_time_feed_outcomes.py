"""Co-assessment feeds outcome indicators with the share of complaints resolved in time."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from coproduce.assessment import services
from coproduce.assessment.models import Complaint
from coproduce.outcomes import metrics


def test_share_resolved_by_the_expected_date_or_within_28_days(care, personas, world):
    staff = personas["staff"]
    carla = personas["citizen"]

    def complaint(text):
        return services.submit_complaint(carla, care, description=text, kind=Complaint.Kind.COMPLAINT)

    on_time, late, open_, no_date = (complaint(t) for t in ("Missed visit", "Rude carer", "Late again", "Forms"))
    now = timezone.now()
    services.change_complaint_status(staff, on_time, "acknowledged", expected_at=now + timedelta(days=5))
    services.change_complaint_status(staff, on_time, "resolved", note="Visit rescheduled")
    services.change_complaint_status(staff, late, "acknowledged", expected_at=now + timedelta(days=1))
    services.change_complaint_status(staff, late, "resolved")
    Complaint.objects.filter(pk=late.pk).update(resolved_at=now + timedelta(days=3))  # resolved after the date
    services.change_complaint_status(staff, no_date, "acknowledged")
    services.change_complaint_status(staff, no_date, "resolved")  # within 28 days, no date set

    today = timezone.localdate()
    value = metrics.compute("assessment.complaints_resolved_in_time", world.service, today, today + timedelta(days=1))
    assert value == Decimal("50.0")  # 2 of 4: on time, and no date but within 28 days
    assert metrics.compute("assessment.complaints_resolved_in_time", world.council, today,
                           today + timedelta(days=1)) == Decimal("50.0")  # the council includes its services
    assert metrics.compute("assessment.complaints_resolved_in_time", world.group, today,
                           today + timedelta(days=1)) == Decimal(0)
