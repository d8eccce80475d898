"""Read-only views of the books: the integrity check, clearing positions and social value.

`verify()` is what `coproduce timebank verify` runs. It reads everything in one consistent snapshot
(REPEATABLE READ on PostgreSQL; SQLite transactions are snapshots already), so it can run while
exchanges are being recorded.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, F, Q, Sum

from .models import Account, Network, Timebank, Transfer


@dataclass
class Difference:
    what: str
    stored: int
    expected: int

    def __str__(self) -> str:
        return f"{self.what}: stored {self.stored}, expected {self.expected}"


@dataclass
class Report:
    accounts: int = 0
    transfers: int = 0
    banks: int = 0
    networks: int = 0
    differences: list[Difference] = field(default_factory=list)
    bank_totals: dict[str, int] = field(default_factory=dict)
    network_clearing: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.differences


def _snapshot(outermost: bool) -> None:
    """One consistent view for the whole check. Inside a caller's transaction, that one is used."""
    if outermost and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")


def verify() -> Report:
    """Check that every stored balance equals the sum of its movements, that every bank's books
    balance (its accounts, clearing included, sum to zero), that every network's clearing positions
    sum to zero, and that every cross-bank leg has its twin with the same minutes."""
    report = Report()
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        _snapshot(outermost)
        incoming = dict(Transfer.objects.values("to_account").annotate(s=Sum("minutes")).values_list("to_account", "s"))
        outgoing = dict(
            Transfer.objects.values("from_account").annotate(s=Sum("minutes")).values_list("from_account", "s")
        )
        report.transfers = Transfer.objects.count()
        banks = {bank.pk: bank for bank in Timebank.objects.select_related("network")}
        totals = dict.fromkeys(banks, 0)
        clearing: dict[int, int] = {}
        for pk, bank_id, kind, balance in Account.objects.values_list("pk", "timebank_id", "kind", "balance_minutes"):
            report.accounts += 1
            expected = incoming.get(pk, 0) - outgoing.get(pk, 0)
            if balance != expected:
                report.differences.append(Difference(f"account {pk} ({kind}, bank {banks[bank_id].slug})",
                                                     balance, expected))
            totals[bank_id] += balance
            if kind == Account.Kind.CLEARING:
                clearing[bank_id] = balance
        for bank_id, total in totals.items():
            report.bank_totals[banks[bank_id].slug] = total
            if total != 0:
                report.differences.append(Difference(f"bank {banks[bank_id].slug} books", total, 0))
        # A transfer must stay within one bank's books.
        crossing = Transfer.objects.filter(
            ~Q(from_account__timebank=F("timebank")) | ~Q(to_account__timebank=F("timebank"))
        ).count()
        if crossing:
            report.differences.append(Difference("transfers between accounts of different banks", crossing, 0))
        # Cross-bank legs come in linked pairs of equal minutes.
        unpaired = Transfer.objects.filter(kind=Transfer.Kind.CROSS_BANK).annotate(
            twins=Count("linked_from")
        ).filter(linked__isnull=True, twins=0).count()
        mismatched = Transfer.objects.filter(linked__isnull=False).exclude(minutes=F("linked__minutes")).count()
        if unpaired:
            report.differences.append(Difference("cross-bank legs without their twin", unpaired, 0))
        if mismatched:
            report.differences.append(Difference("linked legs with different minutes", mismatched, 0))
        for network in Network.objects.all():
            positions = {banks[b].slug: clearing.get(b, 0) for b in banks if banks[b].network_id == network.pk}
            report.network_clearing[network.slug] = positions
            total = sum(positions.values())
            if total != 0:
                report.differences.append(Difference(f"network {network.slug} clearing positions", total, 0))
        # Banks that left a network keep their (settled) clearing account; an unsettled one is a difference.
        for bank_id, balance in clearing.items():
            if banks[bank_id].network_id is None and balance != 0:
                report.differences.append(Difference(f"bank {banks[bank_id].slug} clearing outside a network",
                                                     balance, 0))
        report.banks, report.networks = len(banks), len(report.network_clearing)
    return report


def clearing_positions(network: Network) -> dict[str, int]:
    """Each bank's position towards the rest of its network, in minutes. Positive: the bank's members
    have received more time from other banks than they gave (the bank owes the network)."""
    return dict(
        Account.objects.filter(timebank__network=network, kind=Account.Kind.CLEARING)
        .order_by("timebank__slug").values_list("timebank__slug", "balance_minutes")
    )


def social_value(timebank: Timebank, since=None, until=None) -> dict:
    """Hours given between members in a period and what they are worth (low and high estimates, in
    minor units of the bank's currency). Corrections are netted out; donations are not time given."""
    exchanges = Transfer.objects.filter(
        timebank=timebank, kind__in=[Transfer.Kind.EXCHANGE, Transfer.Kind.CROSS_BANK], to_account__kind="member"
    )
    corrections = Transfer.objects.filter(
        timebank=timebank, kind=Transfer.Kind.CORRECTION,
        reverses__kind__in=[Transfer.Kind.EXCHANGE, Transfer.Kind.CROSS_BANK], from_account__kind="member",
    )
    if since is not None:
        exchanges = exchanges.filter(occurred_on__gte=since)
        corrections = corrections.filter(reverses__occurred_on__gte=since)
    if until is not None:
        exchanges = exchanges.filter(occurred_on__lte=until)
        corrections = corrections.filter(reverses__occurred_on__lte=until)
    minutes = (exchanges.aggregate(s=Sum("minutes"))["s"] or 0) - (corrections.aggregate(s=Sum("minutes"))["s"] or 0)
    hours = Decimal(minutes) / 60
    return {
        "minutes": minutes,
        "currency": timebank.currency,
        "value_low": (hours * timebank.hourly_value_low).quantize(Decimal("1")),
        "value_high": (hours * timebank.hourly_value_high).quantize(Decimal("1")),
    }
