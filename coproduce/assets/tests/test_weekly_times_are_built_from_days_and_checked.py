"""Weekly times from a form (days and times) in the engine's minutes of the week, and their checks."""

from datetime import time

import pytest

from coproduce.assets import windows as weekly

pytestmark = pytest.mark.pure


def test_days_and_times_become_minutes_of_the_week():
    assert weekly.from_days([0, 5], time(9), time(12, 30)) == [[540, 750], [5 * 1440 + 540, 5 * 1440 + 750]]


def test_an_evening_running_past_midnight_ends_the_next_day():
    assert weekly.from_days([6], time(22), time(1)) == [[6 * 1440 + 1320, 6 * 1440 + 1320 + 180]]


@pytest.mark.parametrize("bad", [
    "Monday", [[1]], [[5, 5]], [[10, 2]], [[-1, 10]], [[0, 10081]], [[10080, 10090]], [["1", "2"]], [[True, 5]],
    [[0, 60]] * 51,
])
def test_bad_weekly_times_are_explained(bad):
    assert weekly.invalid(bad)


def test_good_weekly_times_pass_and_read_in_words():
    windows = [[540, 720], [10000, 10200]]  # the second wraps past Sunday midnight
    assert weekly.invalid(windows) is None
    assert weekly.describe([[540, 720]]) == ["Monday 09:00–12:00"]
