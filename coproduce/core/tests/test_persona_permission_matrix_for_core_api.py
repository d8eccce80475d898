"""Every core API endpoint, for every persona, through bearer tokens: grants and refusals."""

import pytest

PERSONAS = ["anonymous", "citizen", "other_org", "staff", "broker", "org_admin", "platform_admin"]


def row(method, url, body, *codes):
    return method, url, body, dict(zip(PERSONAS, codes, strict=True))


NEW_PERSON = {"name": "Nell Offline", "consent": True, "channel": "phone"}
MATRIX = [
    #                                                          anon cit  other staff broker oadm padm
    row("get", "/api/v1/organisations", None, 200, 200, 200, 200, 200, 200, 200),
    row("get", "/api/v1/organisations/council", None, 200, 200, 200, 200, 200, 200, 200),
    row("get", "/api/v1/areas", None, 200, 200, 200, 200, 200, 200, 200),
    row("get", "/api/v1/topics", None, 200, 200, 200, 200, 200, 200, 200),
    row("get", "/api/v1/me", None, 401, 200, 200, 200, 200, 200, 200),
    row("get", "/api/v1/people", None, 401, 403, 200, 200, 200, 200, 200),
    row("get", "/api/v1/people/{carla}", None, 401, 200, 403, 403, 200, 403, 200),
    row("patch", "/api/v1/people/{carla}", {"phone": "0123"}, 401, 200, 403, 403, 403, 403, 200),
    row("get", "/api/v1/people/{carla}/export", None, 401, 200, 403, 403, 403, 403, 200),
    row("post", "/api/v1/organisations", {"name": "New Group", "kind": "community_group"},
        401, 403, 403, 403, 403, 403, 201),
    row("post", "/api/v1/organisations", {"name": "New Team", "kind": "service", "parent": "council"},
        401, 403, 403, 403, 403, 201, 201),
    row("post", "/api/v1/organisations/timebank/people", NEW_PERSON, 401, 403, 403, 403, 201, 403, 201),
    row("get", "/api/v1/organisations/council/memberships", None, 401, 403, 403, 403, 403, 200, 200),
    row("post", "/api/v1/organisations/council/memberships", {"person": "{carla}", "role": "member"},
        401, 403, 403, 403, 403, 201, 201),
    row("post", "/api/v1/organisations/timebank/memberships", {"person": "{carla}", "role": "inspector"},
        401, 403, 403, 403, 403, 403, 201),
    row("get", "/api/v1/audit", None, 401, 403, 200, 403, 403, 200, 200),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("method,url,body,expected", MATRIX, ids=[f"{r[0]} {r[1]}" for r in MATRIX])
def test_api_access(persona, method, url, body, expected, personas, api_as):
    carla = personas["citizen"].person.pk
    client = api_as(personas[persona])
    if isinstance(body, dict):
        body = {k: (carla if v == "{carla}" else v) for k, v in body.items()}
    kwargs = {"content_type": "application/json", "data": body} if body is not None else {}
    response = getattr(client, method)(url.format(carla=carla), **kwargs)
    assert response.status_code == expected[persona], (persona, response.content[:300])
    if response.status_code >= 400:
        error = response.json()["error"]
        assert error["code"] in {"unauthenticated", "forbidden"} and error["message"]


def test_an_invalid_or_revoked_token_is_refused(personas, api_as):
    from django.test import Client

    from coproduce.core import services
    from coproduce.core.models import ApiToken

    bad = Client(headers={"Authorization": "Bearer cp_not-a-real-token"})
    assert bad.get("/api/v1/me").status_code == 401
    token, raw = services.create_api_token(personas["citizen"], personas["citizen"], "phone")
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    assert client.get("/api/v1/me").json()["name"] == "Carla Citizen"
    services.revoke_api_token(personas["citizen"], token)
    assert client.get("/api/v1/me").status_code == 401
    assert not ApiToken.objects.filter(key_hash=raw).exists(), "only a hash of the token is stored"


def test_a_public_endpoint_refuses_a_bad_token_rather_than_ignoring_it(personas):
    from django.test import Client

    response = Client(headers={"Authorization": "Bearer nope"}).get("/api/v1/organisations")
    assert response.status_code == 401
