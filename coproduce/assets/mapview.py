"""The offline map page's picture: community assets placed by `maplayout`, as SVG-ready data.

Each kind has its own shape as well as colour (never colour alone), every point is a link with an
accessible name, and each neighbourhood says how many people there offer help publicly."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coproduce.core.models import Area

from . import maplayout
from .models import CommunityAsset

SHAPES = {  # kind: (shape, colour, legend)
    CommunityAsset.Kind.PLACE: ("circle", "#1b6e3a"),
    CommunityAsset.Kind.GROUP: ("square", "#7a3e9d"),
    CommunityAsset.Kind.FACILITY: ("triangle", "#a14a00"),
}


@dataclass
class MapPoint:
    x: float
    y: float
    shape: str
    colour: str
    url: str
    label: str
    path: str


@dataclass
class MapRegion:
    cx: float
    cy: float
    r: float
    name: str
    people: int
    people_label: str
    url: str
    located: bool
    assets: int


def _path(shape: str, x: float, y: float, size: float = 7.0) -> str:
    if shape == "square":
        return f"M{x - size:.1f} {y - size:.1f}h{2 * size:.1f}v{2 * size:.1f}h{-2 * size:.1f}z"
    if shape == "triangle":
        return f"M{x:.1f} {y - size - 1:.1f}L{x + size + 1:.1f} {y + size:.1f}L{x - size - 1:.1f} {y + size:.1f}z"
    return (f"M{x - size:.1f} {y:.1f}a{size:.1f} {size:.1f} 0 1 0 {2 * size:.1f} 0"
            f"a{size:.1f} {size:.1f} 0 1 0 {-2 * size:.1f} 0z")


def build_map(assets: list[CommunityAsset], public_capabilities) -> dict:
    counts = dict(public_capabilities.exclude(neighbourhood=None).order_by().values("neighbourhood")
                  .annotate(n=Count("person", distinct=True)).values_list("neighbourhood", "n"))
    hood_ids = {a.neighbourhood_id for a in assets} | set(counts)
    names = dict(Area.objects.filter(pk__in=hood_ids).values_list("pk", "name"))
    points = [
        maplayout.Point(a.pk, a.neighbourhood_id,
                        float(a.latitude) if a.latitude is not None else None,
                        float(a.longitude) if a.longitude is not None else None)
        for a in assets
    ]
    layout = maplayout.layout(points, names)
    people_url = reverse("assets:people")
    shown = []
    for asset, placed in zip(assets, layout.points, strict=True):
        shape, colour = SHAPES[asset.kind]
        where = names.get(asset.neighbourhood_id, "")
        label = _("%(name)s (%(kind)s, %(where)s)") % {"name": asset.name, "kind": asset.get_kind_display(),
                                                       "where": where}
        shown.append(MapPoint(placed.x, placed.y, shape, colour, asset.get_absolute_url(), label,
                              _path(shape, placed.x, placed.y)))
    per_hood = Counter(a.neighbourhood_id for a in assets)
    regions = []
    for r in layout.regions:
        n = counts.get(r.key, 0)
        people_label = ngettext("%(n)d person offers help", "%(n)d people offer help", n) % {"n": n}
        regions.append(MapRegion(r.cx, r.cy, r.r, r.name, n, people_label,
                                 f"{people_url}?neighbourhood={r.key}", r.located, per_hood[r.key]))
    located = sum(1 for p in layout.points if p.by_coordinates)
    description = _(
        "%(total)d community assets in %(hoods)d neighbourhoods; %(located)d placed by their coordinates, the "
        "others around the centre of their neighbourhood. The same assets are listed below the map."
    ) % {"total": len(assets), "hoods": len(regions), "located": located}
    legend = [(kind.label, *SHAPES[kind], _path(SHAPES[kind][0], 10, 10)) for kind in CommunityAsset.Kind]
    return {"width": layout.width, "height": layout.height, "points": shown, "regions": regions,
            "description": description, "legend": legend}
