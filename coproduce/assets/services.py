"""Every change of state on the asset map goes through a function here.

Each checks permission, validates (raising `ValidationError({field: [message]})`, nothing written),
runs in one transaction and writes the audit log. Staff recording for someone pass `channel`
(in person, by phone, on paper); the audit entry names the person as `on_behalf_of`.
"""

from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core import audit
from coproduce.core.models import Area, Organisation, Person
from coproduce.core.on_behalf import acting_for, check_on_behalf
from coproduce.core.permissions import person_of, require
from coproduce.core.validation import full_clean
from coproduce.timebank.models import Category

from . import matchindex
from . import windows as weekly
from .models import Capability, Channel, CommunityAsset, Need

ASSET_FIELDS = (
    "name", "kind", "category", "description", "address", "latitude", "longitude", "neighbourhood",
    "opening_windows", "opening_text", "contact_name", "email", "phone", "website", "accessibility", "owner",
)


# --- shared checks -----------------------------------------------------------------------------


def _channel(value: str, errors: dict, field: str = "channel") -> str:
    if value not in Channel.values:
        errors[field] = [_("Unknown channel.")]
    return value


def _category(value, errors: dict, *, required: bool) -> Category | None:
    if value is None:
        if required:
            errors["category"] = [_("Choose a category.")]
        return None
    if not isinstance(value, Category) or value.timebank_id is not None or not value.active:
        errors["category"] = [_("Choose a category from the shared list.")]
        return None
    return value


def _neighbourhood(value, errors: dict, *, required: bool) -> Area | None:
    if value is None:
        if required:
            errors["neighbourhood"] = [_("Choose a neighbourhood.")]
        return None
    if not isinstance(value, Area):
        errors["neighbourhood"] = [_("Choose a neighbourhood.")]
        return None
    return value


def _windows(value, errors: dict, field: str) -> list:
    value = [list(w) if isinstance(w, tuple) else w for w in (value or [])] if isinstance(value, list | tuple) else value
    problem = weekly.invalid(value)
    if problem:
        errors[field] = [problem]
        return []
    return sorted(value)


def _text(value, errors: dict, field: str, *, required: bool, limit: int) -> str:
    text = (value or "").strip() if isinstance(value, str) else value
    if not isinstance(text, str):
        errors[field] = [_("Enter text.")]
        return ""
    if required and not text:
        errors[field] = [_("This field is required.")]
    elif len(text) > limit:
        errors[field] = [_("Keep this to %(limit)d characters.") % {"limit": limit}]
    return text


# --- capabilities ------------------------------------------------------------------------------


def clean_capability(actor, person: Person, kind: str, errors: dict, *, description, category, keywords,
                     neighbourhood, windows, visibility, channel, consent) -> tuple[dict, Person | None]:
    """What a capability of `kind` may say, checked for adding and for editing: the cleaned fields
    (the neighbourhood defaults to the person's home) and whom the actor acts for. Adds to `errors`
    and raises them all at once, naming each field."""
    description = _text(description, errors, "description", required=True, limit=1000)
    keywords = _text(keywords, errors, "keywords", required=False, limit=200)
    category = _category(category, errors, required=kind != Capability.Kind.SPARE_TIME)
    neighbourhood = _neighbourhood(neighbourhood, errors, required=False)
    windows = _windows(windows, errors, "windows")
    if kind == Capability.Kind.SPARE_TIME and not windows and "windows" not in errors:
        errors["windows"] = [_("Say when in the week you are usually free.")]
    if visibility not in Capability.Visibility.values:
        errors["visibility"] = [_("Choose who may see this.")]
    _channel(channel, errors)
    on_behalf = check_on_behalf(actor, person, errors, channel=channel, consent=consent)
    if person.erased_at is not None:
        errors["person"] = [_("This person's data has been erased.")]
    if errors:
        raise ValidationError(errors)
    if neighbourhood is None and person.home_area_id is not None:
        neighbourhood = person.home_area
    return ({"description": description, "category": category, "keywords": keywords,
             "neighbourhood": neighbourhood, "windows": windows, "visibility": visibility}, on_behalf)


def add_capability(
    actor,
    person: Person,
    *,
    kind: str,
    description: str,
    category: Category | None = None,
    keywords: str = "",
    neighbourhood: Area | None = None,
    windows=(),
    visibility: str = Capability.Visibility.SUPPORTERS,
    channel: str = Channel.WEB,
    consent: bool = False,
) -> Capability:
    """Map something `person` can do. The person records their own, or a broker or staff member who
    supports them records it in conversation (`channel` in person or by phone)."""
    require(actor, "assets.add_capability", person)
    errors: dict = {}
    if kind not in Capability.Kind.values:
        errors["kind"] = [_("Unknown kind of capability.")]
    values, on_behalf = clean_capability(
        actor, person, kind, errors, description=description, category=category, keywords=keywords,
        neighbourhood=neighbourhood, windows=windows, visibility=visibility, channel=channel, consent=consent)
    description, category, keywords = values["description"], values["category"], values["keywords"]
    neighbourhood, windows = values["neighbourhood"], values["windows"]
    with transaction.atomic():
        capability = Capability(
            person=person, kind=kind, category=category, description=description, keywords=keywords,
            neighbourhood=neighbourhood, windows=windows, visibility=visibility, channel=channel,
            recorded_by=person_of(actor), on_behalf=on_behalf is not None,
        )
        full_clean(capability, exclude=["recorded_by"])
        capability.save()
        matchindex.capabilities_changed([person.pk])
        audit.record(actor, "capability.add", capability, on_behalf_of=on_behalf, channel=channel,
                     details={"kind": kind, "visibility": visibility, "person": person.pk})
    return capability


def set_capability_visibility(actor, capability: Capability, visibility: str, channel: str = Channel.WEB):
    require(actor, "assets.change_capability", capability)
    errors: dict = {}
    if visibility not in Capability.Visibility.values:
        errors["visibility"] = [_("Choose who may see this.")]
    _channel(channel, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        before = capability.visibility
        capability.visibility = visibility
        capability.updated_at = timezone.now()
        capability.save(update_fields=["visibility", "updated_at"])
        matchindex.capabilities_changed([capability.person_id])
        audit.record(actor, "capability.visibility", capability, on_behalf_of=acting_for(actor, capability.person),
                     channel=channel, details={"before": before, "after": visibility})
    return capability


def remove_capability(actor, capability: Capability, channel: str = Channel.WEB) -> None:
    require(actor, "assets.change_capability", capability)
    errors: dict = {}
    _channel(channel, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        audit.record(actor, "capability.remove", capability, on_behalf_of=acting_for(actor, capability.person),
                     channel=channel, details={"kind": capability.kind, "person": capability.person_id})
        matchindex.capabilities_changed([capability.person_id])
        capability.delete()


# --- needs -------------------------------------------------------------------------------------


def record_need(
    actor,
    organisation: Organisation,
    *,
    category: Category | None,
    description: str,
    neighbourhood: Area | None,
    person: Person | None = None,
    keywords: str = "",
    regular: bool = False,
    windows=(),
    home_visit: bool = False,
    involves_children: bool = False,
    involves_vulnerable_adults: bool = False,
    consent_by: str = "",
    consent_by_name: str = "",
    consent_at: datetime | None = None,
    consent_channel: str = "",
    channel: str = Channel.WEB,
) -> Need:
    """Staff of `organisation` record what someone they support needs (with that person's consent:
    who gave it, when and how), or what the community needs (`person=None`)."""
    require(actor, "assets.add_need", organisation)
    errors: dict = {}
    description = _text(description, errors, "description", required=True, limit=1000)
    keywords = _text(keywords, errors, "keywords", required=False, limit=200)
    category = _category(category, errors, required=True)
    neighbourhood = _neighbourhood(neighbourhood, errors, required=True)
    windows = _windows(windows, errors, "windows")
    _channel(channel, errors)
    for name, value in (("regular", regular), ("home_visit", home_visit), ("involves_children", involves_children),
                        ("involves_vulnerable_adults", involves_vulnerable_adults)):
        if not isinstance(value, bool):
            errors[name] = [_("Answer yes or no.")]
    if person is not None:
        if person.erased_at is not None or not actor.has_perm("core.act_for_person", person):
            errors["person"] = [_("You can record needs only for people your organisation supports.")]
        if consent_by not in Need.ConsentBy.values:
            errors["consent_by"] = [_("Record who gave consent to recording this need.")]
        elif consent_by != Need.ConsentBy.PERSON and not (consent_by_name or "").strip():
            errors["consent_by_name"] = [_("Give the name of the person who consented on their behalf.")]
        consent_at = consent_at or timezone.now()
        if not isinstance(consent_at, datetime):
            errors["consent_at"] = [_("Enter a date and time.")]
        elif consent_at > timezone.now() + timedelta(minutes=5):
            errors["consent_at"] = [_("Consent cannot be given in the future.")]
        if consent_channel not in Channel.values:
            errors["consent_channel"] = [_("Record how consent was given.")]
    else:
        consent_by, consent_by_name, consent_at, consent_channel = "", "", None, ""
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        need = Need(
            organisation=organisation, person=person, category=category, description=description,
            keywords=keywords, neighbourhood=neighbourhood, regular=regular, windows=windows, home_visit=home_visit,
            involves_children=involves_children, involves_vulnerable_adults=involves_vulnerable_adults,
            consent_by=consent_by, consent_by_name=(consent_by_name or "").strip(), consent_at=consent_at,
            consent_channel=consent_channel, recorded_by=person_of(actor),
        )
        full_clean(need, exclude=["recorded_by"])
        need.save()
        matchindex.needs_changed([need.pk])
        audit.record(actor, "need.record", need, organisation=organisation, on_behalf_of=person, channel=channel,
                     details={"category": category.slug, "community": person is None,
                              "consent": {"by": consent_by, "at": consent_at.isoformat() if consent_at else None,
                                          "how": consent_channel}})
    return need


def close_need(actor, need: Need, status: str, channel: str = Channel.WEB) -> Need:
    require(actor, "assets.change_need", need)
    errors: dict = {}
    if status not in (Need.Status.MET, Need.Status.CLOSED, Need.Status.OPEN):
        errors["status"] = [_("Unknown status.")]
    _channel(channel, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        before = need.status
        need.status = status
        need.closed_at = None if status == Need.Status.OPEN else timezone.now()
        need.save(update_fields=["status", "closed_at"])
        matchindex.needs_changed([need.pk])
        audit.record(actor, "need.status", need, organisation=need.organisation, on_behalf_of=need.person,
                     channel=channel, details={"before": before, "after": status})
    return need


# --- community assets --------------------------------------------------------------------------


def _coordinate(value, limit: int, field: str, errors: dict) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        errors[field] = [_("Enter a number.")]
        return None
    if not number.is_finite() or not -limit <= number <= limit:
        errors[field] = [_("Enter a number between -%(limit)d and %(limit)d.") % {"limit": limit}]
        return None
    return number


def _asset_fields(fields: dict, errors: dict) -> dict:
    unknown = set(fields) - set(ASSET_FIELDS)
    for field in unknown:
        errors[field] = [_("Unknown field.")]
    clean = {k: v for k, v in fields.items() if k in ASSET_FIELDS}
    if "name" in clean:
        clean["name"] = _text(clean["name"], errors, "name", required=True, limit=160)
    if "kind" in clean and clean["kind"] not in CommunityAsset.Kind.values:
        errors["kind"] = [_("Choose place, group or facility.")]
    if "category" in clean:
        clean["category"] = _category(clean["category"], errors, required=False)
    if "neighbourhood" in clean:
        clean["neighbourhood"] = _neighbourhood(clean["neighbourhood"], errors, required=True)
    for field, limit in (("latitude", 90), ("longitude", 180)):
        if field in clean:
            clean[field] = _coordinate(clean[field], limit, field, errors)
    if "opening_windows" in clean:
        clean["opening_windows"] = _windows(clean["opening_windows"], errors, "opening_windows")
    for field, limit in (("description", 2000), ("address", 500), ("opening_text", 300), ("contact_name", 160),
                         ("phone", 40), ("accessibility", 1000)):
        if field in clean:
            clean[field] = _text(clean[field], errors, field, required=False, limit=limit)
    return clean


def _check_position(asset: CommunityAsset, errors: dict) -> None:
    if (asset.latitude is None) != (asset.longitude is None) and not {"latitude", "longitude"} & set(errors):
        missing = "longitude" if asset.longitude is None else "latitude"
        errors[missing] = [_("Give both latitude and longitude, or neither.")]


def create_asset(actor, *, owner: Organisation | None, channel: str = Channel.WEB, **fields) -> CommunityAsset:
    """Staff of `owner` (or a platform administrator) add a published entry to the register."""
    require(actor, "assets.add_asset", owner)
    errors: dict = {}
    fields.pop("owner", None)
    clean = _asset_fields({"name": "", "kind": "", "neighbourhood": None, **fields}, errors)
    _channel(channel, errors)
    asset = CommunityAsset(owner=owner, status=CommunityAsset.Status.PUBLISHED, **clean)
    _check_position(asset, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        full_clean(asset, exclude=["suggested_by"])
        asset.save()
        audit.record(actor, "asset.create", asset, organisation=owner, channel=channel)
    return asset


def update_asset(actor, asset: CommunityAsset, *, channel: str = Channel.WEB, **changes) -> CommunityAsset:
    require(actor, "assets.change_asset", asset)
    errors: dict = {}
    if "owner" in changes:
        owner = changes["owner"]
        if owner != asset.owner and not actor.has_perm("assets.add_asset", owner):
            errors["owner"] = [_("You can only hand an asset to an organisation you work for.")]
    clean = _asset_fields(changes, errors)
    _channel(channel, errors)
    before = {field: str(getattr(asset, field)) for field in clean}
    for field, value in clean.items():
        setattr(asset, field, value)
    _check_position(asset, errors)
    if errors:
        asset.refresh_from_db()
        raise ValidationError(errors)
    with transaction.atomic():
        asset.updated_at = timezone.now()
        full_clean(asset, exclude=["suggested_by"])
        asset.save()
        audit.record(actor, "asset.update", asset, organisation=asset.owner, channel=channel,
                     details={"before": before})
    return asset


def suggest_asset(actor, *, channel: str = Channel.WEB, **fields) -> CommunityAsset:
    """Anyone signed in suggests a place, group or facility; it is published once reviewed."""
    require(actor, "assets.suggest_asset")
    errors: dict = {}
    owner = fields.pop("owner", None)
    clean = _asset_fields({"name": "", "kind": "", "neighbourhood": None, **fields}, errors)
    _channel(channel, errors)
    asset = CommunityAsset(owner=owner, status=CommunityAsset.Status.SUGGESTED, suggested_by=person_of(actor),
                           **clean)
    _check_position(asset, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        full_clean(asset, exclude=["suggested_by"])
        asset.save()
        audit.record(actor, "asset.suggest", asset, organisation=owner, channel=channel)
    return asset


def moderate_asset(actor, asset: CommunityAsset, *, accept: bool, note: str = "",
                   channel: str = Channel.WEB) -> CommunityAsset:
    require(actor, "assets.moderate_asset", asset)
    errors: dict = {}
    if asset.status != CommunityAsset.Status.SUGGESTED:
        errors["status"] = [_("This suggestion has already been reviewed.")]
    note = _text(note, errors, "moderation_note", required=not accept, limit=300)
    if not accept and "moderation_note" in errors and not note:
        errors["moderation_note"] = [_("Tell the person why it was not accepted.")]
    _channel(channel, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        asset.status = CommunityAsset.Status.PUBLISHED if accept else CommunityAsset.Status.REJECTED
        asset.moderation_note = note
        asset.moderated_at = timezone.now()
        asset.save(update_fields=["status", "moderation_note", "moderated_at"])
        audit.record(actor, "asset.accept" if accept else "asset.reject", asset, organisation=asset.owner,
                     channel=channel, details={"note": note})
    return asset


# --- personal data -----------------------------------------------------------------------------


def export_personal_data(person: Person) -> dict:
    capabilities = [
        {"kind": c.kind, "category": c.category.slug if c.category_id else None, "description": c.description,
         "keywords": c.keywords, "neighbourhood": c.neighbourhood.name if c.neighbourhood_id else None,
         "weekly_times": c.windows, "visibility": c.visibility, "recorded_on_behalf": c.on_behalf,
         "channel": c.channel, "created_at": c.created_at.isoformat()}
        for c in person.capabilities.select_related("category", "neighbourhood").order_by("id")
    ]
    needs = [
        {"organisation": n.organisation.name, "category": n.category.slug, "description": n.description,
         "neighbourhood": n.neighbourhood.name, "status": n.status, "regular": n.regular, "weekly_times": n.windows,
         "consent": {"by": n.consent_by, "name": n.consent_by_name,
                     "at": n.consent_at.isoformat() if n.consent_at else None, "how": n.consent_channel},
         "created_at": n.created_at.isoformat()}
        for n in person.asset_needs.select_related("organisation", "category", "neighbourhood").order_by("id")
    ]
    suggested = [
        {"name": a.name, "status": a.status, "created_at": a.created_at.isoformat()}
        for a in CommunityAsset.objects.filter(suggested_by=person).order_by("id")
    ]
    return {"capabilities": capabilities, "needs": needs, "suggested_assets": suggested}


def erase_personal_data(person: Person) -> None:
    """Capabilities and needs about the person are personal data: they go. Community assets they
    suggested stay (they are about a place, not the person) but no longer name who suggested them."""
    matchindex.capabilities_changed([person.pk])
    matchindex.needs_changed(list(person.asset_needs.values_list("pk", flat=True)))
    person.capabilities.all().delete()
    person.asset_needs.all().delete()
    CommunityAsset.objects.filter(suggested_by=person).update(suggested_by=None)
    Capability.objects.filter(recorded_by=person).update(recorded_by=None)
    Need.objects.filter(recorded_by=person).update(recorded_by=None)
