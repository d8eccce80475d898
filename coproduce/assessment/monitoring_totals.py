"""A campaign's aggregates worked out by the database (GROUP BY), fed to `monitoring_results`'
`*_from_totals` / `*_from_counts` functions: equal to the pure engine run over every observation, without
reading them.

Per measure, the database counts how often each value was recorded (readings repeat, so a few hundred
rows stand for tens of thousands of values) and the engine works out sums, extremes and the median from
those counts. Per day and per place, numbers are summed there as exact decimals: PostgreSQL casts the
stored JSON text to numeric; SQLite has no decimal type, so the connection gets a small Python
aggregate (`coproduce_dsum`) doing the same. Seven queries whatever the number of observations
(observations per day, per place as written and per volunteer; numbers per day and per place; values
per measure; non-blank texts), and one more for two spellings of a place last written at the same moment.
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


class _Written(Func):
    """A function each database writes its own way: `postgresql` and `sqlite` hold its template or name."""

    output_field = TextField()
    postgresql: dict = {}
    sqlite: dict = {}

    def as_postgresql(self, compiler, conn, **extra):
        return self.as_sql(compiler, conn, **self.postgresql, **extra)

    def as_sqlite(self, compiler, conn, **extra):
        return self.as_sql(compiler, conn, **self.sqlite, **extra)


class JsonText(_Written):
    """A stored JSON scalar as text (NULL for JSON null)."""

    postgresql = {"template": "(%(expressions)s #>> '{}')"}
    sqlite = {"template": "CAST(json_extract(%(expressions)s, '$') AS TEXT)"}


class Stripped(_Written):
    """Text without the whitespace str.strip() removes at either end."""

    postgresql, sqlite = {"function": "btrim"}, {"function": "trim"}

    def __init__(self, expression):
        super().__init__(expression, Value(WHITESPACE))


class DecimalSum(Aggregate):
    """The exact sum of the stored numbers (text or Decimal: read with `_decimal`)."""

    output_field = TextField()

    def __init__(self, expression="value"):
        super().__init__(JsonText(expression))

    def as_postgresql(self, compiler, conn, **extra):
        return self.as_sql(compiler, conn, template="SUM(CAST(%(expressions)s AS numeric))", **extra)

    def as_sqlite(self, compiler, conn, **extra):
        return self.as_sql(compiler, conn, function="coproduce_dsum", template="%(function)s(%(expressions)s)",
                           **extra)


class _Sum:
    def __init__(self):
        self.total = None

    def step(self, value):
        if value is not None:
            self.total = (self.total or Decimal(0)) + Decimal(str(value))

    def finalize(self):
        return None if self.total is None else str(self.total)


SQLITE_AGGREGATES = {"coproduce_dsum": _Sum}


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
    per_value = defaultdict(list)  # numbers, choices and yes/no: how often each value was recorded
    for row in values.filter(measure_id__in=[i for i, kind in kinds.items() if kind != "text"]) \
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
            measures.append(engine.numeric_from_counts(m, per_value[m.id]))
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
