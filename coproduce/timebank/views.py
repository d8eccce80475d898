"""Timebank pages. Thin: parse the request, check permission, call a service, render.

Brokers (and coordinators) of a bank see its dashboard, register people without internet and
record exchanges on members' behalf; a member sees their own statement; nobody else sees the ledger.
"""

import csv
from dataclasses import dataclass
from datetime import date

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
from coproduce.core.views import apply_errors

from . import services
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
    context = {"bank": timebank, "member_count": active.count(), "manages": False, "my_membership": None}
    me = person_of(request.user)
    if me is not None:
        context["my_membership"] = timebank.members.filter(person=me).first()
    if request.user.has_perm("timebank.manage_timebank", timebank):
        members = list(timebank.members.select_related("person", "account").order_by("person__name", "id"))
        for member in members:
            member.balance_label = hours(member.account.balance_minutes)
        context.update(manages=True, members=members)
    return render(request, "timebank/bank.html", context)


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
                name=data["name"], phone=data["phone"], postal_address=data["postal_address"],
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
            services.transfer(
                request.user, data["payer"], data["payee"], form.total_minutes(), data["reason"],
                timebank=timebank, occurred_on=data["occurred_on"], channel=data["channel"],
                on_behalf_of=data["payer"].person,
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


@dataclass
class Statement:
    member: TimebankMember
    start: date | None
    end: date | None
    opening: int
    lines: list
    closing: int
    total_in: int
    total_out: int


def _other_party(account: Account) -> str:
    if account.kind == Account.Kind.MEMBER:
        return account.member.person.name
    if account.kind == Account.Kind.COMMUNITY_POT:
        return _("Community pot")
    return _("A member of another bank")


def statement_of(member: TimebankMember, start: date | None = None, end: date | None = None) -> Statement:
    """The member's account between two dates (inclusive): the opening balance (everything before
    `start`), each transfer with its running balance, and the closing balance. Transfers are in the
    order of their dates, then the order they were recorded."""
    account = member.account
    on_account = Q(from_account=account) | Q(to_account=account)
    opening = 0
    if start is not None:
        before = Transfer.objects.filter(on_account, occurred_on__lt=start)
        received = before.filter(to_account=account).aggregate(total=Sum("minutes"))["total"] or 0
        paid = before.filter(from_account=account).aggregate(total=Sum("minutes"))["total"] or 0
        opening = received - paid
    transfers = Transfer.objects.filter(on_account).select_related(
        "from_account__member__person", "to_account__member__person"
    ).order_by("occurred_on", "created_at", "id")
    if start is not None:
        transfers = transfers.filter(occurred_on__gte=start)
    if end is not None:
        transfers = transfers.filter(occurred_on__lte=end)
    balance, lines, total_in, total_out = opening, [], 0, 0
    for t in transfers:
        incoming = t.to_account_id == account.pk
        balance += t.minutes if incoming else -t.minutes
        total_in += t.minutes if incoming else 0
        total_out += 0 if incoming else t.minutes
        lines.append(Line(
            date=t.occurred_on, reason=t.reason, kind=t.get_kind_display(),
            other_party=_other_party(t.from_account if incoming else t.to_account),
            minutes_in=t.minutes if incoming else 0, minutes_out=0 if incoming else t.minutes, balance=balance,
        ))
    return Statement(member, start, end, opening, lines, balance, total_in, total_out)


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


def _statement_context(request, slug, pk):
    member = get_object_or_404(
        TimebankMember.objects.select_related("person", "account", "timebank__organisation"),
        pk=pk, timebank__slug=slug,
    )
    require(request.user, "timebank.view_member", member)
    period = PeriodForm(request.GET or None)
    start = end = None
    if period.is_valid():
        start, end = period.cleaned_data["start"], period.cleaned_data["end"]
    statement = statement_of(member, start, end)
    query = request.GET.copy()
    query.pop("format", None)
    return member, statement, {
        "bank": member.timebank, "member": member, "statement": statement, "period": period,
        "opening_label": hours(statement.opening), "closing_label": hours(statement.closing),
        "manages": request.user.has_perm("timebank.manage_timebank", member.timebank),
        "query": query.urlencode(),
        "print_url": reverse("timebank:statement_print", args=[member.timebank.slug, member.pk]),
    }


@login_required
@require_GET
def statement(request, slug, pk):
    _member, statement, context = _statement_context(request, slug, pk)
    if request.GET.get("format") == "csv":
        return _statement_csv(statement)
    return render(request, "timebank/statement.html", context)


@login_required
@require_GET
def statement_print(request, slug, pk):
    _member, _statement, context = _statement_context(request, slug, pk)
    return render(request, "timebank/statement_print.html", context)
