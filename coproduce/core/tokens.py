"""Bearer-token authentication for the API, in one plain SQL statement per request.

    from coproduce.core.tokens import user_for_token

    user = user_for_token(raw)   # the active User owning this live token, or None

`user_for_token(raw)` is what `coproduce.api.BearerToken` (every API endpoint) uses, and what any
hot path that reads the `Authorization: Bearer ...` header itself should call. It accepts a token
(`ApiToken`, stored only as a SHA-256 hash) when the token is not revoked and its user is active,
and returns that user as an ordinary model instance (built with `Model.from_db` after the same
value converters the ORM applies, so `user.pk`, `user.is_superuser`, `user.has_perm(...)` behave
as usual). It never raises for a bad token: it returns `None`, and the caller answers 401.

Cost: one parameterised SELECT of the token joined to its user (no ORM query compilation). The
token's `last_used_at` is refreshed only when it is more than `LAST_USED_PRECISION` old, by one
UPDATE whose WHERE repeats that condition, so a busy token costs one write a minute however many
requests it makes, and concurrent requests do not all write.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from .models import ApiToken

LAST_USED_PRECISION = timedelta(minutes=1)

_sql: dict[str, tuple[str, str, list[str]]] = {}  # per database vendor: (select, update, user fields)
_converters: dict = {}


def _statements() -> tuple[str, str, list[str]]:
    vendor = connection.vendor
    if vendor not in _sql:
        quote = connection.ops.quote_name
        User = get_user_model()
        fields = [f.attname for f in User._meta.concrete_fields]
        token_table, user_table = quote(ApiToken._meta.db_table), quote(User._meta.db_table)
        columns = ", ".join(f"u.{quote(User._meta.get_field(name).column)}" for name in fields)
        select = (
            f"SELECT t.{quote('id')}, t.{quote('last_used_at')}, {columns} FROM {token_table} t "
            f"JOIN {user_table} u ON u.{quote(User._meta.pk.column)} = t.{quote('user_id')} "
            f"WHERE t.{quote('key_hash')} = %s AND t.{quote('revoked_at')} IS NULL AND u.{quote('is_active')}"
        )
        update = (
            f"UPDATE {token_table} SET {quote('last_used_at')} = %s WHERE {quote('id')} = %s "
            f"AND ({quote('last_used_at')} IS NULL OR {quote('last_used_at')} < %s)"
        )
        _sql[vendor] = (select, update, fields)
    return _sql[vendor]


def token_sql() -> tuple[str, str]:
    """For the one-statement hot paths that take the raw token's hash (`%(token)s`) instead of a user:
    (an SQL expression for the id of the token's user when the token is live, else NULL — the caller's
    statement still requires the user to be active; the body of a data-modifying CTE that refreshes
    `last_used_at` exactly as `user_for_token` does, given `%(now)s` and `%(stale)s` =
    now - LAST_USED_PRECISION). With `%(token)s` NULL both find nothing."""
    quote = connection.ops.quote_name
    User = get_user_model()
    token, user = quote(ApiToken._meta.db_table), quote(User._meta.db_table)
    owner = (f"(SELECT tk.{quote('user_id')} FROM {token} tk WHERE tk.{quote('key_hash')} = %(token)s "
             f"AND tk.{quote('revoked_at')} IS NULL)")
    touch = (
        f"UPDATE {token} tu SET {quote('last_used_at')} = %(now)s WHERE tu.{quote('key_hash')} = %(token)s "
        f"AND tu.{quote('revoked_at')} IS NULL "
        f"AND (tu.{quote('last_used_at')} IS NULL OR tu.{quote('last_used_at')} < %(stale)s) "
        f"AND EXISTS (SELECT 1 FROM {user} uu WHERE uu.{quote(User._meta.pk.column)} = tu.{quote('user_id')} "
        f"AND uu.{quote('is_active')}) RETURNING 1"
    )
    return owner, touch


def hash_or_none(raw: str) -> str | None:
    """The stored hash of a raw token (None for an empty one), for `token_sql`'s `%(token)s`."""
    return ApiToken.hash(raw) if raw else None


def from_row(model, fields: list[str], values, conn=None) -> list:
    """Apply the value converters the ORM would (e.g. dates and booleans on SQLite) to raw column
    values of `model`'s `fields`. Shared by the plain-SQL hot paths that build model instances.
    `conn`: the database connection (default: the default one)."""
    conn = conn or connection
    key = (model, tuple(fields), conn.vendor)
    plan = _converters.get(key)
    if plan is None:
        plan = []
        for index, name in enumerate(fields):
            col = model._meta.get_field(name).get_col(model._meta.db_table)
            converters = conn.ops.get_db_converters(col) + col.get_db_converters(conn)
            if converters:  # most columns have none (on PostgreSQL): only these are visited per row
                plan.append((index, col, converters))
        _converters[key] = plan
    out = list(values)
    for index, col, converters in plan:
        value = out[index]
        for converter in converters:
            value = converter(value, col, conn)
        out[index] = value
    return out


def user_for_token(raw: str):
    """The active user owning the live API token `raw`, or `None` (unknown, revoked, inactive user,
    empty). One SELECT; plus one UPDATE of `last_used_at` at most once a `LAST_USED_PRECISION`."""
    if not raw:
        return None
    select, update, fields = _statements()
    with connection.cursor() as cursor:
        cursor.execute(select, [ApiToken.hash(raw)])
        row = cursor.fetchone()
        if row is None:
            return None
        token_id, last_used = from_row(ApiToken, ["id", "last_used_at"], row[:2])
        now = timezone.now()
        if last_used is None or now - last_used > LAST_USED_PRECISION:
            adapt = connection.ops.adapt_datetimefield_value
            cursor.execute(update, [adapt(now), token_id, adapt(now - LAST_USED_PRECISION)])
    User = get_user_model()
    return User.from_db(connection.alias, fields, from_row(User, fields, row[2:]))
