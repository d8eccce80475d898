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


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: int  # index of the series (its colour and legend entry)
    label: str  # the category label the bar belongs to
    value: float


@dataclass
class BarChart:
    """Bars per category label, stacked by series. `bars` are rectangles ready to draw."""

    width: int = WIDTH
    height: int = HEIGHT
    left: int = PAD_LEFT
    right: int = WIDTH - PAD_RIGHT
    top: int = PAD_TOP
    bottom: int = HEIGHT - PAD_BOTTOM
    series: list[str] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    y_ticks: list[tuple[float, str]] = field(default_factory=list)
    x_ticks: list[tuple[float, str]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.bars


def bar_chart(labels: Sequence[str], series: Sequence[tuple[str, Sequence[Decimal | int | float]]], *,
              width: int = WIDTH, height: int = HEIGHT, every: int | None = None) -> BarChart:
    """Vertical bars, one slot per label, the series stacked in each slot (values >= 0).

    `series` is [(name, values)] with one value per label. `every` labels every n-th slot on the x axis
    (by default as many as fit)."""
    chart = BarChart(width=width, height=height, right=width - PAD_RIGHT, bottom=height - PAD_BOTTOM,
                     series=[name for name, _values in series])
    if not labels:
        return chart
    totals = [sum(float(values[i]) for _name, values in series) for i in range(len(labels))]
    ticks = nice_ticks(0.0, max(totals) if max(totals, default=0) > 0 else 1.0)
    high = ticks[-1]
    slot = (chart.right - chart.left) / len(labels)
    bar_width = round(slot * 0.7, 1)

    def y(value: float) -> float:
        return round(chart.bottom - value / high * (chart.bottom - chart.top), 1)

    chart.y_ticks = [(y(t), _label(t)) for t in ticks]
    every = every or max(1, math.ceil(len(labels) / max(1, int((chart.right - chart.left) // 56))))
    for i, text in enumerate(labels):
        x = round(chart.left + i * slot + (slot - bar_width) / 2, 1)
        if i % every == 0:
            chart.x_ticks.append((round(x + bar_width / 2, 1), text))
        base = 0.0
        for index, (_name, values) in enumerate(series):
            value = float(values[i])
            if value <= 0:
                continue
            top, bottom = y(base + value), y(base)
            chart.bars.append(Bar(x, top, bar_width, round(bottom - top, 1), index, text, value))
            base += value
    return chart


@dataclass
class HBar:
    y: float
    width: float
    label: str
    value: float
    value_x: float  # where to write the value, just past the bar


@dataclass
class HBarChart:
    """Horizontal bars, one a row, with the labels at the left (for long category names)."""

    width: int = WIDTH
    height: int = HEIGHT
    left: int = 220
    right: int = WIDTH - 64
    row: int = 24
    bar_height: int = 16
    bars: list[HBar] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.bars


def hbar_chart(labels: Sequence[str], values: Sequence[Decimal | int | float], *, width: int = WIDTH,
               label_width: int = 220, row: int = 24) -> HBarChart:
    """One horizontal bar per label, scaled to the largest value (values >= 0)."""
    chart = HBarChart(width=width, height=max(row, row * len(labels)) + 8, left=label_width, right=width - 64,
                      row=row, bar_height=round(row * 0.66))
    high = max((float(v) for v in values), default=0.0) or 1.0
    for i, (text, value) in enumerate(zip(labels, values)):
        bar = round(float(value) / high * (chart.right - chart.left), 1)
        chart.bars.append(HBar(4 + i * row, bar, text, float(value), round(chart.left + bar + 4, 1)))
    return chart
