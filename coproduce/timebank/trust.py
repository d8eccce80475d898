"""Services for a member's availability and trust record (part of `timebank.services`' layer).

Availability (weekly windows, opt-out periods) is kept by the member or a broker of their bank.
The trust record — references, safeguarding checks, broker notes — and a request's broker
requirements are kept by the bank's brokers and coordinators only (`timebank.change_trust`).
Every function checks permission, validates before writing, runs in one transaction, writes the
audit log (never the free text of a note or reference) and tells matching its data changed.
"""

from datetime import date, time
from decimal import Decimal  # noqa: F401  (documented types)

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from coproduce.core import audit
from coproduce.core.audit import Channel
from coproduce.core.permissions import person_of, require
from coproduce.core.validation import full_clean

from . import suggestions
from .models import (
    AvailabilityWindow,
    BrokerNote,
    HelpRequest,
    OptOut,
    Reference,
    SafeguardingCheck,
    TimebankMember,
    Vouch,
)


def _channel(channel: str) -> str:
    if channel not in Channel.ALL:
        raise ValidationError({"channel": [_("Unknown channel.")]})
    return channel


def acting_for(actor, member: TimebankMember):
    """The person acted for (recorded as "on behalf of"), or None when members act for themselves."""
    me = person_of(actor)
    return None if me is not None and me.pk == member.person_id else member.person


def _record(actor, action, obj, member, channel, details=None):
    audit.record(actor, action, obj, organisation=member.timebank.organisation,
                 on_behalf_of=acting_for(actor, member), channel=channel, details=details or {})


# --- availability ------------------------------------------------------------------------------


@transaction.atomic
def set_availability(actor, member: TimebankMember, windows, *, channel=Channel.WEB) -> list[AvailabilityWindow]:
    """Replace the member's weekly windows with `windows`: (weekday 0=Monday, start time, end time)."""
    require(actor, "timebank.change_availability", member)
    _channel(channel)
    rows = []
    for number, item in enumerate(windows):
        try:
            weekday, start, end = item
        except (TypeError, ValueError):
            raise ValidationError({"windows": [_("Give a day, a start and an end time.")]}) from None
        if isinstance(weekday, bool) or not isinstance(weekday, int) or not 0 <= weekday <= 6:
            raise ValidationError({"windows": [_("Unknown day of the week.")]})
        if not isinstance(start, time) or not isinstance(end, time) or start >= end:
            raise ValidationError({"windows": [_("Each window must start before it ends (line %(n)d).")
                                               % {"n": number + 1}]})
        rows.append(AvailabilityWindow(member=member, weekday=weekday, start=start, end=end))
    before = AvailabilityWindow.objects.filter(member=member).count()
    AvailabilityWindow.objects.filter(member=member).delete()
    AvailabilityWindow.objects.bulk_create(rows)
    _record(actor, "timebank.availability.set", member, member, channel, {"before": before, "after": len(rows)})
    suggestions.invalidate(member.timebank, [member])
    return rows


@transaction.atomic
def add_opt_out(actor, member: TimebankMember, *, starts_on: date, ends_on: date, reason: str = "",
                channel=Channel.WEB) -> OptOut:
    """The member does not want to be asked from `starts_on` to `ends_on` (inclusive)."""
    require(actor, "timebank.change_availability", member)
    _channel(channel)
    if not isinstance(starts_on, date) or not isinstance(ends_on, date):
        raise ValidationError({"starts_on": [_("Give the first and last day.")]})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": [_("The last day must not be before the first.")]})
    opt_out = OptOut(member=member, starts_on=starts_on, ends_on=ends_on, reason=(reason or "").strip())
    full_clean(opt_out)
    opt_out.save()
    _record(actor, "timebank.opt_out.add", opt_out, member, channel,
            {"from": starts_on.isoformat(), "until": ends_on.isoformat()})
    suggestions.invalidate(member.timebank, [member])
    return opt_out


@transaction.atomic
def remove_opt_out(actor, opt_out: OptOut, *, channel=Channel.WEB) -> None:
    member = opt_out.member
    require(actor, "timebank.change_availability", member)
    _record(actor, "timebank.opt_out.remove", opt_out, member, _channel(channel))
    opt_out.delete()
    suggestions.invalidate(member.timebank, [member])


# --- trust record (brokers of the member's bank only) ------------------------------------------


def _vouch(value, field):
    if value not in Vouch.values:
        raise ValidationError({field: [_("Answer yes, no or does not know.")]})
    return value


@transaction.atomic
def record_reference(actor, member: TimebankMember, *, referee_name: str, referee_contact: str = "",
                     requested_on: date | None = None, received_on: date | None = None,
                     honesty=Vouch.UNKNOWN, reliability=Vouch.UNKNOWN, team_working=Vouch.UNKNOWN,
                     getting_on=Vouch.UNKNOWN, notes: str = "", channel=Channel.WEB) -> Reference:
    """A reference asked of (and perhaps received from) a referee."""
    require(actor, "timebank.change_trust", member)
    _channel(channel)
    reference = Reference(member=member, referee_name=(referee_name or "").strip(),
                          referee_contact=(referee_contact or "").strip(), notes=(notes or "").strip(),
                          recorded_by=actor if actor and actor.pk else None, received_on=received_on)
    if requested_on is not None:
        reference.requested_on = requested_on
    for field, value in (("honesty", honesty), ("reliability", reliability), ("team_working", team_working),
                         ("getting_on", getting_on)):
        setattr(reference, field, _vouch(value, field))
    if received_on is not None and received_on < reference.requested_on:
        raise ValidationError({"received_on": [_("A reference cannot arrive before it was asked for.")]})
    full_clean(reference, exclude=["recorded_by"])
    reference.save()
    _record(actor, "timebank.reference.record", reference, member, channel,
            {"received": received_on is not None})
    suggestions.invalidate(member.timebank, [member])
    return reference


@transaction.atomic
def receive_reference(actor, reference: Reference, *, received_on: date, honesty, reliability, team_working,
                      getting_on, notes: str = "", channel=Channel.WEB) -> Reference:
    """The referee answered: record the date and their answers."""
    require(actor, "timebank.change_trust", reference.member)
    _channel(channel)
    if not isinstance(received_on, date) or received_on < reference.requested_on:
        raise ValidationError({"received_on": [_("A reference cannot arrive before it was asked for.")]})
    for field, value in (("honesty", honesty), ("reliability", reliability), ("team_working", team_working),
                         ("getting_on", getting_on)):
        setattr(reference, field, _vouch(value, field))
    reference.received_on, reference.notes = received_on, (notes or reference.notes).strip()
    reference.save()
    _record(actor, "timebank.reference.receive", reference, reference.member, channel)
    suggestions.invalidate(reference.member.timebank, [reference.member])
    return reference


@transaction.atomic
def record_check(actor, member: TimebankMember, *, kind: str, reference_number: str, issued_on: date,
                 expires_on: date | None = None, covers_children: bool = False,
                 covers_vulnerable_adults: bool = False, channel=Channel.WEB) -> SafeguardingCheck:
    """A safeguarding (disclosure) check the broker has seen."""
    require(actor, "timebank.change_trust", member)
    _channel(channel)
    if kind not in SafeguardingCheck.Kind.values:
        raise ValidationError({"kind": [_("Unknown type of check.")]})
    if not isinstance(issued_on, date):
        raise ValidationError({"issued_on": [_("Give the date the check was issued.")]})
    if expires_on is not None and (not isinstance(expires_on, date) or expires_on <= issued_on):
        raise ValidationError({"expires_on": [_("The expiry date must be after the issue date.")]})
    check = SafeguardingCheck(
        member=member, kind=kind, reference_number=(reference_number or "").strip(), issued_on=issued_on,
        expires_on=expires_on, covers_children=bool(covers_children),
        covers_vulnerable_adults=bool(covers_vulnerable_adults), recorded_by=actor if actor and actor.pk else None,
    )
    full_clean(check, exclude=["recorded_by"])
    check.save()
    _record(actor, "timebank.check.record", check, member, channel,
            {"kind": kind, "expires": expires_on.isoformat() if expires_on else None})
    suggestions.invalidate(member.timebank, [member])
    return check


@transaction.atomic
def add_note(actor, member: TimebankMember, text: str, *, channel=Channel.WEB) -> BrokerNote:
    require(actor, "timebank.change_trust", member)
    _channel(channel)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("Write the note.")]})
    if len(text) > 4000:
        raise ValidationError({"text": [_("Keep the note under 4,000 characters.")]})
    note = BrokerNote.objects.create(member=member, text=text, author=actor if actor and actor.pk else None)
    _record(actor, "timebank.note.add", note, member, channel)
    return note


@transaction.atomic
def note_for_brokers(member: TimebankMember, text: str, *, channel=Channel.SYSTEM) -> BrokerNote:
    """A note the platform leaves for the bank's brokers about a member (no author): something the
    brokers should follow up that another service already checked and recorded, such as an offer to
    help that could not be posted. Seen where broker notes are seen, by the bank's brokers only."""
    _channel(channel)
    text = (text or "").strip()[:4000]
    if not text:
        raise ValidationError({"text": [_("Write the note.")]})
    note = BrokerNote.objects.create(member=member, text=text, author=None)
    audit.record(None, "timebank.note.add", note, organisation=member.timebank.organisation, channel=channel,
                 details={"from": "platform", "member": member.pk})
    return note


@transaction.atomic
def set_requirements(actor, request: HelpRequest, *, helpers_needed: int = 1, outside_home: bool = False,
                     note: str = "", channel=Channel.WEB) -> HelpRequest:
    """A broker's requirements on a request: two helpers for a home visit, or outside the home."""
    require(actor, "timebank.broker", request)
    _channel(channel)
    if isinstance(helpers_needed, bool) or not isinstance(helpers_needed, int) or not 1 <= helpers_needed <= 10:
        raise ValidationError({"helpers_needed": [_("Give a number of helpers from 1 to 10.")]})
    if not isinstance(outside_home, bool):
        raise ValidationError({"outside_home": [_("Give true or false.")]})
    if outside_home and request.home_visit:
        raise ValidationError({"outside_home": [
            _("This request is for a home visit; change it before asking for the exchange outside the home.")]})
    before = {"helpers_needed": request.helpers_needed, "outside_home": request.outside_home}
    request.helpers_needed, request.outside_home = helpers_needed, outside_home
    request.requirements_note = (note or "").strip()[:300]
    request.save(update_fields=["helpers_needed", "outside_home", "requirements_note"])
    _record(actor, "timebank.request.requirements", request, request.member, channel,
            {"before": before, "after": {"helpers_needed": helpers_needed, "outside_home": outside_home}})
    suggestions.invalidate(request.member.timebank, [request.member])
    return request
