"""The engine's `allowed` filter limits who (or which requests) are considered at all, in both
directions: refused members are neither suggested, counted nor explained, and ranking of the rest
is unchanged."""

import numpy as np
import pytest

from coproduce.timebank.matching import MemberIndex, NeedIndex, suggest_helpers, suggest_needs
from coproduce.timebank.matching.testing import ADJACENCY, CATEGORY_GROUPS, NOW, member, request

pytestmark = pytest.mark.pure


def test_helpers_outside_the_allowed_set_are_not_considered():
    index = MemberIndex.build([member(1), member(2, neighbourhood_id=2), member(3, windows=())],
                              ADJACENCY, CATEGORY_GROUPS)
    everyone = suggest_helpers(index, request(), now=NOW, explain_exclusions=True)
    assert [s.member_id for s in everyone.suggestions] == [1, 2, 3]
    limited = suggest_helpers(index, request(), now=NOW, explain_exclusions=True,
                              allowed=lambda ids: ids != 1)
    assert [s.member_id for s in limited.suggestions] == [2, 3]
    assert (limited.considered, limited.eligible) == (2, 2)
    assert [s.score for s in limited.suggestions] == [s.score for s in everyone.suggestions[1:]]
    none = suggest_helpers(index, request(), now=NOW, allowed=lambda ids: np.zeros(len(ids), dtype=bool))
    assert none.suggestions == () and none.considered == 0
    assert [n[0] for n in none.notes] == ["no_suitable_helpers"]


def test_excluded_members_outside_the_allowed_set_are_not_explained():
    index = MemberIndex.build([member(1), member(2, network_id=2)], ADJACENCY, CATEGORY_GROUPS)
    seen = suggest_helpers(index, request(), now=NOW, explain_exclusions=True)
    assert set(seen.exclusions) == {2}
    hidden = suggest_helpers(index, request(), now=NOW, explain_exclusions=True, allowed=lambda ids: ids == 1)
    assert hidden.exclusions == {}


def test_needs_outside_the_allowed_set_are_not_considered():
    index = NeedIndex.build([request(1), request(2, neighbourhood_id=2), request(3)], ADJACENCY, CATEGORY_GROUPS)
    helper = member(7)
    everyone = suggest_needs(index, helper, now=NOW)
    assert sorted(s.request_id for s in everyone.suggestions) == [1, 2, 3]
    limited = suggest_needs(index, helper, now=NOW, allowed=lambda ids: ids != 2)
    assert sorted(s.request_id for s in limited.suggestions) == [1, 3]
    assert (limited.considered, limited.eligible) == (2, 2)
