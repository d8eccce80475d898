"""On PostgreSQL a repeat vote through the API is cast by one SQL statement (`design.fastpath`); what
it writes is what `services.cast_vote` (the ORM path) writes for the same votes: the same current votes
(a later vote on a statement replaces the earlier one), the same history rows and audit entries equal in
content to the ones `core.audit.record` writes; it asks for the analysis as the ORM path does. Whenever
the statement cannot decide alone (first vote, members-only lab, closed conversation, hidden or unknown
statement, erased person, inactive login, bad value) it writes nothing and the ORM path decides, with
its usual messages. On SQLite the fast path declines every vote and the API uses the ORM path."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from coproduce.core import audit
from coproduce.core.models import AuditEntry
from coproduce.design import services
from coproduce.design.models import Conversation, Lab, Statement, Vote, VoteEvent

postgres = pytest.mark.postgres
CONTENT = ["actor_id", "actor_label", "on_behalf_of_id", "channel", "action", "object_type", "object_label",
           "organisation_id", "details"]
SEQUENCE = [(0, 1), (1, -1), (0, -1), (2, 0), (0, 0), (1, 1), (2, 1)]


def twin(staff, lab, title):
    conversation = services.create_conversation(staff, lab, title=title, moderation="post")
    for text in ["Respite should be easy to book.", "Groups are the best support.", "I want help at home."]:
        services.add_seed_statement(staff, conversation, text)
    return conversation


def snapshot(conversation):
    votes = sorted(Vote.objects.filter(conversation=conversation)
                   .values_list("participant__number", "statement__number", "value"))
    events = list(VoteEvent.objects.filter(conversation=conversation).order_by("pk")
                  .values_list("participant__number", "statement__number", "value", "channel"))
    statements = {str(pk): n for pk, n in Statement.objects.filter(conversation=conversation)
                  .values_list("pk", "number")}
    entries = [({name: getattr(e, name) for name in CONTENT}, statements[e.object_id])
               for e in AuditEntry.objects.filter(action="vote.cast", object_id__in=list(statements)).order_by("pk")]
    return votes, events, entries


def snapshot_all():
    return Vote.objects.count(), VoteEvent.objects.count(), AuditEntry.objects.count()


@postgres
def test_a_run_of_votes_writes_the_same_rows_by_either_path(lab, personas):
    staff, carla = personas["staff"], personas["citizen"]
    fast, orm = twin(staff, lab, "Fast"), twin(staff, lab, "ORM")
    for conversation in (fast, orm):  # the first vote creates the participant (always the ORM path)
        mine = services.cast_vote(carla, conversation, 2, -1, channel="api").participant.number
    for number, value in SEQUENCE:
        vote = services.cast_vote_fast(carla, fast.pk, number, value, channel="api")
        assert vote is not None and vote.value == value and vote.participant.number == mine
        services.cast_vote(carla, orm, number, value, channel="api")
    assert snapshot(fast) == snapshot(orm)
    votes, events, entries = snapshot(fast)
    assert votes == [(mine, 0, 0), (mine, 1, 1), (mine, 2, 1)] and len(events) == len(entries) == len(SEQUENCE) + 1


@postgres
def test_the_audit_entry_is_the_one_record_writes(conversation, personas):
    carla = personas["citizen"]
    mine = services.cast_vote(carla, conversation, 1, 1).participant.number
    services.cast_vote_fast(carla, conversation.pk, 1, -1, channel="api")
    written = AuditEntry.objects.filter(action="vote.cast").latest("pk")
    statement = Statement.objects.get(conversation=conversation, number=1)
    reference = audit.record(carla, "vote.cast", statement, organisation=conversation.lab.organisation,
                             channel="api", details={"participant": mine, "vote": -1})
    assert {n: getattr(written, n) for n in CONTENT} == {n: getattr(reference, n) for n in CONTENT}
    assert written.object_id == reference.object_id
    stored = Vote.objects.get(statement=statement)
    assert stored.value == -1 and stored.updated_at == written.at == VoteEvent.objects.latest("pk").at


@postgres
def test_a_vote_that_finds_no_analysis_waiting_asks_for_one(lab, personas):
    carla = personas["citizen"]
    conversation = twin(personas["staff"], lab, "Analysed")
    services.cast_vote(carla, conversation, 0, 1)
    before = conversation.analysis.computed_at  # tasks run at once in tests
    assert not Conversation.objects.get(pk=conversation.pk).analysis_pending
    services.cast_vote_fast(carla, conversation.pk, 1, 1)
    conversation.analysis.refresh_from_db()
    assert conversation.analysis.computed_at > before and conversation.analysis.vote_count == 2
    Conversation.objects.filter(pk=conversation.pk).update(analysis_pending=True)  # a run is waiting
    services.cast_vote_fast(carla, conversation.pk, 2, 1)
    conversation.analysis.refresh_from_db()
    assert conversation.analysis.vote_count == 2  # coalesced: the waiting run will read it


@postgres
def test_whenever_the_statement_cannot_decide_it_writes_nothing(lab, conversation, personas, world):
    """Pre-moderated `conversation`: a participant's statement waits for approval, another is rejected."""
    staff, carla = personas["staff"], personas["citizen"]
    services.cast_vote(carla, conversation, 0, 1)
    waiting = services.submit_statement(carla, conversation, "Evening groups, please.")
    rejected = services.moderate_statement(staff, services.submit_statement(carla, conversation, "Off topic."),
                                           accept=False)

    def declined(user, number=0, value=1, conversation_id=conversation.pk):
        before = snapshot_all()
        return services.cast_vote_fast(user, conversation_id, number, value) is None and snapshot_all() == before

    assert declined(personas["broker"])  # has not voted here yet: the ORM path creates the participant
    assert declined(carla, number=waiting.number) and declined(carla, number=rejected.number)
    assert declined(carla, number=9)  # no such statement
    assert declined(carla, value=2) and declined(carla, value=True)
    assert declined(carla, conversation_id=10**9)
    with pytest.raises(ValidationError):
        services.cast_vote(carla, conversation, waiting.number, 1)
    services.update_conversation(staff, conversation, is_open=False)
    assert declined(carla)
    services.update_conversation(staff, conversation, is_open=True)
    lab.participation = Lab.Participation.MEMBERS  # roles are for the ORM path to check
    lab.save(update_fields=["participation"])
    assert declined(carla)
    lab.participation = Lab.Participation.INVITATION
    lab.save(update_fields=["participation"])
    assert declined(carla)
    services.invite(staff, lab, carla.person)
    assert services.cast_vote_fast(carla, conversation.pk, 0, -1) is not None  # invited: decided at once
    carla.is_active = False
    carla.save(update_fields=["is_active"])
    assert declined(carla)
    carla.is_active = True
    carla.save(update_fields=["is_active"])
    services.set_stage(staff, lab, Lab.Stage.SYNTHESISE)
    assert declined(carla)


@postgres
def test_a_platform_administrator_is_decided_by_the_statement(conversation, personas):
    pat = personas["platform_admin"]
    conversation.lab.participation = Lab.Participation.MEMBERS
    conversation.lab.save(update_fields=["participation"])
    services.cast_vote(pat, conversation, 0, 1)
    assert services.cast_vote_fast(pat, conversation.pk, 0, -1) is not None
    assert Vote.objects.get(participant__person=pat.person).value == -1


@postgres
def test_a_connection_that_lost_its_prepared_statement_prepares_it_again(conversation, personas):
    carla = personas["citizen"]
    services.cast_vote(carla, conversation, 0, 1)
    assert services.cast_vote_fast(carla, conversation.pk, 0, -1) is not None
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")  # what a pooler's session reset does
    assert services.cast_vote_fast(carla, conversation.pk, 0, 0) is not None
    assert Vote.objects.get(participant__person=carla.person).value == 0


def test_the_api_answers_the_same_by_either_path(conversation, personas, api_as):
    carla = personas["citizen"]
    waiting = services.submit_statement(carla, conversation, "Evening groups, please.")
    client = api_as(carla)
    url = f"/api/v1/design/conversations/{conversation.pk}/votes"
    answers = [client.post(url, {"statement": 0, "vote": v}, content_type="application/json") for v in (1, -1)]
    assert [a.status_code for a in answers] == [200, 200]
    mine = Vote.objects.get(participant__person=carla.person).participant.number
    assert [a.json() for a in answers] == [{"statement": 0, "vote": 1, "participant": mine},
                                           {"statement": 0, "vote": -1, "participant": mine}]
    refused = client.post(url, {"statement": waiting.number, "vote": 1}, content_type="application/json")
    assert refused.status_code == 400 and "statement" in refused.json()["error"]["fields"]
    bad = client.post(url, {"statement": 0, "vote": 5}, content_type="application/json")
    assert bad.status_code == 400 and "vote" in bad.json()["error"]["fields"]
    assert Vote.objects.get(participant__person=carla.person).value == -1
    assert VoteEvent.objects.filter(conversation=conversation).count() == 2
    if connection.vendor != "postgresql":
        assert services.cast_vote_fast(carla, conversation.pk, 0, 1) is None
