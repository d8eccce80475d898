from dataclasses import replace
from datetime import timedelta

import pytest

from coproduce.timebank.matching import Offer, suggest_helpers, suggest_needs
from coproduce.timebank.matching import testing as t

pytestmark = pytest.mark.pure


def test_index_updates_are_seen_by_the_next_query():
    index = t.index(t.member(1), t.member(2))
    index.upsert([t.member(3, neighbourhood_id=2), replace(index.records[1], offers=(Offer(11, 12),))])
    assert [s.member_id for s in suggest_helpers(index, t.request()).suggestions] == [2, 3]
    index.remove([2])
    assert [s.member_id for s in suggest_helpers(index, t.request()).suggestions] == [3]
    index.touch(3, last_asked=t.NOW - timedelta(days=1))
    (s,) = suggest_helpers(index, t.request()).suggestions
    assert ("asked_recently", {"days": 1}) in s.reasons
    assert len(index) == 2


def test_many_updates_compact_the_index_without_changing_results():
    members = [t.member(i, neighbourhood_id=i % 4) for i in range(1, 1500)]
    index = t.index(*members)
    for m in members[:1200]:
        index.upsert([replace(m, completed_exchanges=m.member_id % 7)])
    assert len(index.alive) < 2 * len(members)  # compacted along the way
    fresh = t.index(*index.records.values())
    assert suggest_helpers(index, t.request(), top=50) == suggest_helpers(fresh, t.request(), top=50)


def test_need_index_updates():
    needs = t.needs(t.request(1))
    needs.upsert([t.request(2, neighbourhood_id=2)])
    needs.remove([1])
    assert [s.request_id for s in suggest_needs(needs, t.member(5), now=t.NOW).suggestions] == [2]
