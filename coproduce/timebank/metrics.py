"""The timebank's platform metrics, for outcome indicators and the social value report."""

from datetime import date

from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from coproduce.outcomes.metrics import organisation_ids, register

from .models import Account, Transfer

GIVING = (Transfer.Kind.EXCHANGE, Transfer.Kind.CROSS_BANK)


def _exchanges(organisation, start: date, end: date):
    """Transfers that pay a member for help given, in banks of the organisation (or its parts), once
    per exchange: a cross-bank exchange counts in the bank whose member gave the help."""
    return Transfer.objects.filter(
        timebank__organisation_id__in=organisation_ids(organisation), kind__in=GIVING,
        to_account__kind=Account.Kind.MEMBER, occurred_on__gte=start, occurred_on__lt=end,
        reverses__isnull=True, reversed_by__isnull=True,
    )


def minutes_exchanged(organisation, start: date, end: date) -> int:
    return _exchanges(organisation, start, end).aggregate(total=Sum("minutes"))["total"] or 0


def active_members(organisation, start: date, end: date) -> int:
    """Members who gave or received help in the period."""
    exchanges = _exchanges(organisation, start, end)
    givers = set(exchanges.values_list("to_account__member_id", flat=True))
    receivers = set(
        exchanges.filter(~Q(from_account__member_id=None)).values_list("from_account__member_id", flat=True)
    )
    return len(givers | receivers)


def register_metrics() -> None:
    register("timebank.hours_exchanged", _("Hours exchanged in timebanks"), minutes_exchanged, kind="hours",
             unit=_("hours"), description=_("Time members gave each other, counted once per exchange."))
    register("timebank.active_members", _("Active timebank members"), active_members, unit=_("people"),
             counts_people=True, description=_("Members who gave or received help in the period."))
