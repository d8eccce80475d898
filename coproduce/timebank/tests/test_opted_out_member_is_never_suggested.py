from datetime import datetime, timedelta

import pytest

from coproduce.timebank.matching import OptOut, suggest_helpers
from coproduce.timebank.matching import testing as t

pytestmark = pytest.mark.pure


def test_opted_out_member_is_never_suggested():
    index = t.index(
        t.member(1, opt_outs=(t.holiday(t.MONDAY_10 - timedelta(days=1)),)),  # covers the occasion
        t.member(2, opt_outs=(t.holiday(t.MONDAY_10 + timedelta(days=3)),)),  # later: fine for a one-off
        t.member(3),
    )
    result = suggest_helpers(index, t.request(), explain_exclusions=True)
    assert [s.member_id for s in result.suggestions] == [2, 3]
    assert result.exclusions[1][0].code == "opted_out"


def test_opt_out_touching_only_the_end_of_the_occasion_still_excludes():
    opt_out = OptOut(t.MONDAY_10 + timedelta(minutes=59), t.MONDAY_10 + timedelta(days=2))
    index = t.index(t.member(1, opt_outs=(opt_out,)))
    assert suggest_helpers(index, t.request()).suggestions == ()


def test_holiday_during_the_first_weeks_of_a_regular_arrangement_excludes():
    index = t.index(t.member(1, opt_outs=(t.holiday(t.MONDAY_10 + timedelta(days=13)),)))  # 2nd week
    assert suggest_helpers(index, t.request(regular=True)).suggestions == ()


def test_opt_out_between_the_weekly_occasions_does_not_exclude():
    # Tuesday 00:00 to Sunday 23:00 of the first week; the arrangement is Mondays 10-11
    gap = OptOut(datetime(2030, 6, 4, 0, 0), datetime(2030, 6, 9, 23, 0))
    index = t.index(t.member(1, opt_outs=(gap,)))
    assert [s.member_id for s in suggest_helpers(index, t.request(regular=True)).suggestions] == [1]
