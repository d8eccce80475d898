"""The hot path of voting: a ballot in two plain SQL statements (one read, one write).

Casting a ballot is the one request that must scale (hundreds per second when a vote opens). The
ORM's cost there is not the database but Python: compiling queries, building instances, one round
trip (and one server-side parse and plan) per query, plus BEGIN and COMMIT. So on this path:

1. **One read** (`load_budget(budget_id, voter_user_id)`): the budget with its process,
   organisation and areas, the voter's person and home area, and the costs of the proposals on
   the budget's ballot (as one JSON array), in one SELECT. The fast lane (`coproduce/fastlane.py`),
   which has not looked the caller up, reads by the hash of the bearer token instead
   (`load_budget_for_token`): the same statement then also reads the token's user — only while the
   token is live and the user active, `core.tokens`' rules — and refreshes the token's
   `last_used_at` as `core.tokens.user_for_token` does; so a ballot is two round trips in all. The objects returned are ordinary model
   instances (`Model.from_db`, after the ORM's own value converters), so `voting`'s eligibility
   and ballot rules, and `services.cast_ballot`, apply unchanged. What was read is primed on the
   objects (`budget._ballot_costs`, the voter's person on the user) so the service asks no more.
2. **One write** (`write_ballot`, PostgreSQL): one statement that checks the vote is still open
   at this instant (the phase was checked in Python on what was read; this closes the gap
   to the write), inserts the ballot or replaces the voter's earlier one (INSERT ... ON CONFLICT
   DO UPDATE on the one-ballot-per-voter constraint, so a double submission never makes two rows)
   and writes the audit entry with the fields `coproduce.core.audit.record` writes (a test
   compares the two paths). One statement is its own transaction: no BEGIN/COMMIT round trips.

Both statements are prepared once per database connection and run by name (`core.prepared`):
planning costs the server more than running them. A connection whose prepared statements were
discarded (`DISCARD ALL` by a pooler in session mode) prepares them again; a pooler in transaction
mode is not supported. SQLite (and ballots with a voting code, which lock the code's row and must not
replace a paper ballot, or the "own district plus one other" rule, which locks) take the ORM path in
`services`.
"""

import json
import uuid
from functools import cache

from django.db import DEFAULT_DB_ALIAS, connection, connections

from coproduce.core import prepared
from coproduce.core.models import Area, AuditEntry, Organisation, Person, User
from coproduce.core.tokens import LAST_USED_PRECISION, from_row, hash_or_none, token_sql, user_for_token

from .models import Ballot, Budget, Process, Proposal


def available() -> bool:
    """Whether the one-statement write is used (PostgreSQL)."""
    return connection.vendor == "postgresql"


def _fields(model, wanted=None) -> list[str]:
    """Column attnames in the model's field order (as `Model.from_db` takes them)."""
    return [f.attname for f in model._meta.concrete_fields if wanted is None or f.attname in wanted]


_PROCESS = _fields(Process)
_BUDGET = _fields(Budget)
_AREA = _fields(Area, {"id", "name", "slug", "kind", "parent_id", "path"})
_ORG = _fields(Organisation, {"id", "name", "slug", "is_active", "parent_id"})
_PERSON = _fields(Person, {"id", "user_id", "name", "birth_date", "home_area_id", "is_assisted", "erased_at"})
_USER = _fields(User)
_PARTS = [(Budget, _BUDGET), (Process, _PROCESS), (Organisation, _ORG), (Area, _AREA), (Area, _AREA),
          (Person, _PERSON), (Area, _AREA), (User, _USER)]


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _cols(alias: str, model, fields) -> str:
    return ", ".join(f"{alias}.{_q(model._meta.get_field(name).column)}" for name in fields)


def _table(model) -> str:
    return _q(model._meta.db_table)


@cache
def _read_sql(vendor: str) -> str:
    """The read. On PostgreSQL the voter is `%(user)s`, or else the owner of the live token whose hash
    is `%(token)s` (`core.tokens.token_sql`), whose `last_used_at` it refreshes."""
    postgres = vendor == "postgresql"
    agg = ("COALESCE(json_agg(json_build_array(c.id, c.cost, c.cost_estimate, c.pledged_money)), '[]')"
           if postgres else
           "COALESCE(json_group_array(json_array(c.id, c.cost, c.cost_estimate, c.pledged_money)), '[]')")
    if postgres:
        owner, touch = token_sql()
        touched, voter = f"WITH touched AS ({touch}) ", f"COALESCE(%(user)s, {owner})"
        active = f" AND (%(user)s IS NOT NULL OR us.{_q(User._meta.get_field('is_active').column)})"
    else:
        touched, voter, active = "", "%(user)s", ""
    return (
        f"{touched}SELECT {_cols('b', Budget, _BUDGET)}, {_cols('p', Process, _PROCESS)}, "
        f"{_cols('o', Organisation, _ORG)}, {_cols('ba', Area, _AREA)}, {_cols('pa', Area, _AREA)}, "
        f"{_cols('pe', Person, _PERSON)}, {_cols('ha', Area, _AREA)}, {_cols('us', User, _USER)}, "
        f"(SELECT {agg} FROM {_table(Proposal)} c WHERE c.budget_id = b.id AND c.status = %(feasible)s) "
        f"FROM {_table(Budget)} b JOIN {_table(Process)} p ON p.id = b.process_id "
        f"JOIN {_table(Organisation)} o ON o.id = p.organisation_id "
        f"LEFT JOIN {_table(Area)} ba ON ba.id = b.area_id LEFT JOIN {_table(Area)} pa ON pa.id = p.area_id "
        f"LEFT JOIN {_table(User)} us ON us.{_q(User._meta.pk.column)} = {voter}{active} "
        f"LEFT JOIN {_table(Person)} pe ON pe.user_id = us.{_q(User._meta.pk.column)} AND pe.erased_at IS NULL "
        f"LEFT JOIN {_table(Area)} ha ON ha.id = pe.home_area_id "
        f"WHERE b.id = %(budget)s"
    )


_READ_PARAMETERS = {"budget": "bigint", "user": "bigint", "token": "text", "now": "timestamptz",
                    "stale": "timestamptz", "feasible": "text"}


@cache
def _write_sql() -> str:
    """The write (PostgreSQL): a ballot and its audit entry, only while the vote is open."""
    b = {f.name: _q(f.column) for f in Ballot._meta.concrete_fields}
    e = {f.name: _q(f.column) for f in AuditEntry._meta.concrete_fields}
    p = {f.name: _q(f.column) for f in Process._meta.concrete_fields}
    o = {f.name: _q(f.column) for f in Organisation._meta.concrete_fields}
    ballot_columns = ", ".join(b[n] for n in ("id", "budget", "voter_key", "choices", "points", "channel",
                                              "voter_area", "age_band"))
    replaced = ", ".join(f"{b[n]} = EXCLUDED.{b[n]}" for n in ("choices", "points", "channel", "voter_area",
                                                               "age_band"))
    entry_columns = ", ".join(e[n] for n in ("at", "actor", "actor_label", "on_behalf_of", "channel", "action",
                                             "object_type", "object_id", "object_label", "organisation", "details"))
    return f"""
    WITH open AS MATERIALIZED (
        SELECT p.id FROM {_table(Process)} p JOIN {_table(Organisation)} o ON o.id = p.{p['organisation']}
        WHERE p.id = %(process)s AND p.{p['is_published']} AND o.{o['is_active']}
          AND p.{p['vote_starts']} <= %(now)s
          AND COALESCE(p.{p['vote_ends']} > %(now)s, true)
          AND COALESCE(p.{p['delivery_starts']} > %(now)s, true)
    ),
    ballot AS (
        INSERT INTO {_table(Ballot)} ({ballot_columns})
        SELECT %(id)s::uuid, %(budget)s::bigint, %(key)s::text, %(choices)s::jsonb, %(points)s::jsonb,
               %(channel)s::text, %(area)s::bigint, %(band)s::text
        FROM open
        ON CONFLICT ({b['budget']}, {b['voter_key']}) DO UPDATE SET {replaced}
        RETURNING 1
    ),
    entry AS (
        INSERT INTO {_table(AuditEntry)} ({entry_columns})
        SELECT %(now)s::timestamptz, %(actor)s::bigint, %(label)s::text, NULL::bigint, %(channel)s::text,
               'ballot.cast', %(object_type)s::text, %(budget)s::text, %(object_label)s::text,
               %(organisation)s::bigint, '{{}}'::jsonb
        FROM ballot
        RETURNING 1
    )
    SELECT (SELECT count(*) FROM ballot), (SELECT count(*) FROM entry)
    """


_WRITE_PARAMETERS = {
    "process": "bigint", "now": "timestamptz", "id": "uuid", "budget": "bigint", "key": "text", "choices": "jsonb",
    "points": "jsonb", "channel": "text", "area": "bigint", "band": "text", "actor": "bigint", "label": "text",
    "object_type": "text", "object_label": "text", "organisation": "bigint",
}


@cache
def _statement(which: str) -> prepared.Statement:
    if which == "read":
        return prepared.Statement("coproduce_budgeting_ballot_read", _read_sql("postgresql"), _READ_PARAMETERS)
    return prepared.Statement("coproduce_budgeting_ballot_write", _write_sql(), _WRITE_PARAMETERS)


def _instance(conn, model, fields, values):
    if values[0] is None:
        return None
    return model.from_db(conn.alias, fields, from_row(model, fields, values, conn))


def load_budget(budget_id: int, voter_user_id: int | None = None) -> tuple[Budget | None, Person | None]:
    """(budget with process, organisation and areas; the person of `voter_user_id` with their home
    area, or None) in one SELECT. The costs on the budget's ballot are primed on the budget for
    `ballot_costs`."""
    budget, person, _user = _load(connection, budget_id, voter_user_id, None)
    return budget, person


def load_budget_for_token(budget_id: int, raw_token: str, using=None) -> tuple[Budget | None, Person | None, User | None]:
    """`load_budget` for the owner of the live bearer token `raw_token`, with that user (None, with nothing
    else, when the token is not live or its user not active). One statement on PostgreSQL; elsewhere
    `core.tokens.user_for_token`, then the read."""
    conn = using or connection
    if conn.vendor != "postgresql":
        user = user_for_token(raw_token)
        if user is None:
            return None, None, None
        budget, person, _user = _load(conn, budget_id, user.pk, None)
        return budget, person, user
    return _load(conn, budget_id, None, hash_or_none(raw_token))


def _load(conn, budget_id, user_id, token):
    from django.utils import timezone

    now = timezone.now()
    params = {"budget": budget_id, "user": user_id, "token": token, "now": now, "stale": now - LAST_USED_PRECISION,
              "feasible": Proposal.Status.FEASIBLE.value}
    if conn is connection:
        conn = connections[DEFAULT_DB_ALIAS]
    if conn.vendor == "postgresql":
        rows = prepared.execute(conn, _statement("read"), params)
        row = rows[0] if rows else None
    else:
        with conn.cursor() as cursor:
            cursor.execute(_read_sql(conn.vendor), params)
            row = cursor.fetchone()
    if row is None:
        return None, None, None
    parts, start = [], 0
    for model, fields in _PARTS:
        wanted = model is not User or token is not None  # the view path has its user already
        parts.append(_instance(conn, model, fields, row[start:start + len(fields)]) if wanted else None)
        start += len(fields)
    budget, process, organisation, budget_area, process_area, person, home_area, user = parts
    if token is not None and user is None:
        return None, None, None
    process.organisation, process.area = organisation, process_area
    budget.area, budget.process = budget_area, process
    if person is not None:
        person.home_area = home_area
    costs = row[start]
    budget._ballot_rows = json.loads(costs) if isinstance(costs, str) else costs
    return budget, person, user


def ballot_costs(budget: Budget) -> dict[int, int]:
    """{proposal id: the cost the rule uses} for the proposals on the budget's ballot."""
    rows = getattr(budget, "_ballot_rows", None)
    if rows is None:
        rows = Proposal.objects.filter(budget=budget, status=Proposal.Status.FEASIBLE).values_list(
            "id", "cost", "cost_estimate", "pledged_money")
    reduce = budget.process.pledges_reduce_cost
    costs = {}
    for pk, cost, estimate, pledged in rows:
        value = cost if cost is not None else (estimate or 0)
        costs[pk] = max(0, value - (pledged or 0)) if reduce else value
    return costs


def write_ballot(*, budget: Budget, key: str, choices, points, channel: str, voter_area_id, age_band: str,
                 now, actor_id, actor_label: str) -> bool:
    """Insert the voter's ballot or replace their earlier one, with its audit entry, in one
    statement (PostgreSQL). False, and nothing written, when the vote closed in between."""
    process = budget.process
    (written, entries), = prepared.execute(connection, _statement("write"), {
        "process": process.pk, "now": now, "id": uuid.uuid4(), "budget": budget.pk, "key": key,
        "choices": json.dumps(choices), "points": None if points is None else json.dumps(points),
        "channel": channel, "area": voter_area_id, "band": age_band, "actor": actor_id, "label": actor_label,
        "object_type": Budget._meta.label_lower, "object_label": str(budget)[:200],
        "organisation": process.organisation_id,
    })
    if written != entries:  # cannot happen (the entry is written from the ballot's row): an alarm
        raise RuntimeError(f"ballot statement wrote {written} ballots and {entries} audit entries")
    return bool(written)
