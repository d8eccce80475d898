"""The co-commissioning API for every persona, asserting refusals in the JSON error format."""

import pytest

from coproduce.budgeting.models import Proposal

PERSONAS = ["anonymous", "citizen", "other_org", "staff", "broker", "org_admin", "platform_admin"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_reading_is_public(persona, personas, api_as, pb):
    client = api_as(personas[persona])
    assert client.get("/api/v1/budgeting/processes").json()["count"] == 1
    detail = client.get(f"/api/v1/budgeting/processes/{pb.process.slug}").json()
    assert detail["phase"] == "collect" and len(detail["budgets"]) == 3
    assert client.get(f"/api/v1/budgeting/processes/{pb.process.slug}/proposals").json()["count"] == 6


@pytest.mark.parametrize("persona,status", [("anonymous", 401), ("citizen", 201), ("other_org", 201),
                                            ("org_admin", 201)])
def test_proposing_needs_a_login(persona, status, personas, api_as, pb):
    response = api_as(personas[persona]).post(
        f"/api/v1/budgeting/processes/{pb.process.slug}/proposals",
        {"title": "Water fountain", "cost_estimate": 150_000, "area": "millbrook"}, content_type="application/json")
    assert response.status_code == status, response.content
    if status != 201:
        assert response.json()["error"]["code"] == "unauthenticated"
        assert not Proposal.objects.filter(title="Water fountain").exists()
    else:
        assert response.json()["budget_id"] == pb.north.pk


@pytest.mark.parametrize("persona,status", [("citizen", 403), ("staff", 403), ("org_admin", 201),
                                            ("platform_admin", 201)])
def test_proposals_on_someones_behalf_need_staff_of_the_organisation(persona, status, personas, api_as, pb):
    response = api_as(personas[persona]).post(
        f"/api/v1/budgeting/processes/{pb.process.slug}/proposals",
        {"title": "Phone idea", "channel": "phone", "on_behalf_of": personas["citizen"].person.pk},
        content_type="application/json")
    assert response.status_code == status, response.content
    if status == 403:
        assert response.json()["error"]["code"] == "forbidden"


@pytest.mark.parametrize("persona,status", [("anonymous", 403), ("citizen", 403), ("staff", 403), ("org_admin", 200)])
def test_results_before_the_results_phase_are_for_staff(persona, status, personas, api_as, pb, phase):
    from coproduce.budgeting import services

    phase(pb.process, "vote")
    if persona == "org_admin":
        services.request_tally(personas["org_admin"], pb.city)
    response = api_as(personas[persona]).get(f"/api/v1/budgeting/budgets/{pb.city.pk}/results")
    assert response.status_code == status, response.content
    if status == 200:
        assert response.json()["official"] is False
