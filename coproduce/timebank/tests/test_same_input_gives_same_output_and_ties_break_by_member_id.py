import random

import pytest

from coproduce.timebank.matching import suggest_helpers
from coproduce.timebank.matching import testing as t

pytestmark = pytest.mark.pure


def test_ties_break_by_member_id():
    members = [t.member(i) for i in (42, 7, 19, 3, 25)]
    result = suggest_helpers(t.index(*members), t.request(), top=3)
    assert [s.member_id for s in result.suggestions] == [3, 7, 19]
    assert len({s.score for s in result.suggestions}) == 1


def test_same_input_gives_same_output_whatever_the_order_members_arrive_in():
    rng = random.Random(5)
    members = [
        t.member(
            i,
            neighbourhood_id=rng.choice([1, 2, 3, 4]),
            category=rng.choice([10, 11, 12]),
            completed_exchanges=rng.randint(0, 3),
            windows=((rng.randint(0, 900), 1000),),
        )
        for i in range(1, 60)
    ]
    request = t.request(tags=frozenset({"x"}))
    first = suggest_helpers(t.index(*members), request, top=15, explain_exclusions=True)
    rng.shuffle(members)
    second = suggest_helpers(t.index(*members), request, top=15, explain_exclusions=True)
    assert first == second
    assert suggest_helpers(t.index(*members), request, top=15, explain_exclusions=True) == second
    keys = [(-s.score, s.member_id) for s in first.suggestions]
    assert keys == sorted(keys)
