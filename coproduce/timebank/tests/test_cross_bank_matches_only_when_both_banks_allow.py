import pytest

from coproduce.timebank.matching import explain_member, suggest_helpers
from coproduce.timebank.matching import testing as t

pytestmark = pytest.mark.pure


def _world():
    return t.index(
        t.member(1, bank_id=1),
        t.member(2, bank_id=2, neighbourhood_id=20, bank_allows_cross_bank=True),
        t.member(3, bank_id=3, neighbourhood_id=30, bank_allows_cross_bank=False),
        t.member(4, bank_id=9, network_id=2, neighbourhood_id=90),  # another network
    )


def test_cross_bank_only_when_both_banks_allow():
    index = _world()
    sharing = suggest_helpers(index, t.request(bank_allows_cross_bank=True), explain_exclusions=True)
    assert [s.member_id for s in sharing.suggestions] == [1, 2]
    # banks that do not share, and other networks, are not even searched...
    assert 3 not in sharing.exclusions and 4 not in sharing.exclusions
    # ...but a broker asking about them is told why
    assert [r.code for r in explain_member(index, t.request(bank_allows_cross_bank=True), 3)] == [
        "cross_bank_not_allowed_by_helpers_bank"
    ]

    closed = suggest_helpers(index, t.request(bank_allows_cross_bank=False))
    assert [s.member_id for s in closed.suggestions] == [1]


def test_a_broker_can_ask_why_someone_from_another_bank_was_not_suggested():
    index = _world()
    request = t.request(bank_allows_cross_bank=False)
    assert [r.code for r in explain_member(index, request, 2)] == [
        "cross_bank_not_allowed_by_requesting_bank"
    ]
    assert [r.code for r in explain_member(index, request, 4)] == ["other_network"]
    assert [r.code for r in explain_member(index, request, 1)] == ["ranked"]


def test_helper_from_another_bank_is_told_apart_in_the_reasons():
    index = _world()
    (_, other) = suggest_helpers(index, t.request(bank_allows_cross_bank=True)).suggestions
    assert ("other_bank_in_network", {}) in other.reasons
