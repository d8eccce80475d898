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


def mean(numbers: list[Decimal]) -> Decimal | None:
    if not numbers:
        return None
    return _round(sum(numbers, Decimal(0)) / len(numbers))


def median(numbers: list[Decimal]) -> Decimal | None:
    if not numbers:
        return None
    ordered = sorted(numbers)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return _round((ordered[middle - 1] + ordered[middle]) / 2)


def _labels(measure: MeasureSpec) -> list[str]:
    if measure.kind == "yes_no":
        return ["yes", "no"]
    return list(measure.choices)


def _index(measure: MeasureSpec, value) -> int | None:
    if measure.kind == "yes_no":
        return 0 if value is True else 1 if value is False else None
    return value if isinstance(value, int) and 0 <= value < len(measure.choices) else None


def summarise(measure: MeasureSpec, values: list) -> dict:
    """The summary of one measure over the given values (None and missing values are skipped)."""
    values = [v for v in values if v is not None]
    result = {"id": measure.id, "name": measure.name, "kind": measure.kind, "unit": measure.unit, "count": 0}
    if measure.kind in NUMERIC:
        numbers = [Decimal(v) for v in values]
        result.update(count=len(numbers), mean=mean(numbers), median=median(numbers),
                      min=min(numbers) if numbers else None, max=max(numbers) if numbers else None)
    elif measure.kind in CATEGORICAL:
        labels = _labels(measure)
        counts = [0] * len(labels)
        for value in values:
            i = _index(measure, value)
            if i is not None:
                counts[i] += 1
        total = sum(counts)
        result.update(count=total, options=[
            {"label": label, "count": n, "share": _round(Decimal(100 * n) / total, ONE_PLACE) if total else Decimal(0)}
            for label, n in zip(labels, counts, strict=True)])
    else:
        result["count"] = sum(1 for v in values if str(v).strip())
    return result


def per_measure(measures: list[MeasureSpec], observations: list[Obs]) -> list[dict]:
    return [summarise(m, [o.values.get(m.id) for o in observations]) for m in measures]


def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _grouped(measures, groups: "OrderedDict[object, list[Obs]]") -> list[dict]:
    numeric = [m for m in measures if m.kind in NUMERIC]
    rows = []
    for key, members in groups.items():
        means = {}
        for m in numeric:
            means[m.id] = mean([Decimal(o.values[m.id]) for o in members if o.values.get(m.id) is not None])
        rows.append({"key": key, "observations": len(members), "minutes": sum(o.minutes for o in members),
                     "means": means})
    return rows


def by_period(measures: list[MeasureSpec], observations: list[Obs], period: str = "day") -> list[dict]:
    """One row per day (or per week, keyed by its Monday) that has observations, in date order."""
    if period not in ("day", "week"):
        raise ValueError(f"unknown period {period!r}")
    groups: OrderedDict = OrderedDict()
    for o in sorted(observations, key=lambda o: o.day):
        groups.setdefault(o.day if period == "day" else week_of(o.day), []).append(o)
    return _grouped(measures, groups)


def by_location(measures: list[MeasureSpec], observations: list[Obs]) -> list[dict]:
    """One row per location (most observations first, then by name)."""
    groups: dict = {}
    shown: dict = {}
    for o in observations:
        key = " ".join(o.location.split()).lower()
        shown.setdefault(key, " ".join(o.location.split()))
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
    return sorted(totals.values(), key=lambda r: (-r["minutes"], str(r["volunteer"])))
