"""Vote ingestion's hot path on PostgreSQL: a vote in one SQL statement.

`services.cast_vote_fast` (called by `POST /api/v1/design/conversations/{id}/votes` for a logged-in
caller) validates the vote value in Python, then sends one parameterised statement (one round trip, no
ORM query compilation) which, in order:

1. `facts`: reads the conversation, its lab, the caller (user and person), the caller's participant in
   the conversation (a person not erased) and the statement by its number — by primary and unique keys.
2. `go`: decides, from those facts alone, every rule `services.cast_vote` applies: the caller's
   participant exists; the login is active; the conversation is open and its lab is gathering; the
   statement is visible (accepted, or waiting under post-moderation); and `design.participate` holds by
   one of the rules that need no role lookup — a lab open to everyone, an invitation to the lab, or a
   platform administrator (`trusted`, decided in Python from the user row already loaded).
3. `vote`: the upsert of the current vote (a person's vote on a statement replaces their previous one),
   `event`: the history row, `entry`: the audit entry, with the fields `coproduce.core.audit.record`
   writes for `vote.cast` (a test compares them). Nothing is written unless `go`.
4. The final SELECT returns `go`, the participant's number, the conversation's `analysis_pending` flag
   and how many rows each write made.

When `go` is false nothing is written and the service takes the full ORM path (`services.cast_vote`):
that path creates the participant on a first vote, checks the roles of members-only labs and of lab
staff, and refuses with the same messages as always. So the statement only ever says yes to votes the
ORM path would accept, and every refusal comes from the one place that explains it.

One statement is atomic on its own: outside a transaction it is its own transaction (one round trip,
no BEGIN/COMMIT); inside a caller's transaction it runs in a savepoint. It is prepared once per
database connection (`PREPARE`, then `EXECUTE`); a connection whose prepared statements were dropped
behind our back (`DISCARD ALL` by a pooler in session mode) prepares it again.

SQLite keeps the portable path in `services` (its IMMEDIATE transactions serialise writers anyway).
"""

import weakref
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from django.db import ProgrammingError, connection, transaction

from coproduce.core.models import AuditEntry, Person, User

from .models import Conversation, Invitation, Lab, Participant, Statement, Vote, VoteEvent

NAME = "coproduce_design_vote"
# The statement's parameters, in order, with their types.
PARAMETERS = {
    "conversation": "bigint", "user": "bigint", "number": "bigint", "value": "smallint", "now": "timestamptz",
    "channel": "text", "trusted": "boolean",
}
_prepared: "weakref.WeakKeyDictionary[object, bool]" = weakref.WeakKeyDictionary()


def available() -> bool:
    return connection.vendor == "postgresql"


@dataclass
class Result:
    cast: bool
    participant_number: int | None
    analysis_pending: bool
    rows_written: tuple[int, int, int]  # votes, history rows, audit entries


def _q(model) -> tuple[str, dict[str, str]]:
    quote = connection.ops.quote_name
    return quote(model._meta.db_table), {f.name: quote(f.column) for f in model._meta.concrete_fields}


@cache
def statement() -> str:
    conversation, c = _q(Conversation)
    lab, lb = _q(Lab)
    user, u = _q(User)
    person, pr = _q(Person)
    participant, p = _q(Participant)
    stmt, s = _q(Statement)
    invitation, i = _q(Invitation)
    vote, v = _q(Vote)
    event, e = _q(VoteEvent)
    audit, a = _q(AuditEntry)
    accepted, pending = Statement.Status.ACCEPTED.value, Statement.Status.PENDING.value
    vote_columns = ", ".join(v[n] for n in ("conversation", "participant", "statement", "value", "created_at",
                                             "updated_at"))
    event_columns = ", ".join(e[n] for n in ("conversation", "participant", "statement", "value", "at", "channel"))
    audit_columns = ", ".join(a[n] for n in ("at", "actor", "actor_label", "on_behalf_of", "channel", "action",
                                              "object_type", "object_id", "object_label", "organisation", "details"))
    return f"""
    WITH facts AS MATERIALIZED (
        SELECT cv.id AS conversation_id, cv.{c['is_open']} AS is_open, cv.{c['moderation']} AS moderation,
               cv.{c['analysis_pending']} AS analysis_pending, lb.id AS lab_id, lb.{lb['stage']} AS stage,
               lb.{lb['participation']} AS participation, lb.{lb['organisation']} AS organisation_id,
               us.{u['username']} AS username, us.{u['is_active']} AS is_active, pe.id AS person_id,
               pe.{pr['name']} AS person_name, pa.id AS participant_id, pa.{p['number']} AS participant_number,
               st.id AS statement_id, st.{s['status']} AS status, st.{s['text']} AS text
        FROM {conversation} cv
        JOIN {lab} lb ON lb.id = cv.{c['lab']}
        JOIN {user} us ON us.id = %(user)s
        LEFT JOIN {person} pe ON pe.{pr['user']} = us.id
        LEFT JOIN {participant} pa ON pa.{p['conversation']} = cv.id AND pa.{p['person']} = pe.id
                                      AND pe.{pr['erased_at']} IS NULL
        LEFT JOIN {stmt} st ON st.{s['conversation']} = cv.id AND st.{s['number']} = %(number)s
        WHERE cv.id = %(conversation)s
    ),
    go AS MATERIALIZED (
        SELECT f.*, COALESCE(
            f.participant_id IS NOT NULL AND f.statement_id IS NOT NULL AND f.is_active
            AND f.is_open AND f.stage = '{Lab.Stage.GATHER.value}'
            AND (f.status = {accepted}
                 OR (f.status = {pending} AND f.moderation = '{Conversation.Moderation.POST.value}'))
            AND (%(trusted)s::boolean OR f.participation = '{Lab.Participation.OPEN.value}'
                 OR (f.participation = '{Lab.Participation.INVITATION.value}' AND EXISTS (
                     SELECT 1 FROM {invitation} iv WHERE iv.{i['lab']} = f.lab_id AND iv.{i['person']} = f.person_id))),
            false) AS go
        FROM facts f
    ),
    vote AS (
        INSERT INTO {vote} ({vote_columns})
        SELECT conversation_id, participant_id, statement_id, %(value)s::smallint, %(now)s::timestamptz,
               %(now)s::timestamptz
        FROM go WHERE go
        ON CONFLICT ({v['participant']}, {v['statement']})
        DO UPDATE SET {v['value']} = excluded.{v['value']}, {v['updated_at']} = excluded.{v['updated_at']}
        RETURNING 1
    ),
    event AS (
        INSERT INTO {event} ({event_columns})
        SELECT conversation_id, participant_id, statement_id, %(value)s::smallint, %(now)s::timestamptz,
               %(channel)s::text
        FROM go WHERE go
        RETURNING 1
    ),
    entry AS (
        INSERT INTO {audit} ({audit_columns})
        SELECT %(now)s::timestamptz, %(user)s::bigint,
               CASE WHEN COALESCE(person_name, '') <> '' THEN person_name || ' <' || username || '>'
                    ELSE username END,
               NULL::bigint, %(channel)s::text, 'vote.cast', '{Statement._meta.label_lower}', statement_id::text,
               left(left(text, 80), 200), organisation_id,
               jsonb_build_object('participant', participant_number, 'vote', %(value)s::smallint)
        FROM go WHERE go
        RETURNING 1
    )
    SELECT go, participant_number, analysis_pending,
           (SELECT count(*) FROM vote), (SELECT count(*) FROM event), (SELECT count(*) FROM entry)
    FROM go
    """


@cache
def prepare() -> str:
    """`PREPARE` of `statement()`, its parameters numbered in the order of `PARAMETERS`."""
    sql = statement()
    for number, name in enumerate(PARAMETERS, start=1):
        sql = sql.replace(f"%({name})s", f"${number}")
    assert "%(" not in sql, sql
    return f"PREPARE {NAME} ({', '.join(PARAMETERS.values())}) AS {sql}"


EXECUTE = f"EXECUTE {NAME} ({', '.join(['%s'] * len(PARAMETERS))})"


def _execute(params: list) -> tuple | None:
    with connection.cursor() as cursor:
        if not _prepared.get(connection.connection):
            cursor.execute(prepare())
            _prepared[connection.connection] = True
        cursor.execute(EXECUTE, params)
        return cursor.fetchone()


def _run(params: list) -> tuple | None:
    if connection.in_atomic_block:
        with transaction.atomic():
            return _execute(params)
    return _execute(params)


def _not_prepared(error: Exception) -> bool:
    return getattr(error.__cause__, "sqlstate", None) == "26000"  # invalid_sql_statement_name


def cast_vote(*, conversation: int, user: int, number: int, value: int, now: datetime, channel: str,
              trusted: bool) -> Result:
    """Cast a vote in one statement (see above). Nothing is written unless `Result.cast`."""
    params = {"conversation": conversation, "user": user, "number": number, "value": value, "now": now,
              "channel": channel, "trusted": trusted}
    params = [params[name] for name in PARAMETERS]
    connection.ensure_connection()
    try:
        row = _run(params)
    except ProgrammingError as error:
        if not _not_prepared(error):
            raise
        _prepared.pop(connection.connection, None)  # dropped behind our back: prepare again, once
        row = _run(params)
    if row is None:  # no such conversation
        return Result(False, None, False, (0, 0, 0))
    cast, number_, pending, *written = row
    written = tuple(written)
    if cast and written != (1, 1, 1):
        raise RuntimeError(f"vote statement wrote an incomplete vote: {written}")  # an alarm, not a guard
    return Result(bool(cast), number_, bool(pending), written)
