"""Standing donations: a member regularly gives N minutes a month to a group or the community pot.

`set_up` and `stop` are services (the member, or a broker on their behalf). `run_due(period)` gives
every active donation its month's transfer through `services.donate`, at most once per donation
and month (a `StandingDonationRun` row, unique per month, is written in the same transaction as the
transfer), so running it twice, or from two processes, gives once. A donation the ledger refuses
(the donor's overdraft limit) is recorded with the reason and not retried that month.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core.audit import Channel
from coproduce.core.permissions import require

from . import services
from .models import StandingDonation, StandingDonationRun, TimebankMember
from .trust import _channel, _record


@transaction.atomic
def set_up(actor, member: TimebankMember, minutes: int, *, to: TimebankMember | None = None, reason: str = "",
           channel=Channel.WEB) -> StandingDonation:
    require(actor, "timebank.pay_from", member)
    _channel(channel)
    minutes = services._whole_minutes(minutes, "minutes")
    if minutes > 100 * 60:
        raise ValidationError({"minutes": [_("A standing donation is at most 100 hours a month.")]})
    if to is not None and (to.timebank_id != member.timebank_id or to.pk == member.pk):
        raise ValidationError({"to": [_("Choose another member of the same bank, or the community pot.")]})
    donation = StandingDonation.objects.create(member=member, to=to, minutes=minutes, reason=(reason or "").strip()[:200],
                                               created_by=actor if actor and actor.pk else None)
    _record(actor, "timebank.standing_donation.set_up", donation, member, channel,
            {"minutes": minutes, "to": "community_pot" if to is None else to.pk})
    return donation


@transaction.atomic
def stop(actor, donation: StandingDonation, *, channel=Channel.WEB) -> StandingDonation:
    require(actor, "timebank.pay_from", donation.member)
    _channel(channel)
    donation = (StandingDonation.objects.select_for_update(of=("self",))
                .select_related("member__timebank__organisation", "member__person").get(pk=donation.pk))
    if not donation.active:
        raise ValidationError({"donation": [_("This standing donation has already stopped.")]})
    donation.active = False
    donation.save(update_fields=["active"])
    _record(actor, "timebank.standing_donation.stop", donation, donation.member, channel)
    return donation


def period_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def run_due(day: date | None = None) -> dict:
    """Give this month's standing donations that have not run yet. Returns counts."""
    day = day or timezone.localdate()
    period = period_of(day)
    counts = {"given": 0, "refused": 0, "already": 0}
    due = (StandingDonation.objects.filter(active=True, starts_on__lte=day)
           .exclude(runs__period=period).select_related("member__timebank__organisation", "member__person", "to"))
    for donation in due:
        try:
            with transaction.atomic():
                run = StandingDonationRun.objects.create(donation=donation, period=period)
                try:
                    with transaction.atomic():
                        run.transfer = services.donate(
                            None, donation.member, donation.minutes,
                            donation.reason or _("Monthly standing donation"), to=donation.to,
                            occurred_on=min(day, timezone.localdate()), channel=Channel.SYSTEM,
                            authorised_by=donation)
                    counts["given"] += 1
                except ValidationError as exc:
                    run.error = " ".join(m for ms in exc.message_dict.values() for m in ms)[:300]
                    counts["refused"] += 1
                run.save(update_fields=["transfer", "error"])
        except IntegrityError:  # another run got there first
            counts["already"] += 1
    return counts
