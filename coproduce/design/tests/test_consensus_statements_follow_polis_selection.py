import math

import pytest

from coproduce.design.analysis import analyse

pytestmark = pytest.mark.pure


def test_polis_consensus_selection_over_all_participants():
    # 10 participants; statement 0: 9 agree 1 disagree; statement 1: 6 agree 4 disagree;
    # statement 2: all disagree; statement 3: all agree but moderated out.
    votes = []
    for p in range(10):
        votes += [(p, 0, 1 if p else -1, 0), (p, 1, 1 if p < 6 else -1, 0), (p, 2, -1, 0), (p, 3, 1, 0)]
    r = analyse(votes, moderation={3: -1})
    agree = r.consensus_statements["agree"]
    assert [c.statement for c in agree] == [0]  # 1: pa = 7/12 but z = 2*sqrt(11)*(7/11-1/2) = 0.905 < 1.2816
    c = agree[0]
    assert (c.n_success, c.n_trials) == (9, 10)
    assert c.p_success == pytest.approx(10 / 12)
    assert c.p_test == pytest.approx(2 * math.sqrt(11) * (10 / 11 - 0.5))
    assert [c.statement for c in r.consensus_statements["disagree"]] == [2]


def test_at_most_five_ordered_by_probability_times_test(polis_export):
    export = polis_export("brexit-consensus")
    r = analyse(export.vote_rows(), export.moderation())
    for direction in ("agree", "disagree"):
        chosen = r.consensus_statements[direction]
        assert 1 <= len(chosen) <= 5
        metrics = [c.p_success * c.p_test for c in chosen]
        assert metrics == sorted(metrics, reverse=True)
        assert all(c.p_success > 0.5 and c.p_test > 1.2816 for c in chosen)


def test_group_informed_lists_need_a_majority_in_every_group(polis_export):
    export = polis_export("brexit-consensus")
    r = analyse(export.vote_rows(), export.moderation(), groups=export.groups())
    listed = r.consensus_statements["group_informed"]["agree"]
    assert listed
    values = [x["group_informed_consensus"] for x in listed]
    assert values == sorted(values, reverse=True)
    assert all(r.consensus[x["comment_id"]] == x["group_informed_consensus"] for x in listed)
