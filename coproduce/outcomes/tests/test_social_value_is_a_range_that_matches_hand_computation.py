"""Social value: hours valued at a low and a high hourly rate, against costs – checked by hand."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from coproduce.outcomes import metrics, queries, services
from coproduce.outcomes.socialvalue import CostLine, HoursLine, summarise, value_minor


@pytest.mark.pure
def test_the_arithmetic_by_hand():
    # 1,234 h 30 min = 74,070 minutes. Low £12.21/h: 74,070 × 1,221 / 60 = 1,507,324.5 p -> 1,507,325 p
    # (half up) = £15,073.25. High £17.50/h: 74,070 × 1,750 / 60 = 2,160,375 p = £21,603.75.
    hours = [HoursLine("Timebank exchanges", 60_000, "timebank.hours_exchanged"),
             HoursLine("Memory café volunteers", 14_070, "entered")]
    costs = [CostLine("Broker salary", 800_000), CostLine("Room hire", 120_000)]
    s = summarise(hours, costs, low_rate_minor=1221, high_rate_minor=1750)
    assert s.total_minutes == 74_070 and s.total_hours == Decimal("1234.50")
    assert s.value_low_minor == 1_507_325
    assert s.value_high_minor == 2_160_375
    assert s.total_cost_minor == 920_000
    assert (s.net_low_minor, s.net_high_minor) == (587_325, 1_240_375)
    # 1,507,325 / 920,000 = 1.63839... -> 1.64 ; 2,160,375 / 920,000 = 2.34823... -> 2.35
    assert (s.ratio_low, s.ratio_high) == (Decimal("1.64"), Decimal("2.35"))


@pytest.mark.pure
def test_rounding_half_up_and_no_costs():
    assert value_minor(1, 30) == 1  # 0.5 p -> 1 p
    assert value_minor(1, 29) == 0  # 0.483 p -> 0 p
    assert value_minor(90, 1000) == 1500
    s = summarise([HoursLine("x", 90, "entered")], [], low_rate_minor=1000, high_rate_minor=1000)
    assert s.ratio_low is None and s.net_low_minor == 1500
    with pytest.raises(ValueError):
        summarise([], [], low_rate_minor=2000, high_rate_minor=1000)
    with pytest.raises(ValueError):
        summarise([HoursLine("x", -5, "entered")], [], low_rate_minor=1, high_rate_minor=2)


def test_the_report_adds_hours_from_metrics_of_kind_hours_and_entered_hours(personas, world, client_as):
    sam = personas["staff"]

    def minutes_given(organisation, start, end):  # a stand-in for the timebank's future metric
        assert (start, end) == (date(2025, 1, 1), date(2026, 1, 1))  # the whole period, end day included
        return 6_000 if organisation == world.service else 0

    metrics.register("test.minutes_given", "Hours given in the timebank", minutes_given, kind="hours", replace=True)
    try:
        report = services.create_social_value_report(
            sam, world.service, title="Care 2025", period_start=date(2025, 1, 1), period_end=date(2025, 12, 31),
            low_rate_minor=1221, high_rate_minor=1750, rate_basis="Minimum wage to care worker pay.")
        services.add_hours(sam, report, label="Memory café volunteers", minutes=3_000)
        services.add_cost(sam, report, label="Room hire", amount_minor=50_000)
        s = queries.social_value_summary(report)
        # 9,000 min = 150 h; 150 × £12.21 = £1,831.50; 150 × £17.50 = £2,625.00; ratio 3.66 and 5.25.
        assert s.total_minutes == 9_000
        assert (s.value_low_minor, s.value_high_minor) == (183_150, 262_500)
        assert (s.ratio_low, s.ratio_high) == (Decimal("3.66"), Decimal("5.25"))
        page = client_as(sam).get(f"/outcomes/social-value/{report.pk}/").content.decode()
        assert "£1,831.50" in page and "£2,625.00" in page and "test.minutes_given" in page
        assert "Minimum wage to care worker pay." in page  # the assumption is shown
        printed = client_as(sam).get(f"/outcomes/social-value/{report.pk}/print/").content.decode()
        assert "£1,831.50" in printed and "£2,625.00" in printed and "£500.00" in printed
    finally:
        metrics.unregister("test.minutes_given")


def test_staff_enter_costs_and_hours_through_the_page_and_bad_input_is_refused(personas, world, client_as):
    sam = personas["staff"]
    report = services.create_social_value_report(sam, world.service, title="Q1", period_start=date(2025, 1, 1),
                                                 period_end=date(2025, 3, 31), low_rate_minor=1000,
                                                 high_rate_minor=2000)
    client = client_as(sam)
    url = f"/outcomes/social-value/{report.pk}/"
    assert client.post(url, {"form": "cost", "cost-label": "Tea", "cost-amount_minor": "12.50"}).status_code == 302
    assert client.post(url, {"form": "hours", "hours-label": "Paper timesheets", "hours-hours": "2",
                             "hours-extra_minutes": "30"}).status_code == 302
    assert report.costs.get().amount_minor == 1250 and report.extra_hours.get().minutes == 150
    bad = client.post(url, {"form": "cost", "cost-label": "Tea", "cost-amount_minor": "-1"})
    assert bad.status_code == 200 and report.costs.count() == 1
    with pytest.raises(ValidationError):
        services.create_social_value_report(sam, world.service, title="Bad", period_start=date(2025, 3, 1),
                                            period_end=date(2025, 1, 1), low_rate_minor=2000, high_rate_minor=1000)
