"""Open data: aggregates an organisation publishes, with small counts of people suppressed.

Nothing personal leaves here: only published frameworks, indicator figures, counts of badge awards
and of initiative activities.

**Small-count suppression.** A count of people below ``THRESHOLD`` (5) is shown as ``"<5"``
(primary suppression; 0 too, so that "<5" never tells "nobody" from "a few"). Where a published
total would let a reader work a hidden count out (a line – a row with its total, a column with its
total, the totals with the grand total – in which exactly one figure is hidden), the smallest other
figure of that line is hidden as well, shown as ``"[c]"`` (secondary suppression), and the check
repeats until no line has exactly one hidden figure. Counts that are not of people (activities of an
initiative) are published as they are. The suppression functions are pure (no Django).

**One rule everywhere.** `hides(indicator, value)` says whether a figure of an indicator that counts
people is too small to show. Every place the public sees such a figure applies it: these exports, the
dashboard and framework tables (`queries.Display`), the indicator page (its facts, readings table and
chart) and the API (`api.IndicatorOut`, `api.ReadingOut`). Staff of the owning organisation (and
platform administrators: `outcomes.view_exact_counts`) see the exact values on the pages and the API.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

THRESHOLD = 5
PRIMARY = "<5"
SECONDARY = "[c]"


def _protect(values: dict[Hashable, int], lines: Sequence[Sequence[Hashable]], threshold: int,
             prefer_cells=lambda key: True) -> dict[Hashable, int | str]:
    primary = {key for key, value in values.items() if value < threshold}
    secondary: set[Hashable] = set()
    changed = True
    while changed:
        changed = False
        for line in lines:
            hidden = [k for k in line if k in primary or k in secondary]
            if len(hidden) != 1:
                continue
            visible = [k for k in line if k not in primary and k not in secondary]
            if not visible:
                continue
            # Hide the smallest other figure, preferring cells over totals.
            choice = min(visible, key=lambda k: (not prefer_cells(k), values[k]))
            secondary.add(choice)
            changed = True
    return {key: PRIMARY if key in primary else SECONDARY if key in secondary else value
            for key, value in values.items()}


def suppress_counts(counts: Sequence[int], *, with_total: bool = True,
                    threshold: int = THRESHOLD) -> tuple[list[int | str], int | str | None]:
    """One line of counts and (optionally) their published total."""
    values: dict[Hashable, int] = {i: n for i, n in enumerate(counts)}
    lines = []
    if with_total:
        values["total"] = sum(counts)
        lines.append(list(range(len(counts))) + ["total"])
    shown = _protect(values, lines, threshold, prefer_cells=lambda k: k != "total")
    return [shown[i] for i in range(len(counts))], shown.get("total")


@dataclass
class SuppressedTable:
    cells: list[list[int | str]]
    row_totals: list[int | str]
    column_totals: list[int | str]
    grand_total: int | str


def suppress_table(cells: Sequence[Sequence[int]], *, threshold: int = THRESHOLD) -> SuppressedTable:
    """A table of counts with row totals, column totals and a grand total, all published."""
    n_rows = len(cells)
    n_cols = len(cells[0]) if cells else 0
    values: dict[Hashable, int] = {}
    for i, row in enumerate(cells):
        if len(row) != n_cols:
            raise ValueError("every row needs the same number of cells")
        for j, n in enumerate(row):
            values[("c", i, j)] = n
        values[("r", i)] = sum(row)
    for j in range(n_cols):
        values[("k", j)] = sum(cells[i][j] for i in range(n_rows))
    values[("g",)] = sum(values[("r", i)] for i in range(n_rows))
    lines = [[("c", i, j) for j in range(n_cols)] + [("r", i)] for i in range(n_rows)]
    lines += [[("c", i, j) for i in range(n_rows)] + [("k", j)] for j in range(n_cols)]
    lines.append([("r", i) for i in range(n_rows)] + [("g",)])
    lines.append([("k", j) for j in range(n_cols)] + [("g",)])
    shown = _protect(values, lines, threshold, prefer_cells=lambda k: k[0] == "c")
    return SuppressedTable(
        cells=[[shown[("c", i, j)] for j in range(n_cols)] for i in range(n_rows)],
        row_totals=[shown[("r", i)] for i in range(n_rows)],
        column_totals=[shown[("k", j)] for j in range(n_cols)],
        grand_total=shown[("g",)],
    )


# --- the organisation's aggregates (Django from here on) ----------------------------------------


def hides(indicator, value) -> bool:
    """Whether `value` (a baseline or a reading of `indicator`) is a count of people too small to publish."""
    return bool(getattr(indicator, "counts_people", False)) and value is not None and value < THRESHOLD


def _number(value) -> str:
    if value is None:
        return ""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def aggregates(organisation, today=None) -> dict:
    """Every open-data table of an organisation, as plain JSON-able data."""
    from django.db.models import Count, Q
    from django.db.models.functions import ExtractYear
    from django.utils import timezone

    from .models import ActivityKind, BadgeAward, Framework, Initiative
    from .queries import assess_indicators

    today = today or timezone.localdate()
    frameworks = list(Framework.objects.filter(organisation=organisation, status=Framework.Status.PUBLISHED)
                      .order_by("title"))
    indicators = []
    from .models import Indicator

    rows = list(Indicator.objects.filter(framework__in=frameworks).select_related("outcome__goal", "framework")
                .prefetch_related("targets").order_by("framework__title", "outcome__goal__position",
                                                      "outcome__position", "position", "id"))
    for indicator, result in zip(rows, assess_indicators(rows, today)):
        latest, baseline = indicator.latest_reading_value, indicator.baseline_value
        shown_latest = PRIMARY if hides(indicator, latest) else _number(latest)
        shown_baseline = PRIMARY if hides(indicator, baseline) else _number(baseline)
        indicators.append({
            "framework": indicator.framework.title,
            "goal": indicator.outcome.goal.title,
            "outcome": indicator.outcome.title,
            "indicator": indicator.title,
            "indicator_id": indicator.pk,
            "unit": indicator.unit,
            "better": indicator.better,
            "baseline": shown_baseline,
            "baseline_date": indicator.baseline_date.isoformat() if indicator.baseline_date else "",
            "latest": shown_latest,
            "latest_date": indicator.latest_reading_date.isoformat() if indicator.latest_reading_date else "",
            "target": _number(result.target),
            "target_date": result.target_date.isoformat() if result.target_date else "",
            "status": result.status.value,
        })

    awards = (BadgeAward.objects.filter(badge__organisation=organisation, revoked_at__isnull=True)
              .annotate(year=ExtractYear("issued_at")).values("badge__name", "year").annotate(n=Count("id")))
    counts: dict[str, dict[int, int]] = {}
    for row in awards:
        counts.setdefault(row["badge__name"], {})[row["year"]] = row["n"]
    years = sorted({year for per_badge in counts.values() for year in per_badge})
    badge_names = sorted(counts)
    table = suppress_table([[counts[name].get(year, 0) for year in years] for name in badge_names])
    badges = {
        "columns": years,
        "rows": [{"badge": name, "counts": table.cells[i], "total": table.row_totals[i]}
                 for i, name in enumerate(badge_names)],
        "totals": table.column_totals,
        "grand_total": table.grand_total if badge_names else 0,
    }

    kinds = ActivityKind.values
    initiatives = [
        {"initiative": i.title, "outcome": i.outcome.title, **{kind: getattr(i, f"n_{kind}") for kind in kinds}}
        for i in Initiative.objects.filter(organisation=organisation, outcome__framework__status="published")
        .select_related("outcome")
        .annotate(**{f"n_{kind}": Count("activities", filter=Q(activities__kind=kind)) for kind in kinds})
        .order_by("title")
    ]
    return {
        "format": "coproduce-outcomes-open-data/1",
        "organisation": {"name": organisation.name, "slug": organisation.slug},
        "generated_on": today.isoformat(),
        "suppression": {"threshold": THRESHOLD, "primary": PRIMARY, "secondary": SECONDARY,
                        "note": "Counts of people below the threshold are shown as <5; [c] hides a further "
                                "figure so that a hidden count cannot be worked out from a total."},
        "indicators": indicators,
        "badge_awards_by_year": badges,
        "initiative_activities": initiatives,
    }


INDICATOR_COLUMNS = ["framework", "goal", "outcome", "indicator", "indicator_id", "unit", "better", "baseline",
                     "baseline_date", "latest", "latest_date", "target", "target_date", "status"]
TABLES = ("indicators", "badges", "initiatives")


def to_csv(data: dict, table: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if table == "indicators":
        writer.writerow(INDICATOR_COLUMNS)
        for row in data["indicators"]:
            writer.writerow([row[c] for c in INDICATOR_COLUMNS])
    elif table == "badges":
        badges = data["badge_awards_by_year"]
        writer.writerow(["badge", *badges["columns"], "total"])
        for row in badges["rows"]:
            writer.writerow([row["badge"], *row["counts"], row["total"]])
        writer.writerow(["total", *badges["totals"], badges["grand_total"]])
    elif table == "initiatives":
        from .models import ActivityKind

        writer.writerow(["initiative", "outcome", *ActivityKind.values])
        for row in data["initiative_activities"]:
            writer.writerow([row["initiative"], row["outcome"], *(row[k] for k in ActivityKind.values)])
    else:
        raise ValueError(f"unknown table {table!r}")
    return out.getvalue()
