"""The monitoring aggregates engine against a table worked out by hand.

Six readings of a river (pH, temperature, turbidity choice, litter yes/no), three volunteers:

| day        | where        | who | min | pH  | temp | turbidity | litter |
|------------|--------------|-----|-----|-----|------|-----------|--------|
| Mon 1 Jun  | Mill weir    | a   | 30  | 7.2 | 14   | clear     | no     |
| Mon 1 Jun  | Old bridge   | b   | 20  | 6.8 | 15   | cloudy    | yes    |
| Tue 2 Jun  | mill  Weir   | a   | 30  | 7.0 | 13   | clear     | no     |
| Wed 3 Jun  | Old bridge   | c   | 45  | 6.5 | –    | murky     | yes    |
| Mon 8 Jun  | Mill weir    | b   | 25  | 7.4 | 16   | clear     | no     |
| Tue 9 Jun  | Mill weir    | a   | 40  | 7.1 | 15   | cloudy    | –      |

pH: n 6, sum 42.0, mean 7.00, sorted 6.5 6.8 7.0 7.1 7.2 7.4 → median (7.0+7.1)/2 = 7.05, min 6.5, max 7.4.
Temperature: n 5 (14 13 15 15 16 → sorted 13 14 15 15 16), mean 73/5 = 14.60, median 15.
Turbidity: clear 3, cloudy 2, murky 1 of 6 → 50.0 %, 33.3 %, 16.7 %.
Litter: yes 2, no 3 of 5 → 40.0 %, 60.0 %.
Weeks: 1 Jun (4 obs, 125 min, pH mean 27.5/4 = 6.875 → 6.88), 8 Jun (2 obs, 65 min, pH 7.25).
Locations: Mill weir (4: 7.2 7.0 7.4 7.1 → 7.175 → 7.18), Old bridge (2: 6.65).
Volunteers: a 3 obs 100 min, c 1 obs 45 min, b 2 obs 45 min (ties by key: b before c).
"""

from datetime import date
from decimal import Decimal as D

import pytest

from coproduce.assessment import monitoring_results as r

pytestmark = pytest.mark.pure

PH = r.MeasureSpec(1, "pH", "number")
TEMP = r.MeasureSpec(2, "Temperature", "number", unit="°C")
TURB = r.MeasureSpec(3, "Turbidity", "choice", ("clear", "cloudy", "murky"))
LITTER = r.MeasureSpec(4, "Litter", "yes_no")
NOTE = r.MeasureSpec(5, "Notes", "text")
MEASURES = [PH, TEMP, TURB, LITTER, NOTE]


def obs(day, where, who, minutes, ph, temp, turb, litter, note=None):
    return r.Obs(date(2026, 6, day), where, who, minutes,
                 {1: D(ph), 2: None if temp is None else D(temp), 3: turb, 4: litter, 5: note})


TABLE = [
    obs(1, "Mill weir", "a", 30, "7.2", "14", 0, False, "fish seen"),
    obs(1, "Old bridge", "b", 20, "6.8", "15", 1, True),
    obs(2, "mill  Weir", "a", 30, "7.0", "13", 0, False, "  "),
    obs(3, "Old bridge", "c", 45, "6.5", None, 2, True),
    obs(8, "Mill weir", "b", 25, "7.4", "16", 0, False),
    obs(9, "Mill weir", "a", 40, "7.1", "15", 1, None),
]


def test_per_measure_summaries():
    ph, temp, turb, litter, note = r.per_measure(MEASURES, TABLE)
    assert (ph["count"], ph["mean"], ph["median"], ph["min"], ph["max"]) == (6, D("7.00"), D("7.05"), D("6.5"),
                                                                              D("7.4"))
    assert (temp["count"], temp["mean"], temp["median"], temp["unit"]) == (5, D("14.60"), D("15"), "°C")
    assert [(o["label"], o["count"], o["share"]) for o in turb["options"]] == [
        ("clear", 3, D("50.0")), ("cloudy", 2, D("33.3")), ("murky", 1, D("16.7"))]
    assert [(o["label"], o["count"], o["share"]) for o in litter["options"]] == [("yes", 2, D("40.0")),
                                                                                  ("no", 3, D("60.0"))]
    assert note["count"] == 1


def test_by_day_and_by_week():
    days = r.by_period(MEASURES, TABLE, "day")
    assert [(row["key"], row["observations"], row["minutes"]) for row in days] == [
        (date(2026, 6, 1), 2, 50), (date(2026, 6, 2), 1, 30), (date(2026, 6, 3), 1, 45),
        (date(2026, 6, 8), 1, 25), (date(2026, 6, 9), 1, 40)]
    assert days[0]["means"][1] == D("7.00")
    assert days[2]["means"][2] is None  # no temperature on 3 June
    weeks = r.by_period(MEASURES, TABLE, "week")
    assert [(row["key"], row["observations"], row["minutes"], row["means"][1]) for row in weeks] == [
        (date(2026, 6, 1), 4, 125, D("6.88")), (date(2026, 6, 8), 2, 65, D("7.25"))]
    with pytest.raises(ValueError):
        r.by_period(MEASURES, TABLE, "month")


def test_by_location_merges_spelling_of_one_place():
    rows = r.by_location(MEASURES, TABLE)
    assert [(row["key"], row["observations"], row["means"][1]) for row in rows] == [
        ("Mill weir", 4, D("7.18")), ("Old bridge", 2, D("6.65"))]


def test_per_volunteer_totals():
    assert r.per_volunteer(TABLE) == [
        {"volunteer": "a", "observations": 3, "minutes": 100},
        {"volunteer": "b", "observations": 2, "minutes": 45},
        {"volunteer": "c", "observations": 1, "minutes": 45}]


def test_nothing_recorded_gives_empty_summaries():
    ph, _temp, turb, _litter, _note = r.per_measure(MEASURES, [])
    assert (ph["count"], ph["mean"], ph["median"], ph["min"]) == (0, None, None, None)
    assert [o["share"] for o in turb["options"]] == [D(0), D(0), D(0)]
    assert r.by_period(MEASURES, []) == [] and r.per_volunteer([]) == []
