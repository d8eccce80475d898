"""Read-side helpers shared by views, the API and open data: a constant number of queries each."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import metrics, opendata, socialvalue
from .models import (
    ActivityKind,
    Framework,
    Goal,
    Indicator,
    Initiative,
    Outcome,
    SelfAssessment,
    SocialValueReport,
    Target,
)
from .status import Assessment, Status, assess

STATUS_LABELS = {
    Status.ON_TRACK: _("On track"),
    Status.AT_RISK: _("At risk"),
    Status.OFF_TRACK: _("Off track"),
    Status.ACHIEVED: _("Achieved"),
    Status.NO_DATA: _("No data"),
}
REASON_LABELS = {
    "no_target": _("No target set"),
    "no_reading": _("No readings since the baseline"),
    "deadline_passed": _("The target date has passed"),
    "implicit_baseline": _("No baseline: judged from the first reading"),
    "target_met": _("The final target is met"),
}


def assess_indicator(indicator: Indicator, today=None, targets=None) -> Assessment:
    """Status from the indicator row's kept first/latest reading and its targets (prefetched or given)."""
    today = today or timezone.localdate()
    if targets is None:
        targets = getattr(indicator, "target_list", None)
    if targets is None:
        targets = [(t.due, t.value) for t in indicator.targets.all()]
    readings = []
    if indicator.first_reading_date is not None:
        readings.append((indicator.first_reading_date, indicator.first_reading_value))
    if indicator.latest_reading_date is not None and indicator.latest_reading_date != indicator.first_reading_date:
        readings.append((indicator.latest_reading_date, indicator.latest_reading_value))
    baseline = None
    if indicator.baseline_date is not None and indicator.baseline_value is not None:
        baseline = (indicator.baseline_date, indicator.baseline_value)
    return assess(better=indicator.better, baseline=baseline, targets=targets,
                  readings=readings, today=today)


def assess_indicators(indicators, today=None) -> list[Assessment]:
    today = today or timezone.localdate()
    return [assess_indicator(i, today) for i in indicators]


def decorate(indicator: Indicator, today, display: Display | None = None) -> Indicator:
    """Attach the assessment, and (with `display`) the table's ready-formatted cells, so the templates
    of long pages only print strings."""
    result = assess_indicator(indicator, today)
    indicator.assessment = result
    indicator.status_label = STATUS_LABELS[result.status]
    indicator.reason_label = REASON_LABELS.get(result.reason, "")
    if display is not None:
        indicator.url = display.indicator_url(indicator.pk)
        indicator.cells = (
            display.figure(indicator.baseline_value, indicator.baseline_date, indicator),
            display.figure(indicator.latest_reading_value, indicator.latest_reading_date, indicator),
            display.figure(result.target, result.target_date),
        )
    return indicator


class Display:
    """Formats figures and month-year dates once per distinct value (localised), and builds indicator
    URLs without a `reverse` per row: long tables stay cheap to render. Unless `exact` (staff of the
    owning organisation), small counts of people are shown as "<5" (`opendata.hides`)."""

    def __init__(self, exact: bool = False):
        from django.urls import reverse

        self.exact = exact
        self._url = reverse("outcomes:indicator", args=[999999999]).replace("999999999", "{}")
        self._dates: dict = {}
        self._numbers: dict = {}

    def indicator_url(self, pk: int) -> str:
        return self._url.format(pk)

    def number(self, value) -> str:
        shown = self._numbers.get(value)
        if shown is None:
            from django.utils.formats import number_format

            if value == value.to_integral_value():
                shown = number_format(int(value), 0)
            else:
                shown = number_format(value.quantize(Decimal("0.01")), 2)
            self._numbers[value] = shown
        return shown

    def month(self, day) -> str:
        shown = self._dates.get(day)
        if shown is None:
            from django.utils.formats import date_format

            shown = self._dates[day] = date_format(day, "M Y")
        return shown

    def figure(self, value, day, indicator=None) -> tuple[str, str] | None:
        """The value and its month; a small count of people of `indicator` is hidden from the public."""
        if value is None:
            return None
        shown = opendata.PRIMARY if not self.exact and opendata.hides(indicator, value) else self.number(value)
        return shown, self.month(day) if day else ""


def framework_tree(frameworks, today=None, *, exact: bool = False) -> list[Framework]:
    """Frameworks with `goal_list` → `outcome_list` → `indicator_list` (each indicator decorated with
    its status and ready-formatted cells): five flat queries however large, grouped in Python (cheaper
    than nested prefetches), and no reading history is read. `exact`: the viewer may see small counts
    of people (staff of the owning organisation)."""
    today = today or timezone.localdate()
    display = Display(exact=exact)
    frameworks = list(frameworks)
    ids = [f.pk for f in frameworks]
    goals = list(Goal.objects.filter(framework_id__in=ids).order_by("position", "id"))
    outcomes = list(Outcome.objects.filter(framework_id__in=ids).order_by("position", "id"))
    indicators = list(Indicator.objects.filter(framework_id__in=ids).defer("description").order_by("position", "id"))
    targets: dict[int, list] = {}
    for indicator_id, due, value in (Target.objects.filter(indicator__framework_id__in=ids).order_by("due")
                                     .values_list("indicator_id", "due", "value")):
        targets.setdefault(indicator_id, []).append((due, value))
    by_outcome: dict[int, list] = {}
    for indicator in indicators:
        indicator.target_list = targets.get(indicator.pk, [])
        decorate(indicator, today, display)
        by_outcome.setdefault(indicator.outcome_id, []).append(indicator)
    by_goal: dict[int, list] = {}
    for outcome in outcomes:
        outcome.indicator_list = by_outcome.get(outcome.pk, [])
        by_goal.setdefault(outcome.goal_id, []).append(outcome)
    by_framework: dict[int, list] = {}
    for goal in goals:
        goal.outcome_list = by_goal.get(goal.pk, [])
        by_framework.setdefault(goal.framework_id, []).append(goal)
    for framework in frameworks:
        framework.goal_list = by_framework.get(framework.pk, [])
        counts = dict.fromkeys(Status, 0)
        for indicator in indicators:
            if indicator.framework_id == framework.pk:
                counts[indicator.assessment.status] += 1
        framework.status_counts = [(STATUS_LABELS[s], s.value, n) for s, n in counts.items()]
    return frameworks


def visible_frameworks(user, organisation):
    qs = Framework.objects.filter(organisation=organisation)
    if not user.has_perm("outcomes.change_framework", Framework(organisation=organisation)):
        qs = qs.filter(status=Framework.Status.PUBLISHED)
    return qs.order_by("title")


def initiative_coverage(initiatives):
    """Initiatives with a count per activity kind (`n_commission`...) and `gaps` (kinds with none)."""
    kinds = ActivityKind.values
    rows = list(initiatives.select_related("outcome").annotate(
        **{f"n_{kind}": Count("activities", filter=Q(activities__kind=kind)) for kind in kinds}))
    for row in rows:
        row.cells = [(kind, label, getattr(row, f"n_{kind}")) for kind, label in ActivityKind.choices]
        row.gaps = [label for kind, label, n in row.cells if n == 0]
    return rows


def visible_initiatives(user, organisation):
    qs = Initiative.objects.filter(organisation=organisation)
    if not user.has_perm("outcomes.change_initiative", Initiative(organisation=organisation)):
        qs = qs.filter(outcome__framework__status=Framework.Status.PUBLISHED)
    return qs.order_by("title")


def self_assessment_history(organisation):
    return list(SelfAssessment.objects.filter(organisation=organisation).prefetch_related("scores")
                .order_by("assessed_on", "id"))


def social_value_summary(report: SocialValueReport) -> socialvalue.Summary:
    """Hours from every registered metric of kind "hours" (integer minutes) over the report's period,
    plus hours entered by staff, valued at the report's low and high rates, against its costs."""
    start, end = report.period_start, report.period_end + timedelta(days=1)
    lines = []
    for metric in metrics.of_kind("hours"):
        minutes = metrics.compute(metric.key, report.organisation, start, end)
        lines.append(socialvalue.HoursLine(str(metric.label), int(minutes), metric.key))
    lines += [socialvalue.HoursLine(h.label, h.minutes, "entered") for h in report.extra_hours.all()]
    costs = [socialvalue.CostLine(c.label, c.amount_minor) for c in report.costs.all()]
    return socialvalue.summarise(lines, costs, low_rate_minor=report.low_rate_minor,
                                 high_rate_minor=report.high_rate_minor)
