"""The monitoring API: campaigns and their measures, posting an observation (bad values get the JSON
error format naming the field, and nothing is written), coordinators posting a paper sheet for a
volunteer, and the aggregates."""

from datetime import timedelta

from django.utils import timezone

from coproduce.assessment.models import Observation

A = "/api/v1/assessment/campaigns"


def body(river, **changes):
    data = {"values": {river.ph.field: "7.4", river.temp.field: 12, river.turbidity.field: "cloudy",
                       river.litter.field: False},
            "observed_at": (timezone.now() - timedelta(hours=1)).isoformat(), "location": "Weir",
            "minutes_spent": 15}
    data.update(changes)
    return data


def test_campaigns_and_measures(personas, river, api_as):
    listing = api_as(None).get(A).json()
    assert listing["count"] == 1 and listing["items"][0]["slug"] == river.campaign.slug
    detail = api_as(None).get(f"{A}/{river.campaign.slug}").json()
    assert [m["field"] for m in detail["measures"]] == [river.ph.field, river.temp.field, river.turbidity.field,
                                                        river.litter.field, river.notes.field]
    assert detail["measures"][2]["choices"] == ["clear", "cloudy", "murky"]


def test_posting_observations_and_reading_aggregates(personas, river, api_as):
    client = api_as(personas["citizen"])
    url = f"{A}/{river.campaign.slug}/observations"
    bad = client.post(url, body(river, values={river.ph.field: "15", river.temp.field: 12}),
                      content_type="application/json")
    assert bad.status_code == 400
    fields = bad.json()["error"]["fields"]
    assert set(fields) == {river.ph.field, river.turbidity.field}
    assert Observation.objects.count() == 0
    made = client.post(url, body(river), content_type="application/json")
    assert made.status_code == 201 and made.json()["channel"] == "api" and not made.json()["on_behalf"]
    sheet = api_as(river.bea).post(url, body(river, volunteer=river.carla.pk, channel="paper",
                                             values={river.ph.field: "7.0", river.temp.field: "10",
                                                     river.turbidity.field: 0}),
                                   content_type="application/json")
    assert sheet.status_code == 201 and sheet.json()["on_behalf"]
    aggregates = api_as(None).get(f"{A}/{river.campaign.slug}/aggregates").json()
    assert (aggregates["observations"], aggregates["minutes"], aggregates["volunteers"]) == (2, 30, 1)
    ph = aggregates["measures"][0]
    assert (ph["mean"], ph["median"], ph["min"], ph["max"]) == ("7.20", "7.20", "7", "7.4")
    turbidity = aggregates["measures"][2]
    assert [(o["label"], o["count"], o["share"]) for o in turbidity["options"]] == [
        ("clear", 1, "50.0"), ("cloudy", 1, "50.0"), ("murky", 0, "0.0")]
    assert "per_volunteer" not in aggregates and "Carla" not in str(aggregates)
