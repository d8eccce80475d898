"""The API for reports, imports and exports: figures as JSON, every bad line refused with its number
(nothing written), a good file imported, exports streamed; and who may call each endpoint."""

import json

import pytest

from coproduce.timebank import services
from coproduce.timebank.models import TimebankMember

PERSONAS = ["anonymous", "citizen", "other_org", "staff", "broker", "org_admin", "platform_admin"]


@pytest.fixture
def coordinated(ledger, world):
    ledger.network.coordinator = world.other_group
    ledger.network.save()
    return ledger


ENDPOINTS = [
    #                                               anon cit other staff broker oadm padm
    ("get", "/api/v1/timebanks/millbrook/report", [401, 403, 403, 403, 200, 403, 200]),
    ("get", "/api/v1/timebanks/fernside/report", [401, 403, 200, 403, 403, 403, 200]),
    ("get", "/api/v1/timebank-networks/riverside/report", [401, 403, 200, 403, 403, 403, 200]),
    ("get", "/api/v1/timebanks/millbrook/exports/members?format=csv", [401, 403, 403, 403, 200, 403, 200]),
    ("get", "/api/v1/timebanks/millbrook/exports/transfers", [401, 403, 403, 403, 200, 403, 200]),
    ("post", "/api/v1/timebanks/millbrook/imports", [401, 403, 403, 403, 200, 403, 200]),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("method,url,codes", ENDPOINTS, ids=[e[1] for e in ENDPOINTS])
def test_endpoint_access(persona, method, url, codes, personas, api_as, coordinated):
    client = api_as(personas[persona])
    if method == "post":
        response = client.post(url, {"csv": "name\nNell\n", "dry_run": True}, content_type="application/json")
    else:
        response = client.get(url)
    assert response.status_code == codes[PERSONAS.index(persona)], (persona, url, response.status_code)
    if response.status_code in (401, 403):
        assert json.loads(response.content)["error"]["code"] in ("unauthenticated", "forbidden")
    assert not TimebankMember.objects.filter(person__name="Nell").exists()


def test_the_report_as_json(personas, api_as, ledger):
    bea = personas["broker"]
    services.transfer(bea, ledger.dan, ledger.carla, 60, "Lift")
    services.transfer(bea, ledger.dan, ledger.fay, 30, "Across", payee_timebank=ledger.other_bank)
    data = api_as(bea).get("/api/v1/timebanks/millbrook/report").json()
    assert data["totals"] == {"within": 60, "given": 0, "received": 30}
    assert data["active_members"] == 2 and len(data["months"]) == 12
    assert [m["name"] for m in data["only_give"]] == ["Carla Citizen"]
    assert data["flows"] == [{"giver_bank": "Fernside Timebank", "receiver_bank": "Millbrook Timebank",
                              "minutes": 30, "exchanges": 1}]
    assert data["social_value"]["minutes"] == 60
    response = api_as(bea).get("/api/v1/timebanks/millbrook/report?start=2025-05-01&end=2025-01-01")
    assert response.status_code == 400 and "end" in response.json()["error"]["fields"]


def test_an_import_with_bad_lines_is_refused_with_their_numbers(personas, api_as, ledger):
    client = api_as(personas["broker"])
    response = client.post("/api/v1/timebanks/millbrook/imports",
                           {"csv": "name,email\nAnn,ann@example.org\n,x@example.org\nBen,nope\n"},
                           content_type="application/json")
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert set(fields) == {"line 3", "line 4"} and "email" in fields["line 4"][0]
    assert not TimebankMember.objects.filter(person__name="Ann").exists()
    response = client.post("/api/v1/timebanks/millbrook/imports",
                           {"csv": "name,opening_balance_minutes\nAnn,30\n"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["imported"] == 1
    member = TimebankMember.objects.select_related("account").get(person__name="Ann")
    assert response.json()["lines"] == [{"line": 2, "name": "Ann", "member": member.pk, "problems": []}]
    assert member.account.balance_minutes == 30
    exported = b"".join(client.get("/api/v1/timebanks/millbrook/exports/members?format=json").streaming_content)
    assert "Ann" in [m["name"] for m in json.loads(exported)["items"]]
