"""Every change of state in the core goes through a function here.

Each function checks permission, validates, runs in one transaction, writes the audit log, and
enqueues notifications. Bad input raises `django.core.exceptions.ValidationError` with a dict of
field errors and changes nothing; a refusal raises `PermissionDenied`.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit, tasks
from .audit import Channel
from .models import (
    STAFF_ROLES,
    ApiToken,
    Area,
    AuditEntry,
    Membership,
    Organisation,
    Person,
    Role,
    Topic,
    User,
)
from .permissions import forget_roles, require
from .validation import full_clean, unique_slug

PERSON_FIELDS = (
    "name",
    "email",
    "phone",
    "postal_address",
    "birth_date",
    "home_area",
    "preferred_language",
    "contact_about_interests",
    "access_needs",
)


# --- areas and topics --------------------------------------------------------------------------


@transaction.atomic
def create_area(actor, *, name: str, kind: str, parent: Area | None = None, slug: str = "", channel=Channel.WEB):
    require(actor, "core.manage_areas")
    area = Area(name=name, kind=kind, parent=parent, slug=slug or unique_slug(Area, name))
    full_clean(area, exclude=["path"])
    area.save()
    area.path = f"{parent.path if parent else '/'}{area.pk}/"
    area.save(update_fields=["path"])
    audit.record(actor, "area.create", area, channel=channel)
    return area


@transaction.atomic
def set_adjacent_areas(actor, area: Area, neighbours: list[Area], channel=Channel.WEB) -> None:
    require(actor, "core.manage_areas")
    area.adjacent.set(neighbours)
    audit.record(actor, "area.set_adjacent", area, channel=channel, details={"adjacent": [a.pk for a in neighbours]})


@transaction.atomic
def create_topic(actor, *, name: str, description: str = "", channel=Channel.WEB) -> Topic:
    require(actor, "core.manage_topics")
    topic = Topic(name=name, description=description, slug=unique_slug(Topic, name))
    full_clean(topic)
    topic.save()
    audit.record(actor, "topic.create", topic, channel=channel)
    return topic


# --- organisations -----------------------------------------------------------------------------


@transaction.atomic
def create_organisation(
    actor,
    *,
    name: str,
    kind: str,
    parent: Organisation | None = None,
    area: Area | None = None,
    description: str = "",
    email: str = "",
    phone: str = "",
    website: str = "",
    slug: str = "",
    topics=(),
    channel=Channel.WEB,
) -> Organisation:
    # Platform administrators create organisations; an organisation's administrators may add the
    # organisations that are part of it (a council adding a service).
    if not (actor is not None and (actor.has_perm("core.add_organisation") or (
        parent is not None and actor.has_perm("core.change_organisation", parent)
    ))):
        raise PermissionDenied("core.add_organisation")
    org = Organisation(
        name=name,
        kind=kind,
        parent=parent,
        area=area,
        description=description,
        email=email,
        phone=phone,
        website=website,
        slug=slug or unique_slug(Organisation, name),
    )
    full_clean(org)
    org.save()
    if topics:
        org.topics.set(topics)
    audit.record(actor, "organisation.create", org, organisation=org, channel=channel)
    return org


@transaction.atomic
def update_organisation(actor, org: Organisation, channel=Channel.WEB, **changes) -> Organisation:
    require(actor, "core.change_organisation", org)
    allowed = {"name", "description", "email", "phone", "website", "area", "is_active", "kind"}
    unknown = set(changes) - allowed - {"topics"}
    if unknown:
        raise ValidationError({field: _("This field cannot be changed here.") for field in unknown})
    before = {field: str(getattr(org, field)) for field in changes if field in allowed}
    for field, value in changes.items():
        if field in allowed:
            setattr(org, field, value)
    full_clean(org)
    org.save()
    if "topics" in changes:
        org.topics.set(changes["topics"])
    audit.record(actor, "organisation.update", org, organisation=org, channel=channel, details={"before": before})
    return org


# --- people ------------------------------------------------------------------------------------


def _validate_person_fields(fields: dict) -> None:
    errors = {}
    unknown = set(fields) - set(PERSON_FIELDS)
    for field in unknown:
        errors[field] = [_("Unknown field.")]
    name = fields.get("name")
    if "name" in fields and not (name or "").strip():
        errors["name"] = [_("Please give a name.")]
    if fields.get("email"):
        try:
            validate_email(fields["email"])
        except ValidationError:
            errors["email"] = [_("Enter a valid email address.")]
    birth = fields.get("birth_date")
    if birth is not None and (not isinstance(birth, date) or birth > timezone.localdate()):
        errors["birth_date"] = [_("Enter a date of birth in the past.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def register_person(
    actor,
    organisation: Organisation,
    *,
    consent: bool,
    channel=Channel.IN_PERSON,
    interests=(),
    **fields,
) -> Person:
    """Staff register someone on their behalf (e.g. an assisted member without a login).

    The person becomes a member of the organisation; their consent to being registered must be
    recorded (asked in person, by phone or on paper)."""
    require(actor, "core.register_person", organisation)
    _validate_person_fields(fields)
    if not consent:
        raise ValidationError({"consent": [_("Record the person's consent before registering them.")]})
    if fields.get("email") and Person.objects.filter(email__iexact=fields["email"], erased_at__isnull=True).exists():
        raise ValidationError({"email": [_("Someone with this email address is already registered.")]})
    person = Person(**fields, is_assisted=True, consent_recorded_at=timezone.now())
    person.registered_by = getattr(actor, "person", None)
    full_clean(person, exclude=["user", "registered_by"])
    person.save()
    if interests:
        person.interests.set(interests)
    Membership.objects.create(person=person, organisation=organisation, role=Role.MEMBER)
    audit.record(
        actor, "person.register", person, organisation=organisation, on_behalf_of=person, channel=channel
    )
    if person.email:
        tasks.send_email.enqueue(
            to=person.email,
            subject_key="registered_on_behalf",
            context={"organisation": organisation.name},
            language=person.preferred_language,
        )
    return person


@transaction.atomic
def person_for_new_user(user: User, *, name: str = "") -> Person:
    """Self sign-up: every login gets a Person. Called by the account adapter."""
    person, created = Person.objects.get_or_create(
        user=user, defaults={"name": name or user.get_full_name() or user.email.split("@")[0], "email": user.email}
    )
    if created:
        audit.record(user, "person.signup", person, on_behalf_of=None, channel=Channel.WEB)
    return person


@transaction.atomic
def update_person(actor, person: Person, *, channel=Channel.WEB, interests=None, **fields) -> Person:
    require(actor, "core.change_person", person)
    _validate_person_fields(fields)
    before = {field: str(getattr(person, field)) for field in fields}
    for field, value in fields.items():
        setattr(person, field, value)
    full_clean(person, exclude=["user", "registered_by"])
    person.save()
    if interests is not None:
        person.interests.set(interests)
    on_behalf = person if getattr(actor, "person", None) != person else None
    audit.record(
        actor,
        "person.update",
        person,
        on_behalf_of=on_behalf,
        channel=channel,
        details={"fields": sorted(fields) + (["interests"] if interests is not None else []), "before": before},
    )
    return person


@transaction.atomic
def add_membership(actor, person: Person, organisation: Organisation, role: str, channel=Channel.WEB) -> Membership:
    if role not in Role.values:
        raise ValidationError({"role": [_("Unknown role.")]})
    require(actor, "core.grant_role" if role != Role.MEMBER else "core.add_member", organisation)
    if role in STAFF_ROLES | {Role.INSPECTOR} and person.user_id is None:
        raise ValidationError({"role": [_("Working roles need a person with a login.")]})
    try:
        with transaction.atomic():
            membership = Membership.objects.create(person=person, organisation=organisation, role=role)
    except IntegrityError:
        raise ValidationError({"role": [_("This person already has this role here.")]}) from None
    if person.user is not None:
        forget_roles(person.user)
    audit.record(
        actor, "membership.add", membership, organisation=organisation, channel=channel, details={"role": role}
    )
    if person.email:
        tasks.send_email.enqueue(
            to=person.email,
            subject_key="membership_added",
            context={"organisation": organisation.name, "role": str(Role(role).label)},
            language=person.preferred_language,
        )
    return membership


@transaction.atomic
def remove_membership(actor, membership: Membership, channel=Channel.WEB) -> None:
    perm = "core.grant_role" if membership.role != Role.MEMBER else "core.add_member"
    require(actor, perm, membership.organisation)
    audit.record(
        actor,
        "membership.remove",
        membership,
        organisation=membership.organisation,
        channel=channel,
        details={"role": membership.role, "person": membership.person_id},
    )
    membership.delete()


# --- API tokens --------------------------------------------------------------------------------


@transaction.atomic
def create_api_token(actor, user: User, name: str = "token", channel=Channel.WEB) -> tuple[ApiToken, str]:
    """Return the token row and the raw token (shown once, never stored)."""
    if actor is not None and actor != user and not actor.is_superuser:
        raise PermissionDenied("core.create_api_token")
    if not user.is_active:
        raise ValidationError({"user": [_("This account is not active.")]})
    raw = ApiToken.new_raw()
    token = ApiToken.objects.create(user=user, name=name[:80], key_hash=ApiToken.hash(raw), hint=raw[:7])
    audit.record(actor, "apitoken.create", token, channel=channel, details={"user": user.get_username()})
    return token, raw


@transaction.atomic
def revoke_api_token(actor, token: ApiToken, channel=Channel.WEB) -> None:
    if actor is None or (actor != token.user and not actor.is_superuser):
        raise PermissionDenied("core.revoke_api_token")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(actor, "apitoken.revoke", token, channel=channel)


# --- personal data -----------------------------------------------------------------------------


def export_person_data(actor, person: Person, channel=Channel.WEB) -> dict:
    """Everything the platform holds about a person, from every app (see `core.personal_data`)."""
    require(actor, "core.export_person", person)
    from .personal_data import collect

    data = collect(person)
    with transaction.atomic():
        audit.record(actor, "person.export", person, on_behalf_of=person, channel=channel)
    return data


@transaction.atomic
def erase_person(actor, person: Person, channel=Channel.WEB) -> None:
    """Anonymise a person's personal data. Records that must stay whole (ledgers, tallies) keep
    their numbers but lose the link to who the person was."""
    require(actor, "core.erase_person", person)
    if person.erased_at is not None:
        raise ValidationError({"person": [_("This person's data has already been erased.")]})
    from .personal_data import erase

    erase(person)
    user = person.user
    anonymous_label = _("Erased person %(id)s") % {"id": person.pk}
    by_self = actor is not None and user is not None and actor.pk == user.pk
    # Earlier audit entries keep what happened but no longer name the person.
    AuditEntry.objects.filter(object_type="core.person", object_id=str(person.pk)).update(object_label=anonymous_label)
    if user is not None:
        AuditEntry.objects.filter(actor=user).update(actor_label=anonymous_label)
    person.name = anonymous_label
    for field in ("email", "phone", "postal_address", "access_needs"):
        setattr(person, field, "")
    person.birth_date = None
    person.home_area = None
    person.contact_about_interests = False
    person.erased_at = timezone.now()
    person.user = None
    person.save()
    person.interests.clear()
    audit.record(
        None if by_self else actor, "person.erase", person, channel=channel, details={"by_self": by_self}
    )
    if user is not None:
        user.delete()  # also deletes API tokens, sessions stop resolving, allauth email rows go
