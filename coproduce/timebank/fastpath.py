"""The ledger's hot path on PostgreSQL: a whole exchange in one SQL statement.

`services.transfer` checks permission and validates exactly as before, then, on PostgreSQL, hands
the posting to `post_exchange`, which sends one parameterised statement (one round trip, no ORM
query compilation). In order, inside that statement:

1. `locked`: the accounts of the exchange are locked with `SELECT ... ORDER BY id FOR UPDATE`, reading
   their balances and the limits that apply (member override, else the bank default) in the same
   scan. Every posting locks in id order, so concurrent postings cannot deadlock; a posting that
   waited for a lock reads the balance the other posting committed (READ COMMITTED re-reads locked
   rows).
2. `checked`: each locked account's movement (`delta`) and whether its limits allow it (`ok`), the
   same rule as `services._limit_errors`.
3. `go`: all accounts were found and all are `ok`. Nothing below writes unless `go`.
4. `moved`: one UPDATE of all the balances; `t0` (and `t1`, the other bank's leg of a cross-bank
   exchange, linked to `t0`): the transfer rows; `entries`: the audit entries, with the same fields
   `coproduce.core.audit.record` writes (a test compares the two).
5. The final SELECT returns every locked account's state before the posting (so a refusal can say
   which limit and by how much), `go`, and the ids of the new rows.

One statement is atomic on its own: outside a transaction it is its own transaction (one round trip,
no BEGIN/COMMIT), and it commits or writes nothing; inside a caller's transaction it runs in a
savepoint, as the ORM path does, so the caller's transaction survives an error. A refusal writes
nothing at all (every write depends on `go`), and the service raises the same `ValidationError` as
the ORM path (`services._limit_errors`, from the account states the statement returns).

The statement is prepared once per database connection and run by name at the protocol level
(`core.prepared`, parameters as text): planning it costs the server more than running it, and no SQL
text is built or quoted client-side, which halves the client CPU of the call (`bench/bench_ledger.py`).
Django still sees it: errors are Django's database errors (text with a NUL byte is refused whole), and
it is logged where queries are logged. A connection whose prepared statements were discarded behind
our back (`DISCARD ALL`, e.g. by a pooler in session mode) gets them prepared again; a pooler in
transaction mode is not supported.

SQLite keeps the portable ORM path in `services` (its IMMEDIATE transactions serialise writers).
"""

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from django.db import connection

from coproduce.core import prepared
from coproduce.core.models import AuditEntry

from .models import Account, Timebank, TimebankMember, Transfer


def available() -> bool:
    return connection.vendor == "postgresql"


@dataclass
class Row:
    """An account as locked by the statement, before the posting."""

    pk: int
    member_id: int | None
    timebank_id: int
    kind: str
    balance_minutes: int
    status: str | None
    floor: int | None
    ceiling: int | None


@dataclass
class Result:
    posted: bool
    accounts: list[Row]
    transfer_ids: list[int]


# The statement's parameters, in order, with their types.
PARAMETERS = {
    "payer": "bigint", "payee": "bigint", "here": "bigint", "there": "bigint", "minutes": "bigint",
    "reason": "text", "kind": "text", "occurred_on": "date", "now": "timestamptz", "actor": "bigint",
    "actor_label": "text", "on_behalf_of": "bigint", "channel": "text", "details": "jsonb", "object_type": "text",
}
NAMES = {False: "coproduce_timebank_exchange", True: "coproduce_timebank_exchange_cross_bank"}


def _names():
    quote = connection.ops.quote_name

    def table(model):
        return quote(model._meta.db_table)

    def columns(model):
        return {field.name: quote(field.column) for field in model._meta.concrete_fields}

    return (table(Account), columns(Account), table(TimebankMember), columns(TimebankMember),
            table(Timebank), columns(Timebank), table(Transfer), columns(Transfer),
            table(AuditEntry), columns(AuditEntry))


@cache
def statement(cross_bank: bool) -> str:
    """The SQL of an exchange within one bank, or (`cross_bank`) across two banks of a network."""
    account, a, member, m, bank, b, transfer, t, audit, e = _names()
    member_kind, clearing_kind = Account.Kind.MEMBER.value, Account.Kind.CLEARING.value
    # Which accounts, and what each one moves: payer -minutes, payee +minutes; across banks also the
    # payer bank's clearing +minutes (it owes the network) and the payee bank's clearing -minutes.
    if cross_bank:
        which = (f"a.{a['member']} IN (%(payer)s, %(payee)s) OR (a.{a['kind']} = '{clearing_kind}' "
                 f"AND a.{a['timebank']} IN (%(here)s, %(there)s))")
        delta = ("CASE WHEN l.member_id = %(payer)s THEN -%(minutes)s::bigint "
                 "WHEN l.member_id = %(payee)s THEN %(minutes)s::bigint "
                 "WHEN l.timebank_id = %(here)s THEN %(minutes)s::bigint ELSE -%(minutes)s::bigint END")
        accounts = 4
    else:
        which = f"a.{a['member']} IN (%(payer)s, %(payee)s)"
        delta = "CASE WHEN l.member_id = %(payer)s THEN -%(minutes)s::bigint ELSE %(minutes)s::bigint END"
        accounts = 2
    transfer_columns = ", ".join(t[name] for name in (
        "timebank", "from_account", "to_account", "minutes", "reason", "kind", "occurred_on", "created_at",
        "created_by", "on_behalf_of", "channel", "reverses", "linked"))
    common = ("%(minutes)s, %(reason)s::text, %(kind)s::text, %(occurred_on)s::date, %(now)s::timestamptz, "
              "%(actor)s::bigint, %(on_behalf_of)s::bigint, %(channel)s::text, NULL::bigint")
    if cross_bank:
        legs = f"""
    t0 AS (
        INSERT INTO {transfer} ({transfer_columns})
        SELECT %(here)s, src.id, dst.id, {common}, NULL::bigint
        FROM checked src, checked dst
        WHERE (SELECT go FROM go) AND src.member_id = %(payer)s
          AND dst.kind = '{clearing_kind}' AND dst.timebank_id = %(here)s
        RETURNING id, {t['from_account']} AS from_id, {t['to_account']} AS to_id, {t['timebank']} AS bank_id
    ),
    t1 AS (
        INSERT INTO {transfer} ({transfer_columns})
        SELECT %(there)s, src.id, dst.id, {common}, t0.id
        FROM checked src, checked dst, t0
        WHERE src.kind = '{clearing_kind}' AND src.timebank_id = %(there)s AND dst.member_id = %(payee)s
        RETURNING id, {t['from_account']} AS from_id, {t['to_account']} AS to_id, {t['timebank']} AS bank_id
    ),
    legs AS (SELECT 0 AS n, * FROM t0 UNION ALL SELECT 1, * FROM t1),"""
        details = ("%(details)s::jsonb || jsonb_build_object('legs', "
                   "jsonb_build_array((SELECT id FROM t0), (SELECT id FROM t1)))")
        ids = "(SELECT array_agg(id ORDER BY n) FROM legs)"
    else:
        legs = f"""
    legs AS (
        INSERT INTO {transfer} ({transfer_columns})
        SELECT %(here)s, src.id, dst.id, {common}, NULL::bigint
        FROM checked src, checked dst
        WHERE (SELECT go FROM go) AND src.member_id = %(payer)s AND dst.member_id = %(payee)s
        RETURNING 0 AS n, id, {t['from_account']} AS from_id, {t['to_account']} AS to_id,
                  {t['timebank']} AS bank_id
    ),"""
        details = "%(details)s::jsonb"
        ids = "(SELECT array_agg(id) FROM legs)"
    audit_columns = ", ".join(e[name] for name in (
        "at", "actor", "actor_label", "on_behalf_of", "channel", "action", "object_type", "object_id",
        "object_label", "organisation", "details"))
    return f"""
    WITH locked AS MATERIALIZED (
        SELECT a.id, a.{a['member']} AS member_id, a.{a['timebank']} AS timebank_id, a.{a['kind']} AS kind,
               a.{a['balance_minutes']} AS balance, m.{m['status']} AS status,
               CASE WHEN a.{a['kind']} = '{member_kind}'
                    THEN -COALESCE(m.{m['overdraft_limit_minutes']}, b.{b['overdraft_limit_minutes']}) END AS floor,
               CASE WHEN a.{a['kind']} = '{member_kind}' AND NOT m.{m['no_max_balance']}
                    THEN COALESCE(m.{m['max_balance_minutes']}, b.{b['max_balance_minutes']}) END AS ceiling
        FROM {account} a
        JOIN {bank} b ON b.id = a.{a['timebank']}
        LEFT JOIN {member} m ON m.id = a.{a['member']}
        WHERE {which}
        ORDER BY a.id
        FOR UPDATE OF a
    ),
    checked AS MATERIALIZED (
        SELECT l.*, d.delta,
               COALESCE(NOT (l.kind = '{member_kind}' AND l.status IS DISTINCT FROM 'active')
                        AND NOT (d.delta < 0 AND l.floor IS NOT NULL AND l.balance + d.delta < l.floor)
                        AND NOT (d.delta > 0 AND l.ceiling IS NOT NULL AND l.balance + d.delta > l.ceiling),
                        false) AS ok
        FROM locked l, LATERAL (SELECT {delta} AS delta) d
    ),
    go AS MATERIALIZED (
        SELECT count(*) = {accounts} AND COALESCE(bool_and(ok), false) AS go FROM checked
    ),
    moved AS (
        UPDATE {account} a SET {a['balance_minutes']} = a.{a['balance_minutes']} + c.delta
        FROM checked c
        WHERE a.id = c.id AND (SELECT go FROM go)
        RETURNING a.id
    ),{legs}
    entries AS (
        INSERT INTO {audit} ({audit_columns})
        SELECT %(now)s::timestamptz, %(actor)s::bigint, %(actor_label)s::text, %(on_behalf_of)s::bigint,
               %(channel)s::text, 'timebank.transfer', %(object_type)s::text, legs.id::text,
               left('transfer ' || legs.id || ': ' || %(minutes)s || ' min ' || legs.from_id || '->' || legs.to_id,
                    200),
               (SELECT {b['organisation']} FROM {bank} WHERE id = legs.bank_id), {details}
        FROM legs
        RETURNING id
    )
    SELECT c.id, c.member_id, c.timebank_id, c.kind, c.balance, c.status, c.floor, c.ceiling,
           (SELECT go FROM go), {ids}, (SELECT count(*) FROM moved), (SELECT count(*) FROM entries)
    FROM checked c
    ORDER BY c.id
    """


@cache
def _statement(cross_bank: bool) -> prepared.Statement:
    return prepared.Statement(NAMES[cross_bank], statement(cross_bank), PARAMETERS)


def post_exchange(
    *,
    payer: int,
    payee: int,
    here: int,
    there: int | None,
    minutes: int,
    reason: str,
    kind: str,
    occurred_on: date,
    now: datetime,
    actor: int | None,
    actor_label: str,
    on_behalf_of: int | None,
    channel: str,
    details: str,
) -> Result:
    """Post an exchange between two members (ids), in one bank or (`there`) across two; see above.
    Nothing is written unless `Result.posted`."""
    cross_bank = there is not None and there != here
    params = {
        "payer": payer, "payee": payee, "here": here, "there": there, "minutes": minutes, "reason": reason,
        "kind": kind, "occurred_on": occurred_on, "now": now, "actor": actor, "actor_label": actor_label,
        "on_behalf_of": on_behalf_of, "channel": channel, "details": details,
        "object_type": Transfer._meta.label_lower,
    }
    rows = prepared.execute(connection, _statement(cross_bank), params)
    accounts = [Row(*row[:8]) for row in rows]
    posted = bool(rows) and bool(rows[0][8])
    ids = list(rows[0][9] or []) if rows else []
    if posted and (len(ids) != (2 if cross_bank else 1) or rows[0][10] != len(accounts) or rows[0][11] != len(ids)):
        # Cannot happen (every write depends on `go`, on rows we hold locked): an alarm, not a guard.
        raise RuntimeError(f"ledger statement wrote an incomplete posting: {rows[0][9:]}")
    return Result(posted, accounts, ids)
