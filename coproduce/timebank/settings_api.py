"""Timebank API for a bank's settings, networks, agreement versions and categories (added to
`timebank.api`'s router). The bank's administrators change its settings; platform administrators
create networks.

- `PATCH /timebanks/{slug}` lives in `timebank.api` (a path answers from one router only).
- `POST /timebank-networks` `{"name", "slug"?, "coordinator"? (organisation slug)}` → 201.
- `POST /timebanks/{slug}/agreements` `{"version", "text"}` → 201; members are asked to accept it.
- `POST /timebanks/{slug}/members/{id}/agreement` → the member, having accepted the newest version.
- `GET /timebanks/{slug}/categories` (public), `POST /timebanks/{slug}/categories` `{"name", "group",
  "sensitive"?}` → 201, `POST /timebanks/{slug}/categories/{id}/hide|show` → the category.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from ninja import Field, Router, Schema
from pydantic import StrictBool

from coproduce.api import PUBLIC
from coproduce.core.audit import Channel
from coproduce.core.models import Organisation
from coproduce.core.permissions import require

from . import category_services, services
from .api import MemberOut, _bank, _member
from .models import Category

router = Router(tags=["timebank"])


class NetworkIn(Schema):
    name: str = Field(..., min_length=1, max_length=160)
    slug: str = Field("", max_length=150)
    coordinator: str | None = None


class NetworkOut(Schema):
    id: int
    name: str
    slug: str
    coordinator: str | None = Field(None, alias="coordinator.slug")


class AgreementIn(Schema):
    version: str = Field(..., min_length=1, max_length=40)
    text: str


class AgreementOut(Schema):
    version: str
    text: str
    published_at: datetime


class CategoryIn(Schema):
    name: str = Field(..., max_length=160)
    group: str
    sensitive: StrictBool = False


class CategoryOut(Schema):
    id: int
    slug: str
    name: str
    group: str
    sensitive: bool
    shared: bool
    in_use: bool

    @staticmethod
    def resolve_shared(obj) -> bool:
        return obj.timebank_id is None


@router.post("/timebank-networks", response={201: NetworkOut})
def create_network(request, payload: NetworkIn):
    require(request.user, "timebank.add_network")
    coordinator = None
    if payload.coordinator:
        coordinator = Organisation.objects.filter(slug=payload.coordinator).first()
        if coordinator is None:
            raise ValidationError({"coordinator": [f"Unknown organisation {payload.coordinator!r}."]})
    network = services.create_network(request.user, name=payload.name, slug=payload.slug,
                                      coordinator=coordinator, channel=Channel.API)
    return 201, network


@router.post("/timebanks/{slug}/agreements", response={201: AgreementOut})
def publish_agreement(request, slug: str, payload: AgreementIn):
    agreement = services.publish_agreement(request.user, _bank(slug), version=payload.version,
                                           text=payload.text, channel=Channel.API)
    return 201, agreement


@router.post("/timebanks/{slug}/members/{member_id}/agreement", response=MemberOut)
def accept_agreement(request, slug: str, member_id: int):
    bank = _bank(slug)
    services.accept_agreement(request.user, _member(bank, member_id), channel=Channel.API)
    return _member(bank, member_id)


@router.get("/timebanks/{slug}/categories", response=list[CategoryOut], auth=PUBLIC)
def list_categories(request, slug: str):
    """Every category of the bank's list, shared or its own, with whether it is in use."""
    bank = _bank(slug)
    require(request.user, "core.view_organisation", bank.organisation)
    return category_services.listing(bank)


def _listed(bank, category: Category) -> Category:
    return next(c for c in category_services.listing(bank) if c.pk == category.pk)


@router.post("/timebanks/{slug}/categories", response={201: CategoryOut})
def add_category(request, slug: str, payload: CategoryIn):
    bank = _bank(slug)
    category = category_services.add_category(request.user, bank, name=payload.name, group=payload.group,
                                               sensitive=payload.sensitive, channel=Channel.API)
    return 201, _listed(bank, category)


@router.post("/timebanks/{slug}/categories/{category_id}/{action}", response=CategoryOut)
def switch_category(request, slug: str, category_id: int, action: str):
    bank = _bank(slug)
    require(request.user, "timebank.change_timebank", bank)
    switch = {"hide": category_services.hide_category, "show": category_services.show_category}.get(action)
    if switch is None:
        raise ValidationError({"action": ["Use hide or show."]})
    category = switch(request.user, bank, category_id, channel=Channel.API)
    return _listed(bank, category)
