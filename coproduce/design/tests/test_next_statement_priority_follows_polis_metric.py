from collections import Counter

import pytest

from coproduce.design.analysis import analyse
from coproduce.design.analysis.priority import META_PRIORITY, choose_next, importance, priority

pytestmark = pytest.mark.pure


def test_priority_formula_by_hand():
    # A=1, P=0, S=1, E=0: p = 1/3, a = 2/3 -> importance 4/9; new-statement boost 1 + 8 * 2^(-1/5)
    assert importance(1, 0, 1, 0) == pytest.approx((1 - 1 / 3) * 1 * (2 / 3))
    assert priority(1, 0, 1, 0) == pytest.approx((4 / 9 * (1 + 8 * 2 ** (-1 / 5))) ** 2)
    # A=20, D=0, S=20 plus 3 passes: P = 3
    assert priority(18, 0, 21, 1.0) == pytest.approx(((1 - 4 / 23) * 2 * (19 / 23) * (1 + 8 * 2 ** (-21 / 5))) ** 2)
    assert priority(5, 5, 10, 3.0, is_meta=True) == META_PRIORITY**2


def test_new_divisive_and_unpassed_statements_come_first():
    assert priority(0, 0, 0, 0) > priority(10, 10, 20, 0)  # new beats much-voted
    assert priority(10, 10, 20, 2.0) > priority(10, 10, 20, 0.5)  # extreme (divisive) beats central
    assert priority(10, 0, 20, 1.0) < priority(20, 0, 20, 1.0)  # passes lower the priority


def test_analysis_gives_priorities_from_grouped_votes_and_extremity():
    votes = [(p, s, 1 if (p < 10) == (s % 2 == 0) else -1, 0) for p in range(20) for s in range(8)]
    votes += [(p, 8, 0, 1) for p in range(20)]  # statement 8 everybody passed
    r = analyse(votes, moderation={7: -1}, meta={6}, statements=range(10))
    assert 7 not in r.priorities  # moderated out: never shown
    assert r.priorities[6] == META_PRIORITY**2
    assert r.priorities[9] == pytest.approx(priority(0, 0, 0, 0))  # nobody voted yet
    a, d, s = 10, 10, 20
    assert r.priorities[0] == pytest.approx(float(priority(a, d, s, r.comment_extremity[0])))
    assert r.priorities[8] < r.priorities[0]


def test_weighted_choice_is_deterministic_and_follows_priorities():
    priorities = {"a": 1.0, "b": 9.0, "c": 0.0, "d": 90.0}
    assert choose_next(priorities, seed=4) == choose_next(dict(reversed(priorities.items())), seed=4)
    counts = Counter(choose_next(priorities, seed=seed) for seed in range(3000))
    assert "c" not in counts  # zero priority is never drawn
    assert counts["d"] > counts["b"] > counts["a"] > 0  # not uniform
    assert counts["d"] / 3000 == pytest.approx(0.9, abs=0.03)
    assert choose_next(priorities, exclude={"d", "b", "a"}) is None


def test_result_next_statement_skips_what_the_participant_voted_on():
    votes = [(p, s, 1, 0) for p in range(5) for s in range(3)]
    r = analyse(votes, statements=range(4))
    for seed in range(20):
        assert r.next_statement(voted={0, 1, 2}, seed=seed) == 3
