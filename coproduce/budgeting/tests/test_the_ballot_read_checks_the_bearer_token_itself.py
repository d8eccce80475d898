"""The fast lane does not look the caller up: it hands the raw bearer token to the ballot's one read
(`budgeting.fastpath.load_budget_for_token`), which applies `core.tokens`' rules itself — the token
must be live (not revoked) and its user active, or nothing is read and the view decides (401) — and
refreshes the token's `last_used_at` as `core.tokens.user_for_token` does. A ballot is then two round
trips to the database: the read and the write."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coproduce.budgeting.fastpath import load_budget_for_token
from coproduce.budgeting.models import Ballot
from coproduce.core import services as core
from coproduce.core.models import ApiToken
from coproduce.core.tests.wsgi_requests import call
from coproduce.fastlane import FastLane

pytestmark = pytest.mark.postgres


def test_a_live_token_reads_its_user_and_a_revoked_token_or_an_inactive_user_reads_nothing(pb, personas):
    carla = personas["citizen"]
    token, raw = core.create_api_token(carla, carla, "app")
    budget, person, user = load_budget_for_token(pb.city.pk, raw)
    assert (budget.pk, person.pk, user.pk) == (pb.city.pk, carla.person.pk, carla.pk)
    assert person.home_area_id == carla.person.home_area_id and user.is_active
    assert load_budget_for_token(pb.city.pk, "cp_not-a-token") == (None, None, None)
    assert load_budget_for_token(pb.city.pk, ApiToken.hash(raw)) == (None, None, None)  # the hash is no token
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    assert load_budget_for_token(pb.city.pk, raw) == (None, None, None)
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=None)
    carla.is_active = False
    carla.save(update_fields=["is_active"])
    assert load_budget_for_token(pb.city.pk, raw) == (None, None, None)


def test_the_read_refreshes_last_used_at_as_the_token_check_does(pb, personas):
    carla = personas["citizen"]
    token, raw = core.create_api_token(carla, carla, "app")
    load_budget_for_token(pb.city.pk, raw)
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None and timezone.now() - first < timedelta(seconds=30)
    load_budget_for_token(pb.city.pk, raw)
    token.refresh_from_db()
    assert token.last_used_at == first  # within a minute: no write
    stale = timezone.now() - timedelta(minutes=5)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=stale)
    load_budget_for_token(pb.city.pk, raw)
    token.refresh_from_db()
    assert token.last_used_at > stale + timedelta(minutes=4)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the one-statement write is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_a_ballot_through_the_fast_lane_is_two_statements(pb, personas, phase):
    from django.core.handlers.wsgi import WSGIHandler

    phase(pb.process, "vote")
    carla = personas["citizen"]
    raw = core.create_api_token(carla, carla, "app")[1]
    app, path = FastLane(WSGIHandler()), f"/api/v1/budgeting/budgets/{pb.city.pk}/ballot"
    headers = {"Authorization": f"Bearer {raw}"}
    first = f'{{"choices": [{pb.proposals["Skate park"].pk}]}}'.encode()
    assert call(app, "POST", path, first, headers, lambda: None).status == 200  # prepares both
    again = f'{{"choices": [{pb.proposals["Benches by the river"].pk}]}}'.encode()
    with CaptureQueriesContext(connection) as queries:
        answer = call(app, "POST", path, again, headers, lambda: None)
    assert answer.status == 200, answer.body
    assert [q["sql"].split()[:2] for q in queries.captured_queries] == [
        ["EXECUTE", "coproduce_budgeting_ballot_read"], ["EXECUTE", "coproduce_budgeting_ballot_write"]]
    assert list(Ballot.objects.values_list("choices", flat=True)) == [[pb.proposals["Benches by the river"].pk]]
