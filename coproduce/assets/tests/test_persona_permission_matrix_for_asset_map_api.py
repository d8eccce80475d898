"""Every asset map endpoint, for every persona, through bearer tokens: grants and refusals.

Sam (staff at Social Care) and Ada (council administrator) support Dan; Bea (broker at the community
group) supports Carla; Otto administers Fernside Residents; Pat is a platform administrator."""

import pytest

PERSONAS = ["anonymous", "citizen", "other_org", "staff", "broker", "org_admin", "platform_admin"]


def row(method, url, body, *codes):
    return method, url, body, dict(zip(PERSONAS, codes, strict=True))


ASSET = {"name": "Tool library", "kind": "facility", "neighbourhood": "millbrook", "owner": "council"}
SUGGESTION = {"name": "Bench by the river", "kind": "place", "neighbourhood": "millbrook"}
MY_SKILL = {"kind": "skill", "description": "Baking bread", "category": "cooking"}
FOR_DAN = {"kind": "knowledge", "description": "Knows local history", "category": "tutoring", "person": "{dan}",
           "channel": "phone", "consent": True}
NEED_FOR_DAN = {"organisation": "social-care", "person": "{dan}", "category": "errands", "description": "Shopping",
                "neighbourhood": "millbrook", "consent_by": "person", "consent_channel": "phone"}
MATRIX = [
    #                                                                  anon cit other staff broker oadm padm
    row("get", "/api/v1/assets", None, 200, 200, 200, 200, 200, 200, 200),
    row("get", "/api/v1/assets?kind=place&q=hall", None, 200, 200, 200, 200, 200, 200, 200),
    row("get", "/api/v1/assets/{hall}", None, 200, 200, 200, 200, 200, 200, 200),
    row("get", "/api/v1/assets/{suggestion}", None, 403, 200, 403, 403, 403, 403, 200),
    row("get", "/api/v1/assets/999999", None, 404, 404, 404, 404, 404, 404, 404),
    row("post", "/api/v1/assets", ASSET, 401, 403, 403, 403, 403, 201, 201),
    row("post", "/api/v1/assets/suggestions", SUGGESTION, 401, 201, 201, 201, 201, 201, 201),
    row("get", "/api/v1/assets/capabilities", None, 200, 200, 200, 200, 200, 200, 200),
    row("post", "/api/v1/assets/capabilities", MY_SKILL, 401, 201, 201, 201, 201, 201, 201),
    row("post", "/api/v1/assets/capabilities", FOR_DAN, 401, 403, 403, 201, 403, 201, 201),
    row("get", "/api/v1/assets/capabilities/{dan_diy}/suggestions", None, 401, 403, 403, 200, 403, 200, 200),
    row("get", "/api/v1/assets/capabilities/{carla_gardening}/suggestions", None, 401, 403, 403, 403, 200, 403, 200),
    row("get", "/api/v1/assets/needs", None, 401, 200, 200, 200, 200, 200, 200),
    row("post", "/api/v1/assets/needs", NEED_FOR_DAN, 401, 403, 403, 201, 403, 201, 201),
    row("get", "/api/v1/assets/needs/{dan_need}", None, 401, 403, 403, 200, 403, 200, 200),
    row("get", "/api/v1/assets/needs/{community_need}", None, 401, 403, 200, 403, 403, 403, 200),
    row("get", "/api/v1/assets/needs/{dan_need}/suggestions", None, 401, 403, 403, 200, 403, 200, 200),
]


@pytest.mark.parametrize("method,url,body,expected", MATRIX, ids=[f"{r[0]} {r[1]} {r[2]}" for r in MATRIX])
def test_api_access(method, url, body, expected, personas, api_as, amap):
    """One row per endpoint; every persona is asked on it (one fixture build per row keeps this quick)."""
    ids = {"hall": amap.hall.pk, "suggestion": amap.suggestion.pk, "dan": amap.dan.pk, "dan_diy": amap.dan_diy.pk,
           "carla_gardening": amap.carla_gardening.pk, "dan_need": amap.dan_need.pk,
           "community_need": amap.community_need.pk}
    if isinstance(body, dict):
        body = {k: (ids[v[1:-1]] if isinstance(v, str) and v.startswith("{") else v) for k, v in body.items()}
    kwargs = {"content_type": "application/json", "data": body} if body is not None else {}
    for persona in PERSONAS:
        response = getattr(api_as(personas[persona]), method)(url.format(**ids), **kwargs)
        assert response.status_code == expected[persona], (persona, response.content[:300])
        if response.status_code >= 400:
            error = response.json()["error"]
            assert error["code"] in {"unauthenticated", "forbidden", "not_found"} and error["message"]
