"""Bank and network reports: hours exchanged by month and kind, active members, members who only
give or only receive, flows between the banks of a network, and the social value as a range.

Every figure is an SQL aggregate (GROUP BY) over the ledger; Python only arranges the grouped rows
(at most months x kinds, one row per member, or one per pair of banks), never the transfers.

What counts as an exchange: transfers of kind *exchange* and *cross-bank* (donations, opening
balances and corrections are not time given), dated in the period, and not reversed by a correction
(a reversed exchange did not happen). In a bank's books each exchange its members took part in is
one row: an exchange inside the bank, or the bank's leg of a cross-bank exchange, which is either
help *given* by one of its members to a member of another bank or help *received* from one.
Network-wide, an exchange is counted once, in the bank of the member who gave the help.

The breakdown is by *flow* (within the bank / given to another bank / received from another bank)
and by *category*: the category of the exchange whose crediting wrote the transfer (the payer's leg
links to the exchange; a cross-bank payee's leg through its twin). Transfers recorded directly (by a
broker's form or the API) have no category. Either is one more name in `group_by`.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Q, Sum, Value, When
from django.db.models.functions import Coalesce, TruncMonth
from django.utils.translation import gettext_lazy as _

from .models import Account, Category, Network, Timebank, TimebankMember, Transfer

GIVING = (Transfer.Kind.EXCHANGE, Transfer.Kind.CROSS_BANK)

WITHIN, GIVEN, RECEIVED = "within", "given", "received"
FLOWS = {
    WITHIN: _("Between members of the bank"),
    GIVEN: _("Given to members of other banks"),
    RECEIVED: _("Received from members of other banks"),
}

# In a bank's books: which way the time went, from the transfer row alone.
FLOW = Case(
    When(kind=Transfer.Kind.EXCHANGE, then=Value(WITHIN)),
    When(to_account__kind=Account.Kind.MEMBER, then=Value(GIVEN)),
    default=Value(RECEIVED),
    output_field=CharField(),
)

# The category of the exchange a transfer credits (the payer's leg links to it; the payee's leg of a
# cross-bank exchange links to the payer's leg).
CATEGORY = Coalesce(F("exchange_link__exchange__category"), F("linked__exchange_link__exchange__category"))
ANNOTATIONS = {"flow": FLOW, "category": CATEGORY}


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def months(self) -> list[date]:
        """The first day of every month the period touches, in order."""
        months, day = [], self.start.replace(day=1)
        while day <= self.end:
            months.append(day)
            day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
        return months


def default_period(today: date) -> Period:
    """The last twelve months: from the first day of the month eleven months ago until today."""
    month = today.month - 11
    year = today.year + (month - 1) // 12
    return Period(date(year, (month - 1) % 12 + 1, 1), today)


def exchanges(period: Period, **filters):
    """The exchanges of the period (see the module docstring), further filtered by `filters`."""
    # NOT EXISTS rather than a LEFT JOIN ... IS NULL on `reversed_by`: PostgreSQL estimates the anti-join
    # well (the outer-join form is estimated at one row and planned as a nested loop over 100k rows).
    reversed_ = Transfer.objects.filter(reverses=OuterRef("pk"))
    return Transfer.objects.filter(
        ~Exists(reversed_), kind__in=GIVING, occurred_on__gte=period.start, occurred_on__lte=period.end, **filters,
    ).order_by()


def _grouped(qs, group_by):
    """Annotate only the groupings asked for (each costs joins)."""
    return qs.annotate(**{name: ANNOTATIONS[name] for name in group_by if name in ANNOTATIONS})


def minutes_by_month(period: Period, *, group_by=("flow",), **filters) -> list[dict]:
    """One row per month and group: {"month", *group_by, "minutes", "exchanges"}. `group_by` names
    annotations ("flow", "category") or fields of a transfer ("timebank_id"): each is one more GROUP BY."""
    return list(
        _grouped(exchanges(period, **filters).annotate(month=TruncMonth("occurred_on")), group_by)
        .values("month", *group_by).annotate(minutes=Sum("minutes"), exchanges=Count("id"))
        .order_by("month", *group_by)
    )


def by_category(period: Period, **filters) -> tuple[list[tuple[str, int, int]], "MonthTable"]:
    """(category label, minutes, exchanges) for the period, most hours first, and the same hours month
    by month (a `MonthTable` with one column per category, in that order); "Not categorised" for
    transfers recorded without an exchange. Two queries."""
    rows = minutes_by_month(period, group_by=("category",), **filters)
    names = {c.pk: c.label for c in Category.objects.filter(pk__in={r["category"] for r in rows if r["category"]})}
    uncategorised = str(_("Not categorised"))
    totals: dict[str, list[int]] = {}
    for row in rows:
        row["category"] = names.get(row["category"], uncategorised) if row["category"] else uncategorised
        figures = totals.setdefault(row["category"], [0, 0])
        figures[0] += row["minutes"]
        figures[1] += row["exchanges"]
    categories = sorted(((label, minutes, count) for label, (minutes, count) in totals.items()),
                        key=lambda line: (-line[1], line[0]))
    labels = [label for label, _minutes, _count in categories]
    months = _month_rows(period, rows, "category", labels)
    return categories, MonthTable(groups={label: label for label in labels}, months=months,
                                  totals={label: minutes for label, minutes, _count in categories})


def member_activity(period: Period, **filters) -> dict[int, list[int]]:
    """{member id: [minutes given, minutes received, exchanges given, exchanges received]} for every
    member who took part in an exchange of the period: two GROUP BY queries."""
    activity: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    qs = exchanges(period, **filters)
    for member_id, minutes, count in (
        qs.filter(to_account__kind=Account.Kind.MEMBER).values("to_account__member_id")
        .annotate(minutes=Sum("minutes"), n=Count("id")).values_list("to_account__member_id", "minutes", "n")
    ):
        activity[member_id][0] += minutes
        activity[member_id][2] += count
    for member_id, minutes, count in (
        qs.filter(from_account__kind=Account.Kind.MEMBER).values("from_account__member_id")
        .annotate(minutes=Sum("minutes"), n=Count("id")).values_list("from_account__member_id", "minutes", "n")
    ):
        activity[member_id][1] += minutes
        activity[member_id][3] += count
    return dict(activity)


def bank_flows(period: Period, condition: Q) -> list[dict]:
    """Help given across banks: {"giver_bank", "receiver_bank", "minutes", "exchanges"} per pair of
    banks, from the linked legs of cross-bank exchanges. The payee's leg (in the giver's bank) is
    the one that links to the payer's leg (in the receiver's bank). `condition` picks the legs."""
    return list(
        exchanges(period, kind=Transfer.Kind.CROSS_BANK, linked__isnull=False).filter(condition)
        .values("timebank__name", "linked__timebank__name")
        .annotate(minutes=Sum("minutes"), exchanges=Count("id"))
        .values_list("timebank__name", "linked__timebank__name", "minutes", "exchanges")
        .order_by("timebank__name", "linked__timebank__name")
    )


# --- what the pages show -------------------------------------------------------------------------


@dataclass
class SocialValue:
    """Hours given × the bank's hourly values, as a range, in major units of its currency."""

    minutes: int
    currency: str
    rate_low: Decimal
    rate_high: Decimal
    low: Decimal
    high: Decimal

    @property
    def hours(self) -> Decimal:
        return (Decimal(self.minutes) / 60).quantize(Decimal("0.1"))


def social_value(minutes: int, timebank: Timebank) -> SocialValue:
    hours = Decimal(minutes) / 60
    cent = Decimal("0.01")
    rate_low, rate_high = timebank.hourly_value_low / 100, timebank.hourly_value_high / 100
    return SocialValue(minutes, timebank.currency, rate_low.quantize(cent), rate_high.quantize(cent),
                       (hours * rate_low).quantize(cent), (hours * rate_high).quantize(cent))


@dataclass
class MonthRow:
    month: date
    minutes: dict[str, int]  # by group (flow), zero where nothing happened
    exchanges: int = 0

    @property
    def total(self) -> int:
        return sum(self.minutes.values())


@dataclass
class MonthTable:
    """Hours by month in columns (`_month_table.html`): column key -> label, rows, column totals."""
    groups: dict[str, str]
    months: list[MonthRow]
    totals: dict[str, int]


@dataclass
class MemberFigure:
    member: TimebankMember
    given: int
    received: int
    exchanges: int


@dataclass
class BankReport:
    bank: Timebank
    period: Period
    groups: dict[str, str]  # group key -> label, in order
    months: list[MonthRow]
    totals: dict[str, int]
    exchanges: int
    members: int  # active members of the bank now
    active: int  # members who gave or received in the period
    only_give: list[MemberFigure]
    only_receive: list[MemberFigure]
    flows: list[tuple[str, str, int, int]]
    value: SocialValue
    categories: list[tuple[str, int, int]] = field(default_factory=list)
    category_months: MonthTable | None = None  # the categories' hours month by month

    @property
    def total(self) -> int:
        return sum(self.totals.values())


def _month_rows(period: Period, rows, key: str, groups) -> list[MonthRow]:
    months = {m: MonthRow(m, dict.fromkeys(groups, 0)) for m in period.months()}
    for row in rows:
        month = row["month"]
        month = month.date() if hasattr(month, "date") else month  # a datetime on some backends
        line = months[month]
        line.minutes[row[key]] = line.minutes.get(row[key], 0) + row["minutes"]
        line.exchanges += row["exchanges"]
    return list(months.values())


def bank_report(timebank: Timebank, period: Period) -> BankReport:
    """Everything the bank's report page shows. Eight queries, whatever the size of the books."""
    rows = minutes_by_month(period, group_by=("flow",), timebank=timebank)
    months = _month_rows(period, rows, "flow", FLOWS)
    totals = dict.fromkeys(FLOWS, 0)
    for row in rows:
        totals[row["flow"]] += row["minutes"]
    activity = member_activity(period, timebank=timebank)
    only_give = {pk for pk, (given, received, _g, _r) in activity.items() if given and not received}
    only_receive = {pk for pk, (given, received, _g, _r) in activity.items() if received and not given}
    named = {m.pk: m for m in TimebankMember.objects.filter(pk__in=only_give | only_receive)
             .select_related("person", "account")}

    def figures(ids):
        found = [MemberFigure(named[pk], activity[pk][0], activity[pk][1], activity[pk][2] + activity[pk][3])
                 for pk in ids if pk in named]
        return sorted(found, key=lambda f: (-(f.given + f.received), f.member.person.name, f.member.pk))

    flows = bank_flows(period, Q(timebank=timebank) | Q(linked__timebank=timebank))
    categories, category_months = by_category(period, timebank=timebank)
    return BankReport(
        bank=timebank, period=period, groups=dict(FLOWS), months=months, totals=totals,
        exchanges=sum(row["exchanges"] for row in rows),
        members=timebank.members.filter(status=TimebankMember.Status.ACTIVE).count(),
        active=len(activity), only_give=figures(only_give), only_receive=figures(only_receive), flows=flows,
        value=social_value(totals[WITHIN] + totals[GIVEN], timebank),
        categories=categories, category_months=category_months,
    )


@dataclass
class BankLine:
    bank: Timebank
    given: int = 0  # minutes given by the bank's members (within the bank and to other banks)
    active: int = 0
    only_give: int = 0
    only_receive: int = 0
    clearing: int = 0
    value: SocialValue | None = None


@dataclass
class NetworkReport:
    network: Network
    period: Period
    groups: dict[str, str]  # bank slug -> name
    months: list[MonthRow]
    banks: list[BankLine] = field(default_factory=list)
    flows: list[tuple[str, str, int, int]] = field(default_factory=list)

    @property
    def given(self) -> int:
        return sum(line.given for line in self.banks)

    @property
    def value_low(self) -> dict[str, Decimal]:
        return self._value("low")

    @property
    def value_high(self) -> dict[str, Decimal]:
        return self._value("high")

    def _value(self, which: str) -> dict[str, Decimal]:
        """Summed per currency (banks of a network may count in different currencies)."""
        total: dict[str, Decimal] = {}
        for line in self.banks:
            total[line.value.currency] = total.get(line.value.currency, Decimal(0)) + getattr(line.value, which)
        return total


def network_report(network: Network, period: Period) -> NetworkReport:
    """Network-wide figures, each exchange counted once (in the bank of the member who gave the
    help), per bank. No member is named: the network's coordinator sees aggregates only."""
    banks = list(Timebank.objects.filter(network=network).order_by("name", "pk"))
    slugs = {bank.pk: bank.slug for bank in banks}
    rows = minutes_by_month(period, group_by=("timebank_id",), timebank__network=network,
                            to_account__kind=Account.Kind.MEMBER)
    for row in rows:
        row["bank"] = slugs[row["timebank_id"]]
    report = NetworkReport(network, period, {bank.slug: bank.name for bank in banks},
                           _month_rows(period, rows, "bank", [bank.slug for bank in banks]))
    lines = {bank.pk: BankLine(bank) for bank in banks}
    for row in rows:
        lines[row["timebank_id"]].given += row["minutes"]
    # Activity per member, then counted per bank (one row per member, never per transfer).
    member_bank = dict(TimebankMember.objects.filter(timebank__network=network).values_list("pk", "timebank_id"))
    for member_id, (given, received, _g, _r) in member_activity(period, timebank__network=network).items():
        line = lines.get(member_bank.get(member_id))
        if line is None:
            continue
        line.active += 1
        line.only_give += bool(given and not received)
        line.only_receive += bool(received and not given)
    for bank_id, balance in Account.objects.filter(
        timebank__network=network, kind=Account.Kind.CLEARING
    ).values_list("timebank_id", "balance_minutes"):
        lines[bank_id].clearing = balance
    for line in lines.values():
        line.value = social_value(line.given, line.bank)
    report.banks = list(lines.values())
    report.flows = bank_flows(period, Q(timebank__network=network))
    return report
