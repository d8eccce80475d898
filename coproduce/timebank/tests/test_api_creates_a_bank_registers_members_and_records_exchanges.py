"""The API contract: create a bank, register members, record exchanges (also across banks), read a
member and a paginated list of their transfers."""

from coproduce.core.models import Organisation, Person
from coproduce.timebank.models import Timebank

JSON = {"content_type": "application/json"}


def test_the_whole_contract(personas, api_as):
    pat = api_as(personas["platform_admin"])
    response = pat.post("/api/v1/timebanks", {"name": "Quayside Timebank", "slug": "quayside",
                                              "overdraft_limit_minutes": 120, "max_balance_minutes": 600}, **JSON)
    assert response.status_code == 201, response.content
    bank = response.json()
    assert bank["slug"] == "quayside" and bank["overdraft_limit_minutes"] == 120 and bank["max_balance_minutes"] == 600
    org = Organisation.objects.get(slug=bank["organisation"])
    assert org.kind == "voluntary" and Timebank.objects.get(slug="quayside").organisation == org

    response = pat.post("/api/v1/timebanks/quayside/members", {"name": "Nell Offline"}, **JSON)
    assert response.status_code == 201, response.content
    nell = response.json()
    assert nell["balance_minutes"] == 0 and nell["name"] == "Nell Offline" and nell["status"] == "active"
    assert Person.objects.get(pk=nell["person_id"]).is_assisted
    omar = pat.post("/api/v1/timebanks/quayside/members", {"name": "Omar", "email": "omar@example.org"},
                    **JSON).json()

    response = pat.post("/api/v1/timebanks/quayside/transfers",
                        {"payer": nell["id"], "payee": omar["id"], "minutes": 75, "reason": "Gardening"}, **JSON)
    assert response.status_code == 201, response.content
    transfer = response.json()
    assert transfer["payer"] == nell["id"] and transfer["payee"] == omar["id"] and transfer["minutes"] == 75

    got = pat.get(f"/api/v1/timebanks/quayside/members/{omar['id']}").json()
    assert got["id"] == omar["id"] and got["name"] == "Omar" and got["balance_minutes"] == 75

    page = pat.get(f"/api/v1/timebanks/quayside/transfers?member={nell['id']}&limit=1").json()
    assert page["count"] == 1 and page["items"][0]["id"] == transfer["id"]


def test_a_cross_bank_exchange_through_the_api(ledger, personas, api_as):
    bea = api_as(personas["broker"])
    response = bea.post("/api/v1/timebanks/millbrook/transfers",
                        {"payer": ledger.dan.pk, "payee": ledger.fay.pk, "minutes": 30, "reason": "Bike repair",
                         "payee_timebank": "fernside"}, **JSON)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "cross_bank" and body["payer"] == ledger.dan.pk and body["counterpart"]
    books = bea.get("/api/v1/timebanks/millbrook/books").json()
    assert books["clearing_minutes"] == 30 and books["network_clearing"] == {"fernside": -30, "millbrook": 30}


def test_an_organisation_admin_creates_a_bank_for_their_organisation(personas, api_as, world):
    otto = api_as(personas["other_org"])
    response = otto.post("/api/v1/timebanks", {"name": "Fernside Timebank", "slug": "fernside-tb",
                                               "organisation": "fernside"}, **JSON)
    assert response.status_code == 201 and response.json()["organisation"] == "fernside"
    # ... but not a new organisation, nor a bank for someone else's organisation
    assert otto.post("/api/v1/timebanks", {"name": "X", "slug": "x"}, **JSON).status_code == 403
    assert otto.post("/api/v1/timebanks", {"name": "Y", "slug": "y", "organisation": "council"},
                     **JSON).status_code == 403


def test_members_join_and_a_broker_approves(ledger, personas, api_as):
    from coproduce.conftest import make_user

    gill = make_user("gill", name="Gill Joiner")
    response = api_as(gill).post("/api/v1/timebanks/millbrook/join", {"accept_agreement": True}, **JSON)
    assert response.status_code == 201 and response.json()["status"] == "requested"
    assert response.json()["agreement_version"] == "1"
    member_id = response.json()["id"]
    approved = api_as(personas["broker"]).post(f"/api/v1/timebanks/millbrook/members/{member_id}/approve")
    assert approved.status_code == 200 and approved.json()["status"] == "active"


def test_limits_and_status_through_the_api(ledger, personas, api_as):
    bea = api_as(personas["broker"])
    response = bea.patch(f"/api/v1/timebanks/millbrook/members/{ledger.dan.pk}",
                         {"overdraft_limit_minutes": 30, "status": "suspended"}, **JSON)
    assert response.status_code == 200, response.content
    assert response.json()["overdraft_limit_minutes"] == 30 and response.json()["status"] == "suspended"
