"""Outcomes API: indicators and their readings. Thin and typed, calling the services.

Public callers see indicators of published frameworks; staff also see their organisation's drafts.
Staff (and an indicator's owner) POST readings. Small counts of people are hidden from everyone but
the owning organisation's staff (`opendata.hides`): the value is null and `…suppressed` is true.
"""

from datetime import date
from decimal import Decimal

from django.db.models import BooleanField, ExpressionWrapper, Q, Value
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from coproduce.api import PUBLIC
from coproduce.core.audit import Channel
from coproduce.core.permissions import STAFF_ROLES, organisations_where, require

from . import opendata, queries, services
from .models import Framework, Indicator, Reading

router = Router(tags=["outcomes"])


class TargetOut(Schema):
    due: date
    value: Decimal


def _hidden(indicator, value, context) -> bool:
    return opendata.hides(indicator, value) and not context["request"].user.has_perm(
        "outcomes.view_exact_counts", indicator)


def _figure(name: str):
    """Resolvers of one figure of an indicator: its value (None when hidden from this caller) and whether
    it is hidden (a small count of people, for anyone but the owning organisation's staff)."""

    def value(obj, context):
        return None if _hidden(obj, getattr(obj, name), context) else getattr(obj, name)

    def suppressed(obj, context) -> bool:
        return _hidden(obj, getattr(obj, name), context)

    return staticmethod(value), staticmethod(suppressed)


class IndicatorOut(Schema):
    id: int
    title: str
    description: str
    unit: str
    better: str
    framework: str = Field(..., alias="framework.slug")
    framework_status: str = Field(..., alias="framework.status")
    organisation: str = Field(..., alias="framework.organisation.slug")
    outcome: str = Field(..., alias="outcome.title")
    goal: str = Field(..., alias="outcome.goal.title")
    source: str
    metric_key: str
    baseline_value: Decimal | None
    baseline_suppressed: bool
    baseline_date: date | None
    latest_reading_value: Decimal | None
    latest_reading_suppressed: bool
    latest_reading_date: date | None
    reading_count: int
    design_decision_id: int | None
    targets: list[TargetOut]
    status: str

    resolve_baseline_value, resolve_baseline_suppressed = _figure("baseline_value")
    resolve_latest_reading_value, resolve_latest_reading_suppressed = _figure("latest_reading_value")

    @staticmethod
    def resolve_targets(obj):
        return list(obj.targets.all())

    @staticmethod
    def resolve_status(obj):
        return queries.assess_indicator(obj).status.value


class ReadingOut(Schema):
    id: int
    on: date
    value: Decimal | None
    suppressed: bool = False
    note: str
    source: str

    @staticmethod
    def resolve_value(obj):
        return None if getattr(obj, "suppressed", False) else obj.value


class ReadingIn(Schema):
    on: date
    value: Decimal
    note: str = Field("", max_length=300)


def _visible(user):
    qs = Indicator.objects.select_related("framework__organisation", "outcome__goal").prefetch_related("targets")
    if user.is_authenticated and user.is_superuser:
        return qs
    published = Q(framework__status=Framework.Status.PUBLISHED)
    if user.is_authenticated:
        return qs.filter(published | Q(framework__organisation_id__in=organisations_where(user, STAFF_ROLES)))
    return qs.filter(published)


@router.get("/indicators", response=list[IndicatorOut], auth=PUBLIC)
@paginate(LimitOffsetPagination)
def list_indicators(request, organisation: str | None = None, framework: str | None = None):
    qs = _visible(request.user)
    if organisation:
        qs = qs.filter(framework__organisation__slug=organisation)
    if framework:
        qs = qs.filter(framework__slug=framework)
    return qs.order_by("id")


@router.get("/indicators/{indicator_id}", response=IndicatorOut, auth=PUBLIC)
def get_indicator(request, indicator_id: int):
    indicator = get_object_or_404(
        Indicator.objects.select_related("framework__organisation", "outcome__goal").prefetch_related("targets"),
        pk=indicator_id)
    require(request.user, "outcomes.view_framework", indicator.framework)
    return indicator


@router.get("/indicators/{indicator_id}/readings", response=list[ReadingOut], auth=PUBLIC)
@paginate(LimitOffsetPagination)
def list_readings(request, indicator_id: int):
    indicator = get_object_or_404(Indicator.objects.select_related("framework"), pk=indicator_id)
    require(request.user, "outcomes.view_framework", indicator.framework)
    hide = indicator.counts_people and not request.user.has_perm("outcomes.view_exact_counts", indicator)
    suppressed = ExpressionWrapper(Q(value__lt=opendata.THRESHOLD), output_field=BooleanField()) if hide else \
        Value(False)
    return Reading.objects.filter(indicator=indicator).annotate(suppressed=suppressed).order_by("on")


@router.post("/indicators/{indicator_id}/readings", response={201: ReadingOut})
def create_reading(request, indicator_id: int, payload: ReadingIn):
    indicator = get_object_or_404(Indicator.objects.select_related("framework__organisation"), pk=indicator_id)
    require(request.user, "outcomes.view_framework", indicator.framework)
    reading = services.record_reading(request.user, indicator, on=payload.on, value=payload.value, note=payload.note,
                                      source=Reading.Source.API, channel=Channel.API)
    return Status(201, reading)
