"""Prepared statements on PostgreSQL for the hot paths (the vote and the ballot), with as little
Python as possible between the request and the database.

    VOTE = Statement("coproduce_design_vote", sql, {"conversation": "bigint", ...})
    rows = execute(VOTE, {"conversation": 12, ...})      # -> list of tuples (psycopg's own loaders)

`sql` names its parameters `%(name)s`; `parameters` gives each one's SQL type, in order. A statement
is prepared once per database connection (the protocol's Parse, with those types) and then executed by
name with its parameters sent as text (the protocol's Bind/Execute): no query text is built, parsed or
planned per request, and none of Django's or psycopg's per-query Python (cursor objects, client-side
quoting) runs. The rows come back through psycopg's loaders, so their values are what a cursor gives.

Parameters are Python's `None`, `bool`, `int`, `str`, `UUID`, `date` and `datetime` (a JSON value is
passed as its text); text with a NUL byte is refused with `django.db.DataError` before anything is sent.

Transactions are Django's: outside a transaction the statement is its own (autocommit, one round trip);
inside one (`transaction.atomic`, every test) it runs in a savepoint, so a failure leaves the caller's
transaction usable. Errors are psycopg's, wrapped as Django's (`django.db.Error`, the psycopg error as
`__cause__`), and mark the connection for Django's usability check, as a cursor's would. A connection
whose prepared statements were dropped behind our back (`DISCARD ALL`/`DEALLOCATE ALL`, a pooler in
session mode) prepares them again, once.

`alive(connection)` is a health check without a round trip (see its docstring).
"""

import select
import uuid
import weakref
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import DEFAULT_DB_ALIAS, ProgrammingError, connection, connections, transaction
from psycopg import errors, generators, pq
from psycopg.adapt import Transformer

# The PostgreSQL type of each parameter type name used by the statements.
OIDS = {"bigint": 20, "smallint": 21, "integer": 23, "text": 25, "boolean": 16, "date": 1082, "timestamptz": 1184,
        "uuid": 2950, "jsonb": 3802}
_OK = (pq.ExecStatus.TUPLES_OK, pq.ExecStatus.COMMAND_OK)
_prepared: "weakref.WeakKeyDictionary[object, set[str]]" = weakref.WeakKeyDictionary()
# Per connection and statement: psycopg's row loaders, chosen from the first result's column types.
_loaders: "weakref.WeakKeyDictionary[object, dict[str, Transformer]]" = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class Statement:
    name: str
    sql: str
    parameters: dict[str, str]
    numbered: bytes = field(init=False, repr=False)
    oids: tuple[int, ...] = field(init=False, repr=False)

    def __post_init__(self):
        sql = self.sql
        for number, name in enumerate(self.parameters, start=1):
            sql = sql.replace(f"%({name})s", f"${number}")
        assert "%(" not in sql, sql
        object.__setattr__(self, "numbered", sql.encode())
        object.__setattr__(self, "oids", tuple(OIDS[kind] for kind in self.parameters.values()))


def _text(value) -> bytes | None:
    """A parameter in PostgreSQL's text input format (the statement declares its type). Text holding a
    NUL byte is refused whole, as psycopg refuses it on every other path (libpq would cut it there)."""
    if value is None:
        return None
    if value is True or value is False:
        return b"t" if value else b"f"
    if isinstance(value, str):
        if "\x00" in value:
            raise errors.DataError("PostgreSQL text fields cannot contain NUL (0x00) bytes")
        return value.encode()
    if isinstance(value, (int, uuid.UUID)):
        return str(value).encode()
    if isinstance(value, (datetime, date)):
        return value.isoformat().encode()
    raise TypeError(f"no text form for {type(value).__name__}")


def alive(conn) -> bool:
    """Whether Django's open connection `conn` is still connected, without a round trip: an idle
    connection has nothing to read, so a readable socket means the server said something — usually
    that it is closing the connection (a restart, `pg_terminate_backend`). That is read, and the
    connection is alive only if libpq still finds it good. (A path that dies without a word is not
    seen here; the statement then fails like any query on it.)"""
    raw = conn.connection
    if raw is None or raw.closed or raw.broken:
        return False
    pgconn = raw.pgconn
    try:
        readable, _, _ = select.select([pgconn.socket], [], [], 0)
        if readable:
            pgconn.consume_input()
    except Exception:
        return False
    return pgconn.status == pq.ConnStatus.OK


def _send(raw, statement: Statement, values: list) -> list[tuple]:
    pgconn = raw.pgconn
    names = _prepared.setdefault(raw, set())
    with raw.lock:
        if statement.name not in names:
            pgconn.send_prepare(statement.name.encode(), statement.numbered, param_types=statement.oids)
            _check(raw, raw.wait(generators.execute(pgconn)))
            names.add(statement.name)
        pgconn.send_query_prepared(statement.name.encode(), values)
        results = raw.wait(generators.execute(pgconn))
    result = _check(raw, results)
    transformers = _loaders.setdefault(raw, {})
    tx = transformers.get(statement.name)
    if tx is None:
        tx = transformers[statement.name] = Transformer(raw)
        tx.set_pgresult(result)
    else:  # a prepared statement's columns and their types stay as they were
        tx.set_pgresult(result, set_loaders=False)
    return tx.load_rows(0, result.ntuples, tuple)


def _check(raw, results):
    """The statement's result, or its error raised. (A statement that succeeded is not undone by an error
    that follows it, such as the server closing the connection just after.)"""
    result = results[0]
    if result.status not in _OK:
        raise errors.error_from_result(result, encoding=raw.pgconn._encoding)
    return result


def refused(error: Exception) -> bool:
    """Whether a database error from `execute` is the server's answer to the statement (an SQLSTATE):
    the statement then took no effect (its transaction or savepoint is rolled back), unlike a connection
    lost with no answer, after which nobody knows whether it was committed."""
    return bool(getattr(error.__cause__, "sqlstate", None))


def _attempt(conn, statement: Statement, values: list) -> list[tuple]:
    with conn.wrap_database_errors:
        if conn.in_atomic_block or not conn.get_autocommit():
            with transaction.atomic(using=conn.alias):  # a savepoint (it also opens the transaction)
                return _send(conn.connection, statement, values)
        return _send(conn.connection, statement, values)


def execute(conn, statement: Statement, params: dict) -> list[tuple]:
    """The rows of `statement` run with `params` on Django's connection `conn` (PostgreSQL). Counted
    in `connection.queries` (as `EXECUTE name`) when Django logs queries (DEBUG, query-count tests)."""
    if conn is connection:  # the proxy: every attribute would be looked up again through it
        conn = connections[DEFAULT_DB_ALIAS]
    conn.ensure_connection()
    with conn.wrap_database_errors:  # a value refused here is Django's `DataError`, like the server's
        values = [_text(params[name]) for name in statement.parameters]
    if conn.queries_logged:
        conn.queries_log.append({"sql": f"EXECUTE {statement.name} {values!r}", "time": "0.000"})
    try:
        return _attempt(conn, statement, values)
    except ProgrammingError as error:
        if getattr(error.__cause__, "sqlstate", None) != "26000":  # invalid_sql_statement_name
            raise
        _prepared.pop(conn.connection, None)  # dropped behind our back: prepare again, once
        _loaders.pop(conn.connection, None)
        return _attempt(conn, statement, values)
