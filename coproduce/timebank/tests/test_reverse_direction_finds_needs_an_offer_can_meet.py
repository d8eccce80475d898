from datetime import date

import pytest

from coproduce.timebank.matching import Offer, suggest_helpers, suggest_needs, violations
from coproduce.timebank.matching import testing as t

pytestmark = pytest.mark.pure


def _needs():
    return t.needs(
        t.request(1, category_id=10, neighbourhood_id=2),  # adjacent
        t.request(2, category_id=10),
        t.request(3, category_id=11),  # related
        t.request(4, category_id=13),  # unrelated: not considered
        t.request(5, category_id=10, regular=True, involves_children=True),  # needs a check
        t.request(6, category_id=10, requester_id=None, tags=frozenset({"tools"})),  # asset-map need
        t.request(7, category_id=10, bank_id=2, neighbourhood_id=40, bank_allows_cross_bank=False),
    )


def test_reverse_direction_finds_needs_an_offer_can_meet():
    helper = t.member(50)
    offer = Offer(500, 10, frozenset({"tools"}))
    result = suggest_needs(_needs(), helper, offer, now=t.NOW, explain_exclusions=True)
    assert [s.request_id for s in result.suggestions] == [6, 2, 1, 3]
    assert result.suggestions[0].reasons[:2] == (("same_category", {}), ("shared_tags", {"tags": ["tools"]}))
    assert [r.code for r in result.exclusions[5]] == ["no_safeguarding_check"]
    assert 7 not in result.exclusions  # its bank does not share: not searched
    codes = [r.code for r in violations(helper, _needs().records[7], _needs().policy)]
    assert codes == ["cross_bank_not_allowed_by_requesting_bank"]


def test_a_checked_helper_also_gets_the_regular_work_with_children():
    helper = t.member(50, checks=(t.check(date(2031, 1, 1)),))
    result = suggest_needs(_needs(), helper, now=t.NOW)
    assert 5 in [s.request_id for s in result.suggestions]


def test_reverse_scores_equal_forward_scores():
    helper = t.member(50, windows=((500, 640),), completed_exchanges=2, category=11)
    needs = _needs()
    index = t.index(helper)
    for s in suggest_needs(needs, helper, now=t.NOW).suggestions:
        (forward,) = suggest_helpers(index, needs.records[s.request_id], now=t.NOW).suggestions
        assert forward.score == s.score
        assert forward.components == s.components
        assert forward.reasons == s.reasons
