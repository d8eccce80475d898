"""The pure status engine, with hand-worked cases for each rule and edge case (see status.py)."""

from datetime import date
from decimal import Decimal as D

import pytest

from coproduce.outcomes.status import Status, assess, interpolate, planned_path

pytestmark = pytest.mark.pure

TODAY = date(2025, 7, 1)
BASE = (date(2024, 1, 1), D(40))  # 40 on 1 Jan 2024
TARGET = [(date(2026, 1, 1), D(60))]  # 60 by 1 Jan 2026: 731 days, +20


def up(readings, targets=TARGET, baseline=BASE, today=TODAY, better="up"):
    return assess(better=better, baseline=baseline, targets=targets, readings=readings, today=today)


def test_interpolation_by_days():
    # 1 Jan 2025 is 366 days into a 731-day segment: 40 + 20 * 366/731 = 50.0136...
    value = interpolate(BASE, TARGET[0], date(2025, 1, 1))
    assert value == D(40) + D(20) * D(366) / D(731)
    assert round(value, 4) == D("50.0137")
    assert interpolate(BASE, TARGET[0], date(2023, 1, 1)) == D(40)  # clamped before the start
    assert interpolate(BASE, TARGET[0], date(2027, 1, 1)) == D(60)  # and after the end


def test_on_track_when_at_or_ahead_of_the_path():
    result = up([(date(2025, 1, 1), D(51))])
    assert result.status is Status.ON_TRACK
    assert result.target == D(60) and result.target_date == date(2026, 1, 1)
    assert round(result.expected, 2) == D("50.01")


def test_at_risk_when_behind_by_at_most_a_tenth_of_the_planned_change():
    # expected 50.0137; actual 49 -> shortfall 1.0137 of a planned change of 20 = 5.1 % -> at risk
    result = up([(date(2025, 1, 1), D(49))])
    assert result.status is Status.AT_RISK
    assert round(result.gap, 3) == D("0.051")


def test_off_track_when_behind_by_more_than_a_tenth():
    # actual 47 -> shortfall 3.0137 / 20 = 15 % -> off track
    assert up([(date(2025, 1, 1), D(47))]).status is Status.OFF_TRACK


def test_exactly_ten_percent_behind_is_still_at_risk():
    # At the start of the segment the expected value is the baseline 40; 2 below = 10 % of 20.
    assert up([(date(2024, 1, 1), D(38))]).status is Status.AT_RISK
    assert up([(date(2024, 1, 1), D("37.99"))]).status is Status.OFF_TRACK


def test_achieved_when_the_final_target_is_met_even_early():
    result = up([(date(2024, 6, 1), D(60))])
    assert result.status is Status.ACHIEVED and result.reason == "target_met"


def test_only_the_latest_reading_counts():
    readings = [(date(2024, 6, 1), D(70)), (date(2025, 1, 1), D(45))]
    assert up(readings).status is Status.OFF_TRACK  # was achieved, fell back


def test_no_data_without_readings_or_targets():
    assert up([]).status is Status.NO_DATA and up([]).reason == "no_reading"
    result = up([(date(2025, 1, 1), D(50))], targets=[])
    assert result.status is Status.NO_DATA and result.reason == "no_target"


def test_readings_before_the_baseline_are_ignored():
    result = up([(date(2023, 6, 1), D(10)), (date(2023, 12, 31), D(39))])
    assert result.status is Status.NO_DATA and result.reason == "no_reading"
    # The pre-baseline reading does not become the judged one either.
    assert up([(date(2023, 6, 1), D(90)), (date(2025, 1, 1), D(47))]).status is Status.OFF_TRACK


def test_target_date_passed_and_not_met_is_off_track():
    # The latest reading is after the final target date.
    result = up([(date(2026, 3, 1), D(59))], today=date(2026, 4, 1))
    assert result.status is Status.OFF_TRACK and result.reason == "deadline_passed"
    # Or today is past the target date and the last reading (before it) did not meet it.
    result = up([(date(2025, 12, 1), D(59))], today=date(2026, 2, 1))
    assert result.status is Status.OFF_TRACK and result.reason == "deadline_passed"
    # Met after the date: achieved all the same.
    assert up([(date(2026, 3, 1), D(61))], today=date(2026, 4, 1)).status is Status.ACHIEVED


def test_direction_down():
    # Waiting time: 30 days at baseline, target 20 days by 1 Jan 2026. On 1 Jan 2025 expected 24.99.
    baseline, targets = (date(2024, 1, 1), D(30)), [(date(2026, 1, 1), D(20))]

    def down(value):
        return assess(better="down", baseline=baseline, targets=targets, readings=[(date(2025, 1, 1), D(value))],
                      today=TODAY)

    assert round(interpolate(baseline, targets[0], date(2025, 1, 1)), 2) == D("24.99")
    assert down(24).status is Status.ON_TRACK
    assert down("25.5").status is Status.AT_RISK  # 0.51 behind of a planned change of 10 = 5.1 %
    assert down(26).status is Status.OFF_TRACK  # 1.0068 / 10 = 10.07 %: just over the tolerance
    assert down(27).status is Status.OFF_TRACK  # 2.01 / 10 = 20 %
    assert down(20).status is Status.ACHIEVED
    assert down(19).status is Status.ACHIEVED  # lower is better: beating the target
    assert down(35).status is Status.OFF_TRACK


def test_direction_down_at_risk_boundary_by_hand():
    # Expected on 1 Jan 2025: 30 - 10 * 366/731 = 24.9932; 25.9 is 0.9068 behind = 9.07 % -> at risk.
    result = assess(better="down", baseline=(date(2024, 1, 1), D(30)), targets=[(date(2026, 1, 1), D(20))],
                    readings=[(date(2025, 1, 1), D("25.9"))], today=TODAY)
    assert result.status is Status.AT_RISK
    assert round(result.gap, 4) == D("0.0907")


def test_target_equal_to_baseline_means_keep_the_level():
    # Keep satisfaction at 80 %: scale is the target itself; 75 is 6.25 % below -> at risk; 70 off track.
    baseline, targets = (date(2024, 1, 1), D(80)), [(date(2026, 1, 1), D(80))]

    def keep(value):
        return assess(better="up", baseline=baseline, targets=targets, readings=[(date(2025, 1, 1), D(value))],
                      today=TODAY)

    assert keep(80).status is Status.ACHIEVED
    assert keep(75).status is Status.AT_RISK
    assert keep(70).status is Status.OFF_TRACK


def test_keep_at_zero_with_any_shortfall_is_off_track():
    # Lower is better, keep incidents at 0: any incident is off track.
    result = assess(better="down", baseline=(date(2024, 1, 1), D(0)), targets=[(date(2026, 1, 1), D(0))],
                    readings=[(date(2025, 1, 1), D(1))], today=TODAY)
    assert result.status is Status.OFF_TRACK


def test_no_baseline_uses_the_first_reading_as_an_implicit_baseline():
    targets = [(date(2026, 1, 1), D(60))]
    one = assess(better="up", baseline=None, targets=targets, readings=[(date(2024, 1, 1), D(40))], today=TODAY)
    assert one.status is Status.ON_TRACK and one.reason == "implicit_baseline"
    # From 40 on 1 Jan 2024: on 1 Jan 2025 expected 50.0137, actual 49 -> at risk (as with a baseline).
    two = assess(better="up", baseline=None, targets=targets,
                 readings=[(date(2024, 1, 1), D(40)), (date(2025, 1, 1), D(49))], today=TODAY)
    assert two.status is Status.AT_RISK


def test_intermediate_targets_make_segments():
    # 40 -> 50 by 2025-01-01 -> 60 by 2026-01-01. On 2025-07-02 (182 of 365 days into the second
    # segment) expected 50 + 10 * 182/365 = 54.986.
    targets = [(date(2025, 1, 1), D(50)), (date(2026, 1, 1), D(60))]
    result = up([(date(2025, 7, 2), D(55))], targets=targets, today=date(2025, 7, 2))
    assert result.status is Status.ON_TRACK
    assert round(result.expected, 3) == D("54.986")
    assert result.target == D(60)
    # A reading exactly on an intermediate target date is judged against that target.
    on_date = up([(date(2025, 1, 1), D(49))], targets=targets)
    assert on_date.target == D(50) and on_date.expected == D(50) and on_date.status is Status.AT_RISK


def test_integers_are_accepted_and_floats_refused():
    assert up([(date(2025, 1, 1), 55)]).status is Status.ON_TRACK
    with pytest.raises(TypeError):
        up([(date(2025, 1, 1), 55.0)])
    with pytest.raises(ValueError):
        up([(date(2025, 1, 1), D(55))], better="sideways")


def test_planned_path_starts_at_the_baseline_and_follows_the_targets():
    targets = [(date(2026, 1, 1), D(60)), (date(2025, 1, 1), D(50))]
    assert planned_path(BASE, targets) == [BASE, (date(2025, 1, 1), D(50)), (date(2026, 1, 1), D(60))]
    assert planned_path(None, targets)[0] == (date(2025, 1, 1), D(50))
