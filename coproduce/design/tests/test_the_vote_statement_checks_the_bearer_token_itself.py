"""The fast lane does not look the caller up: it hands the raw bearer token to the vote's one statement
(`design.fastpath`), which applies `core.tokens`' rules itself — the token must be live (not revoked)
and its user active, or nothing is written and the view decides (401) — and refreshes the token's
`last_used_at` as `core.tokens.user_for_token` does. The vote is then one round trip to the database."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coproduce.core import services as core
from coproduce.core.models import ApiToken, AuditEntry
from coproduce.core.tests.wsgi_requests import call
from coproduce.design import services
from coproduce.design.models import Conversation, Vote, VoteEvent
from coproduce.fastlane import FastLane

pytestmark = pytest.mark.postgres
postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the one statement is PostgreSQL's")


def written():
    return VoteEvent.objects.count(), AuditEntry.objects.filter(action="vote.cast").count()


@pytest.fixture
def carla(conversation, personas):
    carla = personas["citizen"]
    services.cast_vote(carla, conversation, 0, 1)  # she has taken part: the statement decides her votes
    return carla


@postgres_only
def test_a_live_token_votes_and_a_revoked_token_or_an_inactive_user_writes_nothing(conversation, carla):
    token, raw = core.create_api_token(carla, carla, "app")
    cast = services.vote_statement(None, conversation.pk, 0, -1, token=raw)
    assert cast is not None and cast[0].user_id == carla.pk
    assert Vote.objects.get(participant__person=carla.person).value == -1
    entry = AuditEntry.objects.filter(action="vote.cast").latest("id")
    assert entry.actor_id == carla.pk and entry.channel == "api"
    before = written()
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    assert services.vote_statement(None, conversation.pk, 0, 1, token=raw) is None
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=None)
    carla.is_active = False
    carla.save(update_fields=["is_active"])
    assert services.vote_statement(None, conversation.pk, 0, 1, token=raw) is None
    assert services.vote_statement(None, conversation.pk, 0, 1, token="cp_not-a-token") is None
    assert services.vote_statement(None, conversation.pk, 0, 1, token=ApiToken.hash(raw)) is None  # the hash is no token
    assert written() == before
    assert Vote.objects.get(participant__person=carla.person).value == -1


@postgres_only
def test_the_statement_refreshes_last_used_at_as_the_token_check_does(conversation, carla):
    token, raw = core.create_api_token(carla, carla, "app")
    assert services.vote_statement(None, conversation.pk, 0, -1, token=raw) is not None
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None and timezone.now() - first < timedelta(seconds=30)
    assert services.vote_statement(None, conversation.pk, 1, -1, token=raw) is not None
    token.refresh_from_db()
    assert token.last_used_at == first  # within a minute: no write
    stale = timezone.now() - timedelta(minutes=5)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=stale)
    assert services.vote_statement(None, conversation.pk, 2, 1, token=raw) is not None
    token.refresh_from_db()
    assert token.last_used_at > stale + timedelta(minutes=4)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=stale, revoked_at=timezone.now())
    services.vote_statement(None, conversation.pk, 2, 0, token=raw)
    token.refresh_from_db()
    assert token.last_used_at == stale  # a revoked token is not touched


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_vote_through_the_fast_lane_is_one_statement(conversation, carla):
    from django.core.handlers.wsgi import WSGIHandler

    raw = core.create_api_token(carla, carla, "app")[1]
    app, path = FastLane(WSGIHandler()), f"/api/v1/design/conversations/{conversation.pk}/votes"
    headers = {"Authorization": f"Bearer {raw}"}
    assert call(app, "POST", path, b'{"statement": 0, "vote": -1}', headers, written).status == 200  # prepares
    Conversation.objects.filter(pk=conversation.pk).update(analysis_pending=True)  # no analysis to ask for
    with CaptureQueriesContext(connection) as queries:
        answer = call(app, "POST", path, b'{"statement": 1, "vote": 1}', headers, lambda: None)
    assert answer.status == 200 and answer.json() == {"statement": 1, "vote": 1, "participant": 1}
    assert [q["sql"].split()[:2] for q in queries.captured_queries] == [["EXECUTE", "coproduce_design_vote"]]
