"""Who is told what by email. Messages are queued (`tasks.send_email`) inside the service's
transaction; members without an email address are told by their broker instead.

- matched: every participant of a newly matched exchange;
- asked: the helper whose offer someone asked for;
- confirm please: participants who have not yet confirmed an exchange marked done;
- cancelled: the other participants;
- the daily digest of unmatched requests for each bank's brokers (`send_digests`, at most once per
  broker per day: `coproduce timebank digest` or the `send_digests` task, e.g. from cron).
"""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core.models import Membership, Person

from .models import DigestSent, Exchange, ExchangeParticipant, HelpRequest, Posting, Timebank

SUBJECTS = {
    "matched": lambda c: _("You have been matched: %(what)s") % c,
    "asked": lambda c: _("%(name)s asked for your help: %(what)s") % c,
    "confirm": lambda c: _("Please confirm the exchange: %(what)s") % c,
    "cancelled": lambda c: _("Exchange cancelled: %(what)s") % c,
    "digest": lambda c: _("%(count)d request(s) waiting for a helper") % c,
}


def subject(key: str, context: dict) -> str:
    return SUBJECTS[key](context)


def _send(person: Person, key: str, context: dict) -> None:
    if not person.email or person.erased_at is not None:
        return
    from . import tasks

    tasks.send_email.enqueue(to=person.email, key=key, context=context, language=person.preferred_language)


def _link(path: str) -> str:
    """An absolute link for emails (`SITE_URL` + the path)."""
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def _first_name(person) -> str:
    return (person.name or "").split(" ")[0]


def _parts(exchange: Exchange, exclude=()):
    return [p for p in exchange.participants.select_related("member__person").order_by("role", "id")
            if p.pk not in exclude]


def _context(exchange: Exchange, part: ExchangeParticipant) -> dict:
    others = [_first_name(p.member.person) for p in _parts(exchange) if p.pk != part.pk]
    return {
        "what": exchange.description[:80], "bank": exchange.timebank.name, "others": ", ".join(others),
        "role": part.role,
        "when": timezone.localtime(exchange.starts_at).strftime("%Y-%m-%d %H:%M") if exchange.starts_at else "",
        "url": _link(reverse("timebank:exchange_detail", args=[exchange.timebank.slug, exchange.pk])),
    }


def matched(exchange: Exchange) -> None:
    for part in _parts(exchange):
        _send(part.member.person, "matched", _context(exchange, part))


def asked(exchange: Exchange) -> None:
    parts = _parts(exchange)
    receiver = next(p for p in parts if p.role == ExchangeParticipant.Role.RECEIVER)
    for part in parts:
        if part.role == ExchangeParticipant.Role.GIVER:
            context = _context(exchange, part) | {"name": _first_name(receiver.member.person)}
            _send(part.member.person, "asked", context)


def confirm_please(exchange: Exchange, exclude=()) -> None:
    for part in _parts(exchange, exclude):
        if part.confirmed_at is None:
            _send(part.member.person, "confirm", _context(exchange, part))


def cancelled(exchange: Exchange, exclude=()) -> None:
    for part in _parts(exchange, exclude):
        _send(part.member.person, "cancelled", _context(exchange, part) | {"reason": exchange.cancel_reason})


def unmatched_requests(banks):
    """Open requests of `banks` with no exchange under way (cancelled ones do not count)."""
    busy = Exchange.objects.exclude(state=Exchange.State.CANCELLED).filter(request__isnull=False)
    return (HelpRequest.objects.filter(member__timebank__in=banks, status=Posting.Status.OPEN)
            .exclude(pk__in=busy.values("request_id"))
            .select_related("member__person", "member__timebank", "category").order_by("created_at", "id"))


def send_digests(day=None) -> int:
    """Send each broker of each bank the list of its unmatched requests, once a day. Returns how
    many digests were sent. A broker of several banks gets one digest covering them all."""
    day = day or timezone.localdate()
    brokers: dict[int, list[Timebank]] = {}
    for bank in Timebank.objects.select_related("organisation"):
        orgs = bank.organisation.lineage_ids()
        for person_id in (Membership.objects.filter(organisation_id__in=orgs, role__in=["broker", "admin"])
                          .values_list("person_id", flat=True).distinct()):
            brokers.setdefault(person_id, []).append(bank)
    sent = 0
    people = Person.objects.in_bulk(list(brokers))
    for person_id, banks in sorted(brokers.items()):
        person = people.get(person_id)
        if person is None or not person.email or person.erased_at is not None:
            continue
        requests = list(unmatched_requests(banks))
        if not requests:
            continue
        try:
            with transaction.atomic():
                DigestSent.objects.create(person=person, day=day)
                _send(person, "digest", {
                    "count": len(requests), "day": day.isoformat(),
                    "requests": [{"bank": r.member.timebank.name, "what": r.category.label,
                                  "description": r.description[:120], "since": r.created_at.date().isoformat(),
                                  "url": _link(reverse("timebank:broker_request",
                                                       args=[r.member.timebank.slug, r.pk]))}
                                 for r in requests],
                })
        except IntegrityError:  # already sent today (another run got there first)
            continue
        sent += 1
    return sent
