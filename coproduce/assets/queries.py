"""What each viewer may list, as querysets (one query each, no per-row permission checks), and how a
person behind a capability is named for them."""

from django.db.models import Q, QuerySet

from coproduce.core.models import STAFF_ROLES, Membership
from coproduce.core.permissions import organisations_where, person_of

from .models import Capability, CommunityAsset, Need


def supported_organisations(user) -> set[int] | None:
    """Organisations whose people the user supports; None means all (platform administrators)."""
    if user is None or not user.is_authenticated:
        return set()
    if user.is_superuser and user.is_active:
        return None
    cached = getattr(user, "_assets_supported_orgs", None)
    if cached is None:
        cached = organisations_where(user, STAFF_ROLES)
        user._assets_supported_orgs = cached
    return cached


def capabilities_visible_to(user) -> QuerySet:
    qs = Capability.objects.filter(person__erased_at__isnull=True)
    orgs = supported_organisations(user)
    if orgs is None:
        return qs
    allowed = Q(visibility=Capability.Visibility.PUBLIC)
    me = person_of(user)
    if me is not None:
        allowed |= Q(person=me)
    if orgs:
        supported = Membership.objects.filter(organisation_id__in=orgs).values("person_id")
        allowed |= Q(person_id__in=supported)
    return qs.filter(allowed)


def identified_person_ids(user, person_ids) -> set[int]:
    """Of `person_ids`, the people the user may see by name (themself, people they support)."""
    person_ids = set(person_ids)
    orgs = supported_organisations(user)
    if orgs is None:
        return person_ids
    me = person_of(user)
    known = {me.pk} & person_ids if me is not None else set()
    if orgs and person_ids:
        known |= set(Membership.objects.filter(organisation_id__in=orgs, person_id__in=person_ids)
                     .values_list("person_id", flat=True))
    return known


def first_name(name: str) -> str:
    return (name or "").split(" ", 1)[0]


def needs_visible_to(user) -> QuerySet:
    """Staff: the needs of their organisations (and the ones part of them); a person: their own."""
    qs = Need.objects.all()
    orgs = supported_organisations(user)
    if orgs is None:
        return qs
    allowed = Q(organisation_id__in=orgs) if orgs else Q(pk__in=[])
    me = person_of(user)
    if me is not None:
        allowed |= Q(person=me)
    return qs.filter(allowed)


def published_assets() -> QuerySet:
    return CommunityAsset.objects.filter(status=CommunityAsset.Status.PUBLISHED)


def suggestions_for_review(user) -> QuerySet:
    """Suggested assets the user may review: all for moderators and platform administrators, those
    naming one of their organisations as owner for other staff."""
    qs = CommunityAsset.objects.filter(status=CommunityAsset.Status.SUGGESTED)
    if user.has_perm("assets.moderate_asset", None) or user.is_superuser:
        return qs
    orgs = supported_organisations(user)
    return qs.filter(owner_id__in=orgs or [])
