"""Tie-breaking orders.

Every rule breaks exact ties with one fixed total order of the projects, so outcomes are
deterministic and do not depend on file order:

* ``"default"``: the order equalshares.net recommends -- lower cost first, then the higher
  *initial* vote count (number of voters listing the project), then the project id (compared as a
  string) where equalshares.net would draw lots;
* ``"lexico"``: project id compared as a string, which is what pabutools does by default
  (``lexico_tie_breaking``) -- used for the comparisons with pabutools.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import numpy as np

TIE_BREAKS = ("default", "lexico")


def tie_order(
    tie_break: str, ids: Sequence[str], costs: Sequence[Fraction], votes: Sequence[int]
) -> list[int]:
    """Project indices from most to least favoured by the tie-breaking rule."""
    n = len(ids)
    if tie_break == "default":
        return sorted(range(n), key=lambda p: (costs[p], -int(votes[p]), ids[p]))
    if tie_break == "lexico":
        return sorted(range(n), key=lambda p: ids[p])
    raise ValueError(f"unknown tie-break {tie_break!r} (choose from {', '.join(TIE_BREAKS)})")


def tie_rank(
    tie_break: str, ids: Sequence[str], costs: Sequence[Fraction], votes: Sequence[int]
) -> np.ndarray:
    """rank[p] = position of project p in :func:`tie_order` (0 = wins every tie)."""
    order = tie_order(tie_break, ids, costs, votes)
    rank = np.empty(len(ids), dtype=np.int64)
    rank[order] = np.arange(len(ids))
    return rank


def describe(tie_break: str) -> str:
    if tie_break == "default":
        return "ties are broken in favour of the lower cost, then the higher vote count, then the project id"
    return "ties are broken in favour of the project id that comes first alphabetically (as pabutools does)"
