from datetime import timedelta

import pytest

from coproduce.timebank.matching import suggest_helpers
from coproduce.timebank.matching import testing as t

pytestmark = pytest.mark.pure


def test_recently_asked_member_ranks_lower():
    index = t.index(
        t.member(1, last_asked=t.NOW - timedelta(days=2)),
        t.member(2, last_asked=t.NOW - timedelta(days=14)),
        t.member(3, last_asked=t.NOW - timedelta(days=60)),
        t.member(4),  # never asked
    )
    result = suggest_helpers(index, t.request())
    assert [s.member_id for s in result.suggestions] == [3, 4, 2, 1]  # 3 and 4 tie: lower id first
    assert ("asked_recently", {"days": 2}) in result.suggestions[-1].reasons
    assert ("never_asked", {}) in result.suggestions[1].reasons
