"""Bad input to the API gets a clear 4xx error naming the field, and nothing is written."""

import pytest

from coproduce.core.models import AuditEntry, Membership, Organisation, Person


@pytest.fixture
def counts(db):
    def snapshot():
        return (Person.objects.count(), Organisation.objects.count(), Membership.objects.count(),
                AuditEntry.objects.exclude(action="apitoken.create").count())

    return snapshot


def check(response, status, code, field=None):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"} and body["error"]["code"] == code and body["error"]["message"]
    if field is not None:
        assert field in body["error"]["fields"], body["error"]["fields"]


def test_missing_field(personas, api_as, counts):
    before = counts()
    response = api_as(personas["broker"]).post("/api/v1/organisations/timebank/people", {"consent": True},
                                               content_type="application/json")
    check(response, 400, "invalid", "name")
    assert counts() == before


def test_wrong_type(personas, api_as, counts):
    before = counts()
    client = api_as(personas["broker"])
    check(client.post("/api/v1/organisations/timebank/people", {"name": "X", "consent": True, "birth_date": "soon"},
                      content_type="application/json"), 400, "invalid", "birth_date")
    check(client.post("/api/v1/organisations/timebank/memberships", {"person": "abc", "role": "member"},
                      content_type="application/json"), 400, "invalid", "person")
    check(client.post("/api/v1/organisations/timebank/people", "not json", content_type="application/json"),
          400, "invalid")
    assert counts() == before


def test_unknown_ids(personas, api_as, counts):
    before = counts()
    client = api_as(personas["platform_admin"])
    check(client.get("/api/v1/people/999999"), 404, "not_found")
    check(client.get("/api/v1/organisations/no-such-org"), 404, "not_found")
    check(client.post("/api/v1/organisations/council/memberships", {"person": 999999, "role": "member"},
                      content_type="application/json"), 404, "not_found")
    check(client.post("/api/v1/organisations", {"name": "X", "kind": "service", "parent": "nope"},
                      content_type="application/json"), 400, "invalid", "parent")
    check(client.post("/api/v1/organisations/timebank/people", {"name": "Y", "consent": True, "home_area": "atlantis"},
                      content_type="application/json"), 400, "invalid", "home_area")
    assert counts() == before


def test_values_the_service_refuses(personas, api_as, counts):
    before = counts()
    client = api_as(personas["platform_admin"])
    check(client.post("/api/v1/organisations", {"name": "X", "kind": "spaceship"}, content_type="application/json"),
          400, "invalid", "kind")
    check(client.post("/api/v1/organisations/timebank/people", {"name": "Y", "consent": False},
                      content_type="application/json"), 400, "invalid", "consent")
    check(client.post("/api/v1/organisations/timebank/people", {"name": "Y", "consent": True, "email": "nope"},
                      content_type="application/json"), 400, "invalid", "email")
    check(client.post("/api/v1/organisations/council/memberships",
                      {"person": personas["citizen"].person.pk, "role": "emperor"},
                      content_type="application/json"), 400, "invalid", "role")
    check(client.patch(f"/api/v1/people/{personas['citizen'].person.pk}", {"name": ""},
                       content_type="application/json"), 400, "invalid", "name")
    assert counts() == before


def test_duplicate_role_is_refused(personas, api_as, counts):
    client = api_as(personas["platform_admin"])
    body = {"person": personas["citizen"].person.pk, "role": "member"}
    check(client.post("/api/v1/organisations/timebank/memberships", body, content_type="application/json"),
          400, "invalid", "role")


def test_list_endpoints_are_paginated(personas, api_as):
    body = api_as(None).get("/api/v1/organisations?limit=2&offset=1").json()
    assert body["count"] == 4 and len(body["items"]) == 2
    assert [o["slug"] for o in body["items"]] == ["timebank", "social-care"]
