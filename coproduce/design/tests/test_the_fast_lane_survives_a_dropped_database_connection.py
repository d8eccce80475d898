"""Connections persist between requests with health checks. The fast lane lets its first statement (the
token's SELECT) be the check instead of Django's extra `SELECT 1`; when the connection has died in
between, the vote still counts, once, on a fresh connection (PostgreSQL, real transactions)."""

import psycopg
import pytest
from django.db import connection

from coproduce.core import services as core
from coproduce.core.tests.wsgi_requests import environ
from coproduce.design import services
from coproduce.design.models import VoteEvent
from coproduce.fastlane import FastLane

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL connections"),
]


def post(app, path, body: bytes, token):
    got = {}

    def start_response(status, headers, exc_info=None):
        got["status"] = int(status.split()[0])

    chunks = app(environ("POST", path, body, {"Authorization": f"Bearer {token}"}), start_response)
    content = b"".join(chunks)
    if hasattr(chunks, "close"):
        chunks.close()
    return got["status"], content


def test_a_vote_on_a_dropped_connection_counts_once_and_a_live_one_needs_no_extra_check(
        conversation, personas, monkeypatch):
    from django.core.handlers.wsgi import WSGIHandler

    citizen = personas["citizen"]
    services.cast_vote(citizen, conversation, 0, 1)
    raw = core.create_api_token(citizen, citizen, "test")[1]
    app = FastLane(WSGIHandler())
    path = f"/api/v1/design/conversations/{conversation.pk}/votes"
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 600)
    monkeypatch.setitem(connection.settings_dict, "CONN_HEALTH_CHECKS", True)
    connection.close()
    assert post(app, path, b'{"statement": 0, "vote": -1}', raw)[0] == 200  # opens the connection

    checks = []
    is_usable = connection.is_usable
    monkeypatch.setattr(connection, "is_usable", lambda: checks.append(1) or is_usable())
    assert post(app, path, b'{"statement": 1, "vote": 1}', raw)[0] == 200
    assert checks == []  # the live connection was reused without a `SELECT 1`

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    db = connection.settings_dict
    with psycopg.connect(dbname=db["NAME"], host=db["HOST"] or None, port=db["PORT"] or None,
                         user=db["USER"] or None, password=db["PASSWORD"] or None, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])
    status, body = post(app, path, b'{"statement": 2, "vote": 0}', raw)
    assert status == 200, body
    assert list(VoteEvent.objects.filter(statement__number=2).values_list("value", flat=True)) == [0]
    assert VoteEvent.objects.count() == 4
