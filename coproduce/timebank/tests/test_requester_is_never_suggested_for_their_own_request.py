import pytest

from coproduce.timebank.matching import suggest_helpers, suggest_needs
from coproduce.timebank.matching import testing as t

pytestmark = pytest.mark.pure


def test_requester_is_never_suggested_for_their_own_request():
    index = t.index(t.member(1), t.member(2))
    result = suggest_helpers(index, t.request(requester_id=1), explain_exclusions=True)
    assert [s.member_id for s in result.suggestions] == [2]
    assert result.exclusions == {1: (("is_requester", {}),)}


def test_own_request_is_never_suggested_to_the_requester_in_reverse():
    needs = t.needs(t.request(1, requester_id=1), t.request(2, requester_id=2))
    result = suggest_needs(needs, t.member(1), now=t.NOW)
    assert [s.request_id for s in result.suggestions] == [2]
