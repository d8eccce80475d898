"""The inspections API for every persona, plus Ivy (a trained inspector on the team) and Iris (a trained
inspector of the same council, not on the team): the public reads published reports; inspectors read and
record their own team's drafts; the organisers (the council) run everything; the inspected service's staff
see their actions and mark them done; the team closes and reopens them. Every refusal is asserted, and a
refused write changes nothing."""

from datetime import timedelta

import pytest

from coproduce.assessment import inspection_services as inspections
from coproduce.assessment.models import Finding, InspectionAction

PERSONAS = ["anonymous", "citizen", "inspector", "other_inspector", "staff", "other_org", "broker", "org_admin",
            "platform_admin"]
BASE = "/api/v1/assessment/inspections"


def row(method, url, *codes, body=None):
    return method, url, body, dict(zip(PERSONAS, codes, strict=True))


MATRIX = [
    # anonymous citizen inspector other_inspector staff other_org broker org_admin platform_admin
    row("get", "/reports", 200, 200, 200, 200, 200, 200, 200, 200, 200),
    row("get", "/visits/mine", 401, 200, 200, 200, 200, 200, 200, 200, 200),
    row("get", "/visits/{draft}", 403, 403, 200, 403, 403, 403, 403, 200, 200),
    row("get", "/visits/{published}", 200, 200, 200, 200, 200, 200, 200, 200, 200),
    row("post", "/visits/{draft}/items/{item}/finding", 401, 403, 200, 403, 403, 403, 403, 200, 200,
        body={"rating": "3", "notes": "Ramp fixed"}),
    # findings of a published report are final (the platform admin passes the permission, not the check)
    row("post", "/visits/{published}/items/{item}/finding", 401, 403, 403, 403, 403, 403, 403, 403, 400,
        body={"rating": "3"}),
    row("get", "/services/home-care/actions", 401, 403, 403, 403, 200, 403, 403, 200, 200),
    row("post", "/actions/{action}/done", 401, 403, 403, 403, 200, 403, 403, 200, 200, body={"note": "Done"}),
    row("post", "/actions/{action}/close", 401, 403, 200, 403, 403, 403, 403, 200, 200),
    row("post", "/actions/{closed_action}/reopen", 401, 403, 200, 403, 403, 403, 403, 200, 200),
]


@pytest.fixture
def ids(published, personas, world, care):
    from coproduce.conftest import make_user, member

    admin = published.admin
    draft = inspections.schedule_visit(admin, published.template, care, visit_on=published.today + timedelta(days=3),
                                       team=[published.ivy.person])
    inspections.record_finding(published.ivy, draft, published.items[0], rating=1)
    action = inspections.add_action(published.ivy, published.visit, description="Fix the ramp",
                                    due_on=published.today - timedelta(days=1))
    closed = inspections.add_action(published.ivy, published.visit, description="Train the staff",
                                    due_on=published.today + timedelta(days=30))
    inspections.close_action(admin, closed)
    iris = member(make_user("iris", name="Iris Inspector"), world.council, "inspector")
    inspections.record_training(admin, world.council, iris.person, course="Citizen inspector training",
                                trained_by="Testville Healthwatch", trained_on=published.today - timedelta(days=30))
    personas["inspector"], personas["other_inspector"] = published.ivy, iris
    return {"draft": draft.pk, "published": published.visit.pk, "item": published.items[0].pk,
            "action": action.pk, "closed_action": closed.pk}


def state():
    return (sorted(Finding.objects.values_list("visit_id", "item_id", "rating", "notes")),
            sorted(InspectionAction.objects.values_list("pk", "status")))


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("method,url,body,expected", MATRIX, ids=[f"{r[0]} {r[1]}" for r in MATRIX])
def test_endpoint_access(persona, method, url, body, expected, personas, api_as, ids):
    client = api_as(personas[persona])
    before = state()
    path = BASE + url.format(**ids)
    if method == "get":
        response = client.get(path)
    elif "finding" in url:
        response = client.post(path, body or {})
    else:
        response = client.post(path, body or {}, content_type="application/json")
    assert response.status_code == expected[persona], (persona, path, response.status_code, response.content)
    if response.status_code >= 400:
        assert "error" in response.json()
        assert state() == before
    elif method == "post":
        assert state() != before


def test_what_each_sees(personas, api_as, ids):
    public = api_as(None).get(f"{BASE}/visits/{ids['published']}").json()
    assert public["summary"] == "Mostly welcoming." and public["findings"][1]["notes"] == "Notes 4"
    assert public["findings"][0]["rating_label"] == "Needs improvement"
    assert public["team"] == [] and public["actions"] == []
    assert [v["id"] for v in api_as(None).get(f"{BASE}/reports").json()["items"]] == [ids["published"]]
    team = api_as(personas["inspector"]).get(f"{BASE}/visits/{ids['published']}").json()
    assert team["team"] == ["Ivy Inspector"] and {a["description"] for a in team["actions"]} == {
        "Fix the ramp", "Train the staff"}
    mine = api_as(personas["inspector"]).get(f"{BASE}/visits/mine").json()
    assert mine["count"] == 2 and {v["id"] for v in mine["items"]} == {ids["draft"], ids["published"]}
    assert api_as(personas["other_inspector"]).get(f"{BASE}/visits/mine").json()["count"] == 0
    actions = api_as(personas["staff"]).get(f"{BASE}/services/home-care/actions").json()["items"]
    assert [(a["description"], a["overdue"], a["status"]) for a in actions] == [
        ("Fix the ramp", True, "open"), ("Train the staff", False, "closed")]
