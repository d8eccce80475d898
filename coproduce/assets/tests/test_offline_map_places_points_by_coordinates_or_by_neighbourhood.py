"""The offline map's layout (pure): coordinates inside the bounding box, north up; points without
coordinates around their neighbourhood; neighbourhoods without coordinates in a row of their own."""

import pytest

from coproduce.assets.maplayout import Point, layout

pytestmark = pytest.mark.pure


def _by_key(result):
    return {p.key: p for p in result.points}


def test_points_with_coordinates_keep_their_compass_directions_inside_the_canvas():
    points = [Point(1, 10, 51.50, -0.20), Point(2, 10, 51.60, -0.20), Point(3, 10, 51.50, -0.10)]
    result = layout(points, {10: "Millbrook"}, width=700, height=500, margin=40)
    p = _by_key(result)
    assert p[2].y < p[1].y  # further north is higher up
    assert p[3].x > p[1].x  # further east is to the right
    assert abs(p[1].x - p[2].x) < 0.01
    for q in result.points:
        assert q.by_coordinates and 40 <= q.x <= 660 and 40 <= q.y <= 460


def test_points_without_coordinates_sit_around_their_neighbourhoods_centre():
    points = [Point(1, 10, 51.50, -0.20), Point(2, 10, 51.52, -0.18), Point(3, 10), Point(4, 20), Point(5, 20)]
    result = layout(points, {10: "Millbrook", 20: "Fernside"})
    p = _by_key(result)
    regions = {r.key: r for r in result.regions}
    assert not p[3].by_coordinates
    millbrook, fernside = regions[10], regions[20]
    assert millbrook.located and not fernside.located
    assert ((p[3].x - millbrook.cx) ** 2 + (p[3].y - millbrook.cy) ** 2) ** 0.5 <= millbrook.r
    for k in (4, 5):  # Fernside has no coordinates: placed in the band below the located map
        assert ((p[k].x - fernside.cx) ** 2 + (p[k].y - fernside.cy) ** 2) ** 0.5 <= fernside.r
        assert p[k].y > max(p[1].y, p[2].y)
    assert (p[4].x, p[4].y) != (p[5].x, p[5].y)


def test_nothing_with_coordinates_gives_a_grid_of_neighbourhoods():
    points = [Point(i, 10 + i % 3) for i in range(9)]
    result = layout(points, {10: "A", 11: "B", 12: "C"})
    centres = {(r.cx, r.cy) for r in result.regions}
    assert len(centres) == 3
    assert all(not r.located for r in result.regions)
    assert all(0 < q.x < result.width and 0 < q.y < result.height for q in result.points)


def test_same_input_gives_the_same_picture_and_an_empty_map_is_fine():
    points = [Point(1, 10, 51.5, -0.1), Point(2, 11), Point(3, None)]
    assert layout(points, {10: "A", 11: "B"}) == layout(points, {10: "A", 11: "B"})
    empty = layout([], {})
    assert empty.points == () and empty.regions == ()


def test_a_single_located_point_is_centred():
    result = layout([Point(1, 10, 51.5, -0.1)], {10: "A"}, width=600, height=400, margin=40)
    p = result.points[0]
    assert p.x == pytest.approx(300, abs=1) and p.y == pytest.approx(200, abs=1)
