"""Bad transfers through the API get a 4xx error in the foundation's format naming the field, and
nothing is written."""

import pytest

from coproduce.core.models import AuditEntry
from coproduce.timebank.models import Account, Timebank, TimebankMember, Transfer

JSON = {"content_type": "application/json"}


@pytest.fixture
def unchanged(ledger):
    def snapshot():
        return (Transfer.objects.count(), TimebankMember.objects.count(), Timebank.objects.count(),
                AuditEntry.objects.exclude(action="apitoken.create").count(),
                sorted(Account.objects.values_list("pk", "balance_minutes")))

    return snapshot


def check(response, status, code, field=None):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"} and body["error"]["code"] == code and body["error"]["message"]
    if field is not None:
        assert field in body["error"]["fields"], body["error"]["fields"]


def post(client, body, slug="millbrook"):
    return client.post(f"/api/v1/timebanks/{slug}/transfers", body, **JSON)


@pytest.fixture
def bea(personas, api_as, ledger):
    from coproduce.timebank import services

    services.set_member_limits(personas["broker"], ledger.dan, overdraft_limit_minutes=60)
    return api_as(personas["broker"])


def test_bad_transfers(ledger, bea, unchanged):
    before = unchanged()
    ok = {"payer": ledger.dan.pk, "payee": ledger.carla.pk, "minutes": 10, "reason": "Shopping"}
    for minutes in (1.5, "10", 0, -10, True, None):
        check(post(bea, ok | {"minutes": minutes}), 400, "invalid", "minutes")
    check(post(bea, ok | {"minutes": 61}), 400, "invalid", "payer")  # overdraft limit
    check(post(bea, ok | {"payer": 999999}), 400, "invalid", "payer")
    check(post(bea, ok | {"payee": 999999}), 400, "invalid", "payee")
    check(post(bea, ok | {"payee": ledger.fay.pk}), 400, "invalid", "payee")  # not in this bank
    check(post(bea, ok | {"payee": ledger.dan.pk}), 400, "invalid", "payee")
    check(post(bea, ok | {"reason": ""}), 400, "invalid", "reason")
    check(post(bea, {k: v for k, v in ok.items() if k != "reason"}), 400, "invalid", "reason")
    check(post(bea, ok | {"payee_timebank": "atlantis"}), 400, "invalid", "payee_timebank")
    check(post(bea, ok | {"occurred_on": "2999-01-01"}), 400, "invalid", "occurred_on")
    check(post(bea, ok, slug="no-such-bank"), 404, "not_found")
    check(bea.post("/api/v1/timebanks/millbrook/transfers", "not json", **JSON), 400, "invalid")
    assert unchanged() == before


def test_cross_bank_refused_when_a_bank_does_not_allow_it(ledger, bea, personas, unchanged):
    from coproduce.timebank import services

    services.update_timebank(personas["other_org"], ledger.other_bank, allow_cross_bank=False)
    before = unchanged()
    body = {"payer": ledger.dan.pk, "payee": ledger.fay.pk, "minutes": 10, "reason": "x", "payee_timebank": "fernside"}
    check(post(bea, body), 400, "invalid", "payee_timebank")
    assert unchanged() == before


def test_bad_banks_and_members(ledger, personas, api_as, unchanged):
    before = unchanged()
    pat = api_as(personas["platform_admin"])
    check(pat.post("/api/v1/timebanks", {"name": "Dup", "slug": "millbrook"}, **JSON), 400, "invalid", "slug")
    check(pat.post("/api/v1/timebanks", {"name": "X", "slug": "x", "overdraft_limit_minutes": -1}, **JSON),
          400, "invalid", "overdraft_limit_minutes")
    check(pat.post("/api/v1/timebanks", {"name": "X", "slug": "x", "overdraft_limit_minutes": "60"}, **JSON),
          400, "invalid", "overdraft_limit_minutes")
    check(pat.post("/api/v1/timebanks", {"name": "X", "slug": "x", "network": "nope"}, **JSON),
          400, "invalid", "network")
    check(pat.post("/api/v1/timebanks", {"slug": "x"}, **JSON), 400, "invalid", "name")
    check(pat.post("/api/v1/timebanks/millbrook/members", {"email": "x@example.org"}, **JSON), 400, "invalid", "name")
    check(pat.post("/api/v1/timebanks/millbrook/members", {"name": "N", "email": "nope"}, **JSON),
          400, "invalid", "email")
    check(pat.post("/api/v1/timebanks/millbrook/members", {"name": "N", "agreement_accepted": False}, **JSON),
          400, "invalid", "agreement_accepted")
    check(pat.post("/api/v1/timebanks/millbrook/members", {"name": "N", "kind": "dragon"}, **JSON),
          400, "invalid", "kind")
    check(pat.post("/api/v1/timebanks/millbrook/members", {"person": ledger.carla.person_id}, **JSON),
          400, "invalid", "person")
    check(pat.get("/api/v1/timebanks/millbrook/members/999999"), 404, "not_found")
    check(pat.get(f"/api/v1/timebanks/millbrook/members/{ledger.fay.pk}"), 404, "not_found")
    assert unchanged() == before
