"""The same voter's ballot sent several times at once through the fast lane (a double click, a retrying
app) is stored once: every request is answered, and the budget holds one ballot for that voter (the
last one written), with one audit entry per request. PostgreSQL, real concurrent connections."""

import pytest
from django.db import connection

from coproduce.budgeting.models import Ballot
from coproduce.core import services as core
from coproduce.core.models import AuditEntry
from coproduce.core.tests.wsgi_requests import at_once

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrent connections"),
]
TIMES = 6


def test_one_voters_ballots_sent_at_once_are_stored_once(pb, personas, phase):
    phase(pb.process, "vote")
    carla = personas["citizen"]
    raw = core.create_api_token(carla, carla, "app")[1]
    choices = [pb.proposals["Skate park"].pk, pb.proposals["Benches by the river"].pk]
    bodies = [f'{{"choices": [{choices[i % 2]}]}}'.encode() for i in range(TIMES)]
    statuses = at_once(f"/api/v1/budgeting/budgets/{pb.city.pk}/ballot", bodies, raw)
    assert statuses == [200] * TIMES
    assert Ballot.objects.filter(budget=pb.city).count() == 1
    assert Ballot.objects.get(budget=pb.city).choices in ([choices[0]], [choices[1]])
    assert AuditEntry.objects.filter(action="ballot.cast").count() == TIMES
