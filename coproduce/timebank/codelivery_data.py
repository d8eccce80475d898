"""Personal data held by co-delivery (registered in `apps.py` with `core.personal_data`).

Export: a member's offers, requests, exchanges (their part), the expenses agreed for those exchanges,
their standing donations (to "the community pot" or "a member", not naming them), weekly availability
and opt-outs. The
trust record (references, checks, broker notes) is kept by the bank's brokers and is not shown to
members (see `permissions.py`): the export says how many such records exist and whom to ask.

Erasure: availability, opt-outs and the whole trust record are deleted; the descriptions of their
offers, requests and exchanges are blanked and their postings closed; exchanges still under way
are cancelled; who agreed an expense on their exchanges is blanked; standing donations from or to them
stop (inactive). Exchange rows and their credited transfers stay, so the books still balance.
"""

from django.utils import timezone

from coproduce.core.models import Person

from .models import (
    AvailabilityWindow,
    BrokerNote,
    Exchange,
    ExchangeParticipant,
    Expense,
    HelpRequest,
    Offer,
    OptOut,
    Posting,
    Reference,
    SafeguardingCheck,
    StandingDonation,
)

ERASED = "[erased]"


def export(person: Person) -> dict:
    def posting(p):
        return {"id": p.pk, "timebank": p.member.timebank.name, "category": p.category.slug,
                "description": p.description, "status": p.status, "regular": p.regular,
                "created_at": p.created_at.isoformat(), "recorded_on_your_behalf": p.on_behalf}

    parts = ExchangeParticipant.objects.filter(member__person=person).select_related("exchange__timebank")
    return {
        "offers": [posting(o) for o in Offer.objects.filter(member__person=person).select_related(
            "member__timebank", "category")],
        "requests": [posting(r) | {"starts_at": r.starts_at.isoformat() if r.starts_at else None}
                     for r in HelpRequest.objects.filter(member__person=person).select_related(
                         "member__timebank", "category")],
        "exchanges": [{"id": p.exchange_id, "timebank": p.exchange.timebank.name,
                       "description": p.exchange.description, "state": p.exchange.state, "role": p.role,
                       "minutes": p.minutes,
                       "confirmed_at": p.confirmed_at.isoformat() if p.confirmed_at else None} for p in parts],
        "expenses": [{"exchange": x.exchange_id, "what": x.what, "estimated_amount": str(x.estimated_amount),
                      "currency": x.currency, "agreed_by": x.agreed_by, "agreed_at": x.agreed_at.isoformat()}
                     for x in Expense.objects.filter(exchange__participants__member__person=person).distinct()],
        "standing_donations": [{"id": d.pk, "timebank": d.member.timebank.name, "minutes_a_month": d.minutes,
                                "to": "a member" if d.to_id else "the community pot", "reason": d.reason,
                                "active": d.active, "from": d.starts_on.isoformat()}
                               for d in StandingDonation.objects.filter(member__person=person).select_related(
                                   "member__timebank")],
        "availability": [{"weekday": w.weekday, "from": w.start.isoformat(), "until": w.end.isoformat()}
                         for w in AvailabilityWindow.objects.filter(member__person=person)],
        "opt_outs": [{"from": o.starts_on.isoformat(), "until": o.ends_on.isoformat(), "reason": o.reason}
                     for o in OptOut.objects.filter(member__person=person)],
        "trust_record": {
            "references": Reference.objects.filter(member__person=person).count(),
            "safeguarding_checks": SafeguardingCheck.objects.filter(member__person=person).count(),
            "broker_notes": BrokerNote.objects.filter(member__person=person).count(),
            "how_to_see_them": "Kept by your timebank's brokers; ask your timebank for a copy.",
        },
    }


def erase(person: Person) -> None:
    """Called by `core.services.erase_person` in its transaction."""
    for model in (AvailabilityWindow, OptOut, Reference, SafeguardingCheck, BrokerNote):
        model.objects.filter(member__person=person).delete()
    for model in (Offer, HelpRequest):
        model.objects.filter(member__person=person).update(description=ERASED, status=Posting.Status.CLOSED)
    mine = Exchange.objects.filter(participants__member__person=person)
    Exchange.objects.filter(pk__in=mine.values("pk")).exclude(
        state__in=[Exchange.State.CREDITED, Exchange.State.CANCELLED]).update(
        state=Exchange.State.CANCELLED, cancelled_at=timezone.now(), cancel_reason=ERASED)
    Exchange.objects.filter(pk__in=mine.values("pk")).update(description=ERASED)
    Expense.objects.filter(exchange__in=mine.values("pk")).update(agreed_by="")
    StandingDonation.objects.filter(member__person=person).update(active=False, reason="")
    StandingDonation.objects.filter(to__person=person).update(active=False)
