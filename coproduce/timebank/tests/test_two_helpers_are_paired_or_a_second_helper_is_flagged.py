import pytest

from coproduce.timebank.matching import suggest_helpers
from coproduce.timebank.matching import testing as t

pytestmark = pytest.mark.pure

MONDAY_10 = 600


def test_two_helpers_free_at_the_same_time_are_paired():
    index = t.index(
        t.member(1, windows=((MONDAY_10, MONDAY_10 + 30),)),
        t.member(2, windows=((MONDAY_10 + 30, MONDAY_10 + 60),)),  # never free with 1
        t.member(3, windows=((MONDAY_10, MONDAY_10 + 60),)),
    )
    result = suggest_helpers(index, t.request(home_visit=True, helpers_needed=2))
    assert not result.needs_second_helper
    assert [p.member_ids for p in result.pairs] == [(1, 3), (2, 3)]
    assert result.pairs[0].together_percent == 50
    assert all(("needs_two_helpers", {}) in s.flags for s in result.suggestions)


def test_request_needing_two_helpers_with_only_one_available_is_marked():
    index = t.index(t.member(1), t.member(2, category=12))
    result = suggest_helpers(index, t.request(home_visit=True, helpers_needed=2))
    assert [s.member_id for s in result.suggestions] == [1]
    assert result.pairs == ()
    assert result.needs_second_helper
    assert ("needs_second_helper", {}) in result.notes
