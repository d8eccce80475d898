"""On PostgreSQL a ballot is written by one statement (`budgeting.fastpath.write_ballot`) after one read;
what it writes is what the ORM path (SQLite, voting codes) writes: the same ballot row and an audit
entry equal in content to the one `core.audit.record` writes. The statement refuses, writing nothing,
when the vote closed after the budget was read; a connection that lost its prepared statements prepares
them again; and a ballot through the API costs three statements (token, read, write)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.utils import timezone

from coproduce.budgeting import fastpath, services
from coproduce.budgeting.models import Ballot, Process
from coproduce.core import services as core_services
from coproduce.core.models import AuditEntry

BALLOT = ["budget_id", "voter_key", "choices", "points", "channel", "voter_area_id", "age_band"]
ENTRY = ["actor_id", "actor_label", "on_behalf_of_id", "channel", "action", "object_type", "object_id",
         "object_label", "organisation_id", "details"]


def written(budget):
    ballots = [{name: getattr(b, name) for name in BALLOT} for b in Ballot.objects.filter(budget=budget)]
    entries = [{name: getattr(e, name) for name in ENTRY} for e in AuditEntry.objects.filter(action="ballot.cast")]
    return ballots, entries


def cast(user, budget_id, choices, *, orm: bool, monkeypatch):
    with monkeypatch.context() as patch:
        if orm:
            patch.setattr(fastpath, "available", lambda: False)
        budget, person = fastpath.load_budget(budget_id, user.pk)
        user.__dict__.pop("_coproduce_person", None)
        user._coproduce_person = person
        return services.cast_ballot(user, budget, choices=choices, channel="api")


@pytest.mark.parametrize("replace", [False, True])
def test_the_fast_path_writes_the_ballot_and_entry_the_orm_path_writes(pb, personas, phase, monkeypatch, replace):
    phase(pb.process, "vote")
    carla = personas["citizen"]
    first = [pb.proposals["Skate park"].pk]
    second = [pb.proposals["Benches by the river"].pk, pb.proposals["Library late opening"].pk]
    results = {}
    for orm in (True, False):
        Ballot.objects.all().delete()
        AuditEntry.objects.filter(action="ballot.cast").delete()
        receipt = cast(carla, pb.city.pk, first, orm=orm, monkeypatch=monkeypatch)
        if replace:
            receipt = cast(carla, pb.city.pk, second, orm=orm, monkeypatch=monkeypatch)
        results[orm] = (receipt, written(pb.city))
    assert results[False] == results[True]
    receipt, (ballots, entries) = results[False]
    assert receipt["choices"] == (second if replace else first)
    assert len(ballots) == 1 and ballots[0]["choices"] == receipt["choices"] and ballots[0]["channel"] == "api"
    assert ballots[0]["age_band"] == "35-64" and ballots[0]["voter_area_id"] is not None
    assert len(entries) == (2 if replace else 1)
    assert entries[0]["actor_label"] == "Carla Citizen <carla>" and entries[0]["object_id"] == str(pb.city.pk)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_vote_that_closed_after_the_read_writes_nothing(pb, personas, phase):
    phase(pb.process, "vote")
    carla = personas["citizen"]
    budget, person = fastpath.load_budget(pb.city.pk, carla.pk)
    carla._coproduce_person = person
    Process.objects.filter(pk=pb.process.pk).update(vote_ends=timezone.now())  # closes between read and write
    with pytest.raises(ValidationError) as info:
        services.cast_ballot(carla, budget, choices=[pb.proposals["Skate park"].pk], channel="api")
    assert "budget" in info.value.message_dict
    assert not Ballot.objects.exists() and not AuditEntry.objects.filter(action="ballot.cast").exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_api_casts_a_ballot_in_three_statements_and_survives_lost_prepared_statements(
        pb, personas, phase, django_assert_num_queries):
    phase(pb.process, "vote")
    carla = personas["citizen"]
    _token, raw = core_services.create_api_token(carla, carla, "app")
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    url = f"/api/v1/budgeting/budgets/{pb.city.pk}/ballot"
    assert client.post(url, {"choices": [pb.proposals["Skate park"].pk]}, content_type="application/json").status_code == 200
    with django_assert_num_queries(3):  # the token, the read, the write (prepared on this connection)
        response = client.post(url, {"choices": [pb.proposals["Benches by the river"].pk]},
                               content_type="application/json")
    assert response.status_code == 200, response.content
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")  # what a pooler's session reset does
    response = client.post(url, {"choices": [pb.proposals["Library late opening"].pk]}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert list(Ballot.objects.values_list("choices", flat=True)) == [[pb.proposals["Library late opening"].pk]]
    assert AuditEntry.objects.filter(action="ballot.cast").count() == 3


@pytest.mark.postgres
def test_lost_prepared_statements_are_prepared_again_inside_a_callers_transaction(pb, personas, phase, monkeypatch):
    """Inside a transaction (a paper-ballot batch, the demo loader) the failed EXECUTE is rolled back
    to its own savepoint, so the retry and the rest of the transaction still work."""
    phase(pb.process, "vote")
    carla = personas["citizen"]
    cast(carla, pb.city.pk, [pb.proposals["Skate park"].pk], orm=False, monkeypatch=monkeypatch)
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    cast(carla, pb.city.pk, [pb.proposals["Benches by the river"].pk], orm=False, monkeypatch=monkeypatch)
    assert list(Ballot.objects.values_list("choices", flat=True)) == [[pb.proposals["Benches by the river"].pk]]
    assert AuditEntry.objects.filter(action="ballot.cast").count() == 2
