"""SVG chart geometry. Pure: plain data in, coordinates out; no Django.

Templates draw the SVG from these numbers (with a <title>, a <desc> and a table of the same figures
beside it, so the chart is never the only way to read the data).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

WIDTH, HEIGHT = 640, 260
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 64, 16, 16, 40


@dataclass
class Series:
    name: str
    points: Sequence[tuple[date, Decimal | int]]
    style: str = "solid"  # "solid" or "dashed"


@dataclass
class DrawnSeries:
    name: str
    style: str
    polyline: str
    dots: list[tuple[float, float]]


@dataclass
class Chart:
    width: int = WIDTH
    height: int = HEIGHT
    left: int = PAD_LEFT
    right: int = WIDTH - PAD_RIGHT
    top: int = PAD_TOP
    bottom: int = HEIGHT - PAD_BOTTOM
    series: list[DrawnSeries] = field(default_factory=list)
    y_ticks: list[tuple[float, str]] = field(default_factory=list)
    x_ticks: list[tuple[float, str]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not any(s.dots for s in self.series)


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    if high <= low:
        high = low + 1
    raw = (high - low) / max(count - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = magnitude
    for multiple in (1, 2, 2.5, 5, 10):
        step = multiple * magnitude
        if step >= raw:
            break
    first = math.floor(low / step + 1e-9)
    last = math.ceil(high / step - 1e-9)
    return [round(i * step, 10) for i in range(first, last + 1)]


def _label(value: float) -> str:
    return f"{value:g}" if abs(value) < 1e6 else f"{value:.3g}"


def line_chart(series: Sequence[Series], *, y_min: float | None = None, y_max: float | None = None,
               width: int = WIDTH, height: int = HEIGHT) -> Chart:
    chart = Chart(width=width, height=height, right=width - PAD_RIGHT, bottom=height - PAD_BOTTOM)
    points = [(d, float(v)) for s in series for d, v in s.points]
    if not points:
        chart.series = [DrawnSeries(s.name, s.style, "", []) for s in series]
        return chart
    d0 = min(d for d, _ in points).toordinal()
    d1 = max(d for d, _ in points).toordinal()
    if d1 == d0:
        d0, d1 = d0 - 15, d1 + 15
    values = [v for _, v in points]
    low = min(values) if y_min is None else y_min
    high = max(values) if y_max is None else y_max
    if y_min is None and low > 0 and low < high * 0.5:
        low = 0.0
    ticks = nice_ticks(low, high)
    low, high = ticks[0], ticks[-1]

    def x(day: date) -> float:
        return round(chart.left + (day.toordinal() - d0) / (d1 - d0) * (chart.right - chart.left), 1)

    def y(value: float) -> float:
        return round(chart.bottom - (value - low) / (high - low) * (chart.bottom - chart.top), 1)

    chart.y_ticks = [(y(t), _label(t)) for t in ticks]
    first_year, last_year = date.fromordinal(d0).year, date.fromordinal(d1).year
    every = max(1, (last_year - first_year + 1) // 8)
    chart.x_ticks = [(x(date(year, 1, 1)), str(year)) for year in range(first_year, last_year + 2, every)
                     if d0 <= date(year, 1, 1).toordinal() <= d1]
    if not chart.x_ticks:
        chart.x_ticks = [(x(date.fromordinal(d0)), date.fromordinal(d0).isoformat())]
    for s in series:
        dots = [(x(d), y(float(v))) for d, v in sorted(s.points, key=lambda p: p[0])]
        chart.series.append(DrawnSeries(s.name, s.style, " ".join(f"{a},{b}" for a, b in dots), dots))
    return chart
