"""Reading monitoring campaigns: results (totals worked out by the database, `monitoring_totals`, turned
into figures by the pure engine; `engine_figures` runs the engine over every observation instead, the
reference the totals are tested against), charts and the CSV export.

Results count recorded observations only (withdrawn ones stay out). Nobody is named in the results;
the CSV names the volunteer and who entered each row only when `with_identities` (coordinators).
"""

import copy
import csv
import hashlib
import io
from decimal import Decimal

from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core.memory import collector_paused, computed_once, json_values
from coproduce.outcomes import charts

from . import monitoring_results as engine
from . import monitoring_totals
from .monitoring_models import Campaign, Measure, Observation, ObservationValue


def specs(measures: list[Measure]) -> list[engine.MeasureSpec]:
    return [engine.MeasureSpec(m.pk, m.name, m.kind, tuple(m.choices), m.unit) for m in measures]


def value_columns(campaign: Campaign, measures: list[Measure]) -> dict[int, dict[int, object]]:
    """{observation id: {measure id: stored value}} for the recorded observations, in one query."""
    wanted = {m.pk for m in measures}
    values: dict[int, dict[int, object]] = {}
    for observation_id, measure_id, value in json_values(ObservationValue.objects.filter(
            observation__campaign=campaign, observation__status=Observation.Status.RECORDED),
            "observation_id", "measure_id"):
        if measure_id in wanted:
            row = values.get(observation_id)
            if row is None:
                row = values[observation_id] = {}
            row[measure_id] = value
    return values


def observations_for(campaign: Campaign, measures: list[Measure]) -> list[engine.Obs]:
    """The campaign's recorded observations as engine input (two queries)."""
    rows = list(Observation.objects.filter(campaign=campaign, status=Observation.Status.RECORDED)
                .annotate(day=TruncDate("observed_at"))  # the local date, worked out by the database
                .values_list("pk", "day", "location", "volunteer_id", "minutes_spent"))
    numeric = {m.pk for m in measures if m.kind in engine.NUMERIC}
    values = value_columns(campaign, measures)
    for row in values.values():
        for measure_id in numeric & row.keys():
            row[measure_id] = Decimal(str(row[measure_id]))
    return [engine.Obs(day, where, volunteer, minutes, values.get(pk, {}))
            for pk, day, where, volunteer, minutes in rows]


def aggregates(campaign: Campaign, measures: list[Measure]) -> dict:
    """The engine's figures for the recorded observations, computed once per change: cached under the
    campaign's `results_version` (raised by every recorded, corrected, withdrawn or erased observation,
    read before the observations) and the measures as they are now."""
    version, created = Campaign.objects.filter(pk=campaign.pk).values_list("results_version", "created_at").get()
    spec = specs(measures)
    key = f"campaign-results:{campaign.pk}:{created.timestamp()}:{version}:{timezone.get_current_timezone_name()}:" + \
        hashlib.sha256(repr(spec).encode()).hexdigest()[:16]
    return computed_once(key, lambda: monitoring_totals.figures(campaign, spec))


def engine_figures(spec, observations) -> dict:
    """The figures of the pure engine over the given observations (see `observations_for`)."""
    return {
        "measures": engine.per_measure(spec, observations),
        "days": engine.by_period(spec, observations, "day"),
        "numeric": [m for m in spec if m.kind in engine.NUMERIC],
        "weeks": engine.by_period(spec, observations, "week"),
        "locations": engine.by_location(spec, observations)[:30],
        "observations": len(observations),
        "minutes": sum(o.minutes for o in observations),
        "volunteers": len({o.volunteer for o in observations}),
        "per_volunteer": engine.per_volunteer(observations),
    }


def results(campaign: Campaign) -> dict:
    """The aggregates with the labels and charts of the reader's language."""
    figures = dict(aggregates(campaign, list(campaign.measures.all())))
    days = figures.pop("days")
    summaries = copy.deepcopy(figures["measures"])
    for summary in summaries:
        if "options" in summary:
            for option in summary["options"]:
                if summary["kind"] == Measure.Kind.YES_NO:
                    option["label"] = _("Yes") if option["label"] == "yes" else _("No")
            summary["chart"] = charts.hbar_chart([o["label"] for o in summary["options"]],
                                                 [o["share"] for o in summary["options"]])
        elif summary["kind"] in engine.NUMERIC and summary["count"]:
            points = [(row["key"], row["means"][summary["id"]]) for row in days
                      if row["means"].get(summary["id"]) is not None]
            summary["chart"] = charts.line_chart([charts.Series(_("Daily mean"), points)])
    return {**figures, "measures": summaries}


def display_value(measure: Measure, value) -> str:
    if value is None:
        return ""
    if measure.kind == Measure.Kind.CHOICE:
        return measure.choices[value] if isinstance(value, int) and 0 <= value < len(measure.choices) else ""
    if measure.kind == Measure.Kind.YES_NO:
        return "yes" if value else "no"
    return str(value)


def export_csv(campaign: Campaign, *, with_identities: bool) -> str:
    """One row per recorded observation, a column per measure. Without identities: no volunteer, no
    recorder, no free text (notes and text measures may name people), and the place kept as written."""
    measures = list(campaign.measures.all())
    if not with_identities:
        measures = [m for m in measures if m.kind != Measure.Kind.TEXT]
    header = ["observation", "observed_at", "entered_at", "location", "latitude", "longitude", "minutes_spent",
              "channel"]
    if with_identities:
        header += ["volunteer", "on_behalf", "recorded_by", "notes", "credited"]
    header += [f"{m.name} ({m.unit})" if m.unit else m.name for m in measures]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    fields = ["pk", "observed_at", "entered_at", "location", "latitude", "longitude", "minutes_spent", "channel"]
    if with_identities:
        fields += ["volunteer__person__name", "on_behalf", "recorded_by__person__name", "notes", "credited_at"]
    with collector_paused():
        values = value_columns(campaign, measures)
    zone = timezone.get_current_timezone()
    with_measures = [(m, m.pk) for m in measures]
    for row in (Observation.objects.filter(campaign=campaign, status=Observation.Status.RECORDED)
                .order_by("observed_at", "pk").values_list(*fields)):
        pk, observed_at, entered_at, location, latitude, longitude, minutes, channel = row[:8]
        cells = [pk, observed_at.astimezone(zone).isoformat(timespec="minutes"),
                 entered_at.astimezone(zone).isoformat(timespec="minutes"), location,
                 latitude if latitude is not None else "", longitude if longitude is not None else "", minutes, channel]
        if with_identities:
            volunteer, on_behalf, recorder, notes, credited_at = row[8:]
            cells += [volunteer or "", "yes" if on_behalf else "no", recorder or "", notes,
                      "yes" if credited_at else "no"]
        mine = values.get(pk, {})
        cells += [display_value(m, mine.get(pk_m)) for m, pk_m in with_measures]
        writer.writerow(cells)
    return out.getvalue()
