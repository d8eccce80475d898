"""Core API endpoints: thin, typed, calling the services."""

from datetime import date, datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from coproduce.api import PUBLIC

from . import services
from .audit import Channel
from .models import Area, AuditEntry, Organisation, Person, Topic
from .permissions import STAFF_ROLES, organisations_where, person_of, require

router = Router(tags=["core"])


class AreaOut(Schema):
    id: int
    name: str
    slug: str
    kind: str
    parent_id: int | None


class TopicOut(Schema):
    id: int
    name: str
    slug: str


class OrganisationOut(Schema):
    id: int
    name: str
    slug: str
    kind: str
    parent: str | None = Field(None, alias="parent.slug")
    area: str | None = Field(None, alias="area.slug")
    description: str
    website: str
    email: str
    phone: str


class OrganisationIn(Schema):
    name: str = Field(..., min_length=1, max_length=160)
    kind: str
    parent: str | None = None
    area: str | None = None
    description: str = ""
    email: str = ""
    phone: str = ""
    website: str = ""


class MembershipOut(Schema):
    id: int
    person_id: int
    organisation: str = Field(..., alias="organisation.slug")
    role: str


class PersonOut(Schema):
    id: int
    name: str
    email: str
    phone: str
    birth_date: date | None
    home_area: str | None = Field(None, alias="home_area.slug")
    preferred_language: str
    is_assisted: bool
    has_login: bool
    created_at: datetime

    @staticmethod
    def resolve_has_login(obj) -> bool:
        return obj.user_id is not None


class PersonIn(Schema):
    name: str = Field(..., min_length=1, max_length=160)
    email: str = ""
    phone: str = ""
    postal_address: str = ""
    birth_date: date | None = None
    home_area: str | None = None
    preferred_language: str = "en"
    access_needs: str = ""
    consent: bool
    channel: str = Channel.IN_PERSON


class PersonPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=160)
    email: str | None = None
    phone: str | None = None
    birth_date: date | None = None
    home_area: str | None = None
    preferred_language: str | None = None


class MembershipIn(Schema):
    person: int
    role: str


class AuditOut(Schema):
    id: int
    at: datetime
    actor: str = Field(..., alias="actor_label")
    on_behalf_of_id: int | None
    channel: str
    action: str
    object_type: str
    object_id: str
    object_label: str
    details: dict


def _area(slug: str | None, field: str = "area") -> Area | None:
    if not slug:
        return None
    from django.core.exceptions import ValidationError

    area = Area.objects.filter(slug=slug).first()
    if area is None:
        raise ValidationError({field: [f"Unknown area {slug!r}."]})
    return area


@router.get("/me", response=PersonOut)
def me(request):
    person = person_of(request.user) or services.person_for_new_user(request.user)
    return person


@router.get("/areas", response=list[AreaOut], auth=PUBLIC)
@paginate(LimitOffsetPagination)
def list_areas(request):
    return Area.objects.all()


@router.get("/topics", response=list[TopicOut], auth=PUBLIC)
@paginate(LimitOffsetPagination)
def list_topics(request):
    return Topic.objects.all()


@router.get("/organisations", response=list[OrganisationOut], auth=PUBLIC)
@paginate(LimitOffsetPagination)
def list_organisations(request, kind: str | None = None, area: str | None = None):
    qs = Organisation.objects.filter(is_active=True).select_related("parent", "area")
    if kind:
        qs = qs.filter(kind=kind)
    if area:
        qs = qs.filter(area__path__startswith=get_object_or_404(Area, slug=area).path)
    return qs


@router.get("/organisations/{slug}", response=OrganisationOut, auth=PUBLIC)
def get_organisation(request, slug: str):
    org = get_object_or_404(Organisation.objects.select_related("parent", "area"), slug=slug)
    require(request.user, "core.view_organisation", org)
    return org


@router.post("/organisations", response={201: OrganisationOut})
def create_organisation(request, payload: OrganisationIn):
    from django.core.exceptions import ValidationError

    parent = None
    if payload.parent:
        parent = Organisation.objects.filter(slug=payload.parent).first()
        if parent is None:
            raise ValidationError({"parent": [f"Unknown organisation {payload.parent!r}."]})
    data = payload.dict(exclude={"parent", "area"})
    org = services.create_organisation(
        request.user, parent=parent, area=_area(payload.area), channel=Channel.API, **data
    )
    return Status(201, org)


@router.get("/organisations/{slug}/memberships", response=list[MembershipOut])
@paginate(LimitOffsetPagination)
def list_memberships(request, slug: str):
    org = get_object_or_404(Organisation, slug=slug)
    require(request.user, "core.view_members", org)
    return org.memberships.select_related("organisation").order_by("id")


@router.post("/organisations/{slug}/memberships", response={201: MembershipOut})
def add_membership(request, slug: str, payload: MembershipIn):
    org = get_object_or_404(Organisation, slug=slug)
    require(request.user, "core.add_member", org)
    person = get_object_or_404(Person, pk=payload.person, erased_at__isnull=True)
    return Status(201, services.add_membership(request.user, person, org, payload.role, channel=Channel.API))


@router.post("/organisations/{slug}/people", response={201: PersonOut})
def register_person(request, slug: str, payload: PersonIn):
    """Register a person on their behalf (e.g. someone without internet). Consent is required."""
    org = get_object_or_404(Organisation, slug=slug)
    data = payload.dict(exclude={"consent", "channel", "home_area"})
    channel = payload.channel if payload.channel in Channel.ALL else Channel.API
    person = services.register_person(
        request.user, org, consent=payload.consent, channel=channel, home_area=_area(payload.home_area, "home_area"),
        **data,
    )
    return Status(201, person)


@router.get("/people", response=list[PersonOut])
@paginate(LimitOffsetPagination)
def list_people(request, q: str | None = None, topic: str | None = None):
    require(request.user, "core.view_people")
    qs = Person.objects.filter(erased_at__isnull=True).select_related("home_area")
    if not request.user.is_superuser:
        qs = qs.filter(memberships__organisation_id__in=organisations_where(request.user, STAFF_ROLES)).distinct()
    if q:
        qs = qs.filter(name__icontains=q)
    if topic:
        qs = qs.filter(interests__slug=topic)
    return qs.order_by("id")


@router.get("/people/{person_id}", response=PersonOut)
def get_person(request, person_id: int):
    person = get_object_or_404(Person.objects.select_related("home_area"), pk=person_id)
    require(request.user, "core.view_person", person)
    return person


@router.patch("/people/{person_id}", response=PersonOut)
def patch_person(request, person_id: int, payload: PersonPatch):
    person = get_object_or_404(Person, pk=person_id)
    require(request.user, "core.change_person", person)
    changes = payload.dict(exclude_unset=True)
    if "home_area" in changes:
        changes["home_area"] = _area(changes["home_area"], "home_area")
    return services.update_person(request.user, person, channel=Channel.API, **changes)


@router.get("/people/{person_id}/export")
def export_person(request, person_id: int):
    person = get_object_or_404(Person, pk=person_id)
    return services.export_person_data(request.user, person, channel=Channel.API)


@router.get("/audit", response=list[AuditOut])
@paginate(LimitOffsetPagination)
def list_audit(request, action: str | None = None, object_type: str | None = None):
    require(request.user, "core.view_audit")
    qs = AuditEntry.objects.all()
    if not request.user.is_superuser:
        qs = qs.filter(organisation_id__in=organisations_where(request.user, {"admin"}))
    if action:
        qs = qs.filter(action__startswith=action)
    if object_type:
        qs = qs.filter(object_type=object_type)
    return qs
