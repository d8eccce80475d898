"""Co-assessment's platform metrics, for outcome indicators."""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q, Sum
from django.utils.translation import gettext_lazy as _

from coproduce.outcomes.metrics import moment, organisation_ids, register

from .models import Complaint, InspectionAction, Observation, SurveyResponse, Visit

# Without an "expected by" date, a complaint counts as resolved in time within this many days.
DEFAULT_DAYS_TO_RESOLVE = 28


def complaints_resolved_in_time(organisation, start: date, end: date) -> Decimal:
    """Of the complaints and reports received in the period, the percentage resolved by their expected
    date (or within 28 days when none was set). 0 when none were received."""
    received = Complaint.objects.filter(
        service__organisation_id__in=organisation_ids(organisation),
        requested_at__gte=moment(start), requested_at__lt=moment(end),
    )
    total = received.count()
    if total == 0:
        return Decimal(0)
    in_time = received.filter(resolved_at__isnull=False).filter(
        Q(expected_at__isnull=False, resolved_at__lte=F("expected_at"))
        | Q(expected_at__isnull=True, resolved_at__lte=F("requested_at") + timedelta(days=DEFAULT_DAYS_TO_RESOLVE))
    ).count()
    return (Decimal(100) * in_time / total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def inspection_actions_closed(organisation, start: date, end: date) -> Decimal:
    """Of the inspection actions whose deadline fell in the period, the percentage done by the
    deadline (marked done by the service on or before the day, and not reopened since). 0 when none."""
    due = InspectionAction.objects.filter(
        service__organisation_id__in=organisation_ids(organisation), due_on__gte=start, due_on__lt=end)
    total = due.count()
    if total == 0:
        return Decimal(0)
    in_time = due.filter(status__in=[InspectionAction.Status.DONE, InspectionAction.Status.CLOSED],
                         done_at__isnull=False, done_at__date__lte=F("due_on")).count()
    return (Decimal(100) * in_time / total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def survey_responses(organisation, start: date, end: date) -> int:
    """Responses (online and paper) to the organisation's surveys in the period."""
    return SurveyResponse.objects.filter(
        survey__organisation_id__in=organisation_ids(organisation),
        submitted_at__gte=moment(start), submitted_at__lt=moment(end)).count()


def _observations(organisation, start: date, end: date):
    return Observation.objects.filter(
        campaign__organisation_id__in=organisation_ids(organisation), status=Observation.Status.RECORDED,
        observed_at__gte=moment(start), observed_at__lt=moment(end))


def monitoring_observations(organisation, start: date, end: date) -> int:
    """Observations recorded (online or from paper sheets, withdrawn ones not counted) in the
    organisation's monitoring campaigns, by the day they were observed."""
    return _observations(organisation, start, end).count()


def monitoring_minutes(organisation, start: date, end: date) -> int:
    """Minutes volunteers gave to the organisation's monitoring campaigns in the period – except those
    credited through a timebank exchange from an organisation's account, which the timebank's
    `timebank.hours_exchanged` counts already (credits from the community pot are donations: not
    counted there, so counted here)."""
    from coproduce.timebank.models import Transfer

    return (_observations(organisation, start, end).exclude(credit_transfer__kind__in=[
        Transfer.Kind.EXCHANGE, Transfer.Kind.CROSS_BANK]).aggregate(total=Sum("minutes_spent"))["total"] or 0)


def inspection_minutes(organisation, start: date, end: date) -> int:
    """Minutes citizen inspectors gave to the organisation's inspection visits (and peer reviews) that
    took place in the period and whose report is published: each visit's time per team member × the
    team's size."""
    visits = (Visit.objects.filter(organisation_id__in=organisation_ids(organisation),
                                   status=Visit.Status.PUBLISHED, visit_on__gte=start, visit_on__lt=end)
              .annotate(size=Count("team")).values_list("minutes", "size"))
    return sum(minutes * size for minutes, size in visits)


def register_metrics() -> None:
    register("assessment.complaints_resolved_in_time", _("Complaints resolved in time"),
             complaints_resolved_in_time, kind="percent", unit="%",
             description=_("Share of complaints and reports received in the period that were resolved by "
                           "their expected date (or within 28 days)."))
    register("assessment.inspection_actions_closed", _("Inspection actions done by their deadline"),
             inspection_actions_closed, kind="percent", unit="%",
             description=_("Share of the inspection actions due in the period that the service completed by "
                           "their deadline."))
    register("assessment.survey_responses", _("Survey responses"), survey_responses, kind="count",
             unit=_("responses"), description=_("Responses to the organisation's surveys, online and on paper."))
    register("assessment.monitoring_observations", _("Monitoring observations recorded"), monitoring_observations,
             kind="count", unit=_("observations"),
             description=_("Observations volunteers recorded in the organisation's monitoring campaigns."))
    register("assessment.monitoring_hours", _("Hours given in monitoring campaigns"), monitoring_minutes,
             kind="hours", unit=_("hours"),
             description=_("Time volunteers spent observing and recording for the organisation's monitoring "
                           "campaigns (hours credited through a timebank exchange count there instead)."))
    register("assessment.inspection_hours", _("Hours given in citizen inspections"), inspection_minutes,
             kind="hours", unit=_("hours"),
             description=_("Time citizen inspectors gave to visits whose report is published: each visit's "
                           "time per team member times the team's size."))
