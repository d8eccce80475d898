"""Co-assessment API (the directory and rating summaries). Open311 has its own endpoints at /open311/v2/."""

from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from coproduce.api import PUBLIC
from coproduce.core.audit import Channel
from coproduce.core.permissions import require

from . import services, survey_services
from .models import RatingMonth, RatingSummary, Service, Survey
from .queries import directory_services
from .survey_results import rounded

router = Router(tags=["assessment"])


class ServiceOut(Schema):
    id: int
    slug: str
    name: str
    organisation: str = Field(..., alias="organisation.slug")
    description: str
    audience: str
    eligibility: str
    application_process: str
    email: str
    url: str
    status: str
    open311_code: str | None
    areas: list[str]
    languages: list[str]
    opening_hours: list[str]
    phones: list[str]

    @staticmethod
    def resolve_areas(obj) -> list[str]:
        return [a.slug for a in obj.areas.all()]

    @staticmethod
    def resolve_languages(obj) -> list[str]:
        return [lang.code for lang in obj.languages.all()]

    @staticmethod
    def resolve_opening_hours(obj) -> list[str]:
        return [str(s) for s in obj.schedules.all()]

    @staticmethod
    def resolve_phones(obj) -> list[str]:
        return [p.number for p in obj.phones.all()]


class MonthOut(Schema):
    month: date
    count: int
    average: float | None


class SummaryOut(Schema):
    count: int
    average: float | None
    stars: dict[str, int]
    dimensions: dict[str, float]
    months: list[MonthOut]


class RatingIn(Schema):
    overall: int
    dimensions: dict[str, int] = {}
    comment: str = ""


class RatingOut(Schema):
    id: int
    overall: int
    dimensions: dict
    comment: str
    rated_at: datetime


@router.get("/services", response=list[ServiceOut], auth=PUBLIC)
@paginate(LimitOffsetPagination)
def list_services(request, q: str | None = None, area: str | None = None, language: str | None = None):
    qs = Service.objects.filter(organisation__is_active=True).exclude(status=Service.Status.DEFUNCT)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(description__icontains=q))
    if area:
        from coproduce.core.models import Area

        qs = qs.filter(areas__id__in=get_object_or_404(Area, slug=area).ancestor_ids()).distinct()
    if language:
        qs = qs.filter(languages__code=language.lower()).distinct()
    return directory_services(qs).order_by("name", "id")


@router.get("/services/{slug}", response=ServiceOut, auth=PUBLIC)
def get_service(request, slug: str):
    service = get_object_or_404(directory_services(Service.objects.all()), slug=slug)
    require(request.user, "assessment.view_service", service)
    return service


@router.get("/services/{slug}/ratings/summary", response=SummaryOut, auth=PUBLIC)
def rating_summary(request, slug: str):
    service = get_object_or_404(Service.objects.select_related("organisation"), slug=slug)
    require(request.user, "assessment.view_service", service)
    summary = RatingSummary.objects.filter(service=service).first() or RatingSummary(service=service)
    return {
        "count": summary.count, "average": summary.average,
        "stars": {str(n): c for n, c, _pct in summary.stars()},
        "dimensions": {name: avg for name, avg, _n in summary.dimension_averages()},
        "months": [{"month": m.month, "count": m.count, "average": m.average}
                   for m in RatingMonth.objects.filter(service=service).order_by("month")],
    }


@router.put("/services/{slug}/rating", response=RatingOut)
def put_rating(request, slug: str, payload: RatingIn):
    """Give or change your rating of a service (one current rating per person)."""
    service = get_object_or_404(Service.objects.select_related("organisation"), slug=slug)
    return services.rate_service(request.user, service, overall=payload.overall, dimensions=payload.dimensions,
                                 comment=payload.comment, channel=Channel.API)


# --- surveys -----------------------------------------------------------------------------------


class QuestionOut(Schema):
    id: int
    field: str
    kind: str
    text: str
    help_text: str
    required: bool
    options: list[str]
    scale: list[str]
    min_value: Decimal | None
    max_value: Decimal | None
    unit: str


class SurveyOut(Schema):
    slug: str
    title: str
    description: str
    organisation: str = Field(..., alias="organisation.slug")
    status: str
    is_anonymous: bool
    area: str | None = Field(None, alias="area.slug")
    results_published: bool
    response_count: int


class SurveyDetailOut(SurveyOut):
    questions: list[QuestionOut]

    @staticmethod
    def resolve_questions(obj) -> list:
        return list(obj.questions.all())


class ResponseIn(Schema):
    answers: dict[str, Any]
    on_behalf_of: int | None = None
    channel: str = Channel.API


class ResponseOut(Schema):
    id: int
    survey: str
    channel: str
    submitted_at: datetime


@router.get("/surveys", response=list[SurveyOut], auth=PUBLIC)
@paginate(LimitOffsetPagination)
def list_surveys(request, status: str | None = None):
    """Open surveys, and closed ones whose results are published."""
    qs = Survey.objects.filter(Q(status=Survey.Status.OPEN) | Q(status=Survey.Status.CLOSED, results_published=True))
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("organisation", "area").order_by("-created_at", "-id")


@router.get("/surveys/{slug}", response=SurveyDetailOut, auth=PUBLIC)
def get_survey(request, slug: str):
    survey = get_object_or_404(Survey.objects.select_related("organisation", "area"), slug=slug)
    require(request.user, "assessment.view_survey", survey)
    return survey


@router.post("/surveys/{slug}/responses", response={201: ResponseOut}, auth=PUBLIC)
def submit_survey_response(request, slug: str, payload: ResponseIn):
    """Answer a survey (answers keyed by question field, e.g. `q12`). Staff entering a paper response
    give `channel: "paper"` and, for identified surveys, `on_behalf_of` (a person id)."""
    from coproduce.core.models import Person

    survey = get_object_or_404(Survey.objects.select_related("organisation", "area"), slug=slug)
    person = get_object_or_404(Person, pk=payload.on_behalf_of) if payload.on_behalf_of else None
    try:
        response = survey_services.submit_response(request.user, survey, payload.answers, on_behalf_of=person,
                                                   channel=payload.channel, ip=request.META.get("REMOTE_ADDR"))
    except services.RateLimited as exc:
        raise HttpError(429, str(exc)) from None
    return 201, {"id": response.pk, "survey": survey.slug, "channel": response.channel,
                 "submitted_at": response.submitted_at}


def _jsonable(value):
    if isinstance(value, Fraction):
        return str(rounded(value, 1))
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def _page_bounds(limit: int, offset: int) -> None:
    errors = {}
    if not 1 <= limit <= settings.NINJA_PAGINATION_MAX_LIMIT:
        errors["limit"] = [_("Give a limit from 1 to %(n)s.") % {"n": settings.NINJA_PAGINATION_MAX_LIMIT}]
    if offset < 0:
        errors["offset"] = [_("Give an offset of 0 or more.")]
    if errors:
        raise ValidationError(errors)


@router.get("/surveys/{slug}/results", auth=PUBLIC)
def survey_results_json(request, slug: str, group: int | None = None,
                        limit: int = settings.NINJA_PAGINATION_PER_PAGE, offset: int = 0):
    """Per-question results (averages as decimal strings rounded to one place). Free-text answers
    only for the survey's team. The aggregates are complete; the per-respondent rows (an allocation's
    `respondents`, a text question's `texts`) are paged with `limit` and `offset`, and
    `respondents_count` / `texts_count` say how many there are in all."""
    _page_bounds(limit, offset)
    survey = get_object_or_404(Survey.objects.select_related("organisation"), slug=slug)
    require(request.user, "assessment.view_survey_results", survey)
    show_texts = request.user.has_perm("assessment.view_survey_texts", survey)
    questions = []
    for result in survey_services.results(survey, group):
        body = {k: v for k, v in result.items() if k != "question"}
        if "texts" in body and not show_texts:
            body["texts"] = []
        for rows in ("respondents", "texts"):
            if rows in body:
                body[f"{rows}_count"] = len(body[rows])
                body[rows] = body[rows][offset:offset + limit]
        questions.append({"id": result["question"]["id"], "field": result["question"]["field"],
                          "kind": result["question"]["kind"], "text": result["question"]["text"],
                          **_jsonable(body)})
    return {"survey": survey.slug, "status": survey.status, "responses": survey.response_count,
            "limit": limit, "offset": offset, "questions": questions}


# Citizen inspections: /api/v1/assessment/inspections/... (see `inspection_api`).
from .inspection_api import router as inspection_router  # noqa: E402

router.add_router("/inspections", inspection_router)

# --- monitoring campaigns (their own module) ----------------------------------------------------

from .monitoring_api import router as monitoring_router  # noqa: E402

router.add_router("/", monitoring_router)
