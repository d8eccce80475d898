"""Social value arithmetic. Pure: plain data in, plain data out; no Django.

Hours contributed are valued at a **low** and a **high** hourly rate and shown as a range, never as
one falsely precise number. Everything is integer: time in minutes, money in minor units (pence,
cents). The value of a line is ``minutes × rate ÷ 60``, rounded half up to a whole minor unit, once,
on the total (so lines add up to what is shown per line only to within rounding; the total is exact).

The benefit/cost ratio is ``value ÷ cost`` to two decimal places (half up), or ``None`` without costs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class HoursLine:
    label: str
    minutes: int
    source: str  # a metric key, or "entered" for hours entered by staff


@dataclass(frozen=True)
class CostLine:
    label: str
    amount_minor: int


@dataclass(frozen=True)
class Summary:
    hours: tuple[HoursLine, ...]
    costs: tuple[CostLine, ...]
    total_minutes: int
    low_rate_minor: int
    high_rate_minor: int
    value_low_minor: int
    value_high_minor: int
    total_cost_minor: int
    net_low_minor: int
    net_high_minor: int
    ratio_low: Decimal | None
    ratio_high: Decimal | None

    @property
    def total_hours(self) -> Decimal:
        return (Decimal(self.total_minutes) / 60).quantize(Decimal("0.01"), ROUND_HALF_UP)


def value_minor(minutes: int, rate_minor_per_hour: int) -> int:
    """minutes × rate ÷ 60, rounded half up to a whole minor unit."""
    _whole(minutes, "minutes")
    _whole(rate_minor_per_hour, "rate")
    return (minutes * rate_minor_per_hour * 2 + 60) // 120


def ratio(value: int, cost: int) -> Decimal | None:
    if cost == 0:
        return None
    return (Decimal(value) / Decimal(cost)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def summarise(hours: Sequence[HoursLine], costs: Sequence[CostLine], *, low_rate_minor: int,
              high_rate_minor: int) -> Summary:
    if high_rate_minor < low_rate_minor:
        raise ValueError("the high rate must be at least the low rate")
    for line in hours:
        _whole(line.minutes, "minutes")
    for line in costs:
        _whole(line.amount_minor, "amount")
    total_minutes = sum(line.minutes for line in hours)
    total_cost = sum(line.amount_minor for line in costs)
    low, high = value_minor(total_minutes, low_rate_minor), value_minor(total_minutes, high_rate_minor)
    return Summary(
        hours=tuple(hours), costs=tuple(costs), total_minutes=total_minutes, low_rate_minor=low_rate_minor,
        high_rate_minor=high_rate_minor, value_low_minor=low, value_high_minor=high, total_cost_minor=total_cost,
        net_low_minor=low - total_cost, net_high_minor=high - total_cost,
        ratio_low=ratio(low, total_cost), ratio_high=ratio(high, total_cost),
    )


def _whole(value, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name} must be a whole number, 0 or more (got {value!r})")
