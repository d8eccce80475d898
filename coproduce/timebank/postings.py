"""Services for offers ("I can…") and requests ("I need…") (part of the services layer).

A member posts their own; a broker of their bank may post for them (recorded as on behalf, with the
channel). The category comes from the bank's list; `sensitive` defaults to the category's.
"""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from coproduce.core.audit import Channel
from coproduce.core.models import Area
from coproduce.core.permissions import require
from coproduce.core.validation import full_clean

from . import suggestions
from .models import Category, HelpRequest, Offer, Posting, TimebankMember
from .trust import _channel, _record, acting_for

COMMON = ("description", "neighbourhood", "regular", "until", "home_visit", "involves_children",
          "involves_vulnerable_adults", "sensitive")


def _category(member: TimebankMember, category) -> Category:
    if isinstance(category, Category):
        category = category.pk
    if isinstance(category, bool) or not isinstance(category, int):
        raise ValidationError({"category": [_("Choose a category from the bank's list.")]})
    found = Category.objects.for_bank(member.timebank).filter(pk=category).first()
    if found is None:
        raise ValidationError({"category": [_("Choose a category from the bank's list.")]})
    return found


def _fill(posting: Posting, member: TimebankMember, data: dict) -> None:
    for flag in ("regular", "home_visit", "involves_children", "involves_vulnerable_adults", "sensitive"):
        if data.get(flag) is not None and not isinstance(data[flag], bool):
            raise ValidationError({flag: [_("Give true or false.")]})
    neighbourhood = data.get("neighbourhood")
    if neighbourhood is not None and not isinstance(neighbourhood, Area):
        neighbourhood = Area.objects.filter(pk=neighbourhood).first() if isinstance(neighbourhood, int) else None
        if neighbourhood is None:
            raise ValidationError({"neighbourhood": [_("Unknown neighbourhood.")]})
    until = data.get("until")
    if until is not None and not isinstance(until, date):
        raise ValidationError({"until": [_("Give a date.")]})
    description = (data.get("description") or "").strip()
    if not description:
        raise ValidationError({"description": [_("Say what it is about.")]})
    posting.description = description
    posting.neighbourhood = neighbourhood
    posting.until = until
    for flag in ("regular", "home_visit", "involves_children", "involves_vulnerable_adults"):
        setattr(posting, flag, data.get(flag, False))
    sensitive = data.get("sensitive")
    posting.sensitive = posting.category.sensitive if sensitive is None else sensitive
    if posting.until is not None and not posting.regular:
        raise ValidationError({"until": [_("Only regular help has an end date.")]})


def _check_member(member: TimebankMember) -> None:
    if member.status != TimebankMember.Status.ACTIVE:
        raise ValidationError({"member": [_("This member is not active in their bank.")]})


@transaction.atomic
def create_offer(actor, member: TimebankMember, *, category, channel=Channel.WEB, **data) -> Offer:
    """What `member` can do or give. `data`: description, neighbourhood, regular, until, home_visit,
    involves_children, involves_vulnerable_adults, sensitive (None: the category's).

    `actor=None` with `channel=Channel.SYSTEM`: the platform posts it on the member's behalf because
    they promised that time elsewhere on the platform (a pledge to a funded proposal); callers check
    that promise. No request reaches this without a user."""
    if not (actor is None and channel == Channel.SYSTEM):
        require(actor, "timebank.add_posting", member)
    _channel(channel)
    unknown = set(data) - set(COMMON)
    if unknown:
        raise ValidationError({field: [_("Unknown field.")] for field in unknown})
    _check_member(member)
    offer = Offer(member=member, category=_category(member, category), channel=channel,
                  created_by=actor if actor and actor.pk else None)
    offer.on_behalf = acting_for(actor, member) is not None
    _fill(offer, member, data)
    full_clean(offer, exclude=["created_by", "member", "category", "neighbourhood"])
    offer.save()
    _record(actor, "timebank.offer.create", offer, member, channel, {"category": offer.category.slug})
    suggestions.invalidate(member.timebank, [member])
    return offer


def _when(starts_at, duration_minutes):
    if starts_at is not None and not isinstance(starts_at, datetime):
        raise ValidationError({"starts_at": [_("Give a date and time.")]})
    if isinstance(duration_minutes, bool) or not isinstance(duration_minutes, int) or not 0 < duration_minutes <= 24 * 60:
        raise ValidationError({"duration_minutes": [_("Give how long, in minutes, up to a day.")]})


@transaction.atomic
def create_request(actor, member: TimebankMember, *, category, starts_at: datetime | None = None,
                   duration_minutes: int = 60, channel=Channel.WEB, **data) -> HelpRequest:
    """Help `member` needs. `starts_at` is the time wanted (for regular help, the first time)."""
    require(actor, "timebank.add_posting", member)
    _channel(channel)
    unknown = set(data) - set(COMMON)
    if unknown:
        raise ValidationError({field: [_("Unknown field.")] for field in unknown})
    _check_member(member)
    _when(starts_at, duration_minutes)
    request = HelpRequest(member=member, category=_category(member, category), channel=channel,
                          starts_at=starts_at, duration_minutes=duration_minutes,
                          created_by=actor if actor and actor.pk else None)
    request.on_behalf = acting_for(actor, member) is not None
    _fill(request, member, data)
    full_clean(request, exclude=["created_by", "member", "category", "neighbourhood"])
    request.save()
    _record(actor, "timebank.request.create", request, member, channel, {"category": request.category.slug})
    suggestions.invalidate(member.timebank, [member])
    return request


@transaction.atomic
def set_posting_status(actor, posting: Offer | HelpRequest, status: str, *, channel=Channel.WEB):
    """Pause, close or reopen an offer or a request."""
    require(actor, "timebank.change_posting", posting)
    _channel(channel)
    if status not in Posting.Status.values:
        raise ValidationError({"status": [_("Unknown status.")]})
    before = posting.status
    if status == before:
        return posting
    posting.status = status
    posting.save(update_fields=["status"])
    kind = "offer" if isinstance(posting, Offer) else "request"
    _record(actor, f"timebank.{kind}.status", posting, posting.member, channel, {"before": before, "after": status})
    suggestions.invalidate(posting.member.timebank, [posting.member])
    return posting
