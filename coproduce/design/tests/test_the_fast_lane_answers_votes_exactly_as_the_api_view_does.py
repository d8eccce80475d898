"""`POST /api/v1/design/conversations/<id>/votes` through the WSGI application with the fast lane in
front gives what Django's view gives — status, headers, body and the database afterwards — for every
persona, accepted or refused (a members-only lab, a closed conversation, bad input, a bad token, a
session without its CSRF token, a foreign host). The fast lane answers only plain success itself
(on PostgreSQL, for a caller who has voted before); everything else falls through to the view."""

import pytest
from django.db import connection

from coproduce.core.models import AuditEntry
from coproduce.core.tests.wsgi_requests import both_ways
from coproduce.design import services
from coproduce.design.models import Vote, VoteEvent

PERSONAS = ["citizen", "other_org", "staff", "broker", "org_admin", "platform_admin"]
POSTGRES = connection.vendor == "postgresql"


def snapshot():
    return (
        sorted(Vote.objects.values_list("participant__number", "statement__number", "value", "conversation_id")),
        sorted(VoteEvent.objects.values_list("participant__number", "statement__number", "value", "channel")),
        list(AuditEntry.objects.order_by("id").values_list("action", "actor_id", "actor_label", "object_id",
                                                           "object_label", "channel", "organisation_id", "details")),
    )


@pytest.fixture
def setting(lab, conversation, personas, world, api_as):
    from coproduce.core import services as core

    staff = personas["staff"]
    members = services.create_lab(staff, world.service, title="Members only", participation="members",
                                  members_of=world.group)
    closed = services.create_conversation(staff, members, title="Members' views", moderation="post")
    services.add_seed_statement(staff, closed, "Members first")
    tokens = {name: core.create_api_token(personas[name], personas[name], "test")[1] for name in PERSONAS}
    return {"open": conversation, "members": closed, "tokens": tokens, "lab": lab}


def bearer(setting, persona):
    return {"Authorization": f"Bearer {setting['tokens'][persona]}"}


def url(conversation):
    return f"/api/v1/design/conversations/{conversation.pk}/votes"


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_second_vote_is_answered_alike_and_by_the_fast_lane_on_postgresql(persona, setting, personas):
    from coproduce.design.models import Participant

    voted = Participant.objects.filter(conversation=setting["open"], person__user=personas[persona]).exists()
    first = both_ways(url(setting["open"]), {"statement": 0, "vote": 1}, bearer(setting, persona), snapshot)
    assert first.answer.status == 200 and first.answer.json()["vote"] == 1
    assert first.fast == (POSTGRES and voted)  # a first vote creates the participant: the view's ORM path
    again = both_ways(url(setting["open"]), {"statement": 0, "vote": -1}, bearer(setting, persona), snapshot)
    assert again.answer.status == 200
    assert again.answer.json() == {"statement": 0, "vote": -1, "participant": first.answer.json()["participant"]}
    assert again.fast == POSTGRES
    assert Vote.objects.get(participant__number=first.answer.json()["participant"],
                            conversation=setting["open"]).value == -1


@pytest.mark.parametrize("persona,status", [("citizen", 200), ("other_org", 403), ("staff", 200),
                                            ("platform_admin", 200)])
def test_members_only_labs_refuse_alike(persona, status, setting):
    for vote in (1, 0):
        outcome = both_ways(url(setting["members"]), {"statement": 0, "vote": vote}, bearer(setting, persona),
                            snapshot)
        assert outcome.answer.status == status, outcome.answer.body
    if status == 403:
        assert outcome.answer.json()["error"]["code"] == "forbidden" and not outcome.fast


@pytest.mark.parametrize("body", [
    {"statement": 0, "vote": 2}, {"statement": 99, "vote": 1}, {"statement": 0}, {"statement": "0", "vote": 1},
    {"statement": 0, "vote": True}, {"statement": 0, "vote": 1.0}, {"statement": 0, "vote": 1, "extra": 1},
    [0, 1], b"not json", b"",
])
def test_bad_input_is_refused_alike_and_changes_nothing(body, setting):
    both_ways(url(setting["open"]), {"statement": 0, "vote": 1}, bearer(setting, "citizen"), snapshot)
    before = snapshot()
    outcome = both_ways(url(setting["open"]), body, bearer(setting, "citizen"), snapshot)
    if outcome.answer.status == 200:  # lax input the API accepts ("0", extra keys) is accepted alike
        assert not outcome.fast
    else:
        assert outcome.answer.status == 400 and not outcome.fast
        assert snapshot() == before


def test_a_closed_conversation_refuses_alike(setting, personas):
    both_ways(url(setting["open"]), {"statement": 0, "vote": 1}, bearer(setting, "citizen"), snapshot)
    services.set_stage(personas["staff"], setting["lab"], "synthesise")
    outcome = both_ways(url(setting["open"]), {"statement": 1, "vote": 1}, bearer(setting, "citizen"), snapshot)
    assert outcome.answer.status == 400 and not outcome.fast
    assert "finished gathering" in outcome.answer.json()["error"]["fields"]["conversation"][0]


def test_unknown_tokens_missing_tokens_and_unknown_conversations_are_refused_alike(setting):
    for headers, status in [({"Authorization": "Bearer cp_not-a-token"}, 401), ({}, 401),
                            ({"Authorization": "Basic abc"}, 401)]:
        outcome = both_ways(url(setting["open"]), {"statement": 0, "vote": 1}, headers, snapshot)
        assert outcome.answer.status == status and not outcome.fast
    missing = both_ways("/api/v1/design/conversations/999999/votes", {"statement": 0, "vote": 1},
                        bearer(setting, "citizen"), snapshot)
    assert missing.answer.status == 404 and not missing.fast


def test_a_revoked_token_or_an_inactive_user_is_refused_alike(setting, personas):
    from coproduce.core.models import ApiToken

    both_ways(url(setting["open"]), {"statement": 0, "vote": 1}, bearer(setting, "citizen"), snapshot)
    user = personas["citizen"]
    user.is_active = False
    user.save()
    outcome = both_ways(url(setting["open"]), {"statement": 0, "vote": -1}, bearer(setting, "citizen"), snapshot)
    assert outcome.answer.status == 401 and not outcome.fast
    user.is_active = True
    user.save()
    from django.utils import timezone

    ApiToken.objects.filter(user=user).update(revoked_at=timezone.now())
    outcome = both_ways(url(setting["open"]), {"statement": 0, "vote": -1}, bearer(setting, "citizen"), snapshot)
    assert outcome.answer.status == 401 and not outcome.fast


def test_a_session_without_its_csrf_token_and_a_foreign_host_are_refused_alike(setting, personas, client_as):
    from django.conf import settings

    client = client_as(personas["citizen"])
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    outcome = both_ways(url(setting["open"]), {"statement": 0, "vote": 1}, {"Cookie": cookie}, snapshot)
    assert outcome.answer.status == 403 and not outcome.fast
    headers = {**bearer(setting, "citizen"), "Host": "evil.example"}
    outcome = both_ways(url(setting["open"]), {"statement": 0, "vote": 1}, headers, snapshot)
    assert outcome.answer.status == 400 and not outcome.fast


def test_german_callers_get_the_same_answer_and_headers(setting):
    headers = {**bearer(setting, "citizen"), "Accept-Language": "de"}
    both_ways(url(setting["open"]), {"statement": 0, "vote": 1}, headers, snapshot)
    outcome = both_ways(url(setting["open"]), {"statement": 1, "vote": 0}, headers, snapshot)
    assert outcome.answer.headers["content-language"] == "de" and outcome.fast == POSTGRES
