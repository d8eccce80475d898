"""Priority setting: scores of options from ranked or points ballots, overall, by area and by group.

Pure Python (no Django). Ranked ballots give k, k-1, ..., 1 points to a ballot's k choices (as the
engine's greedy rules count ordinal ballots); points ballots give their points; approval ballots
one point per choice. Breakdowns hide any area or group with fewer than `MIN_GROUP` ballots so
that small groups cannot be picked out.
"""

from collections import defaultdict

MIN_GROUP = 5


def ballot_points(choices, points, method: str) -> list[tuple[int, int]]:
    if method == "cumulative":
        return list(zip(choices, points or ()))
    if method == "ranked":
        k = len(choices)
        return [(c, k - i) for i, c in enumerate(choices)]
    return [(c, 1) for c in choices]


def score(ballots, method: str, option_ids) -> dict:
    """`ballots`: iterable of (choices, points, area label, group label). Returns
    {"total": {option: score}, "votes": {option: n}, "by_area": {area: {option: score}},
     "by_group": {...}, "ballots": n, "area_sizes": {...}, "group_sizes": {...}}."""
    total = dict.fromkeys(option_ids, 0)
    votes = dict.fromkeys(option_ids, 0)
    by_area: dict = defaultdict(lambda: dict.fromkeys(option_ids, 0))
    by_group: dict = defaultdict(lambda: dict.fromkeys(option_ids, 0))
    area_sizes: dict = defaultdict(int)
    group_sizes: dict = defaultdict(int)
    n = 0
    for choices, points, area, group in ballots:
        n += 1
        area_sizes[area or ""] += 1
        group_sizes[group or ""] += 1
        for option, value in ballot_points(choices, points, method):
            if option not in total:
                continue
            total[option] += value
            votes[option] += 1
            by_area[area or ""][option] += value
            by_group[group or ""][option] += value
    return {
        "ballots": n,
        "total": total,
        "votes": votes,
        "by_area": {a: s for a, s in by_area.items() if a and area_sizes[a] >= MIN_GROUP},
        "by_group": {g: s for g, s in by_group.items() if g and group_sizes[g] >= MIN_GROUP},
        "area_sizes": {a: k for a, k in area_sizes.items() if a and k >= MIN_GROUP},
        "group_sizes": {g: k for g, k in group_sizes.items() if g and k >= MIN_GROUP},
    }
