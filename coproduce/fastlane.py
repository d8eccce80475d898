"""The fast lane: the two hot write endpoints answered in front of Django's full request stack.

    from coproduce.fastlane import FastLane

    application = FastLane(get_wsgi_application())     # coproduce/wsgi.py

Casting a vote (`POST /api/v1/design/conversations/<id>/votes`) and a ballot
(`POST /api/v1/budgeting/budgets/<id>/ballot`) are the requests that arrive by the hundred per second
when a vote opens. Their database work is already one statement (`design/fastpath.py`,
`budgeting/fastpath.py`); what remains is Python: twelve middlewares, URL resolution, django-ninja's
parsing and schema validation, building model instances and the response. The fast lane answers exactly these two requests itself when they are
plain: a bearer token (`Authorization: Bearer ...`, so no session and no CSRF token are involved), a
JSON body of exactly the expected shape with integer values, and an outcome of plain success.

It runs the same checks with the same code: the host is validated and HTTPS redirects applied by the
project's own `CommonMiddleware`/`SecurityMiddleware`, the language chosen by `LocaleMiddleware`, and
the service functions the API views call decide permission, phase, eligibility and the ballot's
validity (`design.services.vote_statement`, `budgeting.services.cast_ballot`). The token is not looked
up by a statement of its own: its hash goes into the vote's one statement, or the ballot's one read,
which apply `core.tokens`' rules (live, user active, `last_used_at` refreshed) — so a vote is one round
trip to the database and a ballot two. The body is rendered by the API's renderer from the endpoint's
response schema; the headers are those the API and the middlewares' `process_response` gave the first
such answer in the same language and scheme (they depend on nothing else; only Content-Length is
set per answer), so body and headers are the view's.

Anything else falls through, untouched, to Django: another path or method, a session, a body of
another shape, an unknown token, and every refusal (each service writes nothing when it refuses:
one statement, or one transaction; a live token's `last_used_at` is refreshed either way, as Django's
own authentication would). Django then decides again and explains the refusal exactly as
before, so the fast lane never answers anything but success (the tests compare both paths, persona
by persona). A vote the one statement cannot decide on its own (a first vote, a members-only lab,
SQLite) also falls through to the view's ORM path.

Database connections persist between requests (`CONN_MAX_AGE`) with health checks, as for every
request; but where Django checks a reused connection with an extra `SELECT 1` round trip before the
first query of each request, the fast lane checks it without a round trip (`core.prepared.alive`: a
server that closed the connection has said so on the socket): a dead connection falls through before
anything is sent, and Django's own check then closes it and answers on a fresh one. A statement the
server refused (an error with an SQLSTATE: it took no effect) falls through too; but a connection lost
after a write was sent, with no answer, is answered as Django answers an error: the write is never
sent a second time.
"""

import json
import re
from io import BytesIO

from django.core import signals
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.handlers.exception import response_for_exception
from django.core.handlers.wsgi import WSGIRequest
from django.db import DEFAULT_DB_ALIAS, connections
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.common import CommonMiddleware
from django.middleware.locale import LocaleMiddleware
from django.middleware.security import SecurityMiddleware
from django.utils import translation

from coproduce.core.prepared import refused

VOTE = re.compile(r"/api/v1/design/conversations/([0-9]{1,18})/votes")
BALLOT = re.compile(r"/api/v1/budgeting/budgets/([0-9]{1,18})/ballot")
BIGINT = 2 ** 63
CACHED = 256  # languages chosen per (Accept-Language, Cookie) remembered


def _unused(request):  # the middlewares below are only asked for their process_request/response
    raise AssertionError("not called")


class FastLane:
    """WSGI application: the fast lane in front of `django_app` (see the module docstring)."""

    def __init__(self, django_app):
        self.django_app = django_app
        self.security = SecurityMiddleware(_unused)
        self.common = CommonMiddleware(_unused)
        self.locale = LocaleMiddleware(_unused)
        self.frames = XFrameOptionsMiddleware(_unused)
        self.languages: dict[tuple, str] = {}
        self.headers: dict[tuple, list] = {}  # (language, https) -> the headers of a success, but its length
        # What the two endpoints need, imported now rather than by the first request of each worker.
        import coproduce.api  # noqa: F401
        import coproduce.budgeting.api  # noqa: F401
        import coproduce.design.api  # noqa: F401

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") != "POST":
            return self.django_app(environ, start_response)
        path = environ.get("PATH_INFO", "")
        vote = VOTE.fullmatch(path)
        ballot = None if vote else BALLOT.fullmatch(path)
        authorization = environ.get("HTTP_AUTHORIZATION", "")
        if (vote is None and ballot is None) or not authorization.lower().startswith("bearer ") \
                or environ.get("CONTENT_TYPE", "").split(";")[0].strip() != "application/json":
            return self.django_app(environ, start_response)
        return self.answer(environ, start_response, vote, ballot, authorization.split(" ", 1)[1].strip())

    def answer(self, environ, start_response, vote, ballot, token):
        signals.request_started.send(sender=self.__class__, environ=environ)
        request = body = answer = None
        try:
            request = WSGIRequest(environ)
            body = request.body
            answer = self.respond(request, body, vote, ballot, token)
        except Exception as exc:
            if request is not None and getattr(request, "_fastlane_wrote", False) and not refused(exc):
                answer = self.finish(request, response_for_exception(request, exc))  # what Django answers
            else:  # every refusal, and every surprise before a write: Django decides and explains
                answer = None
        if answer is None:
            signals.request_finished.send(sender=self.__class__)
            if body is not None:
                environ = {**environ, "wsgi.input": BytesIO(body), "CONTENT_LENGTH": str(len(body))}
            return self.django_app(environ, start_response)
        try:
            status, headers, content = answer
            start_response(status, headers)
            return [content]
        finally:
            signals.request_finished.send(sender=self.__class__)

    def respond(self, request, body: bytes, vote, ballot, token):
        """(status, headers, body) of plain success, or None (nothing written) for Django to answer."""
        for middleware in (self.security, self.common):  # host validation, HTTPS and other redirects
            if middleware.process_request(request) is not None:
                return None
        self.choose_language(request)
        payload = json.loads(body)
        if not token:
            return None
        conn = connections[DEFAULT_DB_ALIAS]
        if (conn.vendor == "postgresql" and conn.connection is not None and conn.health_check_enabled
                and not conn.health_check_done):
            from coproduce.core.prepared import alive

            if not alive(conn):
                return None  # Django's own health check closes it and answers on a fresh connection
            conn.health_check_done = True
        if vote:
            data = cast_vote(request, conn, int(vote[1]), payload, token)
        else:
            data = cast_ballot(request, conn, int(ballot[1]), payload, token)
        if data is None:
            return None
        from coproduce.api import api

        content = api.renderer.render(request, data, response_status=200)
        shape = (request.LANGUAGE_CODE, request.is_secure())
        headers = self.headers.get(shape)
        if headers is None:  # the first success of its kind: the API's response through the middlewares
            return self.finish(request, api.create_response(request, data, status=200), shape)
        content = content.encode() if isinstance(content, str) else content
        return "200 OK", [*headers, ("Content-Length", str(len(content)))], content

    def choose_language(self, request) -> None:
        """`LocaleMiddleware.process_request`, remembered per Accept-Language and Cookie header."""
        environ = request.META
        key = (environ.get("HTTP_ACCEPT_LANGUAGE"), environ.get("HTTP_COOKIE"))
        language = self.languages.get(key)
        if language is None:
            self.locale.process_request(request)
            if len(self.languages) >= CACHED:
                self.languages.clear()
            self.languages[key] = request.LANGUAGE_CODE
        else:
            translation.activate(language)
            request.LANGUAGE_CODE = language

    def finish(self, request, response, shape=None):
        for middleware in (self.frames, self.common, self.locale, self.security):  # as Django orders them
            response = middleware.process_response(request, response)
        headers = [*response.items(), *(("Set-Cookie", c.output(header="")) for c in response.cookies.values())]
        if shape is not None and response.status_code == 200 and not response.cookies:
            self.headers[shape] = [(name, value) for name, value in headers if name.lower() != "content-length"]
        return f"{response.status_code} {response.reason_phrase}", headers, response.content


def _is_int(value) -> bool:
    return type(value) is int and -BIGINT <= value < BIGINT


def cast_vote(request, conn, conversation_id: int, payload, token: str):
    """What `design.api.cast_vote` answers for a caller whose vote the one statement casts, or None."""
    if not (type(payload) is dict and payload.keys() == {"statement", "vote"}
            and _is_int(payload["statement"]) and _is_int(payload["vote"])):
        return None
    from coproduce.core.audit import Channel
    from coproduce.design import services

    if conn.vendor != "postgresql":
        return None  # the one statement is PostgreSQL's: Django's view takes the ORM path
    request._fastlane_wrote = True  # from here on, an error must not fall through (it could vote twice)
    cast = services.vote_statement(None, conversation_id, payload["statement"], payload["vote"],
                                   channel=Channel.API, token=token, using=conn)
    if cast is None:
        return None  # the statement wrote nothing: Django decides and explains
    result, _now = cast
    services.vote_statement_done(conversation_id, result)
    return {"statement": payload["statement"], "vote": payload["vote"], "participant": result.participant_number}


def cast_ballot(request, conn, budget_id: int, payload, token: str):
    """What `budgeting.api.cast_ballot` answers for a ranked or approval ballot that is accepted, or None."""
    if not (type(payload) is dict and payload.keys() == {"choices"} and type(payload["choices"]) is list
            and all(map(_is_int, payload["choices"]))):
        return None
    from coproduce.budgeting import services
    from coproduce.budgeting.api import BallotOut
    from coproduce.budgeting.fastpath import load_budget_for_token
    from coproduce.core.audit import Channel

    budget, person, user = load_budget_for_token(budget_id, token, using=conn)
    if budget is None:  # no such budget, or no live token of an active user
        return None
    request.user = user
    user._coproduce_person = person
    try:
        request._fastlane_wrote = True  # an error in the write must not fall through (see `answer`)
        receipt = services.cast_ballot(user, budget, choices=payload["choices"], channel=Channel.API)
    except (ValidationError, PermissionDenied):
        return None  # a refusal writes nothing: Django decides and explains
    return BallotOut.model_validate(receipt).model_dump()
