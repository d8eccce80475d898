"""A bank's settings, networks, agreement versions and categories, for every persona: grants and refusals.

Only the bank's administrators (Otto for Fernside) and platform administrators change a bank's settings,
publish its agreement or change its categories: Bea, who brokers Millbrook, is refused. Networks are
created by platform administrators. Carla (a Millbrook member) accepts the agreement herself; Bea records
it for Dan, who has no login."""

import pytest

from coproduce.testing import LOGIN, PERSONAS, assert_answer, row
from coproduce.timebank.models import AgreementVersion, Category, Network, Timebank

PAGES = [
    #                                                    anon   cit  other staff broker oadm padm
    row("/timebanks/millbrook/settings/", LOGIN, 403, 403, 403, 403, 403, 200),
    row("/timebanks/fernside/settings/", LOGIN, 403, 200, 403, 403, 403, 200),
    row("/timebanks/millbrook/agreement/", LOGIN, 403, 403, 403, 403, 403, 200),
    row("/timebanks/fernside/agreement/", LOGIN, 403, 200, 403, 403, 403, 200),
    row("/timebanks/millbrook/categories/", LOGIN, 403, 403, 403, 403, 403, 200),
    row("/timebanks/fernside/categories/", LOGIN, 403, 200, 403, 403, 403, 200),
    row("/timebanks/networks/new/", LOGIN, 403, 403, 403, 403, 403, 200),
    # a member accepts for themself; only members have an agreement to accept
    row("/timebanks/millbrook/agreement/accept/", LOGIN, 200, 403, 403, 403, 403, 403),
    row("/timebanks/millbrook/agreement/accept/?member={dan}", LOGIN, 403, 403, 403, 200, 403, 200),
    row("/timebanks/fernside/agreement/accept/?member={dan}", LOGIN, 404, 404, 404, 404, 404, 404),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url,expected", PAGES, ids=[r[0] for r in PAGES])
def test_page_access(persona, url, expected, personas, client_as, ledger):
    url = url.format(dan=ledger.dan.pk)
    assert_answer(client_as(personas[persona]).get(url), expected[persona], persona, url)


def api_row(method, url, body, *codes):
    return method, url, body, dict(zip(PERSONAS, codes, strict=True))


API = [
    #                                                                          anon cit other staff broker oadm padm
    api_row("patch", "/api/v1/timebanks/millbrook", {"hourly_value_low": 1000, "hourly_value_high": 1500},
            401, 403, 403, 403, 403, 403, 200),
    api_row("patch", "/api/v1/timebanks/fernside", {"allow_cross_bank": False}, 401, 403, 200, 403, 403, 403, 200),
    api_row("post", "/api/v1/timebank-networks", {"name": "Valley"}, 401, 403, 403, 403, 403, 403, 201),
    api_row("post", "/api/v1/timebanks/millbrook/agreements", {"version": "2", "text": "Be kind."},
            401, 403, 403, 403, 403, 403, 201),
    api_row("post", "/api/v1/timebanks/fernside/agreements", {"version": "1", "text": "Be kind."},
            401, 403, 201, 403, 403, 403, 201),
    api_row("post", "/api/v1/timebanks/millbrook/members/{carla}/agreement", None, 401, 200, 403, 403, 200, 403, 200),
    api_row("post", "/api/v1/timebanks/millbrook/members/{dan}/agreement", None, 401, 403, 403, 403, 200, 403, 200),
    api_row("get", "/api/v1/timebanks/millbrook/categories", None, 200, 200, 200, 200, 200, 200, 200),
    api_row("post", "/api/v1/timebanks/millbrook/categories", {"name": "Chopping logs", "group": "home"},
            401, 403, 403, 403, 403, 403, 201),
    api_row("post", "/api/v1/timebanks/fernside/categories", {"name": "Chopping logs", "group": "home"},
            401, 403, 201, 403, 403, 403, 201),
    api_row("post", "/api/v1/timebanks/millbrook/categories/{gardening}/hide", None,
            401, 403, 403, 403, 403, 403, 200),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("method,url,body,expected", API, ids=[f"{r[0]} {r[1]}" for r in API])
def test_api_access(persona, method, url, body, expected, personas, api_as, ledger):
    ids = {"carla": ledger.carla.pk, "dan": ledger.dan.pk,
           "gardening": Category.objects.get(timebank=None, slug="gardening").pk}
    kwargs = {"content_type": "application/json", "data": body} if body is not None else {}
    response = getattr(api_as(personas[persona]), method)(url.format(**ids), **kwargs)
    assert response.status_code == expected[persona], (persona, response.content[:300])
    if response.status_code >= 400:
        assert response.json()["error"]["code"] in {"unauthenticated", "forbidden"}


@pytest.mark.parametrize("persona", ["anonymous", "citizen", "other_org", "staff", "broker", "org_admin"])
def test_refused_posts_write_nothing(persona, personas, client_as, api_as, ledger):
    gardening = Category.objects.get(timebank=None, slug="gardening")
    client = client_as(personas[persona])
    client.post("/timebanks/millbrook/settings/", {
        "overdraft_limit_minutes": 1, "max_balance_minutes": 2, "hourly_value_low": "1",
        "hourly_value_high": "2", "network": ""})
    client.post("/timebanks/millbrook/agreement/", {"version": "9", "text": "Changed"})
    client.post("/timebanks/millbrook/categories/", {"name": "Chopping logs", "group": "home"})
    client.post(f"/timebanks/millbrook/categories/{gardening.pk}/hide/")
    client.post("/timebanks/networks/new/", {"name": "Valley", "slug": "valley"})
    api = api_as(personas[persona])
    api.patch("/api/v1/timebanks/millbrook", {"overdraft_limit_minutes": 1}, content_type="application/json")
    api.post("/api/v1/timebank-networks", {"name": "Hills"}, content_type="application/json")
    bank = Timebank.objects.get(slug="millbrook")
    assert (bank.overdraft_limit_minutes, bank.network_id, bank.hourly_value_low) == (600, ledger.network.pk, 0)
    assert not AgreementVersion.objects.filter(version="9").exists()
    assert not Category.objects.filter(slug="chopping-logs").exists()
    assert not bank.hidden_categories.exists()
    assert set(Network.objects.values_list("slug", flat=True)) == {"riverside"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_administrators_see_the_settings_link(persona, personas, client_as, ledger):
    html = client_as(personas[persona]).get("/timebanks/millbrook/").content.decode()
    assert ("/timebanks/millbrook/settings/" in html) is (persona == "platform_admin")
    html = client_as(personas[persona]).get("/timebanks/").content.decode()
    assert ("/timebanks/networks/new/" in html) is (persona == "platform_admin")
