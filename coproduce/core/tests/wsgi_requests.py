"""Send one request through the real WSGI applications, with and without the fast lane in front, and
compare what the caller gets and what the database holds afterwards (used by the fast-lane tests of
design and budgeting).

    outcome = both_ways(path, body, headers, snapshot)   # -> Outcome (asserts both paths agree)
    outcome.fast                                          # True when the fast lane answered itself
    statuses = at_once(path, bodies, token)               # concurrent requests (committed data only)
"""

import json
from contextlib import contextmanager
from dataclasses import dataclass
from io import BytesIO

from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections, transaction

from coproduce import testing
from coproduce.fastlane import FastLane


@dataclass
class Answer:
    status: int
    headers: dict
    body: bytes
    database: object

    def json(self):
        return json.loads(self.body)


@dataclass
class Outcome:
    answer: Answer
    fast: bool  # the fast lane answered without Django's view


class Counting:
    """Django's WSGI handler, counting the requests it gets."""

    def __init__(self):
        self.handler = WSGIHandler()
        self.calls = 0

    def __call__(self, environ, start_response):
        self.calls += 1
        return self.handler(environ, start_response)


@contextmanager
def inside_a_test_transaction():
    """The connection must not be closed between requests (the test's data lives in its transaction):
    what the test client does too."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def environ(method: str, path: str, body: bytes, headers: dict) -> dict:
    env = {
        "REQUEST_METHOD": method, "PATH_INFO": path, "SCRIPT_NAME": "", "QUERY_STRING": "",
        "SERVER_NAME": "testserver", "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.url_scheme": "http",
        "wsgi.input": BytesIO(body), "CONTENT_LENGTH": str(len(body)), "CONTENT_TYPE": "application/json",
        "HTTP_HOST": "testserver", "REMOTE_ADDR": "127.0.0.1",
    }
    for name, value in headers.items():
        key = name.upper().replace("-", "_")
        env[key if key in {"CONTENT_TYPE", "CONTENT_LENGTH"} else f"HTTP_{key}"] = value
    return env


def call(app, method, path, body: bytes, headers: dict, snapshot) -> Answer:
    got = {}

    def start_response(status, header_list, exc_info=None):
        got["status"], got["headers"] = int(status.split()[0]), header_list

    with inside_a_test_transaction():
        chunks = app(environ(method, path, body, headers), start_response)
        try:
            content = b"".join(chunks)
        finally:
            if hasattr(chunks, "close"):
                chunks.close()
    names = [name.lower() for name, _ in got["headers"]]
    assert len(names) == len(set(names)), got["headers"]
    return Answer(got["status"], {name.lower(): value for name, value in got["headers"]}, content, snapshot())


def both_ways(path: str, body, headers: dict, snapshot, *, method: str = "POST") -> Outcome:
    """The request once through the fast lane and once through Django alone, each from the same
    database state (rolled back in between; the first answer is left in place). Asserts both give
    the same status, headers, body and database afterwards."""
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    plain = Counting()
    sid = transaction.savepoint()
    expected = call(plain, method, path, raw, headers, snapshot)
    transaction.savepoint_rollback(sid)
    behind = Counting()
    answer = call(FastLane(behind), method, path, raw, headers, snapshot)
    assert behind.calls in (0, 1)
    assert (answer.status, answer.body) == (expected.status, expected.body), (answer, expected)
    assert answer.headers == expected.headers
    assert answer.database == expected.database
    return Outcome(answer, fast=behind.calls == 0)


def at_once(path: str, bodies: list[bytes], token: str) -> list[int]:
    """POST each body at the same moment through the fast lane, one thread and database connection each
    (so for tests with `transaction=True`); the statuses, in order."""
    app = FastLane(WSGIHandler())

    def send(i):
        got = {}
        chunks = app(environ("POST", path, bodies[i], {"Authorization": f"Bearer {token}"}),
                     lambda status, headers, exc_info=None: got.setdefault("status", int(status.split()[0])))
        b"".join(chunks)
        return got["status"]

    return testing.at_once(send, len(bodies))
