"""One person's votes on one statement sent several times at once through the fast lane (a double click,
a retrying app) leave one current vote: every request is answered, and the history keeps each vote
cast. PostgreSQL, real concurrent connections."""

import pytest
from django.db import connection

from coproduce.core import services as core
from coproduce.core.tests.wsgi_requests import at_once
from coproduce.design import services as design
from coproduce.design.models import Vote, VoteEvent

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrent connections"),
]
TIMES = 6


def test_one_persons_votes_sent_at_once_leave_one_current_vote(conversation, personas):
    carla = personas["citizen"]
    design.cast_vote(carla, conversation, 0, 1)  # she has taken part: her next votes take the fast lane
    raw = core.create_api_token(carla, carla, "app")[1]
    bodies = [f'{{"statement": 1, "vote": {(-1, 0)[i % 2]}}}'.encode() for i in range(TIMES)]
    statuses = at_once(f"/api/v1/design/conversations/{conversation.pk}/votes", bodies, raw)
    assert statuses == [200] * TIMES
    assert Vote.objects.filter(conversation=conversation, statement__number=1).count() == 1
    assert VoteEvent.objects.filter(conversation=conversation, statement__number=1).count() == TIMES
