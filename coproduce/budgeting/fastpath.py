"""The hot path of voting: loading what a ballot needs with plain SQL, one round trip per piece.

Casting a ballot is the one request that must scale (hundreds per second when a vote opens), so
its reads skip the ORM's query compiler: the budget with its process, organisation and areas in
one SELECT; the voter with their home area in one; the costs of the projects on the ballot in
one; and the ballot itself is written with one INSERT ... ON CONFLICT DO UPDATE (PostgreSQL and
SQLite both have it), so a double submission can never make two rows. The objects returned are
ordinary model instances (built with `Model.from_db`), so the services' rules apply unchanged.
"""

import json
import uuid

from django.db import connection

from coproduce.core.models import Area, Organisation, Person

from .models import Budget, Process, Proposal

_PROCESS_FIELDS = [f.attname for f in Process._meta.concrete_fields]
_BUDGET_FIELDS = [f.attname for f in Budget._meta.concrete_fields]


def _ordered(model, wanted) -> list[str]:
    """`Model.from_db` takes values in the order of the model's fields."""
    return [f.attname for f in model._meta.concrete_fields if f.attname in wanted]


_AREA_FIELDS = _ordered(Area, {"id", "name", "slug", "kind", "parent_id", "path"})
_ORG_FIELDS = _ordered(Organisation, {"id", "name", "slug", "is_active", "parent_id"})


def _cols(alias: str, fields) -> str:
    return ", ".join(f'{alias}."{name}"' for name in fields)


_BUDGET_SQL = (
    f"SELECT {_cols('b', _BUDGET_FIELDS)}, {_cols('p', _PROCESS_FIELDS)}, {_cols('o', _ORG_FIELDS)}, "
    f"{_cols('ba', _AREA_FIELDS)}, {_cols('pa', _AREA_FIELDS)} "
    f'FROM "budgeting_budget" b JOIN "budgeting_process" p ON p."id" = b."process_id" '
    f'JOIN "core_organisation" o ON o."id" = p."organisation_id" '
    f'LEFT JOIN "core_area" ba ON ba."id" = b."area_id" LEFT JOIN "core_area" pa ON pa."id" = p."area_id" '
    f'WHERE b."id" = %s'
)
_PERSON_FIELDS = _ordered(Person, {"id", "user_id", "name", "birth_date", "home_area_id", "is_assisted", "erased_at"})
_PERSON_SQL = (
    f"SELECT {_cols('pe', _PERSON_FIELDS)}, {_cols('a', _AREA_FIELDS)} FROM \"core_person\" pe "
    f'LEFT JOIN "core_area" a ON a."id" = pe."home_area_id" WHERE pe."user_id" = %s AND pe."erased_at" IS NULL'
)
_COSTS_SQL = (
    'SELECT "id", "cost", "cost_estimate", "pledged_money" FROM "budgeting_proposal" '
    'WHERE "budget_id" = %s AND "status" = %s'
)


def _area(values) -> Area | None:
    if values[0] is None:
        return None
    return Area.from_db("default", _AREA_FIELDS, _convert(Area, _AREA_FIELDS, list(values)))


def load_budget(budget_id: int) -> Budget | None:
    with connection.cursor() as cursor:
        cursor.execute(_BUDGET_SQL, [budget_id])
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row)
    cut = [len(_BUDGET_FIELDS), len(_PROCESS_FIELDS), len(_ORG_FIELDS), len(_AREA_FIELDS), len(_AREA_FIELDS)]
    parts, start = [], 0
    for n in cut:
        parts.append(values[start:start + n])
        start += n
    budget_values, process_values, org_values, budget_area, process_area = parts
    process_values = _convert(Process, _PROCESS_FIELDS, process_values)
    budget = Budget.from_db("default", _BUDGET_FIELDS, _convert(Budget, _BUDGET_FIELDS, budget_values))
    process = Process.from_db("default", _PROCESS_FIELDS, process_values)
    process.organisation = Organisation.from_db("default", _ORG_FIELDS, _convert(Organisation, _ORG_FIELDS, org_values))
    process.area = _area(process_area)
    budget.area = _area(budget_area)
    budget.process = process
    return budget


_converters: dict = {}


def _convert(model, fields, values):
    """Apply the same value converters the ORM would (dates on SQLite, JSON, ...)."""
    key = (model, tuple(fields), connection.vendor)
    if key not in _converters:
        plan = []
        for name in fields:
            col = model._meta.get_field(name).get_col(model._meta.db_table)
            plan.append(connection.ops.get_db_converters(col) + col.get_db_converters(connection))
        _converters[key] = plan
    out = []
    for value, converters, name in zip(values, _converters[key], fields):
        col = None
        for converter in converters:
            col = col or model._meta.get_field(name).get_col(model._meta.db_table)
            value = converter(value, col, connection)
        out.append(value)
    return out


def load_voter(user_id: int) -> Person | None:
    with connection.cursor() as cursor:
        cursor.execute(_PERSON_SQL, [user_id])
        row = cursor.fetchone()
    if row is None:
        return None
    n = len(_PERSON_FIELDS)
    values = _convert(Person, _PERSON_FIELDS, list(row[:n]))
    person = Person.from_db("default", _PERSON_FIELDS, values)
    person.home_area = _area(row[n:])
    return person


def ballot_costs(budget: Budget) -> dict[int, int]:
    with connection.cursor() as cursor:
        cursor.execute(_COSTS_SQL, [budget.pk, Proposal.Status.FEASIBLE])
        rows = cursor.fetchall()
    reduce = budget.process.pledges_reduce_cost
    costs = {}
    for pk, cost, estimate, pledged in rows:
        value = cost if cost is not None else (estimate or 0)
        costs[pk] = max(0, value - (pledged or 0)) if reduce else value
    return costs


_UPSERT = (
    'INSERT INTO "budgeting_ballot" ("id", "budget_id", "voter_key", "choices", "points", "channel", '
    '"voter_area_id", "age_band") VALUES (%s, %s, %s, {json}, {json}, %s, %s, %s) '
    'ON CONFLICT ("budget_id", "voter_key") DO UPDATE SET "choices" = EXCLUDED."choices", '
    '"points" = EXCLUDED."points", "channel" = EXCLUDED."channel", "voter_area_id" = EXCLUDED."voter_area_id", '
    '"age_band" = EXCLUDED."age_band"'
)


def upsert_ballot(budget_id: int, key: str, choices, points, channel: str, voter_area_id, age_band: str) -> None:
    """Insert the voter's ballot or replace the one they cast before (atomic in the database)."""
    if connection.vendor == "postgresql":
        sql, ident = _UPSERT.format(json="%s::jsonb"), uuid.uuid4()
    else:
        sql, ident = _UPSERT.format(json="%s"), uuid.uuid4().hex
    with connection.cursor() as cursor:
        cursor.execute(sql, [ident, budget_id, key, json.dumps(choices),
                             None if points is None else json.dumps(points), channel, voter_area_id, age_band])


# --- bearer tokens -------------------------------------------------------------------------------

def _user_model():
    from django.contrib.auth import get_user_model

    return get_user_model()


_TOKEN_SQL = None


def user_for_token(raw: str):
    """The same check as `coproduce.api.BearerToken` (live token of an active user; `last_used_at`
    refreshed at most every 5 minutes) with one plain SELECT instead of a compiled ORM query."""
    from datetime import timedelta

    from django.utils import timezone

    from coproduce.core.models import ApiToken

    global _TOKEN_SQL
    User = _user_model()
    fields = [f.attname for f in User._meta.concrete_fields]
    if _TOKEN_SQL is None:
        _TOKEN_SQL = (
            f'SELECT t."id", t."last_used_at", {_cols("u", fields)} FROM "{ApiToken._meta.db_table}" t '
            f'JOIN "{User._meta.db_table}" u ON u."id" = t."user_id" '
            f'WHERE t."key_hash" = %s AND t."revoked_at" IS NULL AND u."is_active"'
        )
    with connection.cursor() as cursor:
        cursor.execute(_TOKEN_SQL, [ApiToken.hash(raw)])
        row = cursor.fetchone()
    if row is None:
        return None
    token_id, last_used = _convert(ApiToken, ["id", "last_used_at"], list(row[:2]))
    user = User.from_db("default", fields, _convert(User, fields, list(row[2:])))
    now = timezone.now()
    if last_used is None or now - last_used > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token_id).update(last_used_at=now)
    return user
