"""Reading monitoring campaigns: results (the pure engine fed from two queries), charts and the CSV export.

Results count recorded observations only (withdrawn ones stay out). Nobody is named in the results;
the CSV names the volunteer and who entered each row only when `with_identities` (coordinators).
"""

import csv
import io
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.outcomes import charts

from . import monitoring_results as engine
from .monitoring_models import Campaign, Measure, Observation, ObservationValue


def specs(measures: list[Measure]) -> list[engine.MeasureSpec]:
    return [engine.MeasureSpec(m.pk, m.name, m.kind, tuple(m.choices), m.unit) for m in measures]


def engine_value(measure: Measure, value):
    if measure.kind in engine.NUMERIC:
        return Decimal(str(value))
    return value


def observations_for(campaign: Campaign, measures: list[Measure]) -> list[engine.Obs]:
    """The campaign's recorded observations as engine input (two queries)."""
    rows = list(Observation.objects.filter(campaign=campaign, status=Observation.Status.RECORDED)
                .values_list("pk", "observed_at", "location", "volunteer_id", "minutes_spent"))
    by_id = {m.pk: m for m in measures}
    values: dict[int, dict] = {}
    for observation_id, measure_id, value in ObservationValue.objects.filter(
            observation__campaign=campaign, observation__status=Observation.Status.RECORDED).values_list(
            "observation_id", "measure_id", "value"):
        if measure_id in by_id:
            values.setdefault(observation_id, {})[measure_id] = engine_value(by_id[measure_id], value)
    return [engine.Obs(timezone.localdate(when), where, volunteer, minutes, values.get(pk, {}))
            for pk, when, where, volunteer, minutes in rows]


def results(campaign: Campaign) -> dict:
    measures = list(campaign.measures.all())
    spec = specs(measures)
    observations = observations_for(campaign, measures)
    summaries = engine.per_measure(spec, observations)
    days = engine.by_period(spec, observations, "day")
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
    return {
        "measures": summaries,
        "numeric": [m for m in spec if m.kind in engine.NUMERIC],
        "weeks": engine.by_period(spec, observations, "week"),
        "locations": engine.by_location(spec, observations)[:30],
        "observations": len(observations),
        "minutes": sum(o.minutes for o in observations),
        "volunteers": len({o.volunteer for o in observations}),
        "per_volunteer": engine.per_volunteer(observations),
    }


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
    rows = (Observation.objects.filter(campaign=campaign, status=Observation.Status.RECORDED)
            .select_related("volunteer__person", "recorded_by__person").prefetch_related("values")
            .order_by("observed_at", "pk"))
    for o in rows:
        values = {v.measure_id: v.value for v in o.values.all()}
        row = [o.pk, timezone.localtime(o.observed_at).isoformat(timespec="minutes"),
               timezone.localtime(o.entered_at).isoformat(timespec="minutes"), o.location,
               o.latitude if o.latitude is not None else "", o.longitude if o.longitude is not None else "",
               o.minutes_spent, o.channel]
        if with_identities:
            person = o.volunteer.person
            recorder = getattr(o.recorded_by, "person", None) if o.recorded_by_id else None
            row += [person.name if person else "", "yes" if o.on_behalf else "no",
                    recorder.name if recorder else "", o.notes, "yes" if o.credited_at else "no"]
        row += [display_value(m, values.get(m.pk)) for m in measures]
        writer.writerow(row)
    return out.getvalue()
