"""Greedy rules ("utilitarian greedy"), as cities use them.

Projects are ranked by score, highest first (exact ties: the tie-breaking order), and funded in that
order while money is left:

* ``greedy``: a project that does not fit in the remaining money is skipped, later (cheaper)
  projects may still be funded;
* ``greedy-no-skip``: funding stops at the first project that does not fit;
* ``greedy-threshold``: only projects whose score reaches the threshold (``>=``; from the caller or
  META ``min_project_score_threshold``) are eligible, then as ``greedy``.

Score: votes (number of voters listing the project) for approval ballots; points for cumulative /
scoring ballots; positional points (k, k-1, ..., 1 on a ballot ranking k projects; see
:mod:`.profile`) for ordinal ballots.  ``score="votes"`` forces the vote count for every ballot
type (this is what pabutools' ``greedy_utilitarian_welfare`` with ``Cost_Sat`` computes, since the
cost cancels out).  As in pabutools, a project nobody voted for (score 0) can still be funded when
money is left at the end -- use the threshold variant to exclude it.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from .explain import Explanation, Outcome, exact, money, plain
from .model import Election
from .profile import build_profile
from .ties import describe, tie_rank

VARIANTS = ("greedy", "greedy-no-skip", "greedy-threshold")


def project_scores(election: Election, score: str = "auto") -> tuple[list[Fraction], list[int], str]:
    """(scores, vote counts, score name) for every project."""
    P = election.n_projects
    votes = [int(v) for v in np.bincount(election.ballot_idx, minlength=P)] if P else []
    if score == "auto":
        score = "votes" if election.vote_type in ("approval", "choose-1") else "points"
    if score == "votes" or (score == "points" and election.vote_type in ("approval", "choose-1")):
        return [Fraction(v) for v in votes], votes, score
    if score != "points":
        raise ValueError(f"unknown score {score!r} (votes, points or auto)")
    pts = election.ballot_points
    if election.vote_type in ("cumulative", "scoring") and pts is not None and pts.dtype != object:
        if len(pts) == 0 or int(np.abs(pts).max()) * max(len(pts), 1) < 2**53:  # float sums stay exact
            sums = np.bincount(election.ballot_idx, weights=pts.astype(np.float64), minlength=P)
            return [Fraction(int(v)) for v in sums], votes, "points"
    return build_profile(election, "points").scores(), votes, "points"


def greedy(
    election: Election,
    variant: str = "greedy",
    score: str = "auto",
    threshold: Fraction | int | None = None,
    tie_break: str = "default",
) -> Outcome:
    if variant not in VARIANTS:
        raise ValueError(f"unknown greedy variant {variant!r}")
    if variant == "greedy-threshold":
        if threshold is None:
            threshold = election.threshold
        if threshold is None:
            raise ValueError(
                "greedy-threshold needs a threshold (none given and no min_project_score_threshold in META)"
            )
        threshold = Fraction(threshold)
    scores, votes, score_name = project_scores(election, score)
    ids = [p.id for p in election.projects]
    costs = election.costs()
    rank = tie_rank(tie_break, ids, costs, votes)
    order = sorted(range(len(ids)), key=lambda p: (-scores[p], rank[p]))
    left = election.budget
    selected: list[int] = []
    expl: dict[int, Explanation] = {}
    log: list[dict] = [
        {
            "step": "start",
            "rule": variant,
            "budget": exact(election.budget),
            "score": score_name,
            "threshold": None if threshold is None else exact(threshold),
            "tie_break": tie_break,
            "order": [ids[p] for p in order],
        }
    ]
    stopped_at = None
    for pos, p in enumerate(order, start=1):
        pid, c, s = ids[p], costs[p], scores[p]
        nums = {"rank": pos, "score": exact(s), "cost": exact(c), "left_before": exact(left)}
        if threshold is not None and s < threshold:
            nums["threshold"] = exact(threshold)
            expl[p] = Explanation(
                pid,
                False,
                "below_threshold",
                nums,
                f"Not funded: {plain(s)} {score_name} is below the minimum of {plain(threshold)} required.",
            )
            log.append({"step": "skip", "project": pid, "reason": "below_threshold", **nums})
            continue
        if stopped_at is not None:
            expl[p] = Explanation(
                pid,
                False,
                "not_reached",
                {**nums, "stopped_at": ids[stopped_at]},
                f"Not funded: counting stopped at project {ids[stopped_at]}, the first one that did not fit "
                f"(this rule does not skip projects).",
            )
            log.append({"step": "skip", "project": pid, "reason": "not_reached", **nums})
            continue
        if c <= left:
            left -= c
            selected.append(p)
            nums["left_after"] = exact(left)
            expl[p] = Explanation(
                pid,
                True,
                "selected",
                nums,
                f"Funded: ranked {pos} with {plain(s)} {score_name}; its cost {money(c)} fitted in the "
                f"{money(c + left)} still available.",
            )
            log.append({"step": "fund", "project": pid, **nums})
        else:
            expl[p] = Explanation(
                pid,
                False,
                "did_not_fit",
                nums,
                f"Not funded: ranked {pos} with {plain(s)} {score_name}, but it did not fit: cost {money(c)} "
                f"with {money(left)} left.",
            )
            log.append({"step": "skip", "project": pid, "reason": "did_not_fit", **nums})
            if variant == "greedy-no-skip":
                stopped_at = p
    spent = election.budget - left
    log.append(
        {"step": "end", "spent": exact(spent), "left": exact(left), "tie_break_rule": describe(tie_break)}
    )
    return Outcome(
        rule=variant,
        selected=[ids[p] for p in selected],
        spent=spent,
        budget=election.budget,
        explanations=[expl[p] for p in range(len(ids))],
        log=log,
        details={"score": score_name, "threshold": None if threshold is None else exact(threshold)},
    )
