"""Aggregates of a monitoring campaign's observations. Pure: plain data in, plain data out, no Django.

Input: measures as `MeasureSpec` and observations as `Obs` (values keyed by measure id, already
validated: numbers and counts as Decimal, choices as an option index, yes/no as bool, text as str).
Output, deterministic:

- `per_measure`: for a number or count, the count of values, mean, median, min and max (Decimal,
  mean rounded half-up to 2 places); for a choice or yes/no, the count and the share of each option in
  per cent (1 place); for text, the count of answers.
- `by_period`: observations and the mean of each numeric measure per day or per ISO week (Monday).
- `by_location`: the same per location (trimmed, case-insensitive; shown as first written).
- `per_volunteer`: observations and minutes per volunteer key.

The same figures from totals a database worked out (`*_from_totals`, `*_from_counts`: how often each
value was recorded per measure; observations, minutes, counts and sums per day and per place as
written), so that a campaign's page need not read every observation; both ways give equal results.
"""

from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

NUMERIC = ("number", "count")
CATEGORICAL = ("choice", "yes_no")
TWO_PLACES = Decimal("0.01")
ONE_PLACE = Decimal("0.1")


@dataclass(frozen=True)
class MeasureSpec:
    id: int
    name: str
    kind: str
    choices: tuple[str, ...] = ()
    unit: str = ""


@dataclass
class Obs:
    day: date
    location: str
    volunteer: object
    minutes: int
    values: dict = field(default_factory=dict)


def _round(value: Decimal, places: Decimal = TWO_PLACES) -> Decimal:
    return value.quantize(places, rounding=ROUND_HALF_UP)


def mean_of(total: Decimal, count: int) -> Decimal | None:
    return _round(total / count) if count else None


def mean(numbers: list[Decimal]) -> Decimal | None:
    return mean_of(sum(numbers, Decimal(0)), len(numbers))


def median_of(count: int, lower: Decimal | None, upper: Decimal | None) -> Decimal | None:
    """The median of `count` numbers from the two in the middle (lower and upper: the same one when the
    count is odd)."""
    if not count:
        return None
    return lower if count % 2 else _round((lower + upper) / 2)


def median(numbers: list[Decimal]) -> Decimal | None:
    ordered = sorted(numbers)
    n = len(ordered)
    return median_of(n, ordered[(n - 1) // 2], ordered[n // 2]) if n else None


def _labels(measure: MeasureSpec) -> list[str]:
    if measure.kind == "yes_no":
        return ["yes", "no"]
    return list(measure.choices)


def _index(measure: MeasureSpec, value) -> int | None:
    if measure.kind == "yes_no":
        return 0 if value is True else 1 if value is False else None
    return value if isinstance(value, int) and 0 <= value < len(measure.choices) else None


def _head(measure: MeasureSpec) -> dict:
    return {"id": measure.id, "name": measure.name, "kind": measure.kind, "unit": measure.unit, "count": 0}


def numeric_from_totals(measure: MeasureSpec, count: int, total, low, high, lower, upper) -> dict:
    """A number's summary from how many values, their sum, the smallest, the largest and the two middle
    ones (see `median_of`)."""
    return {**_head(measure), "count": count, "mean": mean_of(total, count), "median": median_of(count, lower, upper),
            "min": low if count else None, "max": high if count else None}


def numeric_from_counts(measure: MeasureSpec, counted: list[tuple[object, int]]) -> dict:
    """A number's summary from (stored value, how many times) pairs: readings repeat (a pH to two
    places, a temperature to one), so a database counts them in far fewer rows than there are values."""
    tally: dict = {}
    for value, n in counted:
        if value is not None:
            number = Decimal(str(value))
            tally[number] = tally.get(number, 0) + n
    ordered = sorted(tally.items())
    count = sum(n for _number, n in ordered)
    lower = upper = None
    seen = 0
    for number, n in ordered:  # the values at positions (count - 1) // 2 and count // 2 in order
        if lower is None and seen + n > (count - 1) // 2:
            lower = number
        if seen + n > count // 2:
            upper = number
            break
        seen += n
    return numeric_from_totals(measure, count, sum((number * n for number, n in ordered), Decimal(0)),
                               ordered[0][0] if ordered else None, ordered[-1][0] if ordered else None, lower, upper)


def categorical_from_counts(measure: MeasureSpec, counted: list[tuple[object, int]]) -> dict:
    """A choice's or yes/no's summary from (stored value, how many times) pairs."""
    labels = _labels(measure)
    counts = [0] * len(labels)
    for value, n in counted:
        i = _index(measure, value)
        if i is not None:
            counts[i] += n
    total = sum(counts)
    return {**_head(measure), "count": total, "options": [
        {"label": label, "count": n, "share": _round(Decimal(100 * n) / total, ONE_PLACE) if total else Decimal(0)}
        for label, n in zip(labels, counts, strict=True)]}


def summarise(measure: MeasureSpec, values: list) -> dict:
    """The summary of one measure over the given values (None and missing values are skipped)."""
    values = [v for v in values if v is not None]
    if measure.kind in NUMERIC:
        numbers = sorted(Decimal(v) for v in values)
        n = len(numbers)
        return numeric_from_totals(measure, n, sum(numbers, Decimal(0)), min(numbers, default=None),
                                   max(numbers, default=None), numbers[(n - 1) // 2] if n else None,
                                   numbers[n // 2] if n else None)
    if measure.kind in CATEGORICAL:
        return categorical_from_counts(measure, [(v, 1) for v in values])
    return {**_head(measure), "count": sum(1 for v in values if str(v).strip())}


def per_measure(measures: list[MeasureSpec], observations: list[Obs]) -> list[dict]:
    return [summarise(m, [o.values.get(m.id) for o in observations]) for m in measures]


def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass
class Totals:
    """A group of observations summed up: how many, their minutes, and per numeric measure (by id) how
    many values and their sum."""
    observations: int = 0
    minutes: int = 0
    counts: dict = field(default_factory=dict)
    sums: dict = field(default_factory=dict)

    def add(self, other: "Totals") -> "Totals":
        self.observations += other.observations
        self.minutes += other.minutes
        for key, n in other.counts.items():
            self.counts[key] = self.counts.get(key, 0) + n
            self.sums[key] = self.sums.get(key, Decimal(0)) + other.sums[key]
        return self


def totals_of(measures: list[MeasureSpec], members: list[Obs]) -> Totals:
    totals = Totals(len(members), sum(o.minutes for o in members))
    for m in measures:
        if m.kind in NUMERIC:
            numbers = [Decimal(o.values[m.id]) for o in members if o.values.get(m.id) is not None]
            if numbers:
                totals.counts[m.id], totals.sums[m.id] = len(numbers), sum(numbers, Decimal(0))
    return totals


def rows_from_totals(measures: list[MeasureSpec], groups: dict) -> list[dict]:
    """One row per group ({key: Totals}, in the order given): observations, minutes, mean per number."""
    numeric = [m for m in measures if m.kind in NUMERIC]
    return [{"key": key, "observations": t.observations, "minutes": t.minutes,
             "means": {m.id: mean_of(t.sums.get(m.id, Decimal(0)), t.counts.get(m.id, 0)) for m in numeric}}
            for key, t in groups.items()]


def _grouped(measures, groups: "OrderedDict[object, list[Obs]]") -> list[dict]:
    return rows_from_totals(measures, OrderedDict((key, totals_of(measures, members))
                                                  for key, members in groups.items()))


def by_period(measures: list[MeasureSpec], observations: list[Obs], period: str = "day") -> list[dict]:
    """One row per day (or per week, keyed by its Monday) that has observations, in date order."""
    if period not in ("day", "week"):
        raise ValueError(f"unknown period {period!r}")
    groups: OrderedDict = OrderedDict()
    for o in sorted(observations, key=lambda o: o.day):
        groups.setdefault(o.day if period == "day" else week_of(o.day), []).append(o)
    return _grouped(measures, groups)


def days_from_totals(measures: list[MeasureSpec], days: dict, period: str = "day") -> list[dict]:
    """`by_period` from {day: Totals}."""
    if period not in ("day", "week"):
        raise ValueError(f"unknown period {period!r}")
    groups: OrderedDict = OrderedDict()
    for day in sorted(days):
        groups.setdefault(day if period == "day" else week_of(day), Totals()).add(days[day])
    return rows_from_totals(measures, groups)


def place_names(location: str) -> tuple[str, str]:
    """(how places are told apart: spaces trimmed, case ignored; how it is shown)."""
    shown = " ".join(location.split())
    return shown.lower(), shown


def places_from_totals(measures: list[MeasureSpec], places: list[tuple[str, Totals]]) -> list[dict]:
    """`by_location` from (location as written, Totals) pairs, latest written first (a place is shown as
    its latest spelling)."""
    groups: dict = {}
    shown: dict = {}
    for location, totals in places:
        key, written = place_names(location)
        shown.setdefault(key, written)
        groups.setdefault(key, Totals()).add(totals)
    ordered = OrderedDict((shown[k], groups[k]) for k in sorted(groups, key=lambda k: (-groups[k].observations, k)))
    return rows_from_totals(measures, ordered)


def by_location(measures: list[MeasureSpec], observations: list[Obs]) -> list[dict]:
    """One row per location (most observations first, then by name)."""
    groups: dict = {}
    shown: dict = {}
    for o in observations:
        key, written = place_names(o.location)
        shown.setdefault(key, written)
        groups.setdefault(key, []).append(o)
    ordered = OrderedDict((shown[k], groups[k]) for k in sorted(groups, key=lambda k: (-len(groups[k]), k)))
    return _grouped(measures, ordered)


def per_volunteer(observations: list[Obs]) -> list[dict]:
    """Observations and minutes per volunteer, most minutes first (ties by key)."""
    totals: dict = {}
    for o in observations:
        row = totals.setdefault(o.volunteer, {"volunteer": o.volunteer, "observations": 0, "minutes": 0})
        row["observations"] += 1
        row["minutes"] += o.minutes
    return volunteers_from_totals(list(totals.values()))


def volunteers_from_totals(rows: list[dict]) -> list[dict]:
    """`per_volunteer` from {"volunteer", "observations", "minutes"} rows, one per volunteer."""
    return sorted(rows, key=lambda r: (-r["minutes"], str(r["volunteer"])))
