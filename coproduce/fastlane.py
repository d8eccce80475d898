"""The fast lane: the two hot write endpoints answered in front of Django's full request stack.

    from coproduce.fastlane import FastLane

    application = FastLane(get_wsgi_application())     # coproduce/wsgi.py

Casting a vote (`POST /api/v1/design/conversations/<id>/votes`) and a ballot
(`POST /api/v1/budgeting/budgets/<id>/ballot`) are the requests that arrive by the hundred per second
when a vote opens. Their database work is already one statement (`design/fastpath.py`,
`budgeting/fastpath.py`); what remains is Python: twelve middlewares, URL resolution, django-ninja's
parsing and schema validation. The fast lane answers exactly these two requests itself when they are
plain: a bearer token (`Authorization: Bearer ...`, so no session and no CSRF token are involved), a
JSON body of exactly the expected shape with integer values, and an outcome of plain success.

It runs the same checks with the same code: the host is validated and HTTPS redirects applied by the
project's own `CommonMiddleware`/`SecurityMiddleware`, the token is checked by `core.tokens` (as
`coproduce.api` does), and the service functions the API views call decide permission, phase,
eligibility and the ballot's validity (`design.services.vote_statement`, `budgeting.services.cast_ballot`).
The response is built by the API (`api.create_response`, the endpoints' response schemas) and passes
through the same middlewares' `process_response`, so its body and headers are the view's.

Anything else falls through, untouched, to Django: another path or method, a session, a body of
another shape, an unknown token, and every refusal (each service writes nothing when it refuses:
one statement, or one transaction). Django then decides again and explains the refusal exactly as
before, so the fast lane never answers anything but success (the tests compare both paths, persona
by persona). A vote the one statement cannot decide on its own (a first vote, a members-only lab,
SQLite) also falls through to the view's ORM path.

Database connections persist between requests (`CONN_MAX_AGE`) with health checks, as for every
request; but where Django checks a reused connection with an extra `SELECT 1` round trip before the
first query of each request, the fast lane lets its first statement — the token's SELECT, a read —
be the check: if the connection has died, that SELECT fails, nothing has been written, the request
falls through, and Django (seeing the error) closes the connection and answers on a fresh one.
"""

import json
import re
from io import BytesIO

from django.core import signals
from django.core.handlers.exception import response_for_exception
from django.core.handlers.wsgi import WSGIRequest
from django.db import connection
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.common import CommonMiddleware
from django.middleware.locale import LocaleMiddleware
from django.middleware.security import SecurityMiddleware

VOTE = re.compile(r"/api/v1/design/conversations/([0-9]{1,18})/votes")
BALLOT = re.compile(r"/api/v1/budgeting/budgets/([0-9]{1,18})/ballot")


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
        if connection.connection is not None and connection.health_check_enabled:
            # The token's SELECT, the first statement, is the health check (see the module docstring).
            connection.health_check_done = True
        request = body = response = None
        try:
            request = WSGIRequest(environ)
            body = request.body
            response = self.respond(request, body, vote, ballot, token)
        except Exception as exc:
            if request is not None and getattr(request, "_fastlane_wrote", False):
                response = response_for_exception(request, exc)  # after a write: what Django answers
            else:  # every refusal and every surprise before a write: Django decides and explains
                response = None
        if response is None:
            signals.request_finished.send(sender=self.__class__)
            if body is not None:
                environ = {**environ, "wsgi.input": BytesIO(body), "CONTENT_LENGTH": str(len(body))}
            return self.django_app(environ, start_response)
        try:
            status = f"{response.status_code} {response.reason_phrase}"
            headers = [*response.items(), *(("Set-Cookie", c.output(header="")) for c in response.cookies.values())]
            start_response(status, headers)
            return [response.content]
        finally:
            signals.request_finished.send(sender=self.__class__)

    def respond(self, request, body: bytes, vote, ballot, token):
        """The response of plain success, or None (nothing written) for Django to answer."""
        for middleware in (self.security, self.common):  # host validation, HTTPS and other redirects
            if middleware.process_request(request) is not None:
                return None
        self.locale.process_request(request)
        payload = json.loads(body)
        from coproduce.core.tokens import user_for_token

        user = user_for_token(token)
        if user is None:
            return None
        request.user = user
        data = cast_vote(request, int(vote[1]), payload) if vote else cast_ballot(request, int(ballot[1]), payload)
        if data is None:
            return None
        from coproduce.api import api

        response = api.create_response(request, data, status=200)
        for middleware in (self.frames, self.common, self.locale, self.security):  # as Django orders them
            response = middleware.process_response(request, response)
        return response


def _is_int(value) -> bool:
    return type(value) is int


def cast_vote(request, conversation_id: int, payload):
    """What `design.api.cast_vote` answers for a caller whose vote the one statement casts, or None."""
    if not (type(payload) is dict and payload.keys() == {"statement", "vote"}
            and _is_int(payload["statement"]) and _is_int(payload["vote"])):
        return None
    from coproduce.core.audit import Channel
    from coproduce.design import services
    from coproduce.design.api import VoteOut

    cast = services.vote_statement(request.user, conversation_id, payload["statement"], payload["vote"],
                                   channel=Channel.API)
    if cast is None:
        return None
    request._fastlane_wrote = True  # from here on, an error must not fall through (it would vote twice)
    vote = services.after_vote_statement(conversation_id, payload["vote"], *cast)
    return VoteOut(statement=payload["statement"], vote=vote.value, participant=vote.participant.number).model_dump()


def cast_ballot(request, budget_id: int, payload):
    """What `budgeting.api.cast_ballot` answers for a ranked or approval ballot that is accepted, or None."""
    if not (type(payload) is dict and payload.keys() == {"choices"} and type(payload["choices"]) is list
            and all(map(_is_int, payload["choices"]))):
        return None
    from coproduce.budgeting import services
    from coproduce.budgeting.api import BallotOut
    from coproduce.budgeting.fastpath import load_budget
    from coproduce.core.audit import Channel

    budget, person = load_budget(budget_id, request.user.pk)
    if budget is None:
        return None
    request.user._coproduce_person = person
    receipt = services.cast_ballot(request.user, budget, choices=payload["choices"], channel=Channel.API)
    request._fastlane_wrote = True
    return BallotOut.model_validate(receipt).model_dump()
