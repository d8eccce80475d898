"""Every timebank endpoint, for every persona, through bearer tokens: grants and refusals.

Bea brokers Millbrook; Otto administers the organisation behind Fernside (so he manages that bank
only); Carla is a Millbrook member; Sam (staff at a council service) and Ada (council administrator)
have nothing to do with either bank."""

import pytest

from coproduce.timebank import services

PERSONAS = ["anonymous", "citizen", "other_org", "staff", "broker", "org_admin", "platform_admin"]


def row(method, url, body, *codes):
    return method, url, body, dict(zip(PERSONAS, codes, strict=True))


EXCHANGE_FOR_DAN = {"payer": "{dan}", "payee": "{cafe}", "minutes": 15, "reason": "Tea"}
EXCHANGE_FOR_CARLA = {"payer": "{carla}", "payee": "{dan}", "minutes": 15, "reason": "Gardening"}
MATRIX = [
    #                                                                 anon cit other staff broker oadm padm
    row("get", "/api/v1/timebanks/millbrook", None, 200, 200, 200, 200, 200, 200, 200),
    row("get", "/api/v1/timebanks/millbrook/books", None, 401, 403, 403, 403, 200, 403, 200),
    row("get", "/api/v1/timebanks/millbrook/members", None, 401, 403, 403, 403, 200, 403, 200),
    row("get", "/api/v1/timebanks/millbrook/members/{carla}", None, 401, 200, 403, 403, 200, 403, 200),
    row("get", "/api/v1/timebanks/millbrook/members/{dan}", None, 401, 403, 403, 403, 200, 403, 200),
    row("get", "/api/v1/timebanks/fernside/members/{fay}", None, 401, 403, 200, 403, 403, 403, 200),
    row("get", "/api/v1/timebanks/millbrook/transfers", None, 401, 200, 403, 403, 200, 403, 200),
    row("get", "/api/v1/timebanks/millbrook/transfers?member={carla}", None, 401, 200, 403, 403, 200, 403, 200),
    row("get", "/api/v1/timebanks/millbrook/transfers?member={dan}", None, 401, 403, 403, 403, 200, 403, 200),
    row("get", "/api/v1/timebanks/millbrook/transfers/{dans_transfer}", None, 401, 403, 403, 403, 200, 403, 200),
    row("get", "/api/v1/timebanks/millbrook/transfers/{carlas_transfer}", None, 401, 200, 403, 403, 200, 403, 200),
    row("post", "/api/v1/timebanks/millbrook/transfers", EXCHANGE_FOR_DAN, 401, 403, 403, 403, 201, 403, 201),
    row("post", "/api/v1/timebanks/millbrook/transfers", EXCHANGE_FOR_CARLA, 401, 201, 403, 403, 201, 403, 201),
    row("post", "/api/v1/timebanks/millbrook/donations", {"donor": "{carla}", "minutes": 5},
        401, 201, 403, 403, 201, 403, 201),
    row("post", "/api/v1/timebanks/millbrook/transfers/{dans_transfer}/reverse", {"reason": "Mistake"},
        401, 403, 403, 403, 201, 403, 201),
    row("post", "/api/v1/timebanks/millbrook/members", {"name": "Nell"}, 401, 403, 403, 403, 201, 403, 201),
    row("post", "/api/v1/timebanks/fernside/members", {"name": "Nell"}, 401, 403, 201, 403, 403, 403, 201),
    row("patch", "/api/v1/timebanks/millbrook/members/{dan}", {"overdraft_limit_minutes": 30},
        401, 403, 403, 403, 200, 403, 200),
    row("post", "/api/v1/timebanks", {"name": "New Bank", "slug": "new-bank"}, 401, 403, 403, 403, 403, 403, 201),
    row("post", "/api/v1/timebanks", {"name": "Council Bank", "slug": "council-bank", "organisation": "council"},
        401, 403, 403, 403, 403, 201, 201),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("method,url,body,expected", MATRIX, ids=[f"{r[0]} {r[1]}" for r in MATRIX])
def test_api_access(persona, method, url, body, expected, personas, api_as, ledger):
    bea = personas["broker"]
    ids = {
        "carla": ledger.carla.pk, "dan": ledger.dan.pk, "cafe": ledger.cafe.pk, "fay": ledger.fay.pk,
        "dans_transfer": services.transfer(bea, ledger.dan, ledger.cafe, 30, "Soup").pk,
        "carlas_transfer": services.transfer(bea, ledger.carla, ledger.dan, 20, "Lift").pk,
    }
    client = api_as(personas[persona])
    if isinstance(body, dict):
        body = {k: (ids[v[1:-1]] if isinstance(v, str) and v.startswith("{") else v) for k, v in body.items()}
    kwargs = {"content_type": "application/json", "data": body} if body is not None else {}
    response = getattr(client, method)(url.format(**ids), **kwargs)
    assert response.status_code == expected[persona], (persona, response.content[:300])
    if response.status_code >= 400:
        error = response.json()["error"]
        assert error["code"] in {"unauthenticated", "forbidden"} and error["message"]
