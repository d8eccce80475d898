"""A campaign's results are computed from its observations once and served from the cache until they
change: recording, correcting or withdrawing an observation, erasing a volunteer's free text and
adding a measure all show in the very next results (page, API and engine figures alike)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coproduce.assessment import monitoring_data
from coproduce.assessment import monitoring_services as monitoring
from coproduce.core.services import erase_person


def record(river, actor, ph, notes=""):
    return monitoring.record_observation(
        actor, river.campaign, values={river.ph.field: ph, river.temp.field: "10", river.turbidity.field: "clear",
                                       river.notes.field: notes},
        observed_at=timezone.now() - timedelta(hours=2), location="The weir", minutes_spent=15)


def summary(results, measure):
    return next(m for m in results["measures"] if m["id"] == measure.pk)


def observation_reads(campaign):
    with CaptureQueriesContext(connection) as queries:
        results = monitoring_data.results(campaign)
    return results, sum(1 for q in queries if "assessment_observation" in q["sql"])


@pytest.fixture
def reading(river, personas):
    return record(river, personas["citizen"], "7", notes="Foam by Mr Jones's outfall")


def test_results_are_read_once_until_an_observation_is_recorded(river, personas, reading):
    first, first_reads = observation_reads(river.campaign)
    assert first_reads > 0 and summary(first, river.ph)["mean"] == 7
    again, reads = observation_reads(river.campaign)
    assert reads == 0 and summary(again, river.ph) == summary(first, river.ph)
    record(river, personas["citizen"], "8")
    after, reads = observation_reads(river.campaign)
    assert reads == first_reads and summary(after, river.ph)["mean"] == 7.5 and after["observations"] == 2


def test_a_correction_and_a_withdrawal_show_in_the_next_results(river, personas, reading, client_as):
    carla = personas["citizen"]
    assert summary(monitoring_data.results(river.campaign), river.ph)["mean"] == 7
    monitoring.correct_observation(carla, reading, values={river.ph.field: "6", river.temp.field: "10",
                                                           river.turbidity.field: "clear"},
                                   observed_at=reading.observed_at, location="The weir", minutes_spent=15)
    assert summary(monitoring_data.results(river.campaign), river.ph)["mean"] == 6
    api = client_as(None).get(f"/api/v1/assessment/campaigns/{river.campaign.slug}/aggregates").json()
    assert api["observations"] == 1
    monitoring.withdraw_observation(carla, reading, reason="Strip was out of date")
    assert monitoring_data.results(river.campaign)["observations"] == 0
    api = client_as(None).get(f"/api/v1/assessment/campaigns/{river.campaign.slug}/aggregates").json()
    assert api["observations"] == 0


def test_erasing_a_volunteer_blanks_their_text_in_the_cached_results(river, personas, reading):
    assert summary(monitoring_data.results(river.campaign), river.notes)["count"] == 1
    erase_person(personas["platform_admin"], personas["citizen"].person)
    after = monitoring_data.results(river.campaign)
    assert summary(after, river.notes)["count"] == 0 and after["observations"] == 1  # the reading still counts


def test_a_measure_added_while_open_shows_in_the_next_results(river, personas, reading):
    assert len(monitoring_data.results(river.campaign)["measures"]) == 5
    smell = monitoring.add_measure(river.bea, river.campaign, name="Smell", kind="yes_no")
    after = monitoring_data.results(river.campaign)
    assert len(after["measures"]) == 6 and summary(after, smell)["count"] == 0
