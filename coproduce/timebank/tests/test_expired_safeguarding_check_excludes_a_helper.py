from datetime import date

import pytest

from coproduce.timebank.matching import suggest_helpers
from coproduce.timebank.matching import testing as t

pytestmark = pytest.mark.pure


def test_expired_safeguarding_check_excludes_a_helper():
    index = t.index(
        t.member(1, checks=(t.check(date(2030, 1, 1)),)),  # expired before the arrangement
        t.member(2, checks=(t.check(date(2031, 1, 1)),)),
        t.member(3, checks=(t.check(None),)),  # no expiry date set
        t.member(4),  # no check at all
    )
    request = t.request(regular=True, involves_children=True)
    result = suggest_helpers(index, request, explain_exclusions=True)
    assert [s.member_id for s in result.suggestions] == [2, 3]
    assert result.exclusions[1][0].code == "safeguarding_check_expired"
    assert result.exclusions[1][0].params["expires"] == "2030-01-01"
    assert result.exclusions[4][0].code == "no_safeguarding_check"


def test_a_check_expires_on_its_expiry_date():
    index = t.index(t.member(1, checks=(t.check(t.MONDAY_10.date()),)))
    request = t.request(regular=True, involves_vulnerable_adults=True)
    assert suggest_helpers(index, request).suggestions == ()


def test_a_check_must_cover_the_group_the_work_is_with():
    index = t.index(
        t.member(1, checks=(t.check(date(2031, 1, 1), children=False),)),
        t.member(2, checks=(t.check(date(2031, 1, 1), adults=False),)),
    )
    children = t.request(regular=True, involves_children=True)
    adults = t.request(regular=True, involves_vulnerable_adults=True)
    both = t.request(regular=True, involves_children=True, involves_vulnerable_adults=True)
    assert [s.member_id for s in suggest_helpers(index, children).suggestions] == [2]
    assert [s.member_id for s in suggest_helpers(index, adults).suggestions] == [1]
    assert suggest_helpers(index, both).suggestions == ()


def test_a_check_issued_on_the_start_date_counts():
    index = t.index(t.member(1, checks=(t.check(date(2031, 1, 1), issued=t.MONDAY_10.date()),)))
    request = t.request(regular=True, involves_children=True)
    assert [s.member_id for s in suggest_helpers(index, request).suggestions] == [1]
