from unittest import mock

from django.db import OperationalError
from django.test import Client


def test_healthz_is_ok_when_the_database_answers(db):
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_healthz_is_503_when_the_database_fails(db):
    with mock.patch("coproduce.core.views.connection.cursor", side_effect=OperationalError("server closed")):
        response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}
