"""Co-assessment API (the directory and rating summaries). Open311 has its own endpoints at /open311/v2/."""

from datetime import date, datetime

from django.db.models import Q
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from coproduce.api import PUBLIC
from coproduce.core.audit import Channel
from coproduce.core.permissions import require

from . import services
from .models import RatingMonth, RatingSummary, Service
from .queries import directory_services

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
