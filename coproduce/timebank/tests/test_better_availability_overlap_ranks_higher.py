import pytest

from coproduce.timebank.matching import suggest_helpers
from coproduce.timebank.matching import testing as t

pytestmark = pytest.mark.pure

MONDAY_10 = 600  # minute of the week


def test_better_availability_overlap_ranks_higher():
    index = t.index(
        t.member(1, windows=((MONDAY_10 + 45, MONDAY_10 + 120),)),  # a quarter of the hour
        t.member(2, windows=((MONDAY_10, MONDAY_10 + 30),)),  # half
        t.member(3, windows=((0, 1440),)),  # all Monday
        t.member(4, windows=((2 * 1440, 3 * 1440),)),  # Wednesdays only
        t.member(5, windows=()),  # not recorded
    )
    result = suggest_helpers(index, t.request())
    # not recorded counts as half: ties with 2, who goes first by member id
    assert [s.member_id for s in result.suggestions] == [3, 2, 5, 1, 4]
    by_id = {s.member_id: s for s in result.suggestions}
    assert by_id[2].components["availability"] == 0.5
    assert ("partly_available", {"percent": 25}) in by_id[1].reasons
    assert ("not_usually_available", {}) in by_id[4].reasons
    assert ("availability_not_recorded", {}) in by_id[5].reasons


def test_weekly_pattern_of_a_regular_request_is_matched_against_windows():
    weekends = ((5 * 1440, 7 * 1440),)
    index = t.index(t.member(1, windows=weekends), t.member(2, windows=((0, 5 * 1440),)))
    saturday_morning = ((5 * 1440 + 600, 5 * 1440 + 720),)
    result = suggest_helpers(index, t.request(regular=True, weekly=saturday_morning))
    assert [s.member_id for s in result.suggestions] == [1, 2]
    assert result.suggestions[0].components["availability"] == 1.0
