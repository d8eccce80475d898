"""Every change of state in outcomes goes through a function here.

Each function checks permission (`require`), validates (raising `ValidationError({field: [msg]})`),
runs in one transaction and writes the audit log. A bad input changes nothing; a refusal raises
`PermissionDenied`.

Co-design: services that create or change an indicator or its targets take an optional
`decision_id` – the id of the design-lab decision the change came from. It is stored on the
indicator and written to the audit entry, so the evidence trail runs from the decision to the
measure (no import of the design app: it is only a reference).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core import audit
from coproduce.core.audit import Channel
from coproduce.core.models import Organisation, Person
from coproduce.core.on_behalf import acting_for, check_on_behalf
from coproduce.core.permissions import require
from coproduce.core.validation import full_clean, unique_slug

from . import metrics
from .models import (
    SCORE_MAX,
    SCORE_MIN,
    ActivityKind,
    BadgeAward,
    BadgeClass,
    Framework,
    Goal,
    Indicator,
    Initiative,
    InitiativeActivity,
    InitiativeStep,
    Outcome,
    Reading,
    SelfAssessment,
    SelfAssessmentScore,
    SocialValueCost,
    SocialValueHours,
    SocialValueReport,
    Standard,
    StepKind,
    Target,
)

MAX_VALUE = Decimal("1e13")


def _decimal(value, field_name: str, *, required: bool = True) -> Decimal | None:
    if value is None or value == "":
        if required:
            raise ValidationError({field_name: [_("Enter a number.")]})
        return None
    if isinstance(value, float) or isinstance(value, bool):
        raise ValidationError({field_name: [_("Enter the number as a decimal, not a floating-point value.")]})
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationError({field_name: [_("Enter a number.")]}) from None
    if not number.is_finite() or abs(number) >= MAX_VALUE:
        raise ValidationError({field_name: [_("Enter a finite number of reasonable size.")]})
    if number.as_tuple().exponent < -4:
        raise ValidationError({field_name: [_("Use at most four decimal places.")]})
    return number


def _decision_details(decision_id) -> dict:
    if decision_id is None:
        return {}
    if not isinstance(decision_id, int) or isinstance(decision_id, bool) or decision_id <= 0:
        raise ValidationError({"decision_id": [_("A design decision is referred to by its id (a positive whole number).")]})
    return {"design_decision_id": decision_id}


# --- frameworks, goals, outcomes ----------------------------------------------------------------


@transaction.atomic
def create_framework(actor, organisation: Organisation, *, title: str, description: str = "", slug: str = "",
                     channel=Channel.WEB) -> Framework:
    require(actor, "outcomes.add_framework", organisation)
    if not (title or "").strip():
        raise ValidationError({"title": [_("Please give a title.")]})
    framework = Framework(organisation=organisation, title=title.strip(), description=description,
                          slug=slug or unique_slug(Framework, title))
    full_clean(framework)
    framework.save()
    audit.record(actor, "outcomes.framework.create", framework, organisation=organisation, channel=channel)
    return framework


@transaction.atomic
def update_framework(actor, framework: Framework, *, channel=Channel.WEB, **changes) -> Framework:
    require(actor, "outcomes.change_framework", framework)
    allowed = {"title", "description"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError({name: [_("This field cannot be changed here.")] for name in unknown})
    if "title" in changes and not (changes["title"] or "").strip():
        raise ValidationError({"title": [_("Please give a title.")]})
    before = {name: getattr(framework, name) for name in changes}
    for name, value in changes.items():
        setattr(framework, name, value)
    full_clean(framework)
    framework.save()
    audit.record(actor, "outcomes.framework.update", framework, organisation=framework.organisation,
                 channel=channel, details={"before": before})
    return framework


@transaction.atomic
def set_framework_published(actor, framework: Framework, published: bool, *, channel=Channel.WEB) -> Framework:
    require(actor, "outcomes.publish_framework", framework)
    if published and not framework.indicators.exists():
        raise ValidationError({"status": [_("Add at least one indicator before publishing.")]})
    framework.status = Framework.Status.PUBLISHED if published else Framework.Status.DRAFT
    framework.published_at = timezone.now() if published else None
    framework.save(update_fields=["status", "published_at"])
    audit.record(actor, "outcomes.framework.publish" if published else "outcomes.framework.unpublish", framework,
                 organisation=framework.organisation, channel=channel)
    return framework


@transaction.atomic
def add_goal(actor, framework: Framework, *, title: str, description: str = "", channel=Channel.WEB) -> Goal:
    require(actor, "outcomes.change_framework", framework)
    if not (title or "").strip():
        raise ValidationError({"title": [_("Please give a title.")]})
    position = (framework.goals.aggregate(m=Max("position"))["m"] or 0) + 1
    goal = Goal(framework=framework, title=title.strip(), description=description, position=position)
    full_clean(goal)
    goal.save()
    audit.record(actor, "outcomes.goal.create", goal, organisation=framework.organisation, channel=channel)
    return goal


@transaction.atomic
def add_outcome(actor, goal: Goal, *, title: str, description: str = "", channel=Channel.WEB) -> Outcome:
    framework = goal.framework
    require(actor, "outcomes.change_framework", framework)
    if not (title or "").strip():
        raise ValidationError({"title": [_("Please give a title.")]})
    position = (goal.outcomes.aggregate(m=Max("position"))["m"] or 0) + 1
    outcome = Outcome(goal=goal, framework=framework, title=title.strip(), description=description, position=position)
    full_clean(outcome)
    outcome.save()
    audit.record(actor, "outcomes.outcome.create", outcome, organisation=framework.organisation, channel=channel)
    return outcome


# --- indicators --------------------------------------------------------------------------------

INDICATOR_FIELDS = ("title", "description", "unit", "better", "baseline_value", "baseline_date", "owner",
                    "source", "metric_key", "survey_question_id", "counts_people")


def _validate_indicator(indicator: Indicator, actor=None, *, check_question: bool = False) -> None:
    """Field errors of an indicator. `check_question`: the survey question is new or changed, so it must
    be one the actor may use (`survey_questions_for`): it exists, gives a headline figure, and its
    survey is of an organisation the actor works for or has published results."""
    errors: dict[str, list[str]] = {}
    if not (indicator.title or "").strip():
        errors["title"] = [_("Please give a title.")]
    if not (indicator.unit or "").strip():
        errors["unit"] = [_("Say what is counted or measured, e.g. people or %.")]
    if (indicator.baseline_value is None) != (indicator.baseline_date is None):
        errors["baseline_date" if indicator.baseline_date is None else "baseline_value"] = [
            _("Give both the baseline value and its date, or neither.")]
    if indicator.source == Indicator.Source.METRIC:
        try:
            metrics.get(indicator.metric_key)
        except metrics.UnknownMetric:
            errors["metric_key"] = [_("Choose a registered platform metric.")]
    elif indicator.metric_key:
        errors["metric_key"] = [_("Only indicators fed by a platform metric name one.")]
    if indicator.source == Indicator.Source.SURVEY and not indicator.survey_question_id:
        errors["survey_question_id"] = [_("Say which survey question feeds this indicator.")]
    elif indicator.source == Indicator.Source.SURVEY and check_question:
        allowed = _survey_question_provider(actor).filter(pk=indicator.survey_question_id).exists() \
            if _survey_question_provider is not None else False
        if not allowed:
            errors["survey_question_id"] = [_("Choose a question with a headline figure from a survey of your "
                                              "organisation or one whose results are published.")]
    elif indicator.source != Indicator.Source.SURVEY and indicator.survey_question_id:
        errors["survey_question_id"] = [_("Only indicators fed by a survey name a survey question.")]
    if indicator.owner is not None and indicator.owner.erased_at is not None:
        errors["owner"] = [_("Choose someone whose data has not been erased.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_indicator(actor, outcome: Outcome, *, title: str, unit: str, better: str = Indicator.Better.UP,
                     baseline_value=None, baseline_date: date | None = None, owner: Person | None = None,
                     source: str = Indicator.Source.MANUAL, metric_key: str = "",
                     survey_question_id: int | None = None, counts_people: bool | None = None,
                     description: str = "", decision_id: int | None = None, channel=Channel.WEB) -> Indicator:
    framework = outcome.framework
    require(actor, "outcomes.change_framework", framework)
    details = _decision_details(decision_id)
    if counts_people is None:
        counts_people = source == Indicator.Source.METRIC and metric_key in {m.key for m in metrics.all_metrics()} \
            and metrics.get(metric_key).counts_people
    position = (outcome.indicators.aggregate(m=Max("position"))["m"] or 0) + 1
    indicator = Indicator(
        outcome=outcome, framework=framework, title=(title or "").strip(), unit=(unit or "").strip(), better=better,
        baseline_value=_decimal(baseline_value, "baseline_value", required=False), baseline_date=baseline_date,
        owner=owner, source=source, metric_key=metric_key or "", survey_question_id=survey_question_id,
        counts_people=counts_people, description=description, position=position, design_decision_id=decision_id,
    )
    _validate_indicator(indicator, actor, check_question=True)
    full_clean(indicator)
    indicator.save()
    audit.record(actor, "outcomes.indicator.create", indicator, organisation=framework.organisation,
                 channel=channel, details=details)
    return indicator


@transaction.atomic
def update_indicator(actor, indicator: Indicator, *, decision_id: int | None = None, channel=Channel.WEB,
                     **changes) -> Indicator:
    require(actor, "outcomes.change_framework", indicator)
    details = _decision_details(decision_id)
    unknown = set(changes) - set(INDICATOR_FIELDS)
    if unknown:
        raise ValidationError({name: [_("This field cannot be changed here.")] for name in unknown})
    if "baseline_value" in changes:
        changes["baseline_value"] = _decimal(changes["baseline_value"], "baseline_value", required=False)
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    before = {name: str(getattr(indicator, name)) for name in changes}
    feed = (indicator.source, indicator.survey_question_id)
    for name, value in changes.items():
        setattr(indicator, name, value)
    if decision_id is not None:
        indicator.design_decision_id = decision_id
    _validate_indicator(indicator, actor,
                        check_question=(indicator.source, indicator.survey_question_id) != feed)
    full_clean(indicator)
    indicator.save()
    audit.record(actor, "outcomes.indicator.update", indicator, organisation=indicator.framework.organisation,
                 channel=channel, details={"before": before, **details})
    return indicator


@transaction.atomic
def set_target(actor, indicator: Indicator, *, due: date, value, decision_id: int | None = None,
               channel=Channel.WEB) -> Target:
    """Set (or change) the target for a date."""
    require(actor, "outcomes.change_framework", indicator)
    details = _decision_details(decision_id)
    number = _decimal(value, "value")
    if not isinstance(due, date):
        raise ValidationError({"due": [_("Enter a date.")]})
    if indicator.baseline_date is not None and due <= indicator.baseline_date:
        raise ValidationError({"due": [_("A target must be dated after the baseline.")]})
    target, created = Target.objects.update_or_create(indicator=indicator, due=due, defaults={"value": number})
    if decision_id is not None:
        Indicator.objects.filter(pk=indicator.pk).update(design_decision_id=decision_id)
    audit.record(actor, "outcomes.target.set", indicator, organisation=indicator.framework.organisation,
                 channel=channel, details={"due": due.isoformat(), "value": str(number), "new": created, **details})
    return target


@transaction.atomic
def remove_target(actor, target: Target, *, channel=Channel.WEB) -> None:
    indicator = target.indicator
    require(actor, "outcomes.change_framework", indicator)
    audit.record(actor, "outcomes.target.remove", indicator, organisation=indicator.framework.organisation,
                 channel=channel, details={"due": target.due.isoformat(), "value": str(target.value)})
    target.delete()


# --- readings ----------------------------------------------------------------------------------


def _refresh_summary(indicator: Indicator) -> None:
    """Keep the first/latest reading and the count on the indicator row (dashboards read only that)."""
    readings = Reading.objects.filter(indicator_id=indicator.pk)
    first = readings.order_by("on").values_list("on", "value").first()
    latest = readings.order_by("-on").values_list("on", "value").first()
    count = readings.aggregate(n=Count("id"))["n"]
    indicator.first_reading_date, indicator.first_reading_value = first or (None, None)
    indicator.latest_reading_date, indicator.latest_reading_value = latest or (None, None)
    indicator.reading_count = count
    Indicator.objects.filter(pk=indicator.pk).update(
        first_reading_date=indicator.first_reading_date, first_reading_value=indicator.first_reading_value,
        latest_reading_date=indicator.latest_reading_date, latest_reading_value=indicator.latest_reading_value,
        reading_count=count,
    )


def _check_reading_date(on, field_name: str = "on") -> None:
    if not isinstance(on, date):
        raise ValidationError({field_name: [_("Enter a date.")]})
    if on > timezone.localdate():
        raise ValidationError({field_name: [_("A reading cannot be dated in the future.")]})


@transaction.atomic
def record_reading(actor, indicator: Indicator, *, on: date, value, note: str = "",
                   source: str = Reading.Source.MANUAL, channel=Channel.WEB) -> Reading:
    require(actor, "outcomes.record_reading", indicator)
    number = _decimal(value, "value")
    _check_reading_date(on)
    if len(note or "") > 300:
        raise ValidationError({"note": [_("Keep the note under 300 characters.")]})
    taken = ValidationError({"on": [_("There is already a reading for this date.")]})
    if Reading.objects.filter(indicator=indicator, on=on).exists():
        raise taken
    try:
        with transaction.atomic():  # a savepoint: two submissions at once meet the unique constraint
            reading = Reading.objects.create(indicator=indicator, on=on, value=number, note=note or "", source=source,
                                             recorded_by=actor if actor is not None and actor.pk else None)
    except IntegrityError:
        raise taken from None
    _refresh_summary(indicator)
    audit.record(actor, "outcomes.reading.create", indicator, organisation=indicator.framework.organisation,
                 channel=channel, details={"on": on.isoformat(), "value": str(number)})
    return reading


@transaction.atomic
def delete_reading(actor, reading: Reading, *, channel=Channel.WEB) -> None:
    indicator = reading.indicator
    require(actor, "outcomes.change_framework", indicator)
    audit.record(actor, "outcomes.reading.delete", indicator, organisation=indicator.framework.organisation,
                 channel=channel, details={"on": reading.on.isoformat(), "value": str(reading.value)})
    reading.delete()
    _refresh_summary(indicator)


@dataclass
class CsvImport:
    """What a CSV import found: rows that are good and line-numbered errors (line 1 is the header)."""

    rows: list[tuple[int, date, Decimal, str]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    imported: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


CSV_COLUMNS = ("date", "value", "note")


def parse_readings_csv(text: str, existing_dates=frozenset()) -> CsvImport:
    """Parse `date,value[,note]` rows (ISO dates, decimal point). Nothing is written here."""
    result = CsvImport()
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(reader, None)
    if header is None:
        result.errors.append((1, _("The file is empty.")))
        return result
    names = [h.strip().lower() for h in header]
    if names[:2] != ["date", "value"] or any(n not in CSV_COLUMNS for n in names):
        result.errors.append((1, _("The first line must be the header: date,value (and optionally note).")))
        return result
    seen: dict[date, int] = {}
    today = timezone.localdate()
    for line, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(names):
            result.errors.append((line, _("Too many columns.")))
            continue
        cells = dict(zip(names, (cell.strip() for cell in row)))
        try:
            on = date.fromisoformat(cells.get("date", ""))
        except ValueError:
            result.errors.append((line, _("“%(value)s” is not a date like 2025-03-31.") % {"value": cells.get("date", "")}))
            continue
        try:
            value = _decimal(cells.get("value", ""), "value")
        except ValidationError as exc:
            result.errors.append((line, "; ".join(exc.message_dict["value"])))
            continue
        if on > today:
            result.errors.append((line, _("A reading cannot be dated in the future.")))
        elif on in seen:
            result.errors.append((line, _("The date %(date)s is also on line %(line)s.") % {"date": on, "line": seen[on]}))
        elif on in existing_dates:
            result.errors.append((line, _("There is already a reading for %(date)s.") % {"date": on}))
        else:
            note = cells.get("note", "")
            if len(note) > 300:
                result.errors.append((line, _("Keep the note under 300 characters.")))
                continue
            seen[on] = line
            result.rows.append((line, on, value, note))
    if not result.rows and not result.errors:
        result.errors.append((2, _("The file has no readings.")))
    return result


def import_readings_csv(actor, indicator: Indicator, text: str, *, dry_run: bool = True,
                        channel=Channel.IMPORT) -> CsvImport:
    """Check a CSV of readings (dry run), or import it. Nothing is imported unless every line is good:
    with errors, a real import raises ValidationError({"file": [...]}) and changes nothing."""
    require(actor, "outcomes.record_reading", indicator)
    existing = set(Reading.objects.filter(indicator=indicator).values_list("on", flat=True))
    result = parse_readings_csv(text, existing)
    if dry_run:
        return result
    if not result.ok:
        raise ValidationError({"file": [_("Line %(line)s: %(message)s") % {"line": line, "message": message}
                                        for line, message in result.errors]})
    with transaction.atomic():
        user = actor if actor is not None and actor.pk else None
        Reading.objects.bulk_create([
            Reading(indicator=indicator, on=on, value=value, note=note, source=Reading.Source.CSV, recorded_by=user)
            for _line, on, value, note in result.rows
        ])
        _refresh_summary(indicator)
        audit.record(actor, "outcomes.reading.import", indicator, organisation=indicator.framework.organisation,
                     channel=channel, details={"rows": len(result.rows)})
    result.imported = len(result.rows)
    return result


# Survey hooks, set by the assessment app from its AppConfig.ready() (outcomes does not import it):
#   set_survey_result_provider(fn)    fn(question_id, start, end) -> Decimal | int | None: the question's
#       headline figure for the period (e.g. % agreeing), None when there are too few answers;
#       `refresh_metric_readings` feeds survey-sourced indicators with it, like metric-fed ones.
#   set_survey_question_provider(fn)  fn(actor) -> queryset of the survey questions `actor` may feed to an
#       indicator (each with `.survey`): `create_indicator`/`update_indicator` check the chosen question
#       against it and the indicator form offers it as a list.
_survey_result_provider: Callable | None = None
_survey_question_provider: Callable | None = None


def set_survey_result_provider(provider: Callable | None) -> None:
    global _survey_result_provider
    _survey_result_provider = provider


def set_survey_question_provider(provider: Callable | None) -> None:
    global _survey_question_provider
    _survey_question_provider = provider


def survey_questions_for(actor):
    """The survey questions `actor` may feed to an indicator (empty without the assessment app)."""
    return list(_survey_question_provider(actor)) if _survey_question_provider is not None else []


def month_bounds(month: date) -> tuple[date, date]:
    start = month.replace(day=1)
    end = (start + timedelta(days=32)).replace(day=1)
    return start, end


def refresh_metric_readings(actor=None, *, month: date | None = None, indicators=None,
                            channel=Channel.SYSTEM) -> list[tuple[Indicator, Decimal | int]]:
    """Write one reading per metric-fed (and survey-fed) indicator for a month: the metric computed
    over the month, dated its last day. Defaults to the last complete month. The current month may be
    refreshed too: the figure so far, dated today, which a later run for that month replaces (there is
    one metric reading per indicator and month). `actor=None` is the system (the monthly
    `coproduce outcomes refresh`); a person needs the right to change each framework."""
    today = timezone.localdate()
    if month is None:
        month = today.replace(day=1) - timedelta(days=1)
    start, end = month_bounds(month)
    if start > today:
        raise ValidationError({"month": [_("The month has not begun yet.")]})
    end = min(end, today + timedelta(days=1))
    on = end - timedelta(days=1)
    qs = Indicator.objects.filter(source__in=[Indicator.Source.METRIC, Indicator.Source.SURVEY]).select_related(
        "framework__organisation")
    if indicators is not None:
        qs = qs.filter(pk__in=[i.pk for i in indicators])
    done = []
    for indicator in qs.order_by("id"):
        if actor is not None:
            require(actor, "outcomes.change_framework", indicator)
        if indicator.source == Indicator.Source.METRIC:
            value = metrics.compute(indicator.metric_key, indicator.framework.organisation, start, end)
            source = Reading.Source.METRIC
        else:
            if _survey_result_provider is None:
                continue
            value = _survey_result_provider(indicator.survey_question_id, start, end)
            if value is None:
                continue
            source = Reading.Source.SURVEY
        with transaction.atomic():
            Reading.objects.filter(indicator=indicator, source=source, on__gte=start, on__lt=end).exclude(on=on).delete()
            Reading.objects.update_or_create(
                indicator=indicator, on=on,
                defaults={"value": Decimal(value), "source": source, "note": "",
                          "recorded_by": actor if actor is not None and actor.pk else None},
            )
            _refresh_summary(indicator)
            audit.record(actor, "outcomes.reading.refresh", indicator, organisation=indicator.framework.organisation,
                         channel=channel, details={"month": start.isoformat()[:7], "on": on.isoformat(),
                                                   "value": str(value)})
        done.append((indicator, value))
    return done


# --- initiatives -------------------------------------------------------------------------------


@transaction.atomic
def create_initiative(actor, organisation: Organisation, outcome: Outcome, *, title: str, description: str = "",
                      slug: str = "", channel=Channel.WEB) -> Initiative:
    require(actor, "outcomes.add_initiative", organisation)
    if not actor.has_perm("outcomes.view_framework", outcome.framework):
        raise ValidationError({"outcome": [_("Choose an outcome you can see.")]})
    if not (title or "").strip():
        raise ValidationError({"title": [_("Please give a title.")]})
    initiative = Initiative(organisation=organisation, outcome=outcome, title=title.strip(), description=description,
                            slug=slug or unique_slug(Initiative, title))
    full_clean(initiative)
    initiative.save()
    InitiativeStep.objects.bulk_create([InitiativeStep(initiative=initiative, step=s) for s in StepKind.values])
    audit.record(actor, "outcomes.initiative.create", initiative, organisation=organisation, channel=channel,
                 details={"outcome": outcome.pk})
    return initiative


@transaction.atomic
def link_activity(actor, initiative: Initiative, *, kind: str, app_label: str, object_id: int, title: str,
                  url: str = "", channel=Channel.WEB) -> InitiativeActivity:
    """Link a piece of work in another app (by app label and id) as one of the four activities."""
    require(actor, "outcomes.change_initiative", initiative)
    errors = {}
    if kind not in ActivityKind.values:
        errors["kind"] = [_("Choose commission, design, deliver or assess.")]
    if not (app_label or "").strip() or not app_label.replace("_", "").isalnum():
        errors["app_label"] = [_("Name the app, e.g. budgeting, design, timebank, assessment.")]
    if not isinstance(object_id, int) or isinstance(object_id, bool) or object_id <= 0:
        errors["object_id"] = [_("Give the id of the item in that app.")]
    if not (title or "").strip():
        errors["title"] = [_("Please give a title.")]
    if url and not (url.startswith("/") or url.startswith("https://") or url.startswith("http://")):
        errors["url"] = [_("Give a link starting with / or https://.")]
    if not errors and initiative.activities.filter(app_label=app_label, object_id=object_id).exists():
        errors["object_id"] = [_("This item is already linked.")]
    if errors:
        raise ValidationError(errors)
    activity = InitiativeActivity(initiative=initiative, kind=kind, app_label=app_label.strip(), object_id=object_id,
                                  title=title.strip(), url=url)
    full_clean(activity)
    activity.save()
    audit.record(actor, "outcomes.activity.link", initiative, organisation=initiative.organisation, channel=channel,
                 details={"kind": kind, "ref": f"{app_label}:{object_id}"})
    return activity


@transaction.atomic
def unlink_activity(actor, activity: InitiativeActivity, *, channel=Channel.WEB) -> None:
    initiative = activity.initiative
    require(actor, "outcomes.change_initiative", initiative)
    audit.record(actor, "outcomes.activity.unlink", initiative, organisation=initiative.organisation,
                 channel=channel, details={"kind": activity.kind, "ref": f"{activity.app_label}:{activity.object_id}"})
    activity.delete()


@transaction.atomic
def update_step(actor, initiative: Initiative, step: str, *, notes: str = "", started_on: date | None = None,
                completed_on: date | None = None, channel=Channel.WEB) -> InitiativeStep:
    require(actor, "outcomes.change_initiative", initiative)
    if step not in StepKind.values:
        raise ValidationError({"step": [_("Unknown step.")]})
    if completed_on is not None and started_on is None:
        raise ValidationError({"started_on": [_("Give the start date too.")]})
    if completed_on is not None and started_on is not None and completed_on < started_on:
        raise ValidationError({"completed_on": [_("A step cannot be completed before it started.")]})
    row = InitiativeStep.objects.select_for_update().get(initiative=initiative, step=step)
    row.notes, row.started_on, row.completed_on = notes or "", started_on, completed_on
    row.save()
    audit.record(actor, "outcomes.step.update", initiative, organisation=initiative.organisation, channel=channel,
                 details={"step": step})
    return row


# --- involvement self-assessment ---------------------------------------------------------------


@transaction.atomic
def record_self_assessment(actor, organisation: Organisation, *, assessed_on: date, scores: dict,
                           notes: str = "", channel=Channel.WEB) -> SelfAssessment:
    """`scores`: {standard: (score 1–4, evidence)} for all five standards."""
    require(actor, "outcomes.manage_self_assessment", organisation)
    errors: dict[str, list[str]] = {}
    if not isinstance(assessed_on, date) or assessed_on > timezone.localdate():
        errors["assessed_on"] = [_("Enter a date that is not in the future.")]
    for standard in Standard.values:
        entry = scores.get(standard)
        score = entry[0] if entry else None
        if not isinstance(score, int) or isinstance(score, bool) or not SCORE_MIN <= score <= SCORE_MAX:
            errors[f"{standard}_score"] = [_("Give a score from %(low)s to %(high)s.") % {"low": SCORE_MIN,
                                                                                         "high": SCORE_MAX}]
    for name in set(scores) - set(Standard.values):
        errors[name] = [_("Unknown standard.")]
    if errors:
        raise ValidationError(errors)
    assessment = SelfAssessment.objects.create(organisation=organisation, assessed_on=assessed_on, notes=notes or "",
                                               created_by=actor if actor and actor.pk else None)
    SelfAssessmentScore.objects.bulk_create([
        SelfAssessmentScore(assessment=assessment, standard=s, score=scores[s][0], evidence=scores[s][1] or "")
        for s in Standard.values
    ])
    audit.record(actor, "outcomes.self_assessment.create", assessment, organisation=organisation, channel=channel,
                 details={s: scores[s][0] for s in Standard.values})
    return assessment


# --- social value ------------------------------------------------------------------------------


def _minor(value, field_name: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValidationError({field_name: [_("Enter a whole amount in minor units (e.g. pence), 0 or more.")]})
    return value


@transaction.atomic
def create_social_value_report(actor, organisation: Organisation, *, title: str, period_start: date,
                               period_end: date, low_rate_minor: int, high_rate_minor: int, currency: str = "GBP",
                               rate_basis: str = "", notes: str = "", channel=Channel.WEB) -> SocialValueReport:
    require(actor, "outcomes.manage_social_value", organisation)
    errors: dict[str, list[str]] = {}
    if not (title or "").strip():
        errors["title"] = [_("Please give a title.")]
    if period_end < period_start:
        errors["period_end"] = [_("The period cannot end before it starts.")]
    try:
        _minor(low_rate_minor, "low_rate_minor")
        _minor(high_rate_minor, "high_rate_minor")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    else:
        if high_rate_minor < low_rate_minor:
            errors["high_rate_minor"] = [_("The high value must be at least the low value.")]
    if len(currency or "") != 3 or not currency.isalpha():
        errors["currency"] = [_("Use a three-letter currency code, e.g. GBP or EUR.")]
    if errors:
        raise ValidationError(errors)
    report = SocialValueReport(
        organisation=organisation, title=title.strip(), period_start=period_start, period_end=period_end,
        low_rate_minor=low_rate_minor, high_rate_minor=high_rate_minor, currency=currency.upper(),
        rate_basis=rate_basis, notes=notes, created_by=actor if actor and actor.pk else None,
    )
    full_clean(report)
    report.save()
    audit.record(actor, "outcomes.social_value.create", report, organisation=organisation, channel=channel)
    return report


@transaction.atomic
def add_cost(actor, report: SocialValueReport, *, label: str, amount_minor: int, note: str = "",
             channel=Channel.WEB) -> SocialValueCost:
    require(actor, "outcomes.manage_social_value", report.organisation)
    if not (label or "").strip():
        raise ValidationError({"label": [_("Say what the cost is for.")]})
    cost = SocialValueCost(report=report, label=label.strip(), amount_minor=_minor(amount_minor, "amount_minor"),
                           note=note or "")
    full_clean(cost)
    cost.save()
    audit.record(actor, "outcomes.social_value.add_cost", report, organisation=report.organisation, channel=channel,
                 details={"label": cost.label, "amount_minor": amount_minor})
    return cost


@transaction.atomic
def add_hours(actor, report: SocialValueReport, *, label: str, minutes: int, note: str = "",
              channel=Channel.WEB) -> SocialValueHours:
    require(actor, "outcomes.manage_social_value", report.organisation)
    if not (label or "").strip():
        raise ValidationError({"label": [_("Say whose or what time this is.")]})
    if not isinstance(minutes, int) or isinstance(minutes, bool) or minutes <= 0:
        raise ValidationError({"minutes": [_("Enter a whole number of minutes above 0.")]})
    row = SocialValueHours(report=report, label=label.strip(), minutes=minutes, note=note or "")
    full_clean(row)
    row.save()
    audit.record(actor, "outcomes.social_value.add_hours", report, organisation=report.organisation, channel=channel,
                 details={"label": row.label, "minutes": minutes})
    return row


@transaction.atomic
def remove_line(actor, line: SocialValueCost | SocialValueHours, *, channel=Channel.WEB) -> None:
    report = line.report
    require(actor, "outcomes.manage_social_value", report.organisation)
    audit.record(actor, "outcomes.social_value.remove_line", report, organisation=report.organisation,
                 channel=channel, details={"label": line.label, "kind": line._meta.model_name})
    line.delete()


# --- recognition -------------------------------------------------------------------------------


@transaction.atomic
def create_badge_class(actor, organisation: Organisation, *, name: str, description: str, criteria: str,
                       slug: str = "", channel=Channel.WEB) -> BadgeClass:
    require(actor, "outcomes.manage_badges", organisation)
    errors = {}
    for name_, value in (("name", name), ("description", description), ("criteria", criteria)):
        if not (value or "").strip():
            errors[name_] = [_("This field is required.")]
    if errors:
        raise ValidationError(errors)
    badge = BadgeClass(organisation=organisation, name=name.strip(), description=description.strip(),
                       criteria=criteria.strip(), slug=slug or unique_slug(BadgeClass, f"{organisation.slug} {name}"))
    full_clean(badge)
    badge.save()
    audit.record(actor, "outcomes.badge.create", badge, organisation=organisation, channel=channel)
    return badge


@transaction.atomic
def award_badge(actor, badge: BadgeClass, person: Person, *, evidence: str = "",
                channel=Channel.WEB) -> BadgeAward:
    """Award a badge. An award is never public when it is made: only the person (or staff, for an
    assisted member who agreed in person, by phone or on paper) shows it, with `set_award_consent`."""
    require(actor, "outcomes.manage_badges", badge.organisation)
    if not badge.is_active:
        raise ValidationError({"badge": [_("This badge can no longer be awarded.")]})
    if person.erased_at is not None or not actor.has_perm("core.view_person", person):
        raise ValidationError({"person": [_("Choose someone from your organisation.")]})
    if BadgeAward.objects.filter(badge=badge, person=person, revoked_at__isnull=True).exists():
        raise ValidationError({"person": [_("This person already holds this badge.")]})
    award = BadgeAward.objects.create(badge=badge, person=person, evidence=evidence or "",
                                      issued_by=actor if actor.pk else None, show_on_profile=False)
    audit.record(actor, "outcomes.badge.award", award, organisation=badge.organisation, channel=channel,
                 details={"badge": badge.slug, "person": person.pk})
    return award


@transaction.atomic
def set_award_consent(actor, award: BadgeAward, show_on_profile: bool, *, consent: bool | None = None,
                      channel=Channel.WEB) -> BadgeAward:
    """Show or hide an award on the holder's public profile.

    Showing it is the holder's own choice. Staff may show it for an assisted member (no login) only
    with their recorded agreement and the channel it came through (`core.on_behalf`); nobody shows
    it for a person who has a login. Hiding it is always allowed to those who may change it."""
    require(actor, "outcomes.change_award_consent", award)
    show = bool(show_on_profile)
    errors: dict[str, list[str]] = {}
    on_behalf = acting_for(actor, award.person)
    if show and on_behalf is not None:
        if not award.person.is_assisted or award.person.user_id is not None:
            errors["show_on_profile"] = [_("Only the person can choose to show their badge on their profile.")]
        else:
            check_on_behalf(actor, award.person, errors, channel=channel, consent=consent)
    if errors:
        raise ValidationError(errors)
    award.show_on_profile = show
    award.consent_changed_at = timezone.now()
    award.save(update_fields=["show_on_profile", "consent_changed_at"])
    audit.record(actor, "outcomes.badge.consent", award, organisation=award.badge.organisation,
                 on_behalf_of=on_behalf, channel=channel,
                 details={"show_on_profile": award.show_on_profile, **({"consent": True} if show and on_behalf else {})})
    return award


@transaction.atomic
def revoke_award(actor, award: BadgeAward, *, channel=Channel.WEB) -> BadgeAward:
    require(actor, "outcomes.revoke_award", award)
    if award.revoked_at is not None:
        raise ValidationError({"award": [_("This award has already been revoked.")]})
    award.revoked_at = timezone.now()
    award.show_on_profile = False
    award.save(update_fields=["revoked_at", "show_on_profile"])
    audit.record(actor, "outcomes.badge.revoke", award, organisation=award.badge.organisation, channel=channel)
    return award


# --- personal data -----------------------------------------------------------------------------


def export_personal_data(person: Person) -> dict:
    return {
        "badges": [
            {"badge": a.badge.name, "issuer": a.badge.organisation.name, "issued_at": a.issued_at.isoformat(),
             "evidence": a.evidence, "shown_on_profile": a.show_on_profile,
             "revoked_at": a.revoked_at.isoformat() if a.revoked_at else None}
            for a in person.badge_awards.select_related("badge__organisation")
        ],
        "indicators_owned": list(person.owned_indicators.values_list("title", flat=True)),
    }


def erase_personal_data(person: Person) -> None:
    """Awards stay (their counts are aggregate facts) but no longer show or say anything personal."""
    person.badge_awards.update(show_on_profile=False, evidence="")
    person.owned_indicators.update(owner=None)


def staff_check(actor, organisation) -> None:
    """For views that only read: staff of the organisation or a platform administrator."""
    if actor is None or not (actor.has_perm("outcomes.manage_social_value", organisation)):
        raise PermissionDenied("outcomes.staff")
