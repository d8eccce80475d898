"""A campaign's aggregates worked out by the database (GROUP BY), fed to `monitoring_results`'
`*_from_totals` functions: equal to the pure engine run over every observation, without reading them.

Numbers are summed as exact decimals: PostgreSQL casts the stored JSON text to numeric and finds the two
middle values with percentile_disc (the median needs them, not an interpolated float); SQLite has no
decimal type, so the connection gets small Python aggregates (`coproduce_dsum`, …) doing the same.
Eight queries whatever the number of observations (observations per day, per place as written and per
volunteer; numbers per measure, per day and per place; choices per value; non-blank texts), and one
more for two spellings of a place last written at the same moment.
"""

from collections import defaultdict
from decimal import Decimal

from django.db import connection
from django.db.models import Aggregate, Count, F, Func, IntegerField, Max, Sum, TextField, Value
from django.db.models.functions import Length, TruncDate

from . import monitoring_results as engine
from .monitoring_models import Observation, ObservationValue

# What Python's str.strip() strips (every character whose str.isspace() is true).
WHITESPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
              "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")


class JsonText(Func):
    """A stored JSON scalar as text (NULL for JSON null)."""

    output_field = TextField()

    def as_postgresql(self, compiler, conn, **extra):
        return self.as_sql(compiler, conn, template="(%(expressions)s #>> '{}')", **extra)

    def as_sqlite(self, compiler, conn, **extra):
        return self.as_sql(compiler, conn, template="CAST(json_extract(%(expressions)s, '$') AS TEXT)", **extra)


class Stripped(Func):
    """Text without the whitespace str.strip() removes at either end."""

    output_field = TextField()

    def __init__(self, expression):
        super().__init__(expression, Value(WHITESPACE))

    def as_postgresql(self, compiler, conn, **extra):
        return self.as_sql(compiler, conn, function="btrim", **extra)

    def as_sqlite(self, compiler, conn, **extra):
        return self.as_sql(compiler, conn, function="trim", **extra)


class _DecimalAggregate(Aggregate):
    """An aggregate of the stored numbers as exact decimals (returned as text or Decimal: read with
    `_decimal`). `pg` is the PostgreSQL template over the numeric value, `sqlite` the registered function."""

    output_field = TextField()
    pg = ""
    sqlite = ""

    def __init__(self, expression="value"):
        super().__init__(JsonText(expression))

    def as_postgresql(self, compiler, conn, **extra):
        return self.as_sql(compiler, conn, template=self.pg.format(v="CAST(%(expressions)s AS numeric)"), **extra)

    def as_sqlite(self, compiler, conn, **extra):
        return self.as_sql(compiler, conn, function=self.sqlite, template="%(function)s(%(expressions)s)", **extra)


class DecimalSum(_DecimalAggregate):
    pg, sqlite = "SUM({v})", "coproduce_dsum"


class DecimalMin(_DecimalAggregate):
    pg, sqlite = "MIN({v})", "coproduce_dmin"


class DecimalMax(_DecimalAggregate):
    pg, sqlite = "MAX({v})", "coproduce_dmax"


class LowerMiddle(_DecimalAggregate):
    """The ⌈n/2⌉-th smallest value (the median when n is odd)."""
    pg, sqlite = "percentile_disc(0.5) WITHIN GROUP (ORDER BY {v})", "coproduce_dlower"


class UpperMiddle(_DecimalAggregate):
    """The ⌊n/2⌋+1-th smallest value (the ⌈n/2⌉-th largest)."""
    pg, sqlite = "percentile_disc(0.5) WITHIN GROUP (ORDER BY {v} DESC)", "coproduce_dupper"


class _Collect:
    def __init__(self):
        self.numbers = []

    def step(self, value):
        if value is not None:
            self.numbers.append(Decimal(str(value)))


class _Sum(_Collect):
    def finalize(self):
        return str(sum(self.numbers, Decimal(0))) if self.numbers else None


class _Min(_Collect):
    def finalize(self):
        return str(min(self.numbers)) if self.numbers else None


class _Max(_Collect):
    def finalize(self):
        return str(max(self.numbers)) if self.numbers else None


class _Lower(_Collect):
    def finalize(self):
        return str(sorted(self.numbers)[(len(self.numbers) - 1) // 2]) if self.numbers else None


class _Upper(_Collect):
    def finalize(self):
        return str(sorted(self.numbers)[len(self.numbers) // 2]) if self.numbers else None


SQLITE_AGGREGATES = {"coproduce_dsum": _Sum, "coproduce_dmin": _Min, "coproduce_dmax": _Max,
                     "coproduce_dlower": _Lower, "coproduce_dupper": _Upper}


def _with_sqlite_aggregates() -> None:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        for name, implementation in SQLITE_AGGREGATES.items():
            connection.connection.create_aggregate(name, 1, implementation)


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _totals(rows, key: str, values) -> dict:
    """{group: Totals} from observation rows (key, n, minutes) and value rows (key, measure, n, total)."""
    groups = {row[key]: engine.Totals(row["n"], row["minutes"]) for row in rows}
    for row in values:
        if row["n"]:
            groups[row[key]].counts[row["measure_id"]] = row["n"]
            groups[row[key]].sums[row["measure_id"]] = _decimal(row["total"])
    return groups


def _latest_first(recorded, places: list[dict]) -> list[str]:
    """The places as written, the one with the latest observation first (as the engine reads them:
    newest first, the higher id first at the same moment)."""
    tied = defaultdict(list)  # (place, moment) -> its spellings whose latest observation is then
    for row in sorted(places, key=lambda row: row["latest"], reverse=True):
        tied[(engine.place_names(row["location"])[0], row["latest"])].append(row["location"])
    result = []
    for (_place, moment), locations in tied.items():
        if len(locations) > 1:  # two spellings of one place last written at the same moment
            newest = list(recorded.filter(location__in=locations, observed_at=moment).order_by("-pk")
                          .values_list("location", flat=True))
            locations = sorted(locations, key=newest.index)
        result += locations
    return result


def figures(campaign, spec: list[engine.MeasureSpec]) -> dict:
    """The same figures as `monitoring_data.engine_figures` over every recorded observation."""
    _with_sqlite_aggregates()
    recorded = Observation.objects.filter(campaign=campaign, status=Observation.Status.RECORDED).order_by()
    counted = {"n": Count("pk"), "minutes": Sum("minutes_spent", output_field=IntegerField())}
    days = list(recorded.annotate(day=TruncDate("observed_at")).values("day").annotate(**counted))
    places = list(recorded.values("location").annotate(**counted, latest=Max("observed_at")))
    volunteers = list(recorded.values("volunteer_id").annotate(**counted))

    values = ObservationValue.objects.filter(observation__campaign=campaign,
                                             observation__status=Observation.Status.RECORDED).order_by()
    kinds = {m.id: m.kind for m in spec}
    numeric = values.filter(measure_id__in=[i for i, kind in kinds.items() if kind in engine.NUMERIC])
    summed = {"n": Count(JsonText("value")), "total": DecimalSum()}
    day_values = numeric.annotate(day=TruncDate("observation__observed_at")).values("day", "measure_id")
    place_values = numeric.annotate(location=F("observation__location")).values("location", "measure_id")
    per_numeric = {row["measure_id"]: row for row in numeric.values("measure_id").annotate(
        **summed, low=DecimalMin(), high=DecimalMax(), lower=LowerMiddle(), upper=UpperMiddle())}
    per_value = defaultdict(list)
    for row in values.filter(measure_id__in=[i for i, kind in kinds.items() if kind in engine.CATEGORICAL]) \
            .values("measure_id", "value").annotate(n=Count("pk")):
        per_value[row["measure_id"]].append((row["value"], row["n"]))
    texts = dict(values.filter(measure_id__in=[i for i, kind in kinds.items() if kind == "text"])
                 .annotate(length=Length(Stripped(JsonText("value")))).filter(length__gt=0)
                 .values("measure_id").annotate(n=Count("pk")).values_list("measure_id", "n"))

    by_day = _totals(days, "day", day_values.annotate(**summed))
    by_place = _totals(places, "location", place_values.annotate(**summed))
    measures = []
    for m in spec:
        if m.kind in engine.NUMERIC:
            row = per_numeric.get(m.id, {})
            measures.append(engine.numeric_from_totals(
                m, row.get("n", 0), _decimal(row.get("total")), _decimal(row.get("low")), _decimal(row.get("high")),
                _decimal(row.get("lower")), _decimal(row.get("upper"))))
        elif m.kind in engine.CATEGORICAL:
            measures.append(engine.categorical_from_counts(m, per_value[m.id]))
        else:
            measures.append({**engine.summarise(m, []), "count": texts.get(m.id, 0)})
    return {
        "measures": measures,
        "days": engine.days_from_totals(spec, by_day, "day"),
        "numeric": [m for m in spec if m.kind in engine.NUMERIC],
        "weeks": engine.days_from_totals(spec, by_day, "week"),
        "locations": engine.places_from_totals(spec, [(where, by_place[where])
                                                      for where in _latest_first(recorded, places)])[:30],
        "observations": sum(row["n"] for row in days),
        "minutes": sum(row["minutes"] for row in days),
        "volunteers": len(volunteers),
        "per_volunteer": engine.volunteers_from_totals([
            {"volunteer": row["volunteer_id"], "observations": row["n"], "minutes": row["minutes"]}
            for row in volunteers]),
    }
