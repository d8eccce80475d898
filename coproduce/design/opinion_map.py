"""The opinion map: what the page needs to draw a stored analysis as an SVG and as a table.

Groups differ by shape as well as by colour (never colour alone), each group is labelled on the map,
and the table alternative lists the same facts in words.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .models import Statement, group_label

WIDTH, HEIGHT, PAD = 640, 420, 36
# colours with at least 3:1 contrast on white; shapes carry the meaning too
PALETTE = ["#0b5cad", "#a3122a", "#1d6b3a", "#7a3e9d", "#8a4b00"]
SHAPES = ["circle", "square", "triangle", "diamond", "cross"]
SHAPE_NAMES = {"circle": _("circles"), "square": _("squares"), "triangle": _("triangles"),
               "diamond": _("diamonds"), "cross": _("crosses")}


@dataclass
class Group:
    index: int
    label: str
    size: int
    colour: str
    shape: str
    shape_name: str
    cx: float = 0.0
    cy: float = 0.0
    points: list = field(default_factory=list)  # (x, y, svg path or None)
    representative: list = field(default_factory=list)  # (statement, rep dict)


def _marker(shape: str, x: float, y: float, r: float = 4.5) -> str:
    """An SVG path for one participant's marker."""
    if shape == "square":
        return f"M{x - r:.1f},{y - r:.1f}h{2 * r:.1f}v{2 * r:.1f}h{-2 * r:.1f}Z"
    if shape == "triangle":
        return f"M{x:.1f},{y - r - 1:.1f}L{x + r + 1:.1f},{y + r:.1f}L{x - r - 1:.1f},{y + r:.1f}Z"
    if shape == "diamond":
        return f"M{x:.1f},{y - r - 1:.1f}L{x + r + 1:.1f},{y:.1f}L{x:.1f},{y + r + 1:.1f}L{x - r - 1:.1f},{y:.1f}Z"
    if shape == "cross":
        w = r / 2.5
        return (f"M{x - w:.1f},{y - r:.1f}h{2 * w:.1f}v{r - w:.1f}h{r - w:.1f}v{2 * w:.1f}h{w - r:.1f}"
                f"v{r - w:.1f}h{-2 * w:.1f}v{w - r:.1f}h{w - r:.1f}v{-2 * w:.1f}h{r - w:.1f}Z")
    # circle as a path (two arcs) so every marker is one element type
    return f"M{x - r:.1f},{y:.1f}a{r},{r} 0 1,0 {2 * r},0a{r},{r} 0 1,0 {-2 * r},0"


def build(conversation, analysis, me: int | None = None) -> dict:
    result = analysis.result
    projections = result.get("projections", {})
    groups_of = result.get("groups", {})
    sizes = result.get("group_sizes", [])
    plotted = {p: projections[p] for p in groups_of if p in projections}
    xs = [xy[0] for xy in plotted.values()] or [0.0]
    ys = [xy[1] for xy in plotted.values()] or [0.0]
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (max(ys) - min(ys)) or 1.0

    def sx(x):
        return PAD + (x - min(xs)) / span_x * (WIDTH - 2 * PAD)

    def sy(y):
        return HEIGHT - PAD - (y - min(ys)) / span_y * (HEIGHT - 2 * PAD)

    groups = [
        Group(g, group_label(g), size, PALETTE[g % len(PALETTE)], SHAPES[g % len(SHAPES)],
              str(SHAPE_NAMES[SHAPES[g % len(SHAPES)]]))
        for g, size in enumerate(sizes)
    ]
    me_point = None
    for p, (x, y) in sorted(plotted.items(), key=lambda kv: int(kv[0])):
        g = groups_of[p]
        if g >= len(groups):
            continue
        px, py = sx(x), sy(y)
        groups[g].points.append(_marker(groups[g].shape, px, py))
        if me is not None and int(p) == me:
            me_point = (round(px, 1), round(py, 1), groups[g].label)
    for group in groups:
        members = [(sx(projections[p][0]), sy(projections[p][1])) for p, g in groups_of.items()
                   if g == group.index and p in projections]
        if members:
            group.cx = round(sum(m[0] for m in members) / len(members), 1)
            group.cy = round(sum(m[1] for m in members) / len(members), 1)

    wanted = set()
    for reps in result.get("repness", {}).values():
        wanted |= {int(r["comment_id"]) for r in reps}
    consensus = result.get("consensus_statements", {})
    for direction in ("agree", "disagree"):
        wanted |= {int(c["comment_id"]) for c in consensus.get(direction, [])}
    texts = dict(Statement.objects.filter(conversation=conversation, number__in=wanted).values_list("number", "text"))
    for g, reps in result.get("repness", {}).items():
        if int(g) < len(groups):
            groups[int(g)].representative = [
                {"number": int(r["comment_id"]), "text": texts.get(int(r["comment_id"]), ""),
                 "direction": r["direction"], "percent": round(100 * r["n_success"] / r["n_trials"])
                 if r["n_trials"] else 0, "n_success": r["n_success"], "n_trials": r["n_trials"]}
                for r in reps
            ]
    consensus_rows = [
        {"number": int(c["comment_id"]), "text": texts.get(int(c["comment_id"]), ""), "direction": direction,
         "percent": round(100 * c["n_success"] / c["n_trials"]) if c["n_trials"] else 0,
         "n_success": c["n_success"], "n_trials": c["n_trials"]}
        for direction in ("agree", "disagree") for c in consensus.get(direction, [])
    ]
    summary = _("%(people)s people with enough votes, in %(k)s opinion groups.") % {
        "people": len(plotted), "k": len(groups)}
    description = " ".join(
        [summary] + [
            _("%(group)s: %(n)s people, drawn as %(shape)s, centred at %(x)s across and %(y)s down.") % {
                "group": g.label, "n": g.size, "shape": g.shape_name,
                "x": round(100 * (g.cx - PAD) / (WIDTH - 2 * PAD)), "y": round(100 * (g.cy - PAD) / (HEIGHT - 2 * PAD))}
            for g in groups
        ]
    )
    return {"width": WIDTH, "height": HEIGHT, "groups": groups, "me": me_point, "description": description,
            "summary": summary, "consensus": consensus_rows, "participants": len(plotted)}
