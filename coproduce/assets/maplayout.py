"""Lay out an offline map: points and neighbourhoods on an SVG canvas, with no tile server.

Pure Python, no Django. Points with a latitude and longitude are placed by them inside their
bounding box (equirectangular, north up, the aspect ratio kept). A neighbourhood is drawn as a
circle around its placed points. Points without coordinates are placed around their
neighbourhood's centre; neighbourhoods with no located point at all get a slot in a row along the
bottom (or a grid over the whole canvas when nothing has coordinates). Deterministic: the same input
gives the same picture.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


@dataclass(frozen=True)
class Point:
    key: int
    neighbourhood: int | None
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class Placed:
    key: int
    x: float
    y: float
    by_coordinates: bool


@dataclass(frozen=True)
class Region:
    key: int
    name: str
    cx: float
    cy: float
    r: float
    located: bool  # placed from its points' coordinates (else from a slot)


@dataclass(frozen=True)
class Layout:
    width: int
    height: int
    points: tuple[Placed, ...]
    regions: tuple[Region, ...]


def _ring(cx: float, cy: float, n: int, step: float) -> list[tuple[float, float]]:
    """`n` positions spiralling out from (cx, cy), evenly spread (sunflower pattern)."""
    out = []
    for i in range(n):
        r = step * math.sqrt(i + 0.5)
        a = i * GOLDEN_ANGLE
        out.append((cx + r * math.cos(a), cy + r * math.sin(a)))
    return out


def _slots(n: int, x0: float, y0: float, x1: float, y1: float) -> list[tuple[float, float]]:
    """Centres of `n` cells of a near-square grid filling the box."""
    if n == 0:
        return []
    cols = max(1, math.ceil(math.sqrt(n * (x1 - x0) / max(y1 - y0, 1))))
    rows = math.ceil(n / cols)
    w, h = (x1 - x0) / cols, (y1 - y0) / rows
    return [(x0 + w * (i % cols + 0.5), y0 + h * (i // cols + 0.5)) for i in range(n)]


def layout(
    points: list[Point],
    neighbourhoods: dict[int, str],
    width: int = 720,
    height: int = 480,
    margin: int = 40,
    step: float = 13.0,
) -> Layout:
    """Place `points` and the `neighbourhoods` ({id: name}) they belong to on a canvas."""
    located = [p for p in points if p.latitude is not None and p.longitude is not None]
    unlocated = [p for p in points if p.latitude is None or p.longitude is None]
    placed: dict[int, Placed] = {}
    used_hoods = sorted({p.neighbourhood for p in points if p.neighbourhood is not None} | set(neighbourhoods))

    map_bottom = height - margin
    hoods_with_points = {p.neighbourhood for p in located if p.neighbourhood is not None}
    pending_hoods = [h for h in used_hoods if h not in hoods_with_points]
    if located:
        if pending_hoods or any(p.neighbourhood is None for p in unlocated):
            map_bottom = height * 0.72  # leave a band for neighbourhoods placed by name only
        lats = [p.latitude for p in located]
        lons = [p.longitude for p in located]
        mid_lat = math.radians((min(lats) + max(lats)) / 2)
        xs = [lon * math.cos(mid_lat) for lon in lons]
        ys = lats
        span_x = max(max(xs) - min(xs), 0.002)
        span_y = max(max(ys) - min(ys), 0.002)
        box_w, box_h = width - 2 * margin, map_bottom - margin
        scale = min(box_w / span_x, box_h / span_y)
        off_x = margin + (box_w - span_x * scale) / 2
        off_y = margin + (box_h - span_y * scale) / 2
        cx0 = (max(xs) + min(xs)) / 2 - span_x / 2
        cy1 = (max(ys) + min(ys)) / 2 + span_y / 2
        for p, x, y in zip(located, xs, ys, strict=True):
            placed[p.key] = Placed(p.key, round(off_x + (x - cx0) * scale, 1), round(off_y + (cy1 - y) * scale, 1),
                                   True)

    centres: dict[int, tuple[float, float]] = {}
    for h in used_hoods:
        mine = [placed[p.key] for p in located if p.neighbourhood == h]
        if mine:
            centres[h] = (sum(q.x for q in mine) / len(mine), sum(q.y for q in mine) / len(mine))
    loose = [p for p in unlocated if p.neighbourhood is None]
    slot_keys = pending_hoods + ([None] if loose else [])
    if located:
        slots = _slots(len(slot_keys), margin, map_bottom + 8, width - margin, height - 8)
    else:
        slots = _slots(len(slot_keys), margin, margin, width - margin, height - margin)
    slot_of = dict(zip(slot_keys, slots, strict=True))
    for h in pending_hoods:
        centres[h] = slot_of[h]

    by_hood: dict[int | None, list[Point]] = {}
    for p in unlocated:
        by_hood.setdefault(p.neighbourhood, []).append(p)
    for h, members in by_hood.items():
        cx, cy = centres[h] if h is not None else slot_of[None]
        # inside a located neighbourhood, start the spiral beyond its located points
        ring = _ring(cx, cy, len(members), step)
        for p, (x, y) in zip(sorted(members, key=lambda q: q.key), ring, strict=True):
            placed[p.key] = Placed(p.key, round(min(max(x, 6), width - 6), 1), round(min(max(y, 6), height - 6), 1),
                                   False)

    regions = []
    for h in used_hoods:
        cx, cy = centres[h]
        mine = [placed[p.key] for p in points if p.neighbourhood == h]
        reach = max((math.hypot(q.x - cx, q.y - cy) for q in mine), default=0.0)
        regions.append(Region(h, neighbourhoods.get(h, ""), round(cx, 1), round(cy, 1), round(max(reach + 16, 28), 1),
                              h in hoods_with_points))
    return Layout(width, height, tuple(placed[p.key] for p in points), tuple(regions))
