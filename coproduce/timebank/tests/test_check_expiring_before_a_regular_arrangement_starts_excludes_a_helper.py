from datetime import date, timedelta

import pytest

from coproduce.timebank.matching import suggest_helpers
from coproduce.timebank.matching import testing as t

pytestmark = pytest.mark.pure


def test_check_valid_today_but_expiring_before_the_arrangement_starts_excludes_a_helper():
    starts = t.MONDAY_10 + timedelta(days=70)
    # valid when the broker looks (t.NOW), expired by the first session
    index = t.index(t.member(1, checks=(t.check(date(2030, 7, 1)),)), t.member(2, checks=(t.check(None),)))
    request = t.request(regular=True, involves_children=True, start=starts, end=starts + timedelta(hours=1))
    result = suggest_helpers(index, request, explain_exclusions=True)
    assert [s.member_id for s in result.suggestions] == [2]
    assert result.exclusions[1] and result.exclusions[1][0].code == "safeguarding_check_expired"


def test_check_issued_after_the_arrangement_starts_does_not_count():
    index = t.index(t.member(1, checks=(t.check(date(2032, 1, 1), issued=date(2030, 7, 1)),)))
    result = suggest_helpers(index, t.request(regular=True, involves_children=True), explain_exclusions=True)
    assert result.suggestions == ()
    assert result.exclusions[1][0].code == "safeguarding_check_not_yet_issued"


def test_check_expiring_during_an_arrangement_is_flagged_for_the_broker():
    index = t.index(t.member(1, checks=(t.check(date(2030, 9, 1)),)))
    request = t.request(regular=True, involves_children=True, until=date(2030, 12, 31))
    (s,) = suggest_helpers(index, request).suggestions
    assert ("check_expires_during_arrangement", {"expires": "2030-09-01"}) in s.flags


def test_one_off_work_with_children_needs_no_safeguarding_check():
    index = t.index(t.member(1))
    assert [s.member_id for s in suggest_helpers(index, t.request(involves_children=True)).suggestions] == [1]
