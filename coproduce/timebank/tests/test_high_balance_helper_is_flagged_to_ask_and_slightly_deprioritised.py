from datetime import timedelta

import pytest

from coproduce.timebank.matching import members_to_nudge, suggest_helpers
from coproduce.timebank.matching import testing as t

pytestmark = pytest.mark.pure


def test_high_balance_helper_is_flagged_to_ask_and_slightly_deprioritised():
    index = t.index(t.member(1, balance_minutes=60 * 60), t.member(2, balance_minutes=2 * 60))
    first, second = suggest_helpers(index, t.request()).suggestions
    assert (first.member_id, second.member_id) == (2, 1)
    assert ("nudge_to_ask", {"hours": 60}) in second.flags
    assert first.flags == ()
    assert first.score - second.score < 0.06  # slightly: never more than the balance weight


def test_members_who_only_give_are_listed_for_a_nudge():
    index = t.index(
        t.member(1, balance_minutes=30 * 60),
        t.member(2, balance_minutes=50 * 60),
        t.member(3, balance_minutes=50 * 60, last_requested=t.NOW - timedelta(days=10)),  # asked lately
        t.member(4, balance_minutes=3 * 60),
    )
    assert [(m, r.code) for m, r in members_to_nudge(index, t.NOW)] == [
        (2, "nudge_to_ask"),
        (1, "nudge_to_ask"),
    ]
