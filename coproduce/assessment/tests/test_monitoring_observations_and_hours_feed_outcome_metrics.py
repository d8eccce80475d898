"""Outcome metrics computed from real monitoring rows: observations recorded and minutes given, for the
organisation running the campaign, in the period observed, without withdrawn observations."""

from datetime import timedelta

from django.utils import timezone

from coproduce.assessment import monitoring_services as monitoring
from coproduce.outcomes import metrics


def test_observations_and_minutes_are_counted_per_period(personas, river, world):
    now = timezone.now()
    for hours, minutes in ((2, 30), (30, 45), (24 * 10, 20)):
        observation = monitoring.record_observation(
            personas["citizen"], river.campaign, values={river.ph.field: "7", river.temp.field: "9",
                                                         river.turbidity.field: "0"},
            observed_at=now - timedelta(hours=hours), location="Weir", minutes_spent=minutes)
    monitoring.withdraw_observation(river.bea, observation)  # the one ten days ago
    today = timezone.localdate()
    start, end = today - timedelta(days=5), today + timedelta(days=1)
    assert metrics.compute("assessment.monitoring_observations", world.group, start, end) == 2
    assert metrics.compute("assessment.monitoring_hours", world.group, start, end) == 75
    assert metrics.get("assessment.monitoring_hours").kind == "hours"
    assert metrics.compute("assessment.monitoring_observations", world.other_group, start, end) == 0
    assert metrics.compute("assessment.monitoring_observations", world.group, today - timedelta(days=30),
                           today - timedelta(days=5)) == 0
