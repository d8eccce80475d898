"""Services for exchanges: the lifecycle of one occasion of help (part of the services layer).

    requested -> matched -> scheduled -> done -> confirmed -> credited
           \\________\\__________\\________\\________\\--> cancelled (with a reason)

- *requested*: someone asked for an offer (the helper has not agreed yet), or a request needing
  several helpers has some but not all of them.
- *matched*: a broker matched helpers to a request, a member took a request on, or the helper
  accepted being asked. Matching, taking a request on, asking for an offer and accepting being asked
  refuse a helper whom the
  matching engine's hard constraints rule out (`_forbid`: safeguarding checks for regular work with
  children or vulnerable adults, opt-out periods, references and reliability for sensitive tasks),
  the same rules as the suggestions; a broker may set aside only the references and reliability rules.
- *scheduled*: a date, time and place are agreed. "Outside the home" (a broker requirement) refuses
  a place in anyone's home; a home visit needs as many helpers as the broker asked for.
- *done*: a participant or a broker says it happened (a participant who says so also confirms their
  own part), with the minutes it actually took.
- *confirmed*: every participant confirmed (each themself, or a broker on their behalf).
- *credited*: the ledger transfers are written by `services.transfer` in the same transaction as
  this state change: each receiver pays, each giver earns. If the ledger refuses (a limit), the
  exchange stays *confirmed* with the reason shown, and a broker credits it once that is sorted.

Minutes: every giver earns the exchange's minutes (two helpers for one hour earn an hour each);
the receivers pay the givers' total, split equally (the first receivers by id pay the odd minutes).
A group activity can also be given explicit minutes per participant, as long as the givers' and the
receivers' totals are equal.

Cancellation (any state before credited) needs a reason. It counts against a helper's reliability
(the matching engine's "cancellations") only when a *helper* cancels *late*: less than
`LATE_CANCELLATION_HOURS` before the scheduled time, or after it; or when a helper cancels a matched
exchange that was never scheduled within `LATE_CANCELLATION_HOURS` of its requested time.
Receivers' and brokers' cancellations never count against anyone.

Expenses (a bus fare) are agreed before the exchange is done and recorded here, never moved in the
ledger: they are settled in money, outside the timebank.
"""

from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core import audit
from coproduce.core.audit import Channel
from coproduce.core.permissions import person_of, require

from . import notifications, services, suggestions
from .models import (
    Exchange,
    ExchangeParticipant,
    ExchangeTransfer,
    Expense,
    HelpRequest,
    Offer,
    Posting,
    Timebank,
    TimebankMember,
)
from .trust import _channel

State = Exchange.State
Role = ExchangeParticipant.Role
LATE_CANCELLATION_HOURS = 24

STATE_LABELS = dict(State.choices)


def _in_state(exchange: Exchange, allowed, action: str) -> None:
    if exchange.state not in allowed:
        raise ValidationError({"state": [
            _("An exchange that is %(state)s cannot be %(action)s.")
            % {"state": STATE_LABELS[exchange.state].lower(), "action": action}
        ]})


def _lock(exchange: Exchange) -> Exchange:
    """The exchange row locked for this transaction, with its participants (fresh state)."""
    locked = Exchange.objects.select_for_update(of=("self",)).select_related(
        "timebank__organisation", "timebank__network", "request__member", "offer", "category").get(pk=exchange.pk)
    return locked


def _parts(exchange: Exchange) -> list[ExchangeParticipant]:
    return list(exchange.participants.select_related("member__person", "member__timebank__network",
                                                     "member__timebank__organisation").order_by("role", "id"))


def _record(actor, action, exchange, channel, *, on_behalf_of=None, details=None):
    audit.record(actor, action, exchange, organisation=exchange.timebank.organisation, on_behalf_of=on_behalf_of,
                 channel=channel, details=details or {})


def _my_parts(actor, parts):
    me = person_of(actor)
    return [p for p in parts if me is not None and p.member.person_id == me.pk]


def _reachable(bank: Timebank, member: TimebankMember, field: str) -> None:
    """A member of the same bank, or of another bank of its network when both banks allow it."""
    if member.status != TimebankMember.Status.ACTIVE:
        raise ValidationError({field: [_("This member is not active in their bank.")]})
    if member.timebank_id == bank.pk:
        return
    other = member.timebank
    if not (bank.network_id and bank.network_id == other.network_id and bank.allow_cross_bank
            and other.allow_cross_bank):
        raise ValidationError({field: [_("This member's bank does not exchange with this bank.")]})


# Rules a broker may set aside for one match, saying why: the references and reliability a sensitive
# task needs. Never safeguarding checks, never opt-out periods.
OVERRIDABLE = frozenset({"no_references", "unreliable", "low_reliability_references"})


def _forbid(actor, helpers, req, field: str, *, override: str = "") -> list[str]:
    """Refuse `helpers` whom the matching engine's hard constraints rule out for `req` (the same rules
    that keep them out of suggestions): `ValidationError({field: [...]})` before anything is written.
    Brokers of a helper's bank read the reasons; anyone else a plain refusal that tells nothing of the
    helper's trust record. With an `override` reason a broker sets aside only `OVERRIDABLE` rules;
    returns the codes set aside (for the audit record)."""
    found = suggestions.violations(helpers, req)
    messages, overridden = [], []
    for helper in helpers:
        reasons = found[helper.pk]
        if override.strip() and actor.has_perm("timebank.broker", helper):
            overridden += [r[0] for r in reasons if r[0] in OVERRIDABLE]
            reasons = [r for r in reasons if r[0] not in OVERRIDABLE]
        if not reasons:
            continue
        if actor.has_perm("timebank.view_trust", helper):
            messages.append(_("%(name)s cannot take this on: %(reasons)s.") % {
                "name": helper.person.name, "reasons": "; ".join(suggestions.say(r) for r in reasons)})
        else:
            messages.append(_("The helper does not meet what this task needs (a safeguarding check, references, "
                              "or being free at that time). A broker can tell you more."))
    if messages:
        raise ValidationError({field: list(dict.fromkeys(messages))})
    return sorted(set(overridden))


def _minutes(value, field="minutes") -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= 24 * 60:
        raise ValidationError({field: [_("Give how long, in minutes, up to a day.")]})
    return value


def share(total: int, count: int) -> list[int]:
    """`total` minutes split between `count` people as equally as whole minutes allow."""
    base, extra = divmod(total, count)
    return [base + (1 if i < extra else 0) for i in range(count)]


def _allocate(exchange: Exchange, parts: list[ExchangeParticipant], minutes: int) -> None:
    givers = [p for p in parts if p.role == Role.GIVER]
    receivers = [p for p in parts if p.role == Role.RECEIVER]
    for giver in givers:
        giver.minutes = minutes
    for receiver, owed in zip(receivers, share(minutes * len(givers), len(receivers))):
        receiver.minutes = owed
    ExchangeParticipant.objects.bulk_update(parts, ["minutes"])


def _create(actor, bank, *, request=None, offer=None, category, description, givers, receivers, minutes,
            state, helpers_needed=1, outside_home=False, group=False, starts_at=None, accepted=()) -> Exchange:
    now = timezone.now()
    exchange = Exchange.objects.create(
        timebank=bank, request=request, offer=offer, category=category, description=description[:200],
        state=state, group_activity=group, helpers_needed=helpers_needed, outside_home=outside_home,
        minutes=minutes, starts_at=starts_at, created_by=actor if actor and actor.pk else None,
        matched_at=now if state == State.MATCHED else None,
        matched_by=actor if state == State.MATCHED and actor and actor.pk else None,
    )
    parts = [ExchangeParticipant(exchange=exchange, member=m, role=Role.GIVER,
                                 accepted_at=now if state == State.MATCHED or m in accepted else None)
             for m in givers]
    parts += [ExchangeParticipant(exchange=exchange, member=m, role=Role.RECEIVER, accepted_at=now)
              for m in receivers]
    ExchangeParticipant.objects.bulk_create(parts)
    _allocate(exchange, list(exchange.participants.order_by("role", "id")), minutes)
    return exchange


def _check_not_taken(request: HelpRequest) -> None:
    """A one-off request is met by one exchange at a time (a regular one by one per occasion)."""
    if request.regular:
        return
    if request.exchanges.exclude(state__in=[State.CANCELLED, State.REQUESTED]).exists():
        raise ValidationError({"request": [_("This request already has its helpers.")]})


def _member_ids(exchange: Exchange) -> list[int]:
    return list(exchange.participants.values_list("member_id", flat=True))


def _distinct(members, field):
    ids = [m.pk for m in members]
    if len(ids) != len(set(ids)):
        raise ValidationError({field: [_("Each member can take part only once.")]})


# --- matching: requested -> matched ------------------------------------------------------------


@transaction.atomic
def match(actor, request: HelpRequest, helpers: list[TimebankMember], *, minutes: int | None = None,
          override: str = "", channel=Channel.WEB) -> Exchange:
    """A broker matches helpers to a request (confirming a suggestion): a new *matched* exchange.
    Helpers the hard constraints rule out are refused; `override` (the broker's reason) sets aside
    only the references and reliability rules (`OVERRIDABLE`)."""
    require(actor, "timebank.broker", request)
    _channel(channel)
    request = HelpRequest.objects.select_for_update(of=("self",)).select_related(
        "member__timebank__organisation", "member__person", "category").get(pk=request.pk)
    if request.status != Posting.Status.OPEN:
        raise ValidationError({"request": [_("This request is not open.")]})
    helpers = list(helpers)
    if not helpers:
        raise ValidationError({"helpers": [_("Choose at least one helper.")]})
    _distinct(helpers + [request.member], "helpers")
    if len(helpers) < request.helpers_needed:
        raise ValidationError({"helpers": [_("This request needs %(n)d helpers.") % {"n": request.helpers_needed}]})
    bank = request.member.timebank
    for helper in helpers:
        _reachable(bank, helper, "helpers")
    overridden = _forbid(actor, helpers, suggestions.engine_request(request), "helpers", override=override)
    if request.exchanges.filter(state=State.REQUESTED).exists():
        raise ValidationError({"request": [_("Helpers are already gathering for this request; add to that exchange.")]})
    _check_not_taken(request)
    minutes = _minutes(minutes if minutes is not None else request.duration_minutes)
    exchange = _create(actor, bank, request=request, category=request.category, description=request.description,
                       givers=helpers, receivers=[request.member], minutes=minutes, state=State.MATCHED,
                       helpers_needed=request.helpers_needed, outside_home=request.outside_home,
                       starts_at=request.starts_at)
    _record(actor, "timebank.exchange.match", exchange, channel, on_behalf_of=request.member.person,
            details={"request": request.pk, "helpers": [h.pk for h in helpers],
                     **({"override": override.strip()[:300], "overridden": overridden} if overridden else {})})
    suggestions.invalidate(bank, _member_ids(exchange))
    notifications.matched(exchange)
    return exchange


@transaction.atomic
def offer_help(actor, request: HelpRequest, helper: TimebankMember, *, channel=Channel.WEB) -> Exchange:
    """A member takes a request on (themself, or a broker for them). A request needing several helpers
    gathers them in one *requested* exchange, which becomes *matched* with the last one."""
    require(actor, "timebank.add_posting", helper)
    _channel(channel)
    request = HelpRequest.objects.select_for_update(of=("self",)).select_related(
        "member__timebank__organisation", "member__person", "category").get(pk=request.pk)
    if request.status != Posting.Status.OPEN:
        raise ValidationError({"request": [_("This request is not open.")]})
    if helper.pk == request.member_id or helper.person_id == request.member.person_id:
        raise ValidationError({"helper": [_("You cannot help with your own request.")]})
    bank = request.member.timebank
    _reachable(bank, helper, "helper")
    _forbid(actor, [helper], suggestions.engine_request(request), "helper")
    _check_not_taken(request)
    gathering = request.exchanges.filter(state=State.REQUESTED).first()
    if gathering is None:
        exchange = _create(actor, bank, request=request, category=request.category,
                           description=request.description, givers=[helper], receivers=[request.member],
                           minutes=request.duration_minutes, state=State.REQUESTED,
                           helpers_needed=request.helpers_needed, outside_home=request.outside_home,
                           starts_at=request.starts_at, accepted=[helper])
    else:
        exchange = _lock(gathering)
        parts = _parts(exchange)
        if any(p.member_id == helper.pk for p in parts):
            raise ValidationError({"helper": [_("You are already helping with this.")]})
        ExchangeParticipant.objects.create(exchange=exchange, member=helper, role=Role.GIVER,
                                           accepted_at=timezone.now())
        _allocate(exchange, _parts(exchange), exchange.minutes)
    givers = exchange.participants.filter(role=Role.GIVER).count()
    if givers >= exchange.helpers_needed:
        exchange.state, exchange.matched_at = State.MATCHED, timezone.now()
        exchange.matched_by = actor if actor and actor.pk else None
        exchange.save(update_fields=["state", "matched_at", "matched_by"])
    from .trust import acting_for

    _record(actor, "timebank.exchange.offer_help", exchange, channel, on_behalf_of=acting_for(actor, helper),
            details={"request": request.pk, "helper": helper.pk, "state": exchange.state})
    suggestions.invalidate(bank, _member_ids(exchange))
    if exchange.state == State.MATCHED:
        notifications.matched(exchange)
    return exchange


@transaction.atomic
def ask_for_offer(actor, offer: Offer, receiver: TimebankMember, *, minutes: int = 60,
                  starts_at: datetime | None = None, channel=Channel.WEB) -> Exchange:
    """A member asks for an offered help (themself, or a broker for them): a *requested* exchange
    that the helper accepts (`accept`)."""
    require(actor, "timebank.add_posting", receiver)
    _channel(channel)
    offer = Offer.objects.select_related("member__timebank", "member__person", "category").get(pk=offer.pk)
    if offer.status != Posting.Status.OPEN:
        raise ValidationError({"offer": [_("This offer is not open.")]})
    if receiver.person_id == offer.member.person_id:
        raise ValidationError({"offer": [_("You cannot ask for your own offer.")]})
    bank = receiver.timebank
    _reachable(bank, receiver, "receiver")
    _reachable(bank, offer.member, "offer")
    if starts_at is not None and not isinstance(starts_at, datetime):
        raise ValidationError({"starts_at": [_("Give a date and time.")]})
    minutes = _minutes(minutes)
    _forbid(actor, [offer.member], suggestions.engine_offer_request(offer, receiver, starts_at=starts_at,
                                                                     minutes=minutes), "offer")
    exchange = _create(actor, bank, offer=offer, category=offer.category, description=offer.description,
                       givers=[offer.member], receivers=[receiver], minutes=minutes,
                       state=State.REQUESTED, starts_at=starts_at)
    from .trust import acting_for

    _record(actor, "timebank.exchange.ask", exchange, channel, on_behalf_of=acting_for(actor, receiver),
            details={"offer": offer.pk})
    notifications.asked(exchange)
    return exchange


@transaction.atomic
def accept(actor, exchange: Exchange, *, channel=Channel.WEB) -> Exchange:
    """The helper agrees to a *requested* exchange (themself, or a broker for them): *matched*. An
    exchange asked for an offer is checked against the hard constraints again, as they stand now."""
    require(actor, "timebank.act_in_exchange", exchange)
    _channel(channel)
    exchange = _lock(exchange)
    _in_state(exchange, [State.REQUESTED], _("accepted"))
    parts = _parts(exchange)
    pending = [p for p in parts if p.role == Role.GIVER and p.accepted_at is None]
    mine = [p for p in _my_parts(actor, pending)]
    manages = actor.has_perm("timebank.broker", exchange)
    if not mine and not manages:
        raise ValidationError({"state": [_("Only the helper who was asked, or a broker, can accept.")]})
    accepting = mine or pending
    if not accepting:
        raise ValidationError({"state": [_("More helpers are needed before this exchange is matched.")]})
    if exchange.offer_id is not None:  # asked for an offer: still allowed now (a new opt-out, an expired check)?
        receiver = next(p.member for p in parts if p.role == Role.RECEIVER)
        _forbid(actor, [p.member for p in accepting], suggestions.engine_offer_request(
            exchange.offer, receiver, starts_at=exchange.starts_at, minutes=exchange.minutes), "helper")
    now = timezone.now()
    ExchangeParticipant.objects.filter(pk__in=[p.pk for p in accepting]).update(accepted_at=now)
    givers = sum(1 for p in parts if p.role == Role.GIVER)
    if givers < exchange.helpers_needed:
        raise ValidationError({"state": [_("More helpers are needed before this exchange is matched.")]})
    exchange.state, exchange.matched_at = State.MATCHED, now
    exchange.matched_by = actor if actor.pk else None
    exchange.save(update_fields=["state", "matched_at", "matched_by"])
    _record(actor, "timebank.exchange.accept", exchange, channel,
            on_behalf_of=None if mine else accepting[0].member.person)
    suggestions.invalidate(exchange.timebank, _member_ids(exchange))
    notifications.matched(exchange)
    return exchange


@transaction.atomic
def create_group_activity(actor, timebank: Timebank, *, category, description: str, givers, receivers,
                          minutes: int, starts_at: datetime | None = None, place: str = "", place_detail: str = "",
                          shares: dict[int, int] | None = None, channel=Channel.WEB) -> Exchange:
    """A broker arranges a group activity: one helper and many recipients (a cookery class, each
    paying a share), or many helpers for one recipient or group. `shares` (member id -> minutes)
    overrides the equal split; givers' and receivers' totals must be equal."""
    require(actor, "timebank.broker", timebank)
    _channel(channel)
    from .postings import _category

    givers, receivers = list(givers), list(receivers)
    if not givers:
        raise ValidationError({"givers": [_("Choose at least one helper.")]})
    if not receivers:
        raise ValidationError({"receivers": [_("Choose at least one person or group who is helped.")]})
    _distinct(givers + receivers, "receivers")
    for member in givers:
        _reachable(timebank, member, "givers")
    for member in receivers:
        _reachable(timebank, member, "receivers")
    description = (description or "").strip()
    if not description:
        raise ValidationError({"description": [_("Say what it is about.")]})
    minutes = _minutes(minutes)
    category = _category(receivers[0] if receivers[0].timebank_id == timebank.pk else givers[0], category)
    exchange = _create(actor, timebank, category=category, description=description, givers=givers,
                       receivers=receivers, minutes=minutes, state=State.MATCHED, group=True,
                       helpers_needed=len(givers), starts_at=starts_at)
    if shares:
        parts = _parts(exchange)
        by_member = {p.member_id: p for p in parts}
        if set(shares) - set(by_member):
            raise ValidationError({"shares": [_("Shares are for participants only.")]})
        for member_id, value in shares.items():
            by_member[member_id].minutes = _minutes(value, "shares")
        given = sum(p.minutes for p in parts if p.role == Role.GIVER)
        received = sum(p.minutes for p in parts if p.role == Role.RECEIVER)
        if given != received:
            raise ValidationError({"shares": [_("The helpers earn %(given)d minutes but the people helped pay "
                                                "%(received)d: the two must be equal.")
                                              % {"given": given, "received": received}]})
        ExchangeParticipant.objects.bulk_update(parts, ["minutes"])
    _record(actor, "timebank.exchange.group", exchange, channel,
            details={"givers": [m.pk for m in givers], "receivers": [m.pk for m in receivers], "minutes": minutes})
    if starts_at is not None:
        schedule(actor, exchange, starts_at=starts_at, place=place or Exchange.Place.PUBLIC,
                 place_detail=place_detail, channel=channel)
        exchange.refresh_from_db()
    suggestions.invalidate(timebank, _member_ids(exchange))
    notifications.matched(exchange)
    return exchange


@transaction.atomic
def record_past(actor, timebank: Timebank, *, payer: TimebankMember, payee: TimebankMember, category,
                minutes: int, reason: str, occurred_on=None, channel=Channel.WEB) -> Exchange:
    """A broker records an exchange that already happened (told in person, by phone or on paper): a
    credited exchange with its category, its two participants confirmed on their behalf, and its
    ledger transfer, in one transaction. It counts in the reports by category and in the helper's
    completed exchanges like any other."""
    require(actor, "timebank.manage_timebank", timebank)
    _channel(channel)
    from .postings import _category

    payer = services.member_of(payer, "payer", timebank)
    payee = services.member_of(payee, "payee", timebank)
    minutes = services._whole_minutes(minutes, "minutes")
    reason = services._reason(reason)
    occurred_on = services._occurred_on(occurred_on)
    if payer.pk == payee.pk:
        raise ValidationError({"payee": [_("The payer and the payee must be different members.")]})
    _reachable(timebank, payer, "payer")
    _reachable(timebank, payee, "payee")
    category = _category(payer, category)
    exchange = _create(actor, timebank, category=category, description=reason, givers=[payee], receivers=[payer],
                       minutes=minutes, state=State.CONFIRMED, accepted=[payee])
    now = timezone.now()
    day = timezone.make_aware(datetime.combine(occurred_on, datetime.min.time()))
    exchange.matched_at = exchange.done_at = day
    exchange.save(update_fields=["matched_at", "done_at"])
    exchange.participants.update(confirmed_at=now)
    _record(actor, "timebank.exchange.record_past", exchange, channel, on_behalf_of=payer.person,
            details={"payer": payer.pk, "payee": payee.pk, "minutes": minutes})
    return _credit(actor, exchange, channel, occurred_on=occurred_on)


# --- scheduled, done, confirmed, credited -------------------------------------------------------


@transaction.atomic
def schedule(actor, exchange: Exchange, *, starts_at: datetime, place: str, place_detail: str = "",
             minutes: int | None = None, channel=Channel.WEB) -> Exchange:
    """Agree the date, time and place (or change them while still scheduled)."""
    require(actor, "timebank.act_in_exchange", exchange)
    _channel(channel)
    exchange = _lock(exchange)
    _in_state(exchange, [State.MATCHED, State.SCHEDULED], _("scheduled"))
    if not isinstance(starts_at, datetime):
        raise ValidationError({"starts_at": [_("Give a date and time.")]})
    if place not in Exchange.Place.values:
        raise ValidationError({"place": [_("Say where the exchange happens.")]})
    if exchange.outside_home and place in Exchange.HOME_PLACES:
        raise ValidationError({"place": [_("A broker asked for this exchange to happen outside the home.")]})
    request = exchange.request
    if request is not None and request.home_visit and place == Exchange.Place.RECIPIENT_HOME:
        givers = exchange.participants.filter(role=Role.GIVER).count()
        if givers < request.helpers_needed:
            raise ValidationError({"place": [_("A home visit for this request needs %(n)d helpers.")
                                             % {"n": request.helpers_needed}]})
    before = {"state": exchange.state, "starts_at": exchange.starts_at.isoformat() if exchange.starts_at else None}
    exchange.starts_at, exchange.place = starts_at, place
    exchange.place_detail = (place_detail or "").strip()[:200]
    exchange.state = State.SCHEDULED
    fields = ["starts_at", "place", "place_detail", "state"]
    if minutes is not None:
        exchange.minutes = _minutes(minutes)
        fields.append("minutes")
        if not exchange.group_activity:
            _allocate(exchange, _parts(exchange), exchange.minutes)
    exchange.save(update_fields=fields)
    _record(actor, "timebank.exchange.schedule", exchange, channel,
            details={"before": before, "starts_at": starts_at.isoformat(), "place": place})
    return exchange


@transaction.atomic
def mark_done(actor, exchange: Exchange, *, minutes: int | None = None, channel=Channel.WEB) -> Exchange:
    """It happened. `minutes`: how long it actually took (each giver earns that). A participant who
    says so confirms their own part too; the others are asked to confirm."""
    require(actor, "timebank.act_in_exchange", exchange)
    _channel(channel)
    exchange = _lock(exchange)
    _in_state(exchange, [State.SCHEDULED], _("marked as done"))
    if exchange.starts_at and exchange.starts_at > timezone.now():
        raise ValidationError({"state": [_("This exchange is scheduled for later; it cannot be done yet.")]})
    parts = _parts(exchange)
    if minutes is not None:
        exchange.minutes = _minutes(minutes)
        if not exchange.group_activity:
            _allocate(exchange, parts, exchange.minutes)
    now = timezone.now()
    exchange.state, exchange.done_at = State.DONE, now
    exchange.save(update_fields=["state", "done_at", "minutes"])
    mine = _my_parts(actor, parts)
    ExchangeParticipant.objects.filter(pk__in=[p.pk for p in mine]).update(confirmed_at=now, confirmed_by=actor)
    _record(actor, "timebank.exchange.done", exchange, channel, details={"minutes": exchange.minutes})
    if len(mine) == len(parts):  # (only possible with one participant; kept for safety)
        return _confirmed(actor, exchange, channel)
    notifications.confirm_please(exchange, exclude={p.pk for p in mine})
    return exchange


@transaction.atomic
def confirm(actor, exchange: Exchange, *, member: TimebankMember | None = None, channel=Channel.WEB) -> Exchange:
    """A participant confirms the exchange happened as recorded; a broker may confirm for `member`.
    When everyone has confirmed, the exchange is confirmed and credited."""
    require(actor, "timebank.act_in_exchange", exchange)
    _channel(channel)
    exchange = _lock(exchange)
    _in_state(exchange, [State.DONE], _("confirmed"))
    parts = _parts(exchange)
    if member is not None:
        require(actor, "timebank.broker", exchange)
        targets = [p for p in parts if p.member_id == member.pk]
        if not targets:
            raise ValidationError({"member": [_("This member does not take part in the exchange.")]})
        on_behalf_of = member.person
    else:
        targets = _my_parts(actor, parts)
        if not targets:
            raise ValidationError({"member": [_("Say whose part a broker is confirming.")]})
        on_behalf_of = None
    if all(p.confirmed_at for p in targets):
        raise ValidationError({"member": [_("This part is already confirmed.")]})
    now = timezone.now()
    ExchangeParticipant.objects.filter(pk__in=[p.pk for p in targets]).update(confirmed_at=now, confirmed_by=actor)
    _record(actor, "timebank.exchange.confirm", exchange, channel, on_behalf_of=on_behalf_of,
            details={"members": [p.member_id for p in targets]})
    if not exchange.participants.filter(confirmed_at__isnull=True).exists():
        return _confirmed(actor, exchange, channel)
    return exchange


def _confirmed(actor, exchange: Exchange, channel) -> Exchange:
    exchange.state = State.CONFIRMED
    exchange.save(update_fields=["state"])
    _record(actor, "timebank.exchange.confirmed", exchange, channel)
    try:
        with transaction.atomic():  # a savepoint: a refused credit leaves the exchange confirmed
            return _credit(actor, exchange, channel)
    except ValidationError as exc:
        messages = [m for values in exc.message_dict.values() for m in values]
        exchange.credit_error = " ".join(messages)[:300]
        exchange.save(update_fields=["credit_error"])
        return exchange


@transaction.atomic
def credit(actor, exchange: Exchange, *, channel=Channel.WEB) -> Exchange:
    """A broker credits a confirmed exchange the ledger refused before (e.g. after raising a limit)."""
    require(actor, "timebank.broker", exchange)
    _channel(channel)
    exchange = _lock(exchange)
    _in_state(exchange, [State.CONFIRMED], _("credited"))
    return _credit(actor, exchange, channel)


def transfers_for(parts: list[ExchangeParticipant]) -> list[tuple[ExchangeParticipant, ExchangeParticipant, int]]:
    """(receiver, giver, minutes) legs: receivers pay givers in order, each leg as large as it can be."""
    receivers = [[p, p.minutes] for p in parts if p.role == Role.RECEIVER and p.minutes > 0]
    givers = [[p, p.minutes] for p in parts if p.role == Role.GIVER and p.minutes > 0]
    if sum(r[1] for r in receivers) != sum(g[1] for g in givers):
        raise ValidationError({"minutes": [_("The helpers' and the receivers' minutes differ.")]})
    legs, r, g = [], 0, 0
    while r < len(receivers) and g < len(givers):
        amount = min(receivers[r][1], givers[g][1])
        legs.append((receivers[r][0], givers[g][0], amount))
        receivers[r][1] -= amount
        givers[g][1] -= amount
        r += receivers[r][1] == 0
        g += givers[g][1] == 0
    return legs


def _credit(actor, exchange: Exchange, channel, *, occurred_on=None) -> Exchange:
    """Write the ledger transfers and mark the exchange credited, in the caller's transaction."""
    parts = _parts(exchange)
    reason = exchange.description[:200]
    day = (exchange.starts_at or exchange.done_at or timezone.now())
    day = occurred_on or min(timezone.localtime(day).date(), timezone.localdate())
    written = []
    for payer, payee, amount in transfers_for(parts):
        posted = services.transfer(
            actor, payer.member, payee.member, amount, reason, occurred_on=day, channel=channel,
            on_behalf_of=payer.member.person, authorised_by=exchange,
        )
        written.append(ExchangeTransfer(exchange=exchange, transfer=posted))
    ExchangeTransfer.objects.bulk_create(written)
    exchange.state, exchange.credited_at, exchange.credit_error = State.CREDITED, timezone.now(), ""
    exchange.save(update_fields=["state", "credited_at", "credit_error"])
    _record(actor, "timebank.exchange.credit", exchange, channel,
            details={"transfers": [w.transfer_id for w in written]})
    request = exchange.request
    if request is not None and not request.regular and request.status == Posting.Status.OPEN:
        request.status = Posting.Status.CLOSED
        request.save(update_fields=["status"])
    suggestions.invalidate(exchange.timebank, _member_ids(exchange))
    return exchange


# --- cancellation and expenses ------------------------------------------------------------------


def _late(exchange: Exchange, now) -> bool:
    if exchange.starts_at is None:
        return False
    return exchange.starts_at - now < timedelta(hours=LATE_CANCELLATION_HOURS)


@transaction.atomic
def cancel(actor, exchange: Exchange, reason: str, *, member: TimebankMember | None = None,
           channel=Channel.WEB) -> Exchange:
    """Cancel before it is credited, with a reason. `member`: a broker records who cancelled (for a
    helper cancelling late, it counts against their reliability); without it, a participant cancels
    for themself, and a broker's own cancellation counts against nobody."""
    require(actor, "timebank.act_in_exchange", exchange)
    _channel(channel)
    exchange = _lock(exchange)
    _in_state(exchange, [State.REQUESTED, State.MATCHED, State.SCHEDULED, State.DONE, State.CONFIRMED],
              _("cancelled"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the exchange is cancelled.")]})
    parts = _parts(exchange)
    if member is not None:
        require(actor, "timebank.broker", exchange)
        by = next((p for p in parts if p.member_id == member.pk), None)
        if by is None:
            raise ValidationError({"member": [_("This member does not take part in the exchange.")]})
    else:
        mine = _my_parts(actor, parts)
        by = next((p for p in mine if p.role == Role.GIVER), mine[0] if mine else None)
    now = timezone.now()
    late = by is not None and by.role == Role.GIVER and exchange.state in (State.MATCHED, State.SCHEDULED) and _late(
        exchange, now)
    before = exchange.state
    exchange.state, exchange.cancelled_at, exchange.cancel_reason = State.CANCELLED, now, reason[:300]
    exchange.cancelled_by_member = by.member if by else None
    exchange.cancelled_late_by_helper = late
    exchange.save(update_fields=["state", "cancelled_at", "cancel_reason", "cancelled_by_member",
                                 "cancelled_late_by_helper"])
    _record(actor, "timebank.exchange.cancel", exchange, channel,
            on_behalf_of=by.member.person if by and member is not None else None,
            details={"before": before, "late_by_helper": late})
    suggestions.invalidate(exchange.timebank, _member_ids(exchange))
    notifications.cancelled(exchange, exclude={by.pk} if by else set())
    return exchange


@transaction.atomic
def add_expense(actor, exchange: Exchange, *, what: str, estimated_amount, agreed_by: str, currency: str = "",
                channel=Channel.WEB) -> Expense:
    """Record an expense agreed before the exchange (never a ledger movement)."""
    require(actor, "timebank.act_in_exchange", exchange)
    _channel(channel)
    exchange = _lock(exchange)
    _in_state(exchange, [State.REQUESTED, State.MATCHED, State.SCHEDULED], _("given new expenses"))
    what, agreed_by = (what or "").strip(), (agreed_by or "").strip()
    if not what:
        raise ValidationError({"what": [_("Say what the expense is for.")]})
    if not agreed_by:
        raise ValidationError({"agreed_by": [_("Say who agreed the expense.")]})
    if isinstance(estimated_amount, float | bool):
        raise ValidationError({"estimated_amount": [_("Give an amount such as 3.50.")]})
    try:
        amount = Decimal(str(estimated_amount))
    except (InvalidOperation, ValueError):
        raise ValidationError({"estimated_amount": [_("Give an amount such as 3.50.")]}) from None
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")) or amount >= 10**8:
        raise ValidationError({"estimated_amount": [_("Give an amount such as 3.50.")]})
    expense = Expense.objects.create(exchange=exchange, what=what[:200], estimated_amount=amount,
                                     currency=currency or exchange.timebank.currency, agreed_by=agreed_by[:200],
                                     recorded_by=actor if actor.pk else None)
    _record(actor, "timebank.exchange.expense", exchange, channel,
            details={"what": expense.what, "estimated_amount": str(amount), "currency": expense.currency})
    return expense
