from datetime import date, timedelta

import pytest

from coproduce.timebank.matching import References, explain_member, render, suggest_helpers, violations
from coproduce.timebank.matching import testing as t

pytestmark = pytest.mark.pure


def _world():
    return t.index(
        t.member(1),
        t.member(
            2,
            opt_outs=(t.holiday(t.MONDAY_10 - timedelta(days=1)),),
            references=References(),
            checks=(t.check(date(2029, 1, 1)),),
        ),
        t.member(3, bank_id=2, bank_allows_cross_bank=False, neighbourhood_id=30),
        t.member(4, category=12),
        t.member(999),
    )


def test_excluded_members_come_with_reasons():
    request = t.request(regular=True, involves_children=True, sensitive=True)
    result = suggest_helpers(_world(), request, explain_exclusions=True)
    assert result.suggestions == ()
    # 3: its bank does not share members, so it is not even considered; 4 offers nothing that fits
    assert list(result.exclusions) == [1, 2, 999]
    assert [r.code for r in result.exclusions[2]] == [
        "opted_out",
        "safeguarding_check_expired",
        "no_references",
    ]
    assert render(result.exclusions[2][0]) == (
        "Has asked not to be contacted from 2030-06-02T10:00:00 to 2030-06-09T10:00:00"
    )
    for member_id, reasons in result.exclusions.items():
        assert reasons == tuple(violations(_world().records[member_id], request, t.index().policy))


def test_exclusions_can_be_limited_to_the_best_fitting_nearest_members():
    index = t.index(*(t.member(i, neighbourhood_id=1 if i < 5 else 7) for i in range(1, 11)))
    result = suggest_helpers(index, t.request(regular=True, involves_children=True), explain_exclusions=3)
    assert list(result.exclusions) == [1, 2, 3]


def test_a_broker_can_ask_about_one_member():
    index = _world()
    request = t.request()
    assert [r.code for r in explain_member(index, request, 4)] == ["no_matching_offer"]
    assert [r.code for r in explain_member(index, request, 2)] == ["opted_out"]
    assert explain_member(index, request, 1) == (("ranked", {"rank": 1, "eligible": 1}),)
