"""Next-statement priority, as Polis computes it.

For a statement with A agrees, D disagrees, P passes and S = A + D + P votes
(from the participants in groups) and extremity E (how far the statement lies
from the centre in the PCA):

    importance = (1 - (P + 1) / (S + 2)) * (E + 1) * (A + 1) / (S + 2)
    priority   = (importance * (1 + 8 * 2 ** (-S / 5))) ** 2

so statements that are new (few votes), divisive (extreme in the opinion space)
and not often passed come first; meta statements get a fixed priority of 7 ** 2.
The next statement for a participant is drawn at random with probability
proportional to priority among those they have not voted on (deterministic for
a given seed).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np

META_PRIORITY = 7.0


def importance(agrees, passes, seen, extremity):
    agrees, passes, seen, extremity = (np.asarray(x, float) for x in (agrees, passes, seen, extremity))
    p = (passes + 1) / (seen + 2)
    a = (agrees + 1) / (seen + 2)
    return (1 - p) * (extremity + 1) * a


def priority(agrees, disagrees, seen, extremity, is_meta=False):
    agrees, disagrees, seen = (np.asarray(x, float) for x in (agrees, disagrees, seen))
    passes = seen - agrees - disagrees
    base = importance(agrees, passes, seen, extremity) * (1 + 8 * 2 ** (-seen / 5))
    return np.where(np.asarray(is_meta, bool), META_PRIORITY, base) ** 2


def choose_next(priorities: Mapping, exclude: Iterable = (), seed: int | None = 0, rng=None):
    """Draw one statement with probability proportional to its priority; None if nothing is left.

    Statements are considered in sorted order so the draw depends only on the
    priorities, the excluded set and the seed.
    """
    excluded = set(exclude)
    items = sorted((s, float(p)) for s, p in priorities.items() if s not in excluded and p > 0)
    if not items:
        return None
    rng = rng if rng is not None else np.random.default_rng(seed)
    weights = np.array([p for _, p in items])
    return items[int(rng.choice(len(items), p=weights / weights.sum()))][0]
