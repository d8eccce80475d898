"""The HTTP API at /api/v1/ (OpenAPI 3 schema at /api/v1/openapi.json, docs at /api/v1/docs).

Authentication: `Authorization: Bearer <token>` (tokens from `coproduce apitoken USERNAME` or the
"API tokens" page), or the browser session. Every error is
`{"error": {"code": ..., "message": ..., "fields": {...}}}` with a fitting 4xx status.
"""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaValidationError
from ninja.security import HttpBearer, SessionAuth

from coproduce.core.tokens import user_for_token


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>`: one plain SELECT (see `coproduce.core.tokens`)."""

    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class OptionalAuth:
    """For public endpoints: identify the caller if they authenticate, otherwise anonymous."""

    def __call__(self, request):
        header = request.headers.get("Authorization", "")
        if header.lower().startswith("bearer "):
            user = BearerToken().authenticate(request, header.split(" ", 1)[1].strip())
            if user is None:
                raise AuthenticationError
            return user
        if request.user.is_authenticated:
            return request.user
        request.user = AnonymousUser()
        return request.user


AUTH = [BearerToken(), SessionAuth()]
PUBLIC = [OptionalAuth()]

api = NinjaAPI(
    title="coproduce API",
    version="1",
    description=__doc__,
    auth=AUTH,
    urls_namespace="api",
)


def error(request, status: int, code: str, message: str, fields: dict | None = None):
    return api.create_response(
        request, {"error": {"code": code, "message": message, "fields": fields or {}}}, status=status
    )


def _field_name(loc) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload", "form")]
    return ".".join(parts) or "__all__"


@api.exception_handler(SchemaValidationError)
def on_schema_error(request, exc):
    fields: dict[str, list[str]] = {}
    for item in exc.errors:
        fields.setdefault(_field_name(item.get("loc", ())), []).append(item.get("msg", "invalid"))
    return error(request, 400, "invalid", "The request has invalid or missing fields.", fields)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc):
    if hasattr(exc, "error_dict"):
        fields = {key: [str(m) for m in msgs] for key, msgs in exc.message_dict.items()}
    else:
        fields = {"__all__": [str(m) for m in exc.messages]}
    return error(request, 400, "invalid", "The request was refused: see the fields.", fields)


@api.exception_handler(PermissionDenied)
def on_forbidden(request, exc):
    return error(request, 403, "forbidden", "You are not allowed to do this.")


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return error(request, 401, "unauthenticated", "Send a valid token: Authorization: Bearer <token>.")


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return error(request, 404, "not_found", str(exc) or "Not found.")


@api.exception_handler(ObjectDoesNotExist)
def on_missing(request, exc):
    return error(request, 404, "not_found", str(exc) or "Not found.")


@api.exception_handler(IntegrityError)
def on_conflict(request, exc):
    return error(request, 409, "conflict", "This conflicts with data that already exists.")


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    code = {400: "invalid", 401: "unauthenticated", 403: "forbidden", 404: "not_found", 409: "conflict",
            429: "rate_limited"}.get(exc.status_code, "error")
    return error(request, exc.status_code, code, str(exc))


def _register_routers() -> None:
    from coproduce.core.api import router as core_router

    api.add_router("/", core_router)
    api.add_router("/", "coproduce.timebank.api.router")
    api.add_router("/", "coproduce.budgeting.api.router")
    api.add_router("/design", "coproduce.design.api.router")
    api.add_router("/assessment", "coproduce.assessment.api.router")
    api.add_router("/outcomes", "coproduce.outcomes.api.router")
    api.add_router("/assets", "coproduce.assets.api.router")


_register_routers()
