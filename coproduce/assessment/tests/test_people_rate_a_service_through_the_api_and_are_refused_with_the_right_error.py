"""PUT /api/v1/assessment/services/{slug}/rating gives or changes the caller's one rating of a service.
Bad stars, dimensions or comments are a 400 naming the field and change nothing; no token is a 401;
a service that does not take ratings, or a caller with no person, is a 403."""

import pytest

from coproduce.assessment.models import Rating, RatingSummary, Service
from coproduce.core.models import AuditEntry

URL = "/api/v1/assessment/services/home-care/rating"


def put(client, body):
    return client.put(URL, body, content_type="application/json")


def test_a_citizen_rates_a_service_and_changes_the_rating(personas, api_as, care):
    client = api_as(personas["citizen"])
    response = put(client, {"overall": 4, "dimensions": {"Kindness": 5}, "comment": "  Kind people. "})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["overall"], body["dimensions"], body["comment"]) == (4, {"Kindness": 5}, "Kind people.")
    rating = Rating.objects.get(service=care)
    assert rating.person == personas["citizen"].person and rating.channel == "api"
    response = put(client, {"overall": 2})
    assert response.status_code == 200 and response.json()["id"] == rating.pk
    summary = RatingSummary.objects.get(service=care)
    assert summary.count == 1 and summary.average == 2
    assert list(AuditEntry.objects.filter(action__startswith="rating.").order_by("id").values_list(
        "action", "channel")) == [("rating.create", "api"), ("rating.change", "api")]


@pytest.mark.parametrize("body,field", [
    ({"overall": 6}, "overall"),
    ({"overall": 0}, "overall"),
    ({"overall": "many"}, "overall"),
    ({}, "overall"),
    ({"overall": 4, "dimensions": {"Kindness": 9}}, "dimension_Kindness"),
    ({"overall": 4, "dimensions": {"Parking": 3}}, "dimension_Parking"),
    ({"overall": 4, "comment": "x" * 2001}, "comment"),
])
def test_bad_input_is_a_400_naming_the_field_and_changes_nothing(personas, api_as, care, body, field):
    client = api_as(personas["citizen"])
    assert put(client, {"overall": 3, "comment": "First"}).status_code == 200
    response = put(client, body)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and field in error["fields"], error
    rating = Rating.objects.get(service=care)
    assert (rating.overall, rating.comment) == (3, "First")
    assert RatingSummary.objects.get(service=care).count == 1
    assert AuditEntry.objects.filter(action__startswith="rating.").count() == 1


def test_without_a_valid_token_it_is_a_401(care, client):
    assert put(client, {"overall": 4}).status_code == 401
    bad = client.put(URL, {"overall": 4}, content_type="application/json",
                     headers={"Authorization": "Bearer not-a-token"})
    assert bad.status_code == 401 and bad.json()["error"]["code"] == "unauthenticated"
    assert not Rating.objects.exists()


@pytest.mark.parametrize("status", [Service.Status.DEFUNCT, Service.Status.TEMPORARILY_CLOSED])
def test_a_service_that_is_not_active_takes_no_rating_403(personas, api_as, care, status):
    Service.objects.filter(pk=care.pk).update(status=status)
    response = put(api_as(personas["citizen"]), {"overall": 4})
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
    assert not Rating.objects.exists()


def test_an_account_with_no_person_cannot_rate_403(api_as, care):
    from coproduce.core.models import User

    nobody = User.objects.create_user(username="robot", email="robot@example.org", password="correct horse battery")
    response = put(api_as(nobody), {"overall": 4})
    assert response.status_code == 403
    assert not Rating.objects.exists()


def test_an_unknown_service_is_a_404(personas, api_as, care):
    response = api_as(personas["citizen"]).put("/api/v1/assessment/services/nope/rating", {"overall": 4},
                                               content_type="application/json")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
