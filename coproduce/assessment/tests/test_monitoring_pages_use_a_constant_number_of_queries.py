"""The campaign page with its results, a volunteer's observations and the coordinators' volunteers page
run the same number of queries for 2 observations as for 12 (no query per row)."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coproduce.assessment import monitoring_services as monitoring


def add(river, actor, n):
    for i in range(n):
        monitoring.record_observation(
            actor, river.campaign, values={river.ph.field: "7", river.temp.field: str(8 + i % 5),
                                           river.turbidity.field: str(i % 3), river.litter.field: "yes"},
            observed_at=timezone.now() - timedelta(days=i % 20, hours=1), location=f"Place {i % 4}",
            minutes_spent=10)


def count(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_queries_do_not_grow_with_observations(personas, river, client_as):
    carla, bea = client_as(personas["citizen"]), client_as(river.bea)
    base = f"/services/campaigns/{river.campaign.slug}"
    add(river, personas["citizen"], 2)
    before = (count(client_as(None), f"{base}/"), count(carla, f"{base}/mine/"), count(bea, f"{base}/volunteers/"))
    add(river, personas["citizen"], 10)
    after = (count(client_as(None), f"{base}/"), count(carla, f"{base}/mine/"), count(bea, f"{base}/volunteers/"))
    assert after == before
    assert before[0] <= 8


def test_the_csv_export_reads_observations_and_values_in_a_constant_number_of_queries(personas, river, client_as):
    url = f"/services/campaigns/{river.campaign.slug}/observations.csv"
    add(river, personas["citizen"], 2)
    before = (count(client_as(None), url), count(client_as(river.bea), url))
    add(river, personas["citizen"], 10)
    after = (count(client_as(None), url), count(client_as(river.bea), url))
    assert after == before
    rows = client_as(river.bea).get(url).content.decode().splitlines()
    assert len(rows) == 13 and "Carla Citizen" in rows[1]  # the coordinator's export names the volunteer
