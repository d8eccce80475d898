"""Monitoring campaigns API: list campaigns, a campaign with its measures, post an observation, and the
aggregates. Mounted under /api/v1/assessment/ by `assessment.api`. Thin: the services check and write."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from coproduce.api import PUBLIC
from coproduce.core.audit import Channel
from coproduce.core.permissions import require

from . import monitoring_data
from . import monitoring_services as monitoring
from .monitoring_models import Campaign, Volunteer

router = Router(tags=["assessment: monitoring"])


class CampaignOut(Schema):
    slug: str
    title: str
    organisation: str = Field(..., alias="organisation.slug")
    purpose: str
    method: str
    partner: str
    status: str
    starts_on: date
    ends_on: date | None
    observation_count: int


class MeasureOut(Schema):
    id: int
    field: str
    name: str
    kind: str
    unit: str
    help_text: str
    min_value: Decimal | None
    max_value: Decimal | None
    choices: list[str]
    required: bool


class CampaignDetailOut(CampaignOut):
    measures: list[MeasureOut]

    @staticmethod
    def resolve_measures(obj) -> list:
        return list(obj.measures.all())


class ObservationIn(Schema):
    values: dict[str, Any]
    observed_at: datetime
    location: str
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    minutes_spent: int = 0
    notes: str = ""
    volunteer: int | None = None  # coordinators entering a sheet: the volunteer's enrolment id
    channel: str = Channel.API


class ObservationOut(Schema):
    id: int
    campaign: str = Field(..., alias="campaign.slug")
    observed_at: datetime
    entered_at: datetime
    location: str
    minutes_spent: int
    channel: str
    on_behalf: bool


def _campaign(slug: str) -> Campaign:
    return get_object_or_404(Campaign.objects.select_related("organisation"), slug=slug)


@router.get("/campaigns", response=list[CampaignOut], auth=PUBLIC)
@paginate(LimitOffsetPagination)
def list_campaigns(request, status: str | None = None):
    """Open and closed campaigns (drafts are not listed)."""
    qs = Campaign.objects.exclude(status=Campaign.Status.DRAFT)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("organisation").order_by("-starts_on", "-id")


@router.get("/campaigns/{slug}", response=CampaignDetailOut, auth=PUBLIC)
def get_campaign(request, slug: str):
    campaign = _campaign(slug)
    require(request.user, "assessment.view_campaign", campaign)
    return campaign


@router.post("/campaigns/{slug}/observations", response={201: ObservationOut}, auth=PUBLIC)
def post_observation(request, slug: str, payload: ObservationIn):
    """Record an observation (values keyed by measure field, e.g. `m12`). A coordinator entering a
    paper sheet gives `volunteer` (the enrolment id) and `channel: "paper"`."""
    campaign = _campaign(slug)
    volunteer = None
    if payload.volunteer is not None:
        volunteer = get_object_or_404(Volunteer, pk=payload.volunteer, campaign=campaign)
    observation = monitoring.record_observation(
        request.user, campaign, values=payload.values, observed_at=payload.observed_at, location=payload.location,
        latitude=payload.latitude, longitude=payload.longitude, minutes_spent=payload.minutes_spent,
        notes=payload.notes, volunteer=volunteer, channel=payload.channel)
    return 201, observation


def _jsonable(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items() if k != "chart"}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


@router.get("/campaigns/{slug}/aggregates", auth=PUBLIC)
def campaign_aggregates(request, slug: str):
    """Per-measure summaries, per week and per place (numbers as decimal strings). Nobody is named."""
    campaign = _campaign(slug)
    require(request.user, "assessment.view_campaign", campaign)
    results = monitoring_data.results(campaign)
    return {"campaign": campaign.slug, "status": campaign.status, "observations": results["observations"],
            "volunteers": results["volunteers"], "minutes": results["minutes"],
            "measures": _jsonable(results["measures"]), "weeks": _jsonable(results["weeks"]),
            "locations": _jsonable(results["locations"])}
