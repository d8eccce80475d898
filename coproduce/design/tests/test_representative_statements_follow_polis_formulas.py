import math
from collections import defaultdict

import numpy as np
import pytest

from coproduce.design.analysis import analyse
from coproduce.design.analysis.repness import Z90, prop_test, two_prop_test

pytestmark = pytest.mark.pure

# Two groups of four.  Statement 0: group 0 all agree, group 1 all disagree.
# Statement 1: everybody agrees.  Statement 2: group 0 splits 1/1/2 passes, group 1 splits 2/2.
GROUP0, GROUP1 = [1, 2, 3, 4], [5, 6, 7, 8]
VOTES = (
    [(p, 0, 1, 0) for p in GROUP0] + [(p, 0, -1, 0) for p in GROUP1]
    + [(p, 1, 1, 1) for p in GROUP0 + GROUP1]
    + [(1, 2, 1, 2), (2, 2, -1, 2), (3, 2, 0, 2), (4, 2, 0, 2)]
    + [(5, 2, 1, 2), (6, 2, 1, 2), (7, 2, -1, 2), (8, 2, -1, 2)]
)
GROUPS = {p: 0 for p in GROUP0} | {p: 1 for p in GROUP1}


def test_statistical_building_blocks_by_hand():
    # (na+1)/(n+1) against 1/2, scaled by 2 sqrt(n+1): 4 of 4 agree -> 2 sqrt(5) (5/5 - 1/2) = sqrt(5)
    assert prop_test(4, 4) == pytest.approx(math.sqrt(5))
    assert prop_test(0, 4) == pytest.approx(2 * math.sqrt(5) * (1 / 5 - 0.5))
    # 4/4 vs 0/4 with +1 counts: p1 = 5/5, p2 = 1/5, pooled 6/10 -> 0.8 / sqrt(0.6*0.4*(1/5+1/5))
    assert two_prop_test(4, 0, 4, 4) == pytest.approx(0.8 / math.sqrt(0.096))
    assert two_prop_test(4, 4, 4, 4) == 0.0  # pooled proportion 1: Polis returns 0


def test_representative_statements_of_hand_built_matrix():
    result = analyse(VOTES, groups=GROUPS)
    rep0, rep1 = result.repness[0], result.repness[1]

    # group 0: statement 0 passes (agree) and is also its best-agree statement
    assert [(r.statement, r.direction, r.best_agree) for r in rep0] == [(0, "agree", True)]
    r = rep0[0]
    assert (r.n_success, r.n_trials, r.n_agree) == (4, 4, 4)
    assert r.p_success == pytest.approx(5 / 6)
    assert r.p_test == pytest.approx(math.sqrt(5))
    assert r.repness == pytest.approx((5 / 6) / (1 / 6))
    assert r.repness_test == pytest.approx(0.8 / math.sqrt(0.096), rel=1e-6)  # stored single precision

    # group 1: statement 0 passes as disagree; its best-agree is statement 1 (everyone agreed), which
    # Polis still labels with the stronger of the two group-vs-rest tests (both 0 -> "disagree").
    assert [(r.statement, r.direction, r.best_agree) for r in rep1] == [(1, "disagree", True), (0, "disagree", False)]
    s0 = rep1[1]
    assert (s0.n_success, s0.n_trials) == (4, 4)
    assert s0.p_success == pytest.approx(5 / 6)
    assert s0.repness == pytest.approx(5.0)
    assert rep1[0].n_agree == 4


def _naive_stats(export):
    """Per (group, comment): na, nd, ns from the rating matrix, by plain loops."""
    last = {}
    for v in sorted(enumerate(export.votes), key=lambda iv: (iv[1].timestamp, iv[0])):
        last[(v[1].voter_id, v[1].comment_id)] = v[1].vote
    groups = export.groups()
    out = defaultdict(lambda: [0, 0, 0])
    for (p, c), vote in last.items():
        if p in groups:
            cell = out[(groups[p], c)]
            cell[0] += vote == 1
            cell[1] += vote == -1
            cell[2] += 1
    return out, sorted(set(groups.values()))


def test_repness_on_real_conversation_matches_direct_formulas(polis_export):
    export = polis_export("brexit-consensus")
    result = analyse(export.vote_rows(), export.moderation(), export.meta_ids(), groups=export.groups())
    counts, gids = _naive_stats(export)
    for g in gids:
        reps = result.repness[g]
        assert 1 <= len(reps) <= 5
        directions = [r.direction for r in reps]
        assert directions == sorted(directions)  # agrees before disagrees ("agree" < "disagree")
        for r in reps:
            na, nd, ns = counts[(g, r.statement)]
            rest = [counts[(h, r.statement)] for h in gids if h != g]
            rna, rnd, rns = (sum(x[i] for x in rest) for i in range(3))
            succ, rsucc = (na, rna) if r.direction == "agree" else (nd, rnd)
            assert (r.n_success, r.n_trials) == (succ, ns)
            assert r.p_success == pytest.approx((succ + 1) / (ns + 2))
            assert r.p_test == pytest.approx(2 * math.sqrt(ns + 1) * ((succ + 1) / (ns + 1) - 0.5))
            assert r.repness == pytest.approx(((succ + 1) / (ns + 2)) / ((rsucc + 1) / (rns + 2)))
            p1, p2 = (succ + 1) / (ns + 1), (rsucc + 1) / (rns + 1)
            pooled = (succ + rsucc + 2) / (ns + rns + 2)
            z = (p1 - p2) / math.sqrt(pooled * (1 - pooled) * (1 / (ns + 1) + 1 / (rns + 1)))
            assert r.repness_test == pytest.approx(z, rel=1e-6)
            if not r.best_agree:
                assert r.repness_test > Z90 and r.p_test > Z90  # passed Polis's 90 % tests
        # the non-best-agree statements are ordered by Polis's metric within each direction
        for direction in ("agree", "disagree"):
            metrics = [r.metric for r in reps if r.direction == direction and not r.best_agree]
            assert metrics == sorted(metrics, reverse=True)


def test_moderated_out_statements_are_never_representative():
    votes = VOTES + [(p, 3, 1, 3) for p in GROUP0] + [(p, 3, -1, 3) for p in GROUP1]
    result = analyse(votes, moderation={3: -1}, groups=GROUPS)
    assert all(r.statement != 3 for reps in result.repness.values() for r in reps)
    unmoderated = analyse(votes, groups=GROUPS)
    assert any(r.statement == 3 for reps in unmoderated.repness.values() for r in reps)
    assert np.isfinite(unmoderated.consensus[3])
