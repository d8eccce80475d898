"""Every change of state in a timebank goes through a function here.

Each function checks permission (`require`), validates (raising a field-keyed `ValidationError`
before anything is written), runs in one transaction and writes the audit log with the channel and
the person acted for.

The ledger (`transfer`, `donate`, `give_from_pot`, `record_opening_balance`, `reverse_transfer`)
enforces each account's limits atomically:

- PostgreSQL: every account a posting touches is locked with one `SELECT ... FOR UPDATE` ordered by
  id (a consistent order, so concurrent postings cannot deadlock); the limits are checked against
  the locked balances, and the balances are moved in the same transaction.
- SQLite: transactions are IMMEDIATE (see settings), so writers are serialised and the same
  read-check-write is safe.

The hot path, `transfer` on PostgreSQL, is one parameterised SQL statement (`fastpath`): lock, limit
check, balance update, transfer row(s) and audit entry (or entries) in one round trip, written only
if every limit allows it. Elsewhere (SQLite, and the other ledger services) a posting costs one
locking SELECT (balances and limits together), one UPDATE for all its accounts, one INSERT per
transfer and one audit INSERT. `bench/bench_ledger.py` keeps this honest.

Limits: a member account may not go below minus its overdraft limit, nor above its maximum balance
(member override, else the bank default; the check applies in the direction of the movement, so a
member already past a limit that was lowered can still move back towards it). The community pot
may not go below zero (except for opening balances, which the bank issues from its pot). Clearing
accounts have no limits: their balance is the bank's position towards the rest of the network.

Co-delivery services follow the same rules in their own modules: `trust` (availability, opt-outs,
references, safeguarding checks, broker notes, request requirements), `postings` (offers and
requests), `exchanges` (the exchange lifecycle, crediting through `transfer` above) and `standing`
(standing donations, given through `donate`).
"""

import json
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import BigIntegerField, Case, F, Q, Value, When
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from coproduce.core import audit
from coproduce.core import services as core_services
from coproduce.core.audit import Channel
from coproduce.core.models import Membership, Organisation, Person, Role
from coproduce.core.on_behalf import acting_for
from coproduce.core.permissions import person_of, require
from coproduce.core.validation import full_clean

from . import fastpath
from .models import (
    DEFAULT_MAX_BALANCE_MINUTES,
    DEFAULT_OVERDRAFT_MINUTES,
    GUARDIAN_CONSENT_CHANNELS,
    Account,
    AgreementVersion,
    Network,
    Timebank,
    TimebankMember,
    Transfer,
)

# The largest number a transfer or limit may carry (fits a 32-bit column; ~4,000 years of hours).
MAX_MINUTES = 2_147_483_647
UNSET = object()


def _whole_minutes(value, field: str, *, allow_zero: bool = False, signed: bool = False) -> int:
    """A strict integer number of minutes (no floats, strings or booleans)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError({field: [_("Give a whole number of minutes.")]})
    if abs(value) > MAX_MINUTES:
        raise ValidationError({field: [_("This number of minutes is too large.")]})
    if value == 0 and not allow_zero:
        raise ValidationError({field: [_("Give a number of minutes greater than zero.")]})
    if value < 0 and not signed:
        raise ValidationError({field: [_("Give a number of minutes greater than zero.")]} if not allow_zero
                              else {field: [_("This cannot be negative.")]})
    return value


def _reason(reason) -> str:
    text = (reason or "").strip() if isinstance(reason, str) else ""
    if not text:
        raise ValidationError({"reason": [_("Say what the time was for.")]})
    if len(text) > 200:
        raise ValidationError({"reason": [_("Keep the description under 200 characters.")]})
    return text


def _occurred_on(value) -> date:
    if value is None:
        return timezone.localdate()
    if not isinstance(value, date) or value > timezone.localdate():
        raise ValidationError({"occurred_on": [_("Give the date of the exchange, not in the future.")]})
    return value


def _channel(channel: str) -> str:
    if channel not in Channel.ALL:
        raise ValidationError({"channel": [_("Unknown channel.")]})
    return channel


def member_of(value, field: str, timebank: Timebank | None = None) -> TimebankMember:
    """A member given as an object or an id, optionally required to belong to `timebank`."""
    member = value
    if not isinstance(value, TimebankMember):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError({field: [_("Unknown member.")]})
        member = (
            TimebankMember.objects.select_related("timebank__organisation", "timebank__network", "person")
            .filter(pk=value).first()
        )
    if member is None or (timebank is not None and member.timebank_id != timebank.pk):
        raise ValidationError({field: [_("Unknown member.")]})
    return member


# --- networks and banks ------------------------------------------------------------------------


@transaction.atomic
def create_network(actor, *, name: str, slug: str = "", coordinator: Organisation | None = None,
                   channel=Channel.WEB) -> Network:
    require(actor, "timebank.add_network")
    network = Network(name=(name or "").strip(), slug=slug or slugify(name)[:150], coordinator=coordinator)
    full_clean(network)
    network.save()
    audit.record(actor, "timebank.network.create", network, organisation=coordinator, channel=channel)
    return network


def _check_can_join(actor, timebank: Timebank | None, network: Network) -> None:
    if not actor.has_perm("timebank.join_network", network):
        raise PermissionDenied("timebank.join_network")


@transaction.atomic
def create_timebank(
    actor,
    *,
    name: str,
    slug: str,
    organisation: Organisation | None = None,
    network: Network | None = None,
    overdraft_limit_minutes: int = DEFAULT_OVERDRAFT_MINUTES,
    max_balance_minutes: int | None = DEFAULT_MAX_BALANCE_MINUTES,
    allow_cross_bank: bool = False,
    hourly_value_low=0,
    hourly_value_high=0,
    currency: str = "GBP",
    agreement_text: str = "",
    channel=Channel.WEB,
) -> Timebank:
    """A new bank with its community pot and clearing account.

    Linked to an existing `organisation` (its administrators or a platform administrator may do
    this), or, without one, to a new voluntary organisation of the same name (platform
    administrators only, as for any new organisation)."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied("timebank.add_timebank")
    if organisation is not None:
        require(actor, "timebank.add_timebank", organisation)
        if Timebank.objects.filter(organisation=organisation).exists():
            raise ValidationError({"organisation": [_("This organisation already runs a timebank.")]})
    else:
        require(actor, "core.add_organisation")
    if network is not None:
        _check_can_join(actor, None, network)
    _whole_minutes(overdraft_limit_minutes, "overdraft_limit_minutes", allow_zero=True)
    if max_balance_minutes is not None:
        _whole_minutes(max_balance_minutes, "max_balance_minutes", allow_zero=True)
    if not isinstance(allow_cross_bank, bool):
        raise ValidationError({"allow_cross_bank": [_("Give true or false.")]})
    bank = Timebank(
        name=(name or "").strip(), slug=slug, network=network, allow_cross_bank=allow_cross_bank,
        overdraft_limit_minutes=overdraft_limit_minutes, max_balance_minutes=max_balance_minutes,
        hourly_value_low=hourly_value_low, hourly_value_high=hourly_value_high, currency=currency,
    )
    _clean_bank(bank)
    if organisation is None:
        org_slug = slug if not Organisation.objects.filter(slug=slug).exists() else ""
        organisation = core_services.create_organisation(
            actor, name=bank.name, kind=Organisation.Kind.VOLUNTARY, slug=org_slug, channel=channel
        )
    bank.organisation = organisation
    bank.save()
    Account.objects.bulk_create([
        Account(timebank=bank, kind=Account.Kind.COMMUNITY_POT),
        Account(timebank=bank, kind=Account.Kind.CLEARING),
    ])
    audit.record(actor, "timebank.create", bank, organisation=organisation, channel=channel,
                 details={"network": network.slug if network else None})
    if agreement_text:
        publish_agreement(actor, bank, version="1", text=agreement_text, channel=channel)
    return bank


def _clean_bank(bank: Timebank) -> None:
    """Field checks first, then the hourly values (named by field), then the table's constraints."""
    try:
        bank.clean_fields(exclude=["organisation"])
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from None
    _check_hourly_values(bank)
    full_clean(bank, exclude=["organisation"])


def _check_hourly_values(bank: Timebank) -> None:
    for field in ("hourly_value_low", "hourly_value_high"):
        if getattr(bank, field) < 0:
            raise ValidationError({field: [_("The value must not be negative.")]})
    if bank.hourly_value_low > bank.hourly_value_high:
        raise ValidationError({"hourly_value_high": [_("The high value must not be below the low value.")]})


BANK_FIELDS = {
    "name", "overdraft_limit_minutes", "max_balance_minutes", "allow_cross_bank", "hourly_value_low",
    "hourly_value_high", "currency",
}


@transaction.atomic
def update_timebank(actor, timebank: Timebank, *, channel=Channel.WEB, **changes) -> Timebank:
    """Change a bank's settings, including its default limits (administrators of the bank)."""
    require(actor, "timebank.change_timebank", timebank)
    unknown = set(changes) - BANK_FIELDS
    if unknown:
        raise ValidationError({field: [_("This field cannot be changed here.")] for field in unknown})
    if "overdraft_limit_minutes" in changes:
        _whole_minutes(changes["overdraft_limit_minutes"], "overdraft_limit_minutes", allow_zero=True)
    if changes.get("max_balance_minutes") is not None:
        _whole_minutes(changes["max_balance_minutes"], "max_balance_minutes", allow_zero=True)
    if "allow_cross_bank" in changes and not isinstance(changes["allow_cross_bank"], bool):
        raise ValidationError({"allow_cross_bank": [_("Give true or false.")]})
    before = {field: str(getattr(timebank, field)) for field in changes}
    for field, value in changes.items():
        setattr(timebank, field, value)
    _clean_bank(timebank)
    timebank.save()
    audit.record(actor, "timebank.update", timebank, organisation=timebank.organisation, channel=channel,
                 details={"before": before})
    return timebank


@transaction.atomic
def set_network(actor, timebank: Timebank, network: Network | None, *, channel=Channel.WEB) -> Timebank:
    """Join a network (or leave it with `None`). A bank leaves only with its clearing position settled."""
    require(actor, "timebank.change_timebank", timebank)
    if network is not None:
        _check_can_join(actor, timebank, network)
    if timebank.network_id is not None and network != timebank.network:
        clearing = Account.objects.select_for_update().get(timebank=timebank, kind=Account.Kind.CLEARING)
        if clearing.balance_minutes != 0:
            raise ValidationError({"network": [
                _("The bank's clearing position with its network is not settled.")
            ]})
    before = timebank.network.slug if timebank.network else None
    timebank.network = network
    timebank.save(update_fields=["network"])
    audit.record(actor, "timebank.set_network", timebank, organisation=timebank.organisation, channel=channel,
                 details={"before": before, "after": network.slug if network else None})
    return timebank


@transaction.atomic
def change_settings(actor, timebank: Timebank, *, network=UNSET, channel=Channel.WEB, **changes) -> Timebank:
    """The settings page and `PATCH /timebanks/{slug}`: the bank's fields (`update_timebank`) and its
    network (`set_network`, when `network` is given and differs) together, or nothing at all."""
    require(actor, "timebank.change_timebank", timebank)
    if changes:
        update_timebank(actor, timebank, channel=channel, **changes)
    if network is not UNSET and network != timebank.network:
        set_network(actor, timebank, network, channel=channel)
    return timebank


@transaction.atomic
def publish_agreement(actor, timebank: Timebank, *, version: str, text: str, channel=Channel.WEB) -> AgreementVersion:
    require(actor, "timebank.change_timebank", timebank)
    if not (text or "").strip():
        raise ValidationError({"text": [_("The agreement needs a text.")]})
    if AgreementVersion.objects.filter(timebank=timebank, version=version).exists():
        raise ValidationError({"version": [_("This version already exists.")]})
    agreement = AgreementVersion(timebank=timebank, version=(version or "").strip(), text=text)
    full_clean(agreement)
    agreement.save()
    audit.record(actor, "timebank.agreement.publish", agreement, organisation=timebank.organisation,
                 channel=channel, details={"version": agreement.version})
    return agreement


# --- members -----------------------------------------------------------------------------------


def _agreement_to_accept(timebank: Timebank, accepted: bool, field: str) -> AgreementVersion | None:
    current = timebank.current_agreement()
    if current is not None and accepted is not True:
        raise ValidationError({field: [_("The member agreement (version %(version)s) must be accepted.")
                                       % {"version": current.version}]})
    return current


def _check_kind(kind: str) -> None:
    if kind not in TimebankMember.Kind.values:
        raise ValidationError({"kind": [_("Unknown kind of member.")]})


ADULT_AGE = 18
GUARDIAN_FIELDS = ("guardian_name", "guardian_relationship", "guardian_consent_on", "guardian_consent_channel")


def check_guardian(birth_date, is_child: bool, guardian: dict) -> dict:
    """The child-member fields to store. A child (under `ADULT_AGE` by `birth_date`, or `is_child`)
    needs a guardian's consent: who gave it, their relationship, the date (not in the future) and
    how. Any guardian detail given is checked the same way; an adult without one stores nothing."""
    unknown = set(guardian) - set(GUARDIAN_FIELDS)
    if unknown:
        raise ValidationError({field: [_("Unknown field.")] for field in sorted(unknown)})
    today = timezone.localdate()
    if isinstance(birth_date, date) and birth_date > today:
        raise ValidationError({"birth_date": [_("A date of birth cannot be in the future.")]})
    under_age = isinstance(birth_date, date) and (
        today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))) < ADULT_AGE
    child = bool(is_child) or under_age
    values = {f: guardian.get(f) for f in GUARDIAN_FIELDS}
    if not child and not any(values.values()):
        return {"is_child": False}
    errors = {}
    name, relationship = (values["guardian_name"] or "").strip(), (values["guardian_relationship"] or "").strip()
    if not name or len(name) > 160:
        errors["guardian_name"] = [_("A child joins with a guardian's consent: give the guardian's name.")]
    if not relationship or len(relationship) > 80:
        errors["guardian_relationship"] = [_("Say how the guardian is related to the child (for example mother).")]
    consent_on = values["guardian_consent_on"]
    if not isinstance(consent_on, date) or isinstance(consent_on, datetime) or consent_on > today:
        errors["guardian_consent_on"] = [_("Give the date the guardian consented (not in the future).")]
    channels = [value for value, _label in GUARDIAN_CONSENT_CHANNELS]
    if values["guardian_consent_channel"] not in channels:
        errors["guardian_consent_channel"] = [_("Say how the guardian consented: in person, on paper, by phone "
                                                "or online.")]
    if errors:
        raise ValidationError(errors)
    return {"is_child": child, "guardian_name": name, "guardian_relationship": relationship,
            "guardian_consent_on": consent_on, "guardian_consent_channel": values["guardian_consent_channel"]}


@transaction.atomic
def request_to_join(
    actor, timebank: Timebank, *, accept_agreement: bool, kind: str = TimebankMember.Kind.INDIVIDUAL,
    organisation: Organisation | None = None, is_child: bool = False, guardian: dict | None = None,
    channel=Channel.WEB,
) -> TimebankMember:
    """A person with a login asks to join; a broker approves (`approve_member`). Someone who left the
    bank asks to rejoin (`request_to_rejoin`: the same membership, keeping its history). A child
    gives their guardian's consent (`guardian`: the `GUARDIAN_FIELDS`)."""
    require(actor, "timebank.request_to_join", timebank)
    person = person_of(actor)
    _check_kind(kind)
    agreement = _agreement_to_accept(timebank, accept_agreement, "accept_agreement")
    child = check_guardian(person.birth_date if person else None, is_child, guardian or {})
    member = TimebankMember.objects.filter(timebank=timebank, person=person).first()
    if member is not None and member.status != TimebankMember.Status.LEFT:
        raise ValidationError({"person": [_("You are already a member or have asked to join.")]})
    if member is not None:
        return request_to_rejoin(actor, member, accept_agreement=accept_agreement, channel=channel)
    member = TimebankMember(timebank=timebank, person=person, kind=kind, organisation=organisation,
                            status=TimebankMember.Status.REQUESTED, agreement_version=agreement,
                            agreement_accepted_at=timezone.now() if agreement else None, **child)
    member.save()
    Account.objects.get_or_create(timebank=timebank, kind=Account.Kind.MEMBER, member=member)
    audit.record(actor, "timebank.member.request", member, organisation=timebank.organisation, channel=channel,
                 details={"agreement": agreement.version if agreement else None, "child": member.is_child})
    return member


def may_ask_to_rejoin_for(actor, member: TimebankMember) -> bool:
    """Whether `actor` may ask for a former member to rejoin on their behalf: a broker of the bank, or
    staff who may act for the person (`core.act_for_person`)."""
    return actor is not None and (actor.has_perm("timebank.change_member", member)
                                  or actor.has_perm("core.act_for_person", member.person))


@transaction.atomic
def request_to_rejoin(actor, member: TimebankMember, *, accept_agreement: bool,
                      channel=Channel.WEB) -> TimebankMember:
    """A former member (status left) asks to come back. It is a request to join that a broker approves
    (`approve_member`), on the same membership: their account, exchanges, references, checks and broker
    notes stay, and `left_at` keeps when they left until the broker welcomes them back. They ask
    themselves, or someone asks on their behalf: a broker of the bank, or staff who may act for them
    (`core.act_for_person`), recorded as on their behalf with the channel. The agreement in force now
    must be accepted again."""
    on_behalf = acting_for(actor, member.person)
    if on_behalf is None:
        require(actor, "timebank.request_to_join", member.timebank)
    elif not may_ask_to_rejoin_for(actor, member):
        raise PermissionDenied("timebank.change_member")
    member = TimebankMember.objects.select_for_update().select_related("timebank__organisation").get(pk=member.pk)
    if member.status != TimebankMember.Status.LEFT:
        raise ValidationError({"status": [_("Only someone who left the timebank can ask to rejoin it.")]})
    agreement = _agreement_to_accept(member.timebank, accept_agreement, "accept_agreement")
    now = timezone.now()
    member.status, member.requested_at = TimebankMember.Status.REQUESTED, now
    member.agreement_version, member.agreement_accepted_at = agreement, now if agreement else None
    member.save(update_fields=["status", "requested_at", "agreement_version", "agreement_accepted_at"])
    Account.objects.get_or_create(timebank=member.timebank, kind=Account.Kind.MEMBER, member=member)
    audit.record(actor, "timebank.member.rejoin", member, organisation=member.timebank.organisation,
                 on_behalf_of=on_behalf, channel=channel,
                 details={"left_at": member.left_at.isoformat() if member.left_at else None,
                          "agreement": agreement.version if agreement else None})
    return member


@transaction.atomic
def approve_member(actor, member: TimebankMember, *, channel=Channel.WEB) -> TimebankMember:
    """Welcome someone who asked to join, or a former member back (their earlier `left_at` is cleared,
    and kept in the audit entry)."""
    require(actor, "timebank.change_member", member)
    if member.status != TimebankMember.Status.REQUESTED:
        raise ValidationError({"status": [_("Only a request to join can be approved.")]})
    left_at = member.left_at
    member.status, member.joined_at, member.left_at = TimebankMember.Status.ACTIVE, timezone.now(), None
    member.save(update_fields=["status", "joined_at", "left_at"])
    if not Membership.objects.filter(person=member.person, organisation=member.timebank.organisation).exists():
        Membership.objects.create(person=member.person, organisation=member.timebank.organisation, role=Role.MEMBER)
    audit.record(actor, "timebank.member.approve", member, organisation=member.timebank.organisation,
                 on_behalf_of=member.person, channel=channel,
                 details={"rejoined_after_leaving": left_at.isoformat()} if left_at else None)
    return member


@transaction.atomic
def register_member(
    actor,
    timebank: Timebank,
    *,
    person: Person | None = None,
    kind: str = TimebankMember.Kind.INDIVIDUAL,
    organisation: Organisation | None = None,
    consent: bool = True,
    agreement_accepted: bool = True,
    is_child: bool = False,
    guardian: dict | None = None,
    channel=Channel.IN_PERSON,
    **person_fields,
) -> TimebankMember:
    """A broker registers a member directly, active at once: an existing `person`, or a new
    assisted person (no login) created through `core.services.register_person`. The broker records
    the person's consent and their acceptance of the current member agreement (asked in person, by
    phone or on paper). A child (under 18 by their birth date, or `is_child`) needs their guardian's
    consent: `guardian` holds the `GUARDIAN_FIELDS`."""
    require(actor, "timebank.manage_timebank", timebank)
    _check_kind(kind)
    _channel(channel)
    agreement = _agreement_to_accept(timebank, agreement_accepted, "agreement_accepted")
    child = check_guardian(person.birth_date if person is not None else person_fields.get("birth_date"), is_child,
                      guardian or {})
    if person is None:
        person = core_services.register_person(
            actor, timebank.organisation, consent=consent, channel=channel, **person_fields
        )
    else:
        if person_fields:
            raise ValidationError({field: [_("Unknown field.")] for field in person_fields})
        if person.erased_at is not None:
            raise ValidationError({"person": [_("Unknown person.")]})
        require(actor, "core.act_for_person", person)
        if TimebankMember.objects.filter(timebank=timebank, person=person).exists():
            raise ValidationError({"person": [_("This person is already a member of this bank.")]})
        if not Membership.objects.filter(person=person, organisation=timebank.organisation).exists():
            Membership.objects.create(person=person, organisation=timebank.organisation, role=Role.MEMBER)
    now = timezone.now()
    member = TimebankMember.objects.create(
        timebank=timebank, person=person, kind=kind, organisation=organisation,
        status=TimebankMember.Status.ACTIVE, joined_at=now, requested_at=now,
        agreement_version=agreement, agreement_accepted_at=now if agreement else None, **child,
    )
    Account.objects.create(timebank=timebank, kind=Account.Kind.MEMBER, member=member)
    audit.record(actor, "timebank.member.register", member, organisation=timebank.organisation,
                 on_behalf_of=person, channel=channel,
                 details={"kind": kind, "agreement": agreement.version if agreement else None,
                          "child": member.is_child})
    return member


@transaction.atomic
def accept_agreement(actor, member: TimebankMember, *, channel=Channel.WEB) -> TimebankMember:
    """Record that the member accepted the bank's current agreement (themself, or via a broker)."""
    require(actor, "timebank.accept_agreement", member)
    current = member.timebank.current_agreement()
    if current is None:
        raise ValidationError({"agreement": [_("This bank has no member agreement.")]})
    member.agreement_version, member.agreement_accepted_at = current, timezone.now()
    member.save(update_fields=["agreement_version", "agreement_accepted_at"])
    me = person_of(actor)
    audit.record(actor, "timebank.member.accept_agreement", member, organisation=member.timebank.organisation,
                 on_behalf_of=member.person if me is None or me.pk != member.person_id else None,
                 channel=channel, details={"version": current.version})
    return member


ALLOWED_STATUS_CHANGES = {
    TimebankMember.Status.REQUESTED: {TimebankMember.Status.ACTIVE, TimebankMember.Status.LEFT},
    TimebankMember.Status.ACTIVE: {TimebankMember.Status.SUSPENDED, TimebankMember.Status.LEFT},
    TimebankMember.Status.SUSPENDED: {TimebankMember.Status.ACTIVE, TimebankMember.Status.LEFT},
    TimebankMember.Status.LEFT: set(),
}


@transaction.atomic
def set_member_status(actor, member: TimebankMember, status: str, *, note: str = "",
                      channel=Channel.WEB) -> TimebankMember:
    """Suspend, reinstate or record that a member left. Their account and its history stay."""
    require(actor, "timebank.change_member", member)
    if status not in ALLOWED_STATUS_CHANGES.get(member.status, set()):
        raise ValidationError({"status": [_("A member cannot go from %(old)s to %(new)s.")
                                          % {"old": member.status, "new": status}]})
    before = member.status
    member.status = status
    if status == TimebankMember.Status.ACTIVE and member.joined_at is None:
        member.joined_at = timezone.now()
    if status == TimebankMember.Status.LEFT:
        member.left_at = timezone.now()
    member.save(update_fields=["status", "joined_at", "left_at"])
    audit.record(actor, "timebank.member.status", member, organisation=member.timebank.organisation,
                 on_behalf_of=member.person, channel=channel,
                 details={"before": before, "after": status, "note": note[:200]})
    return member


@transaction.atomic
def set_member_limits(
    actor, member: TimebankMember, *, overdraft_limit_minutes=UNSET, max_balance_minutes=UNSET,
    no_max_balance=UNSET, channel=Channel.WEB,
) -> TimebankMember:
    """Per-member limits; `None` returns a limit to the bank's default."""
    require(actor, "timebank.change_member", member)
    changes = {}
    if overdraft_limit_minutes is not UNSET:
        if overdraft_limit_minutes is not None:
            _whole_minutes(overdraft_limit_minutes, "overdraft_limit_minutes", allow_zero=True)
        changes["overdraft_limit_minutes"] = overdraft_limit_minutes
    if max_balance_minutes is not UNSET:
        if max_balance_minutes is not None:
            _whole_minutes(max_balance_minutes, "max_balance_minutes", allow_zero=True)
        changes["max_balance_minutes"] = max_balance_minutes
    if no_max_balance is not UNSET:
        if not isinstance(no_max_balance, bool):
            raise ValidationError({"no_max_balance": [_("Give true or false.")]})
        changes["no_max_balance"] = no_max_balance
    before = {field: getattr(member, field) for field in changes}
    for field, value in changes.items():
        setattr(member, field, value)
    member.save(update_fields=list(changes) or None)
    audit.record(actor, "timebank.member.limits", member, organisation=member.timebank.organisation,
                 on_behalf_of=member.person, channel=channel, details={"before": before, "after": changes})
    return member


# --- the ledger --------------------------------------------------------------------------------


@dataclass
class _Locked:
    """An account row locked for a posting, with the limits that apply to it."""

    pk: int
    timebank_id: int
    kind: str
    member_id: int | None
    balance_minutes: int
    status: str | None
    floor: int | None  # lowest allowed balance; None: no lower limit
    ceiling: int | None  # highest allowed balance; None: no upper limit


def _lock(condition: Q, *, pot_may_go_negative: bool = False) -> list[_Locked]:
    """Lock the accounts matching `condition` in id order, reading balances and limits in the same
    statement (one query; plain values, no model instances, to keep the hot path lean)."""
    rows = (
        Account.objects.select_for_update(of=("self",))
        .filter(condition)
        .order_by("pk")
        .values_list(
            "pk", "timebank_id", "kind", "member_id", "balance_minutes", "member__status",
            "member__overdraft_limit_minutes", "member__max_balance_minutes", "member__no_max_balance",
            "timebank__overdraft_limit_minutes", "timebank__max_balance_minutes",
        )
    )
    locked = []
    for pk, bank, kind, member, balance, status, m_over, m_max, no_max, b_over, b_max in rows:
        if kind == Account.Kind.MEMBER:
            floor = -(m_over if m_over is not None else b_over)
            ceiling = None if no_max else (m_max if m_max is not None else b_max)
        elif kind == Account.Kind.COMMUNITY_POT:
            floor, ceiling = (None if pot_may_go_negative else 0), None
        else:  # clearing: the bank's position towards the network
            floor = ceiling = None
        locked.append(_Locked(pk, bank, kind, member, balance, status, floor, ceiling))
    return locked


def _limit_errors(legs, fields: dict[int, str], require_active: bool = True):
    """The movement of each account of a posting, the accounts, and the field-keyed errors for every
    limit the posting would break (empty: it may be written). `legs` are (source, target, minutes)
    with accounts as locked, before the posting; `fields` names each account for errors. The one
    rule of both paths: `fastpath`'s statement applies the same conditions in SQL."""
    deltas: dict[int, int] = {}
    accounts: dict = {}
    for source, target, minutes in legs:
        accounts[source.pk], accounts[target.pk] = source, target
        deltas[source.pk] = deltas.get(source.pk, 0) - minutes
        deltas[target.pk] = deltas.get(target.pk, 0) + minutes
    errors: dict[str, list[str]] = {}
    for pk, delta in deltas.items():
        account = accounts[pk]
        field = fields.get(pk, "minutes")
        if require_active and account.kind == Account.Kind.MEMBER and account.status != "active":
            errors.setdefault(field, []).append(_("This member is not active in their bank."))
            continue
        floor, ceiling = account.floor, account.ceiling
        after = account.balance_minutes + delta
        if delta < 0 and floor is not None and after < floor:
            if account.kind == Account.Kind.MEMBER:
                errors.setdefault(field, []).append(
                    _("This would take the account to %(after)s minutes, past its overdraft limit of "
                      "%(limit)s minutes.") % {"after": after, "limit": -floor})
            else:
                errors.setdefault(field, []).append(_("The community pot does not hold enough time."))
        if delta > 0 and ceiling is not None and after > ceiling:
            errors.setdefault(field, []).append(
                _("This would take the account to %(after)s minutes, above its maximum balance of "
                  "%(limit)s minutes.") % {"after": after, "limit": ceiling})
    return deltas, accounts, errors


def _post(
    actor,
    legs: list[tuple[_Locked, _Locked, int]],
    fields: dict[int, str],
    *,
    kind: str,
    reason: str,
    occurred_on: date,
    channel: str,
    on_behalf_of: Person | None,
    require_active: bool = True,
    reverses: list[Transfer] | None = None,
) -> list[Transfer]:
    """Check the locked accounts' limits for the whole posting, then write it. Call with the rows
    locked (`_lock`) inside the service's transaction. `fields` names each account for errors."""
    deltas, accounts, errors = _limit_errors(legs, fields, require_active)
    if errors:
        raise ValidationError(errors)
    moves = {pk: delta for pk, delta in deltas.items() if delta}
    if moves:  # one UPDATE for every account of the posting
        Account.objects.filter(pk__in=list(moves)).update(
            balance_minutes=F("balance_minutes")
            + Case(*[When(pk=pk, then=Value(delta)) for pk, delta in moves.items()], output_field=BigIntegerField())
        )
        for pk, delta in moves.items():
            accounts[pk].balance_minutes += delta
    created_by = actor if actor is not None and actor.pk else None
    transfers: list[Transfer] = []
    previous = None
    for index, (source, target, minutes) in enumerate(legs):
        transfer = Transfer(
            timebank_id=source.timebank_id, from_account_id=source.pk, to_account_id=target.pk, minutes=minutes,
            reason=reason, kind=kind, occurred_on=occurred_on, created_by=created_by,
            on_behalf_of=on_behalf_of, channel=channel, linked=previous,
            reverses=reverses[index] if reverses else None,
        )
        transfer.save()
        transfers.append(transfer)
        previous = transfer if kind == Transfer.Kind.CROSS_BANK or (reverses and reverses[index].linked_id) else None
    return transfers


def _check_authority(authority, payer: TimebankMember, payee: TimebankMember | None = None) -> None:
    """A payment made without the payer's or a broker's hand: a confirmed exchange the payer and the
    payee both take part in, or the payer's own active standing donation. Anything else is refused."""
    from .models import Exchange, StandingDonation

    if isinstance(authority, Exchange) and payee is not None:
        parties = set(authority.participants.values_list("member_id", flat=True))
        if authority.state == Exchange.State.CONFIRMED and {payer.pk, payee.pk} <= parties:
            return
    if isinstance(authority, StandingDonation) and authority.active and authority.member_id == payer.pk:
        return
    raise PermissionDenied("timebank.pay_from")


def _acting_for(actor, member: TimebankMember) -> Person | None:
    """The person a staff member acts for; None when people act for themselves."""
    me = person_of(actor)
    if me is not None and me.pk == member.person_id:
        return None
    return member.person


def transfer(
    actor,
    payer,
    payee,
    minutes,
    reason,
    *,
    timebank: Timebank | None = None,
    payee_timebank: Timebank | None = None,
    occurred_on: date | None = None,
    channel=Channel.WEB,
    on_behalf_of: Person | None = None,
    authorised_by=None,
) -> Transfer:
    """Time given by `payee` to `payer`: `minutes` move from the payer's account to the payee's.

    `payer` and `payee` are members (or member ids; with `timebank`/`payee_timebank` they must belong
    to those banks). The payer or a broker of the payer's bank records it. When the payee belongs to
    another bank of the same network and both banks allow it, the exchange is posted as two linked
    transfers through the banks' clearing accounts; the payer's leg is returned. `authorised_by`: a
    confirmed `Exchange` being credited (`timebank.exchanges`): its participants agreed to the payment,
    so whoever confirmed last records it.
    """
    if all(isinstance(value, int) and not isinstance(value, bool) for value in (payer, payee)):
        # Both given as ids (the API): one query for the two; unknown ids are refused just below.
        found = {member.pk: member for member in TimebankMember.objects.select_related(
            "timebank__organisation", "timebank__network", "person").filter(pk__in=[payer, payee])}
        payer, payee = found.get(payer), found.get(payee)
    payer = member_of(payer, "payer", timebank)
    payee = member_of(payee, "payee", payee_timebank or timebank)
    if authorised_by is None:
        require(actor, "timebank.pay_from", payer)
    else:  # an `Exchange` every participant confirmed authorises its own crediting
        _check_authority(authorised_by, payer, payee)
    minutes = _whole_minutes(minutes, "minutes")
    reason = _reason(reason)
    occurred_on = _occurred_on(occurred_on)
    _channel(channel)
    if payer.pk == payee.pk:
        raise ValidationError({"payee": [_("The payer and the payee must be different members.")]})
    if payer.person_id == payee.person_id and payer.timebank_id == payee.timebank_id:
        raise ValidationError({"payee": [_("The payer and the payee must be different members.")]})
    on_behalf_of = on_behalf_of or _acting_for(actor, payer)
    if payer.timebank_id == payee.timebank_id:
        if fastpath.available():
            return _exchange_in_one_statement(actor, payer, payee, minutes, reason, occurred_on, channel,
                                              on_behalf_of, {"minutes": minutes, "kind": Transfer.Kind.EXCHANGE})
        with transaction.atomic():
            locked = _lock(Q(member_id__in=[payer.pk, payee.pk]))
            by_member = {account.member_id: account for account in locked}
            source, target = by_member[payer.pk], by_member[payee.pk]
            [posted] = _post(actor, [(source, target, minutes)], {source.pk: "payer", target.pk: "payee"},
                             kind=Transfer.Kind.EXCHANGE, reason=reason, occurred_on=occurred_on,
                             channel=channel, on_behalf_of=on_behalf_of)
            audit.record(actor, "timebank.transfer", posted, organisation=payer.timebank.organisation,
                         on_behalf_of=on_behalf_of, channel=channel,
                         details={"minutes": minutes, "kind": posted.kind})
            return posted
    return _cross_bank(actor, payer, payee, minutes, reason, occurred_on, channel, on_behalf_of)


_TRANSFER_COLUMNS = [field.attname for field in Transfer._meta.concrete_fields]


def _exchange_in_one_statement(actor, payer, payee, minutes, reason, occurred_on, channel, on_behalf_of,
                               details) -> Transfer:
    """PostgreSQL: post an exchange (within a bank, or across two: then `details` are the audit
    details without the legs) with `fastpath`'s single statement, and return the payer's leg. The
    same limits, errors, rows and audit entries as `_lock` + `_post` + `audit.record`."""
    cross_bank = payer.timebank_id != payee.timebank_id
    kind = Transfer.Kind.CROSS_BANK if cross_bank else Transfer.Kind.EXCHANGE
    created_by = actor if actor is not None and actor.pk else None
    now = timezone.now()
    arguments = dict(
        payer=payer.pk, payee=payee.pk, here=payer.timebank_id, there=payee.timebank_id if cross_bank else None,
        minutes=minutes, reason=reason, kind=kind, occurred_on=occurred_on, now=now,
        actor=created_by.pk if created_by else None, actor_label=audit._label(actor),
        on_behalf_of=on_behalf_of.pk if on_behalf_of else None, channel=channel, details=json.dumps(details),
    )
    result = fastpath.post_exchange(**arguments)
    if not result.posted:  # nothing was written; say why, as `_post` would
        by_member = {row.member_id: row for row in result.accounts if row.member_id}
        clearing = {row.timebank_id: row for row in result.accounts if row.kind == Account.Kind.CLEARING}
        source, target = by_member[payer.pk], by_member[payee.pk]
        legs = ([(source, clearing[payer.timebank_id], minutes), (clearing[payee.timebank_id], target, minutes)]
                if cross_bank else [(source, target, minutes)])
        errors = _limit_errors(legs, {source.pk: "payer", target.pk: "payee"})[2]
        if not errors:  # the statement and `_limit_errors` disagree: a bug, never a silent refusal
            raise RuntimeError(f"ledger statement refused an exchange that the limits allow: {result}")
        raise ValidationError(errors)
    from_id = {row.member_id: row.pk for row in result.accounts if row.member_id}
    clearing_id = {row.timebank_id: row.pk for row in result.accounts if row.kind == Account.Kind.CLEARING}
    if cross_bank:
        accounts = [(payer.timebank_id, from_id[payer.pk], clearing_id[payer.timebank_id]),
                    (payee.timebank_id, clearing_id[payee.timebank_id], from_id[payee.pk])]
    else:
        accounts = [(payer.timebank_id, from_id[payer.pk], from_id[payee.pk])]
    # The rows as written, as model instances (loaded, not new), with the related objects we hold.
    first = None
    for pk, (bank, source, target) in zip(result.transfer_ids, accounts):
        values = {
            "id": pk, "timebank_id": bank, "from_account_id": source, "to_account_id": target, "minutes": minutes,
            "reason": reason, "kind": kind, "occurred_on": occurred_on, "created_at": now,
            "created_by_id": created_by.pk if created_by else None,
            "on_behalf_of_id": on_behalf_of.pk if on_behalf_of else None, "channel": channel, "reverses_id": None,
            "linked_id": first.pk if first else None,
        }
        posted = Transfer.from_db(connection.alias, None, [values[name] for name in _TRANSFER_COLUMNS])
        for field, value in (("created_by", created_by), ("on_behalf_of", on_behalf_of), ("linked", first)):
            Transfer._meta.get_field(field).set_cached_value(posted, value)
        first = first or posted
    return first


def _cross_bank(actor, payer, payee, minutes, reason, occurred_on, channel, on_behalf_of) -> Transfer:
    here, there = payer.timebank, payee.timebank
    if here.network_id is None or here.network_id != there.network_id:
        raise ValidationError({"payee_timebank": [_("The two banks are not in the same network.")]})
    if not here.allow_cross_bank:
        raise ValidationError({"payee_timebank": [_("Your bank does not allow exchanges with other banks.")]})
    if not there.allow_cross_bank:
        raise ValidationError({"payee_timebank": [_("The other bank does not allow exchanges with other banks.")]})
    if fastpath.available():
        return _exchange_in_one_statement(
            actor, payer, payee, minutes, reason, occurred_on, channel, on_behalf_of,
            {"minutes": minutes, "kind": Transfer.Kind.CROSS_BANK, "payer_timebank": here.slug,
             "payee_timebank": there.slug},  # + "legs": both ids, added by the statement
        )
    with transaction.atomic():
        locked = _lock(
            Q(member_id__in=[payer.pk, payee.pk])
            | Q(timebank_id__in=[here.pk, there.pk], kind=Account.Kind.CLEARING)
        )
        by_member = {a.member_id: a for a in locked if a.member_id}
        clearing = {a.timebank_id: a for a in locked if a.kind == Account.Kind.CLEARING}
        source, target = by_member[payer.pk], by_member[payee.pk]
        # The payer's bank owes the payee's bank: payer -> our clearing; their clearing -> payee.
        legs = [(source, clearing[here.pk], minutes), (clearing[there.pk], target, minutes)]
        fields = {source.pk: "payer", target.pk: "payee"}
        ours, theirs = _post(actor, legs, fields, kind=Transfer.Kind.CROSS_BANK, reason=reason,
                             occurred_on=occurred_on, channel=channel, on_behalf_of=on_behalf_of)
        details = {"minutes": minutes, "kind": Transfer.Kind.CROSS_BANK, "legs": [ours.pk, theirs.pk],
                   "payer_timebank": here.slug, "payee_timebank": there.slug}
        audit.record(actor, "timebank.transfer", ours, organisation=here.organisation,
                     on_behalf_of=on_behalf_of, channel=channel, details=details)
        audit.record(actor, "timebank.transfer", theirs, organisation=there.organisation,
                     on_behalf_of=on_behalf_of, channel=channel, details=details)
        return ours


@transaction.atomic
def donate(actor, donor, minutes, reason="", *, to=None, occurred_on=None, channel=Channel.WEB,
           authorised_by=None) -> Transfer:
    """Give credits away: to another member of the same bank (`to`), or to the community pot.
    `authorised_by`: a `StandingDonation` the member set up (`timebank.standing`), run by the system."""
    donor = member_of(donor, "donor")
    if authorised_by is None:
        require(actor, "timebank.pay_from", donor)
    else:  # the member's own `StandingDonation`
        _check_authority(authorised_by, donor)
    minutes = _whole_minutes(minutes, "minutes")
    reason = (reason or "").strip() or (_("Donation to the community pot") if to is None else _("Donation"))
    reason = _reason(reason)
    occurred_on = _occurred_on(occurred_on)
    _channel(channel)
    if to is not None:
        to = member_of(to, "to", donor.timebank)
        if to.pk == donor.pk:
            raise ValidationError({"to": [_("Choose someone else to give to.")]})
        condition = Q(member_id__in=[donor.pk, to.pk])
    else:
        condition = Q(member_id=donor.pk) | Q(timebank_id=donor.timebank_id, kind=Account.Kind.COMMUNITY_POT)
    locked = _lock(condition)
    source = next(a for a in locked if a.member_id == donor.pk)
    target = next(a for a in locked if a.pk != source.pk)
    on_behalf_of = _acting_for(actor, donor)
    [posted] = _post(actor, [(source, target, minutes)], {source.pk: "donor", target.pk: "to"},
                     kind=Transfer.Kind.DONATION, reason=reason, occurred_on=occurred_on, channel=channel,
                     on_behalf_of=on_behalf_of)
    audit.record(actor, "timebank.donate", posted, organisation=donor.timebank.organisation,
                 on_behalf_of=on_behalf_of, channel=channel,
                 details={"minutes": minutes, "to": "community_pot" if to is None else "member"})
    return posted


@transaction.atomic
def give_from_pot(actor, recipient, minutes, reason, *, occurred_on=None, channel=Channel.WEB) -> Transfer:
    """A broker gives credits from the community pot to a member (e.g. someone who cannot earn)."""
    recipient = member_of(recipient, "to")
    require(actor, "timebank.manage_timebank", recipient.timebank)
    minutes = _whole_minutes(minutes, "minutes")
    reason, occurred_on = _reason(reason), _occurred_on(occurred_on)
    _channel(channel)
    locked = _lock(Q(member_id=recipient.pk) | Q(timebank_id=recipient.timebank_id, kind=Account.Kind.COMMUNITY_POT))
    target = next(a for a in locked if a.member_id == recipient.pk)
    source = next(a for a in locked if a.pk != target.pk)
    [posted] = _post(actor, [(source, target, minutes)], {source.pk: "minutes", target.pk: "to"},
                     kind=Transfer.Kind.DONATION, reason=reason, occurred_on=occurred_on, channel=channel,
                     on_behalf_of=None)
    audit.record(actor, "timebank.give_from_pot", posted, organisation=recipient.timebank.organisation,
                 on_behalf_of=recipient.person, channel=channel, details={"minutes": minutes})
    return posted


@transaction.atomic
def record_opening_balance(actor, member, minutes, reason="", *, occurred_on=None,
                           channel=Channel.PAPER) -> Transfer:
    """Carry a member's balance over from a paper ledger or an earlier system (brokers). A credit is
    issued from the community pot (which may go below zero for this); a debt goes to the pot and
    respects the member's overdraft limit."""
    member = member_of(member, "member")
    require(actor, "timebank.manage_timebank", member.timebank)
    minutes = _whole_minutes(minutes, "minutes", signed=True)
    reason = _reason((reason or "").strip() or _("Opening balance"))
    occurred_on = _occurred_on(occurred_on)
    _channel(channel)
    if Transfer.objects.filter(kind=Transfer.Kind.OPENING_BALANCE, reverses__isnull=True).filter(
        Q(from_account__member=member) | Q(to_account__member=member)
    ).exists():
        raise ValidationError({"member": [_("This member already has an opening balance.")]})
    locked = _lock(Q(member_id=member.pk) | Q(timebank_id=member.timebank_id, kind=Account.Kind.COMMUNITY_POT),
                   pot_may_go_negative=True)
    account = next(a for a in locked if a.member_id == member.pk)
    pot = next(a for a in locked if a.pk != account.pk)
    leg = (pot, account, minutes) if minutes > 0 else (account, pot, -minutes)
    [posted] = _post(actor, [leg], {account.pk: "minutes"}, kind=Transfer.Kind.OPENING_BALANCE, reason=reason,
                     occurred_on=occurred_on, channel=channel, on_behalf_of=member.person,
                     require_active=False)
    audit.record(actor, "timebank.opening_balance", posted, organisation=member.timebank.organisation,
                 on_behalf_of=member.person, channel=channel, details={"minutes": minutes})
    return posted


@transaction.atomic
def reverse_transfer(actor, original: Transfer, reason, *, channel=Channel.WEB) -> Transfer:
    """Correct a mistake with a reversing transfer (never an edit). A cross-bank exchange is reversed
    in both banks' books at once, by someone who manages both banks. Limits still apply: if the
    reversal would take an account past a limit, change the limit first."""
    if not isinstance(original, Transfer):
        raise ValidationError({"transfer": [_("Unknown transfer.")]})
    legs = [original]
    if original.linked_id:
        legs.append(original.linked)
    elif hasattr(original, "linked_from"):
        legs.insert(0, original.linked_from)
    for leg in legs:
        require(actor, "timebank.reverse_transfer", leg)
    reason = _reason(reason)
    _channel(channel)
    if original.kind == Transfer.Kind.CORRECTION:
        raise ValidationError({"transfer": [_("A correction cannot be reversed; record a new transfer.")]})
    if Transfer.objects.filter(reverses__in=legs).exists():
        raise ValidationError({"transfer": [_("This transfer has already been reversed.")]})
    ids = {leg.from_account_id for leg in legs} | {leg.to_account_id for leg in legs}
    locked = {a.pk: a for a in _lock(Q(pk__in=ids))}
    posting = [(locked[leg.to_account_id], locked[leg.from_account_id], leg.minutes) for leg in legs]
    fields = dict.fromkeys(locked, "transfer")
    corrections = _post(actor, posting, fields, kind=Transfer.Kind.CORRECTION, reason=reason,
                        occurred_on=timezone.localdate(), channel=channel, on_behalf_of=None,
                        require_active=False, reverses=legs)
    for correction, leg in zip(corrections, legs):
        audit.record(actor, "timebank.reverse", correction, organisation=leg.timebank.organisation,
                     channel=channel, details={"reverses": leg.pk, "minutes": leg.minutes})
    return corrections[legs.index(original)]


# --- personal data -----------------------------------------------------------------------------


def export_personal_data(person: Person) -> dict:
    """A member's memberships, accounts and the transfers on them. Other people are not named."""
    result = []
    members = TimebankMember.objects.filter(person=person).select_related("timebank", "agreement_version", "account")
    for member in members:
        account = member.account
        transfers = (
            Transfer.objects.filter(Q(from_account=account) | Q(to_account=account))
            .select_related("from_account", "to_account").order_by("created_at", "id")
        )
        result.append({
            "timebank": member.timebank.name,
            "kind": member.kind,
            "status": member.status,
            "joined_at": member.joined_at.isoformat() if member.joined_at else None,
            "agreement_version": member.agreement_version.version if member.agreement_version else None,
            "agreement_accepted_at": (member.agreement_accepted_at.isoformat()
                                      if member.agreement_accepted_at else None),
            "is_child": member.is_child,
            "guardian_name": member.guardian_name,
            "guardian_relationship": member.guardian_relationship,
            "guardian_consent_on": member.guardian_consent_on.isoformat() if member.guardian_consent_on else None,
            "guardian_consent_channel": member.guardian_consent_channel,
            "overdraft_limit_minutes": member.effective_overdraft(),
            "max_balance_minutes": member.effective_max_balance(),
            "balance_minutes": account.balance_minutes,
            "transfers": [
                {
                    "id": t.pk,
                    "date": t.occurred_on.isoformat(),
                    "recorded_at": t.created_at.isoformat(),
                    "minutes": t.minutes if t.to_account_id == account.pk else -t.minutes,
                    "kind": t.kind,
                    "reason": t.reason,
                    "other_side": (t.from_account if t.to_account_id == account.pk else t.to_account).kind,
                }
                for t in transfers
            ],
        })
    return {"memberships": result}


def erase_personal_data(person: Person) -> None:
    """Called by `core.services.erase_person` in its transaction. The books stay whole: transfers
    and balances remain (the person is anonymised by the core); the free-text reasons on their
    transfers and a child's guardian details are blanked, and their memberships end."""
    members = list(TimebankMember.objects.filter(person=person))
    if not members:
        return
    Transfer.objects.filter(Q(from_account__member__in=members) | Q(to_account__member__in=members))._redact_reasons()
    TimebankMember.objects.filter(pk__in=[m.pk for m in members]).update(
        guardian_name="", guardian_relationship="", guardian_consent_on=None, guardian_consent_channel="")
    now = timezone.now()
    TimebankMember.objects.filter(pk__in=[m.pk for m in members]).exclude(status=TimebankMember.Status.LEFT).update(
        status=TimebankMember.Status.LEFT, left_at=now
    )
