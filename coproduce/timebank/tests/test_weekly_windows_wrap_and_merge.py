from datetime import datetime

import pytest

from coproduce.timebank.matching.weekly import WEEK, minute_of_week, normalise, occasion_window

pytestmark = pytest.mark.pure


def test_weekly_windows_wrap_and_merge():
    assert normalise([(WEEK - 60, 60)]) == [(0, 60), (WEEK - 60, WEEK)]
    assert normalise([(100, 200), (150, 300), (300, 310), (0, 10)]) == [(0, 10), (100, 310)]
    assert normalise([(0, 2 * WEEK)]) == [(0, WEEK)]


def test_sunday_night_occasion_wraps_into_monday():
    sunday = datetime(2030, 6, 9, 23, 0)
    assert minute_of_week(sunday) == WEEK - 60
    assert occasion_window(sunday, datetime(2030, 6, 10, 1, 0)) == [(0, 60), (WEEK - 60, WEEK)]
