"""Vote ingestion's hot path on PostgreSQL: a vote in one SQL statement.

`services.cast_vote_fast` (called by `POST /api/v1/design/conversations/{id}/votes` for a logged-in
caller) validates the vote value in Python, then sends one parameterised statement (one round trip, no
ORM query compilation) which, in order:

1. `facts`: reads the conversation, its lab, the caller (user and person), the caller's participant in
   the conversation (a person not erased) and the statement by its number — by primary and unique keys.
   The caller is a user id, or (the fast lane, `coproduce/fastlane.py`) the hash of a bearer token: then
   the token must be live (not revoked) and its user active — `core.tokens`' rules, in the same
   statement — and `touched` refreshes the token's `last_used_at` as `core.tokens.user_for_token` does.
2. `go`: decides, from those facts alone, every rule `services.cast_vote` applies: the caller's
   participant exists; the login is active; the conversation is open and its lab is gathering; the
   statement is visible (accepted, or waiting under post-moderation); and `design.participate` holds by
   one of the rules that need no role lookup — a lab open to everyone, an invitation to the lab, or a
   platform administrator (an active superuser, read with the user).
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
database connection and run by name (`core.prepared`, which also prepares it again when a pooler
dropped it).

SQLite keeps the portable path in `services` (its IMMEDIATE transactions serialise writers anyway).
"""

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from django.db import connection

from coproduce.core import prepared
from coproduce.core.models import AuditEntry, Person, User
from coproduce.core.tokens import LAST_USED_PRECISION, hash_or_none, token_sql

from .models import Conversation, Invitation, Lab, Participant, Statement, Vote, VoteEvent

NAME = "coproduce_design_vote"
# The statement's parameters, in order, with their types (`user` or `token` is NULL).
PARAMETERS = {
    "conversation": "bigint", "user": "bigint", "token": "text", "number": "bigint", "value": "smallint",
    "now": "timestamptz", "stale": "timestamptz", "channel": "text",
}


def available() -> bool:
    return connection.vendor == "postgresql"


@dataclass
class Result:
    cast: bool
    participant_number: int | None
    analysis_pending: bool
    rows_written: tuple[int, int, int]  # votes, history rows, audit entries
    user_id: int | None = None  # the caller (the token's user) when the statement found them


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
    owner, touch = token_sql()
    vote_columns = ", ".join(v[n] for n in ("conversation", "participant", "statement", "value", "created_at",
                                             "updated_at"))
    event_columns = ", ".join(e[n] for n in ("conversation", "participant", "statement", "value", "at", "channel"))
    audit_columns = ", ".join(a[n] for n in ("at", "actor", "actor_label", "on_behalf_of", "channel", "action",
                                              "object_type", "object_id", "object_label", "organisation", "details"))
    return f"""
    WITH touched AS ({touch}),
    facts AS MATERIALIZED (
        SELECT cv.id AS conversation_id, cv.{c['is_open']} AS is_open, cv.{c['moderation']} AS moderation,
               cv.{c['analysis_pending']} AS analysis_pending, lb.id AS lab_id, lb.{lb['stage']} AS stage,
               lb.{lb['participation']} AS participation, lb.{lb['organisation']} AS organisation_id,
               us.id AS user_id, us.{u['username']} AS username, us.{u['is_active']} AS is_active,
               us.{u['is_superuser']} AS is_superuser, pe.id AS person_id,
               pe.{pr['name']} AS person_name, pa.id AS participant_id, pa.{p['number']} AS participant_number,
               st.id AS statement_id, st.{s['status']} AS status, st.{s['text']} AS text
        FROM {conversation} cv
        JOIN {lab} lb ON lb.id = cv.{c['lab']}
        JOIN {user} us ON us.id = COALESCE(%(user)s, {owner})
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
            AND (f.is_superuser OR f.participation = '{Lab.Participation.OPEN.value}'
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
        SELECT %(now)s::timestamptz, user_id,
               CASE WHEN COALESCE(person_name, '') <> '' THEN person_name || ' <' || username || '>'
                    ELSE username END,
               NULL::bigint, %(channel)s::text, 'vote.cast', '{Statement._meta.label_lower}', statement_id::text,
               left(left(text, 80), 200), organisation_id,
               jsonb_build_object('participant', participant_number, 'vote', %(value)s::smallint)
        FROM go WHERE go
        RETURNING 1
    )
    SELECT go, participant_number, analysis_pending,
           (SELECT count(*) FROM vote), (SELECT count(*) FROM event), (SELECT count(*) FROM entry), user_id
    FROM go
    """


@cache
def _statement() -> prepared.Statement:
    return prepared.Statement(NAME, statement(), PARAMETERS)


def cast_vote(*, conversation: int, number: int, value: int, now: datetime, channel: str, user: int | None = None,
              token: str | None = None, using=None) -> Result:
    """Cast a vote in one statement (see above) for the user `user`, or for the owner of the live bearer
    token `token`. Nothing is written unless `Result.cast`. `using`: Django's connection (default: the
    default database's)."""
    params = {"conversation": conversation, "user": user, "token": hash_or_none(token) if user is None else None, "number": number, "value": value,
              "now": now, "stale": now - LAST_USED_PRECISION, "channel": channel}
    rows = prepared.execute(using or connection, _statement(), params)
    if not rows:  # no such conversation (or no such live token)
        return Result(False, None, False, (0, 0, 0))
    cast, number_, pending, *written, user_id = rows[0]
    written = tuple(written)
    if cast and written != (1, 1, 1):
        raise RuntimeError(f"vote statement wrote an incomplete vote: {written}")  # an alarm, not a guard
    return Result(bool(cast), number_, bool(pending), written, user_id)
