"""Timebank pages. Thin: parse the request, check permission, call a service, render.

Brokers (and coordinators) of a bank see its dashboard, register people without internet and
record exchanges on members' behalf; a member sees their own statement; nobody else sees the ledger.
"""

import csv
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from coproduce.core.permissions import person_of, require
from coproduce.core.views import apply_errors, page_of

from . import exchanges, services
from .forms import ExchangeForm, PeriodForm, RegisterMemberForm
from .models import Account, Timebank, TimebankMember, Transfer


def hours(minutes: int) -> str:
    """A number of minutes for people: "-2 h 05 min"."""
    sign = "-" if minutes < 0 else ""
    h, m = divmod(abs(minutes), 60)
    return _("%(sign)s%(hours)d h %(minutes)02d min") % {"sign": sign, "hours": h, "minutes": m}


def _bank(slug) -> Timebank:
    return get_object_or_404(Timebank.objects.select_related("organisation"), slug=slug)


@require_GET
def banks(request):
    qs = Timebank.objects.select_related("organisation").annotate(
        member_count=Count("members", filter=Q(members__status=TimebankMember.Status.ACTIVE))
    )
    return render(request, "timebank/banks.html", {"banks": qs})


@require_GET
def bank(request, slug):
    timebank = _bank(slug)
    active = timebank.members.filter(status=TimebankMember.Status.ACTIVE)
    current = timebank.current_agreement()
    context = {"bank": timebank, "member_count": active.count(), "manages": False, "my_membership": None,
               "agreement": current, "administers": request.user.has_perm("timebank.change_timebank", timebank)}
    me = person_of(request.user)
    if me is not None:
        mine = context["my_membership"] = timebank.members.filter(person=me).first()
        # A new version of the member agreement: the member is asked to accept it.
        context["agreement_to_accept"] = (mine is not None and mine.is_active and current is not None
                                          and mine.agreement_version_id != current.pk)
    if request.user.has_perm("timebank.manage_timebank", timebank):
        # A page of members at a time (a bank may have hundreds): the page costs the same whatever
        # the size of the bank; `q` finds a member by name.
        members = timebank.members.select_related("person", "account").order_by("person__name", "id")
        search = request.GET.get("q", "").strip()[:100]
        if search:
            members = members.filter(person__name__icontains=search)
        page = page_of(request, members, per_page=MEMBERS_PAGE)
        for member in page.object_list:
            member.balance_label = hours(member.account.balance_minutes)
        context.update(manages=True, members=page.object_list, page=page, search=search)
    return render(request, "timebank/bank.html", context)


MEMBERS_PAGE = 25


@login_required
@require_http_methods(["GET", "POST"])
def register(request, slug):
    timebank = _bank(slug)
    require(request.user, "timebank.manage_timebank", timebank)
    agreement = timebank.current_agreement()
    form = RegisterMemberForm(request.POST or None, agreement=agreement)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            member = services.register_member(
                request.user, timebank, kind=data["kind"], consent=data["consent"],
                agreement_accepted=data.get("agreement_accepted", False), channel=data["channel"],
                is_child=data["is_child"], guardian=form.guardian(),
                name=data["name"], phone=data["phone"], postal_address=data["postal_address"],
                **({"birth_date": data["birth_date"]} if data["birth_date"] else {}),
                home_area=data["home_area"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("%(name)s is now a member.") % {"name": member.person.name})
            return redirect("timebank:statement", slug=timebank.slug, pk=member.pk)
    return render(request, "timebank/register.html", {"bank": timebank, "form": form, "agreement": agreement})


@login_required
@require_http_methods(["GET", "POST"])
def exchange(request, slug):
    timebank = _bank(slug)
    require(request.user, "timebank.manage_timebank", timebank)
    form = ExchangeForm(request.POST or None, timebank=timebank, initial=request.GET.dict() or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            exchanges.record_past(
                request.user, timebank, payer=data["payer"], payee=data["payee"], category=data["category"],
                minutes=form.total_minutes(), reason=data["reason"], occurred_on=data["occurred_on"],
                channel=data["channel"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("%(minutes)s from %(payer)s to %(payee)s recorded.") % {
                "minutes": hours(form.total_minutes()), "payer": data["payer"].person.name,
                "payee": data["payee"].person.name,
            })
            return redirect("timebank:bank", slug=timebank.slug)
    return render(request, "timebank/exchange.html", {"bank": timebank, "form": form})


# --- statements --------------------------------------------------------------------------------


@dataclass
class Line:
    date: date
    reason: str
    kind: str
    other_party: str
    minutes_in: int
    minutes_out: int
    balance: int
    pk: int | None = None  # the transfer
    correctable: bool = False  # neither a correction nor reversed already


@dataclass
class Statement:
    member: TimebankMember
    start: date | None
    end: date | None
    opening: int  # the balance before the period
    lines: list
    closing: int  # the balance at the end of the period
    total_in: int  # over the whole period
    total_out: int
    brought_forward: int | None = None  # a page of lines: the balance just before its first line
    earlier: int | None = None  # a page of lines: the transfer id to show the lines before it
    partial: bool = False  # a page of lines, not all the period's


def _other_party(account: Account) -> str:
    if account.kind == Account.Kind.MEMBER:
        return account.member.person.name
    if account.kind == Account.Kind.COMMUNITY_POT:
        return _("Community pot")
    return _("A member of another bank")


STATEMENT_PAGE = 25  # lines per page on screen; the CSV and the printed statement have them all


def _movement(account: Account):
    """Minutes into the account are positive, out of it negative."""
    from django.db.models import Case, F, When

    return Case(When(to_account=account, then=F("minutes")), default=-F("minutes"))


def statement_of(member: TimebankMember, start: date | None = None, end: date | None = None, *,
                 page_size: int | None = None, before: int | None = None) -> Statement:
    """The member's account between two dates (inclusive): the opening balance (everything before
    `start`), each transfer with its running balance, and the closing balance. Transfers are in the
    order of their dates, then the order they were recorded.

    With `page_size`, only the last `page_size` lines of the period (before the transfer `before`,
    if given) are read, with the balance brought forward to them computed in SQL: the cost of a page
    does not grow with the member's history (keyset on the two indexes of transfers by account)."""
    from django.db.models import Case, When

    account = member.account
    on_account = Q(from_account=account) | Q(to_account=account)
    history = Transfer.objects.filter(on_account).order_by()
    period = history
    if start is not None:
        period = period.filter(occurred_on__gte=start)
    if end is not None:
        period = period.filter(occurred_on__lte=end)
    sums = period.aggregate(
        total_in=Sum(Case(When(to_account=account, then="minutes"), default=0)),
        total_out=Sum(Case(When(from_account=account, then="minutes"), default=0)),
    )
    total_in, total_out = sums["total_in"] or 0, sums["total_out"] or 0
    opening = 0
    if start is not None:
        opening = history.filter(occurred_on__lt=start).aggregate(total=Sum(_movement(account)))["total"] or 0
    related = ("from_account__member__person", "to_account__member__person")
    transfers = period.select_related(*related)
    brought_forward, earlier, partial = opening, None, False
    if page_size is not None:
        cursor = history.filter(pk=before).values_list("occurred_on", "created_at", "pk").first() if before else None
        ids = period
        if cursor is not None:
            day, at, pk = cursor
            ids = ids.filter(Q(occurred_on__lt=day) | Q(occurred_on=day, created_at__lt=at)
                             | Q(occurred_on=day, created_at=at, pk__lt=pk))
        # The page's ids first (no joins: a top-N sort of the account's rows), then those rows with
        # the names of the other parties, in one statement.
        ids = ids.order_by("-occurred_on", "-created_at", "-id").values("pk")[:page_size + 1]
        page = list(Transfer.objects.filter(pk__in=ids).select_related(*related)
                    .order_by("-occurred_on", "-created_at", "-id"))
        if len(page) > page_size:
            page = page[:page_size]
            earlier = page[-1].pk
        transfers = page[::-1]
        partial = earlier is not None or cursor is not None
        if partial and transfers:
            first = transfers[0]
            brought_forward = history.filter(
                Q(occurred_on__lt=first.occurred_on)
                | Q(occurred_on=first.occurred_on, created_at__lt=first.created_at)
                | Q(occurred_on=first.occurred_on, created_at=first.created_at, pk__lt=first.pk)
            ).aggregate(total=Sum(_movement(account)))["total"] or 0
    else:
        transfers = transfers.order_by("occurred_on", "created_at", "id")
    balance, lines = brought_forward, []
    for t in transfers:
        incoming = t.to_account_id == account.pk
        balance += t.minutes if incoming else -t.minutes
        lines.append(Line(
            date=t.occurred_on, reason=t.reason, kind=t.get_kind_display(),
            other_party=_other_party(t.from_account if incoming else t.to_account),
            minutes_in=t.minutes if incoming else 0, minutes_out=0 if incoming else t.minutes, balance=balance,
            pk=t.pk, correctable=t.kind != Transfer.Kind.CORRECTION,
        ))
    return Statement(member, start, end, opening, lines, opening + total_in - total_out, total_in, total_out,
                     brought_forward=brought_forward if partial else None, earlier=earlier, partial=partial)


def _safe_cell(value):
    """Spreadsheets run cells starting with these characters as formulas: keep text as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _statement_csv(statement: Statement) -> HttpResponse:
    member = statement.member
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"statement-{member.timebank.slug}-{member.pk}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow([_("Date"), _("What for"), _("Kind"), _("Other party"), _("Minutes in"), _("Minutes out"),
                     _("Balance (minutes)")])
    writer.writerow([statement.start.isoformat() if statement.start else "", _("Opening balance"), "", "", "", "",
                     statement.opening])
    for line in statement.lines:
        writer.writerow([line.date.isoformat(), _safe_cell(line.reason), line.kind, _safe_cell(line.other_party),
                         line.minutes_in, line.minutes_out, line.balance])
    writer.writerow([statement.end.isoformat() if statement.end else "", _("Closing balance"), "", "",
                     statement.total_in, statement.total_out, statement.closing])
    return response


def _statement_context(request, slug, pk, *, paged=False):
    member = get_object_or_404(
        TimebankMember.objects.select_related("person", "account", "timebank__organisation"),
        pk=pk, timebank__slug=slug,
    )
    require(request.user, "timebank.view_member", member)
    period = PeriodForm(request.GET or None)
    start = end = None
    if period.is_valid():
        start, end = period.cleaned_data["start"], period.cleaned_data["end"]
    before = request.GET.get("before", "")
    statement = statement_of(member, start, end, page_size=STATEMENT_PAGE if paged else None,
                             before=int(before) if paged and before.isdigit() else None)
    query = request.GET.copy()
    query.pop("format", None)
    query.pop("before", None)
    manages = request.user.has_perm("timebank.manage_timebank", member.timebank)
    me = person_of(request.user)
    return member, statement, {
        "bank": member.timebank, "member": member, "statement": statement, "period": period,
        "opening_label": hours(statement.opening), "closing_label": hours(statement.closing),
        "manages": manages, "own": me is not None and me.pk == member.person_id,
        "query": query.urlencode(),
        "print_url": reverse("timebank:statement_print", args=[member.timebank.slug, member.pk]),
    }


@login_required
@require_GET
def statement(request, slug, pk):
    as_csv = request.GET.get("format") == "csv"
    _member, statement, context = _statement_context(request, slug, pk, paged=not as_csv)
    if as_csv:
        return _statement_csv(statement)
    if context["manages"]:  # brokers correct lines (reversing transfers) from the statement
        reversed_ids = set(Transfer.objects.filter(reverses__in=[line.pk for line in statement.lines])
                           .values_list("reverses_id", flat=True))
        for line in statement.lines:
            line.correctable = line.correctable and line.pk not in reversed_ids
        context["corrects"] = True
    return render(request, "timebank/statement.html", context)


@login_required
@require_GET
def statement_print(request, slug, pk):
    _member, _statement, context = _statement_context(request, slug, pk)
    return render(request, "timebank/statement_print.html", context)


# --- reports -----------------------------------------------------------------------------------


def _report_period(request):
    """The period asked for (from/to), or the last twelve months; with the form to show."""
    from . import reports

    form = PeriodForm(request.GET or None)
    period = reports.default_period(date.today())
    if form.is_valid():
        period = reports.Period(form.cleaned_data["start"] or period.start, form.cleaned_data["end"] or period.end)
    return form, period


def _month_chart(report, groups):
    from django.utils.formats import date_format

    from coproduce.outcomes import charts

    labels = [date_format(row.month, "M Y") for row in report.months]
    series = [(label, [Decimal(row.minutes.get(key, 0)) / 60 for row in report.months])
              for key, label in groups.items()]
    return charts.bar_chart(labels, series)


@login_required
@require_GET
def report(request, slug):
    """The bank's report for its brokers and coordinators."""
    from coproduce.outcomes import charts

    from . import reports

    timebank = get_object_or_404(Timebank.objects.select_related("organisation", "network"), slug=slug)
    require(request.user, "timebank.view_reports", timebank)
    form, period = _report_period(request)
    figures = reports.bank_report(timebank, period)
    return render(request, "timebank/report.html", {
        "bank": timebank, "period_form": form, "period": period, "report": figures,
        "chart": _month_chart(figures, figures.groups),
        "category_chart": charts.hbar_chart([label for label, _m, _n in figures.categories],
                                            [Decimal(minutes) / 60 for _l, minutes, _n in figures.categories]),
        "network_report": timebank.network if timebank.network and request.user.has_perm(
            "timebank.view_network_reports", timebank.network) else None,
    })


@login_required
@require_GET
def network_report(request, slug):
    """Network-wide figures for the network's coordinator: aggregates per bank, nobody named."""
    from . import reports
    from .models import Network

    network = get_object_or_404(Network, slug=slug)
    require(request.user, "timebank.view_network_reports", network)
    form, period = _report_period(request)
    figures = reports.network_report(network, period)
    return render(request, "timebank/network_report.html", {
        "network": network, "period_form": form, "period": period, "report": figures,
        "chart": _month_chart(figures, figures.groups),
    })


# --- import and export ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def import_members(request, slug):
    """Upload members as CSV: a dry run lists every bad line; a real import is all rows or none."""
    from coproduce.core.audit import Channel

    from . import csvio
    from .forms import ImportMembersForm

    timebank = _bank(slug)
    require(request.user, "timebank.import_members", timebank)
    form = ImportMembersForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = csvio.import_members(request.user, timebank, upload.read(), dry_run=form.cleaned_data["dry_run"],
                                          filename=upload.name, channel=Channel.IMPORT)
        except csvio.ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            if result.imported:
                messages.success(request, _("%(count)s members imported.") % {"count": result.imported})
    exports = [(what, fmt, reverse("timebank:export", args=[timebank.slug, what, fmt]))
               for what in csvio.WHAT for fmt in ("csv", "json")]
    return render(request, "timebank/import.html", {"bank": timebank, "form": form, "result": result,
                                                    "exports": exports})


@login_required
@require_GET
def export(request, slug, what, fmt):
    """Members or transfers of the bank as CSV or JSON (streamed)."""
    from django.http import Http404, StreamingHttpResponse

    from . import csvio

    timebank = _bank(slug)
    require(request.user, "timebank.export_data", timebank)
    if what not in csvio.WHAT or fmt not in ("csv", "json"):
        raise Http404
    content = csvio.export(request.user, timebank, what, fmt)
    response = StreamingHttpResponse(
        content, content_type="text/csv; charset=utf-8" if fmt == "csv" else "application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{timebank.slug}-{what}-{date.today().isoformat()}.{fmt}"'
    return response
