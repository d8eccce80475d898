"""Every co-design API endpoint, for every persona, through bearer tokens: grants and refusals."""

import pytest

from coproduce.design import services

PERSONAS = ["anonymous", "citizen", "other_org", "staff", "broker", "org_admin", "platform_admin"]


def row(method, url, body, *codes):
    return method, url, body, dict(zip(PERSONAS, codes, strict=True))


MATRIX = [
    #                                                                  anon cit other staff broker oadm padm
    row("get", "/api/v1/design/labs", None, 200, 200, 200, 200, 200, 200, 200),
    row("get", "/api/v1/design/labs/{lab}/conversations", None, 200, 200, 200, 200, 200, 200, 200),
    row("get", "/api/v1/design/conversations/{c}/statements", None, 200, 200, 200, 200, 200, 200, 200),
    row("get", "/api/v1/design/conversations/{c}/next", None, 200, 200, 200, 200, 200, 200, 200),
    row("get", "/api/v1/design/conversations/{c}/analysis", None, 200, 200, 200, 200, 200, 200, 200),
    row("get", "/api/v1/design/conversations/{c}/demographics", None, 200, 200, 200, 200, 200, 200, 200),
    row("get", "/api/v1/design/conversations/999999/demographics", None, 404, 404, 404, 404, 404, 404, 404),
    row("post", "/api/v1/design/conversations/{c}/votes", {"statement": 1, "vote": 1},
        401, 200, 200, 200, 200, 200, 200),
    row("post", "/api/v1/design/conversations/{members}/votes", {"statement": 0, "vote": -1},
        401, 200, 403, 200, 200, 200, 200),
    row("post", "/api/v1/design/conversations/{c}/statements", {"text": "More evening support"},
        401, 201, 201, 201, 201, 201, 201),
    row("post", "/api/v1/design/conversations/{members}/statements", {"text": "Members' idea"},
        401, 201, 403, 201, 201, 201, 201),
]


@pytest.fixture
def ids(lab, conversation, personas, world):
    staff = personas["staff"]
    services.cast_vote(staff, conversation, 0, 1)
    members = services.create_lab(staff, world.service, title="Members only", participation="members",
                                  members_of=world.group)
    c = services.create_conversation(staff, members, title="Members' views", moderation="post")
    services.add_seed_statement(staff, c, "Members first")
    return {"lab": lab.slug, "c": conversation.pk, "members": c.pk}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("method,url,body,expected", MATRIX, ids=[f"{r[0]} {r[1]}" for r in MATRIX])
def test_api_access(persona, method, url, body, expected, personas, api_as, ids):
    client = api_as(personas[persona])
    kwargs = {"content_type": "application/json", "data": body} if body is not None else {}
    response = getattr(client, method)(url.format(**ids), **kwargs)
    assert response.status_code == expected[persona], (persona, response.content[:300])
    if response.status_code >= 400:
        error = response.json()["error"]
        assert error["code"] in {"unauthenticated", "forbidden", "not_found"} and error["message"]


def test_bad_votes_are_refused_and_change_nothing(personas, api_as, ids):
    from coproduce.design.models import Vote, VoteEvent

    client = api_as(personas["citizen"])
    before = (Vote.objects.count(), VoteEvent.objects.count())
    url = f"/api/v1/design/conversations/{ids['c']}/votes"
    for body in ({"statement": 1, "vote": 2}, {"statement": 99, "vote": 1}, {"statement": 1}):
        response = client.post(url, body, content_type="application/json")
        assert response.status_code == 400 and response.json()["error"]["code"] == "invalid"
    assert (Vote.objects.count(), VoteEvent.objects.count()) == before


def test_votes_are_refused_once_the_lab_stops_gathering(personas, api_as, ids, lab):
    services.set_stage(personas["staff"], lab, "synthesise")
    response = api_as(personas["citizen"]).post(f"/api/v1/design/conversations/{ids['c']}/votes",
                                                {"statement": 1, "vote": 1}, content_type="application/json")
    assert response.status_code == 400
    assert "finished gathering" in response.json()["error"]["fields"]["conversation"][0]
