"""Status of an indicator against its targets. Pure: plain data in, plain data out; no Django.

    assess(better="up", baseline=(date(2024, 1, 1), Decimal(40)),
           targets=[(date(2026, 1, 1), Decimal(60))],
           readings=[(date(2025, 1, 1), Decimal(49))], today=date(2025, 2, 1))
    -> Assessment(status=Status.AT_RISK, expected=Decimal("49.99..."), ...)

The rules, in order (``sign`` is +1 when higher is better and -1 when lower is better; a value
*meets* a target when ``sign * (value - target) >= 0``):

1. No targets: ``NO_DATA`` (reason ``no_target``) – there is nothing to judge against.
2. Readings dated before the baseline date are ignored: they describe the world before the baseline
   was set. No reading left: ``NO_DATA`` (``no_reading``).
3. The *latest* reading is judged. If it meets the final (latest-dated) target: ``ACHIEVED``.
4. If the final target's date has passed (before the latest reading, or before today) and it is not
   met: ``OFF_TRACK`` (``deadline_passed``).
5. Otherwise the reading is compared with the *planned path*: a straight line from the start of the
   current segment to the *next* target (the first target dated on or after the reading). The start
   is the previous target if one is dated before the reading, else the baseline, else – with no
   baseline – the earliest reading (an implicit baseline, reason ``implicit_baseline``). The
   expected value on the reading's date is interpolated by days along that line.
6. ``shortfall = sign * (expected - actual)``. No shortfall: ``ON_TRACK``. Otherwise the shortfall is
   measured against the change planned over the segment, ``|next target - start|`` (when the target
   equals the start – "keep it at this level" – against ``|target|`` instead): a gap of at most
   ``tolerance`` (default 10 %) is ``AT_RISK``, more is ``OFF_TRACK``. A zero scale with any
   shortfall is ``OFF_TRACK``.

Only the earliest and the latest reading matter, so callers may pass just those two (the app keeps
them on the indicator row, so dashboards read no history).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

DEFAULT_TOLERANCE = Decimal("0.10")


class Status(StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    ACHIEVED = "achieved"
    NO_DATA = "no_data"


@dataclass(frozen=True)
class Assessment:
    status: Status
    reason: str = ""
    actual: Decimal | None = None
    actual_date: date | None = None
    expected: Decimal | None = None
    target: Decimal | None = None
    target_date: date | None = None
    gap: Decimal | None = None  # shortfall as a share of the planned change (0 or less: none)


Point = tuple[date, Decimal]


def _dec(value) -> Decimal:
    if isinstance(value, float):
        raise TypeError("indicator values must be Decimal or int, not float")
    return value if isinstance(value, Decimal) else Decimal(value)


def interpolate(start: Point, end: Point, on: date) -> Decimal:
    """The value on `on` along the straight line from `start` to `end` (by days)."""
    (d0, v0), (d1, v1) = start, end
    span = (d1 - d0).days
    if span <= 0:
        return v1
    done = min(max((on - d0).days, 0), span)
    return v0 + (v1 - v0) * Decimal(done) / Decimal(span)


def planned_path(baseline: Point | None, targets: Sequence[Point]) -> list[Point]:
    """The points of the planned path: the baseline (if any) then the targets in date order."""
    path = sorted(((d, _dec(v)) for d, v in targets), key=lambda p: p[0])
    if baseline is not None:
        path = [(baseline[0], _dec(baseline[1]))] + [p for p in path if p[0] > baseline[0]]
    return path


def assess(
    *,
    better: str,
    baseline: Point | None,
    targets: Sequence[Point],
    readings: Iterable[Point],
    today: date,
    tolerance: Decimal = DEFAULT_TOLERANCE,
) -> Assessment:
    if better not in ("up", "down"):
        raise ValueError(f"better must be 'up' or 'down', not {better!r}")
    sign = 1 if better == "up" else -1
    ordered = sorted(((d, _dec(v)) for d, v in targets), key=lambda p: p[0])
    if not ordered:
        return Assessment(Status.NO_DATA, "no_target")
    if baseline is not None:
        baseline = (baseline[0], _dec(baseline[1]))
    points = sorted(((d, _dec(v)) for d, v in readings), key=lambda p: p[0])
    if baseline is not None:
        points = [p for p in points if p[0] >= baseline[0]]
    if not points:
        return Assessment(Status.NO_DATA, "no_reading")
    on, actual = points[-1]

    def meets(value: Decimal, goal: Decimal) -> bool:
        return sign * (value - goal) >= 0

    final_due, final_value = ordered[-1]
    if meets(actual, final_value):
        return Assessment(Status.ACHIEVED, "target_met", actual, on, final_value, final_value, final_due, Decimal(0))
    if final_due < on or final_due < today:
        return Assessment(
            Status.OFF_TRACK, "deadline_passed", actual, on, final_value, final_value, final_due,
            _gap(sign, final_value, actual, baseline[1] if baseline else points[0][1], final_value),
        )

    next_due, next_value = next(p for p in ordered if p[0] >= on)
    earlier = [p for p in ordered if p[0] < on]
    reason = ""
    if earlier:
        start = earlier[-1]
    elif baseline is not None:
        start = baseline
    else:
        start, reason = points[0], "implicit_baseline"
    expected = interpolate(start, (next_due, next_value), on)
    gap = _gap(sign, expected, actual, start[1], next_value)
    if gap <= 0:
        status = Status.ON_TRACK
    elif gap <= tolerance:
        status = Status.AT_RISK
    else:
        status = Status.OFF_TRACK
    return Assessment(status, reason, actual, on, expected, next_value, next_due, gap)


def _gap(sign: int, expected: Decimal, actual: Decimal, start: Decimal, target: Decimal) -> Decimal:
    """Shortfall behind `expected` as a share of the planned change (or of the target's size)."""
    shortfall = sign * (expected - actual)
    scale = abs(target - start) or abs(target)
    if scale == 0:
        return Decimal(0) if shortfall <= 0 else Decimal("Infinity")
    return shortfall / scale
