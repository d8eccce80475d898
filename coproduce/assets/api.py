"""Asset map API: community assets, capabilities and needs. Thin and typed, calling `assets.services`.

Mounted at /api/v1/assets. Public: listing and searching community assets and public capabilities
(shown by first name and neighbourhood). Signed in: adding, editing (PATCH) and removing (DELETE)
one's own capability (or, for brokers and staff, those of a person they support, on their behalf
with consent, as on the web pages), suggesting an asset. Staff: needs of their organisations,
matching suggestions, adding their organisation's assets. Errors are formatted by `coproduce.api`.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import StrictBool, StrictInt

from coproduce.api import PUBLIC
from coproduce.core.models import Area, Organisation, Person
from coproduce.core.permissions import person_of, require
from coproduce.timebank.models import Category

from . import capability_services, matching, queries, services
from .models import Capability, Channel, CommunityAsset, Need

router = Router(tags=["asset map"])

Windows = list[list[StrictInt]]


class AssetOut(Schema):
    id: int
    name: str
    kind: str
    status: str
    category: str | None = Field(None, alias="category.slug")
    description: str
    address: str
    latitude: str | None
    longitude: str | None
    neighbourhood: str = Field(..., alias="neighbourhood.slug")
    opening_windows: list[list[int]]
    opening_text: str
    contact_name: str
    email: str
    phone: str
    website: str
    accessibility: str
    owner: str | None = Field(None, alias="owner.slug")

    @staticmethod
    def resolve_latitude(obj) -> str | None:
        return None if obj.latitude is None else str(obj.latitude)

    @staticmethod
    def resolve_longitude(obj) -> str | None:
        return None if obj.longitude is None else str(obj.longitude)


class AssetIn(Schema):
    name: str = Field(..., max_length=160)
    kind: str
    neighbourhood: str
    category: str | None = None
    description: str = ""
    address: str = ""
    latitude: str | None = None  # decimal degrees as a string, e.g. "51.507351"
    longitude: str | None = None
    opening_windows: Windows = []
    opening_text: str = ""
    contact_name: str = ""
    email: str = ""
    phone: str = ""
    website: str = ""
    accessibility: str = ""
    owner: str | None = None  # organisation slug


class CapabilityOut(Schema):
    id: int
    kind: str
    name: str  # a first name, unless the caller may see who it is
    person: int | None  # only when the caller may see who it is
    category: str | None
    description: str
    keywords: str
    neighbourhood: str | None
    windows: list[list[int]]
    visibility: str


class CapabilityIn(Schema):
    kind: str
    description: str
    person: StrictInt | None = None  # omitted: yourself
    category: str | None = None
    keywords: str = ""
    neighbourhood: str | None = None
    windows: Windows = []
    visibility: str = Capability.Visibility.SUPPORTERS
    channel: str = Channel.API
    consent: StrictBool = False  # required when recording for someone else


class CapabilityPatch(Schema):
    """The fields to change; omitted ones keep their value (`null` clears category or neighbourhood)."""

    description: str | None = None
    category: str | None = None
    keywords: str | None = None
    neighbourhood: str | None = None
    windows: Windows | None = None
    visibility: str | None = None
    channel: str = Channel.API
    consent: StrictBool = False  # required when editing for someone else


class NeedOut(Schema):
    id: int
    organisation: str = Field(..., alias="organisation.slug")
    person: int | None = Field(None, alias="person_id")
    category: str = Field(..., alias="category.slug")
    description: str
    keywords: str
    neighbourhood: str = Field(..., alias="neighbourhood.slug")
    regular: bool
    windows: list[list[int]]
    home_visit: bool
    involves_children: bool
    involves_vulnerable_adults: bool
    status: str
    consent_by: str
    consent_at: datetime | None
    consent_channel: str
    created_at: datetime


class NeedIn(Schema):
    organisation: str
    category: str
    description: str
    neighbourhood: str
    person: StrictInt | None = None
    keywords: str = ""
    regular: StrictBool = False
    windows: Windows = []
    home_visit: StrictBool = False
    involves_children: StrictBool = False
    involves_vulnerable_adults: StrictBool = False
    consent_by: str = ""
    consent_by_name: str = ""
    consent_at: datetime | None = None
    consent_channel: str = ""


class SuggestionOut(Schema):
    label: str
    neighbourhood: str
    score: float
    items: list[str]
    reasons: list[str]
    flags: list[str]


class SuggestionsOut(Schema):
    considered: int
    eligible: int
    notes: list[str]
    suggestions: list[SuggestionOut]


def _category(slug: str | None, field: str = "category") -> Category | None:
    if not slug:
        return None
    category = Category.objects.filter(timebank__isnull=True, slug=slug).first()
    if category is None:
        raise ValidationError({field: [f"Unknown category {slug!r}."]})
    return category


def _area(slug: str | None, field: str = "neighbourhood") -> Area | None:
    if not slug:
        return None
    area = Area.objects.filter(slug=slug).first()
    if area is None:
        raise ValidationError({field: [f"Unknown neighbourhood {slug!r}."]})
    return area


def _organisation(slug: str | None, field: str) -> Organisation | None:
    if not slug:
        return None
    org = Organisation.objects.filter(slug=slug).first()
    if org is None:
        raise ValidationError({field: [f"Unknown organisation {slug!r}."]})
    return org


def _asset_fields(payload: AssetIn) -> dict:
    data = payload.dict()
    data.pop("owner")
    data["category"] = _category(payload.category)
    data["neighbourhood"] = _area(payload.neighbourhood)
    return data


# --- capabilities and needs (before /{asset_id}) -------------------------------------------------


def _capability_out(c: Capability, identified: set[int]) -> dict:
    known = c.person_id in identified
    return {
        "id": c.pk, "kind": c.kind, "name": c.person.name if known else queries.first_name(c.person.name),
        "person": c.person_id if known else None, "category": c.category.slug if c.category_id else None,
        "description": c.description, "keywords": c.keywords,
        "neighbourhood": c.neighbourhood.slug if c.neighbourhood_id else None, "windows": c.windows,
        "visibility": c.visibility,
    }


@router.get("/capabilities", response=list[CapabilityOut], auth=PUBLIC)
@paginate(LimitOffsetPagination)
def list_capabilities(request, q: str = "", kind: str = "", category: str = "", neighbourhood: str = ""):
    """Capabilities the caller may see: public ones (first name and neighbourhood) for everyone, plus
    their own and, for brokers and staff, those of the people they support."""
    qs = queries.capabilities_visible_to(request.user).select_related("person", "category", "neighbourhood")
    if q:
        qs = qs.filter(Q(description__icontains=q) | Q(keywords__icontains=q))
    if kind:
        qs = qs.filter(kind=kind)
    if category:
        qs = qs.filter(category__slug=category, category__timebank__isnull=True)
    if neighbourhood:
        qs = qs.filter(neighbourhood__slug=neighbourhood)
    return _CapabilityPage(qs, request.user)


class _CapabilityPage:
    """A lazily sliced queryset whose rows come out named as the caller may see them."""

    def __init__(self, qs, user):
        self.qs, self.user = qs, user

    def count(self) -> int:
        return self.qs.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key):
        rows = list(self.qs[key])
        identified = queries.identified_person_ids(self.user, [c.person_id for c in rows])
        return [_capability_out(c, identified) for c in rows]


@router.post("/capabilities", response={201: CapabilityOut})
def create_capability(request, payload: CapabilityIn):
    if payload.person is None:
        person = person_of(request.user)
        if person is None:
            raise ValidationError({"person": ["Give the person this capability is for."]})
    else:
        person = Person.objects.filter(pk=payload.person, erased_at__isnull=True).first()
        if person is None:
            raise ValidationError({"person": ["Unknown person."]})
    require(request.user, "assets.add_capability", person)
    capability = services.add_capability(
        request.user, person, kind=payload.kind, description=payload.description,
        category=_category(payload.category), keywords=payload.keywords, neighbourhood=_area(payload.neighbourhood),
        windows=payload.windows, visibility=payload.visibility, channel=payload.channel, consent=payload.consent,
    )
    capability = Capability.objects.select_related("person", "category", "neighbourhood").get(pk=capability.pk)
    return 201, _capability_out(capability, {person.pk})


def _editable(request, capability_id: int) -> Capability:
    capability = get_object_or_404(Capability.objects.select_related("person", "category", "neighbourhood"),
                                   pk=capability_id, person__erased_at__isnull=True)
    require(request.user, "assets.change_capability", capability)
    return capability


@router.patch("/capabilities/{capability_id}", response=CapabilityOut)
def change_capability(request, capability_id: int, payload: CapabilityPatch):
    """Edit a capability, as on its edit page: the person, or a broker or staff member who supports
    them (on their behalf, with `consent`). Omitted fields keep their value."""
    capability = _editable(request, capability_id)
    given = payload.model_fields_set
    current = {"description": capability.description, "category": capability.category,
               "keywords": capability.keywords, "neighbourhood": capability.neighbourhood,
               "windows": capability.windows, "visibility": capability.visibility}
    fields = {**current, **{name: getattr(payload, name) for name in ("description", "keywords", "windows",
                                                                      "visibility") if name in given}}
    unknown: dict = {}  # slugs that name nothing, reported together with every other bad field
    for name, look_up in (("category", _category), ("neighbourhood", _area)):
        if name in given:
            try:
                fields[name] = look_up(getattr(payload, name))
            except ValidationError as error:
                unknown.update(error.message_dict)
    capability_services.change_capability(request.user, capability, **fields, channel=payload.channel,
                                          consent=payload.consent, errors=unknown)
    capability = Capability.objects.select_related("person", "category", "neighbourhood").get(pk=capability.pk)
    return _capability_out(capability, {capability.person_id})


@router.delete("/capabilities/{capability_id}", response={204: None})
def remove_capability(request, capability_id: int, channel: str = Channel.API):
    """Remove a capability, as on its page: the person, or a broker or staff member who supports them."""
    services.remove_capability(request.user, _editable(request, capability_id), channel=channel)
    return 204, None


@router.get("/capabilities/{capability_id}/suggestions", response=SuggestionsOut)
def capability_suggestions(request, capability_id: int):
    capability = get_object_or_404(Capability.objects.select_related("person"), pk=capability_id)
    require(request.user, "assets.suggest_for_capability", capability)
    return _suggestions_out(matching.suggest_for_capability(request.user, capability))


def _needs():
    return Need.objects.select_related("organisation", "category", "neighbourhood")


@router.get("/needs", response=list[NeedOut])
@paginate(LimitOffsetPagination)
def list_needs(request, status: str = ""):
    """Staff: their organisations' needs (and those of the organisations part of them). Anyone else:
    the needs recorded about them."""
    qs = queries.needs_visible_to(request.user).select_related("organisation", "category", "neighbourhood")
    if status:
        qs = qs.filter(status=status)
    return qs


@router.post("/needs", response={201: NeedOut})
def create_need(request, payload: NeedIn):
    organisation = _organisation(payload.organisation, "organisation")
    require(request.user, "assets.add_need", organisation)
    person = None
    if payload.person is not None:
        person = Person.objects.filter(pk=payload.person, erased_at__isnull=True).first()
        if person is None:
            raise ValidationError({"person": ["Unknown person."]})
    need = services.record_need(
        request.user, organisation, person=person, category=_category(payload.category),
        description=payload.description, neighbourhood=_area(payload.neighbourhood), keywords=payload.keywords,
        regular=payload.regular, windows=payload.windows, home_visit=payload.home_visit,
        involves_children=payload.involves_children, involves_vulnerable_adults=payload.involves_vulnerable_adults,
        consent_by=payload.consent_by, consent_by_name=payload.consent_by_name, consent_at=payload.consent_at,
        consent_channel=payload.consent_channel, channel=Channel.API,
    )
    return 201, _needs().get(pk=need.pk)


@router.get("/needs/{need_id}", response=NeedOut)
def get_need(request, need_id: int):
    need = get_object_or_404(_needs(), pk=need_id)
    require(request.user, "assets.view_need", need)
    return need


def _suggestions_out(result) -> dict:
    return {
        "considered": result.considered, "eligible": result.eligible, "notes": result.notes,
        "suggestions": [
            {"label": s.label, "neighbourhood": s.neighbourhood, "score": s.score, "items": s.items,
             "reasons": s.reasons, "flags": s.flags}
            for s in result.shown
        ],
    }


@router.get("/needs/{need_id}/suggestions", response=SuggestionsOut)
def need_suggestions(request, need_id: int):
    need = get_object_or_404(_needs(), pk=need_id)
    require(request.user, "assets.suggest_for_need", need)
    return _suggestions_out(matching.suggest_for_need(request.user, need))


# --- community assets --------------------------------------------------------------------------


@router.get("", response=list[AssetOut], auth=PUBLIC)
@paginate(LimitOffsetPagination)
def list_assets(request, q: str = "", kind: str = "", category: str = "", neighbourhood: str = ""):
    """Published community assets, searchable by text and filtered by kind, category and neighbourhood."""
    qs = queries.published_assets().select_related("category", "neighbourhood", "owner")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(description__icontains=q) | Q(address__icontains=q))
    if kind:
        qs = qs.filter(kind=kind)
    if category:
        qs = qs.filter(category__slug=category, category__timebank__isnull=True)
    if neighbourhood:
        qs = qs.filter(neighbourhood__slug=neighbourhood)
    return qs


@router.post("", response={201: AssetOut})
def create_asset(request, payload: AssetIn):
    owner = _organisation(payload.owner, "owner")
    require(request.user, "assets.add_asset", owner)
    asset = services.create_asset(request.user, owner=owner, channel=Channel.API, **_asset_fields(payload))
    return 201, asset


@router.post("/suggestions", response={201: AssetOut})
def suggest_asset(request, payload: AssetIn):
    owner = _organisation(payload.owner, "owner")
    asset = services.suggest_asset(request.user, owner=owner, channel=Channel.API, **_asset_fields(payload))
    return 201, asset


@router.get("/{asset_id}", response=AssetOut, auth=PUBLIC)
def get_asset(request, asset_id: int):
    asset = get_object_or_404(CommunityAsset.objects.select_related("category", "neighbourhood", "owner"),
                              pk=asset_id)
    require(request.user, "assets.view_asset", asset)
    return asset
