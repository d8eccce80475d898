"""Timebank API for reports, imports and exports (added to `timebank.api`'s router).

- `GET /timebanks/{slug}/report?start=&end=`: the bank report's figures (brokers and coordinators).
- `GET /timebank-networks/{slug}/report?start=&end=`: network-wide figures (the network's coordinator).
- `POST /timebanks/{slug}/imports` `{"csv", "dry_run"?, "filename"?}`: import members; 200 with every
  line's outcome, or 400 `invalid` with `fields` keyed `line N` when any line is bad (nothing written).
- `GET /timebanks/{slug}/exports/{members|offers|transfers}?format=csv|json`: the file, streamed.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from coproduce.core.audit import Channel
from coproduce.core.permissions import require

from . import csvio, reports
from .models import Network, Timebank

router = Router(tags=["timebank"])


class MonthOut(Schema):
    month: date
    minutes: dict[str, int]
    exchanges: int


class MemberFigureOut(Schema):
    member: int
    name: str
    given_minutes: int
    received_minutes: int


class FlowOut(Schema):
    giver_bank: str
    receiver_bank: str
    minutes: int
    exchanges: int


class ValueOut(Schema):
    minutes: int
    currency: str
    hourly_value_low: Decimal
    hourly_value_high: Decimal
    low: Decimal
    high: Decimal


class CategoryOut(Schema):
    category: str
    minutes: int
    exchanges: int


class ReportOut(Schema):
    timebank: str
    start: date
    end: date
    months: list[MonthOut]
    totals: dict[str, int]
    exchanges: int
    members: int
    active_members: int
    only_give: list[MemberFigureOut]
    only_receive: list[MemberFigureOut]
    flows: list[FlowOut]
    categories: list[CategoryOut]
    social_value: ValueOut


class BankLineOut(Schema):
    timebank: str
    given_minutes: int
    active_members: int
    only_give: int
    only_receive: int
    clearing_minutes: int
    social_value: ValueOut


class NetworkReportOut(Schema):
    network: str
    start: date
    end: date
    months: list[MonthOut]
    banks: list[BankLineOut]
    flows: list[FlowOut]


class ImportIn(Schema):
    csv: str = Field(..., max_length=csvio.MAX_BYTES)
    dry_run: bool = False
    filename: str = ""


class LineOut(Schema):
    line: int
    name: str
    member: int | None
    problems: list[str]


class ImportOut(Schema):
    dry_run: bool
    imported: int
    lines: list[LineOut]


def _period(start: date | None, end: date | None) -> reports.Period:
    default = reports.default_period(date.today())
    period = reports.Period(start or default.start, end or default.end)
    if period.start > period.end:
        raise ValidationError({"end": ["The end must not be before the start."]})
    return period


def _value(value: reports.SocialValue) -> dict:
    return {"minutes": value.minutes, "currency": value.currency, "hourly_value_low": value.rate_low,
            "hourly_value_high": value.rate_high, "low": value.low, "high": value.high}


def _flows(flows) -> list[dict]:
    return [{"giver_bank": g, "receiver_bank": r, "minutes": m, "exchanges": n} for g, r, m, n in flows]


def _months(months) -> list[dict]:
    return [{"month": row.month, "minutes": row.minutes, "exchanges": row.exchanges} for row in months]


@router.get("/timebanks/{slug}/report", response=ReportOut)
def bank_report(request, slug: str, start: date | None = None, end: date | None = None):
    bank = get_object_or_404(Timebank.objects.select_related("organisation"), slug=slug)
    require(request.user, "timebank.view_reports", bank)
    report = reports.bank_report(bank, _period(start, end))

    def people(figures):
        return [{"member": f.member.pk, "name": f.member.person.name, "given_minutes": f.given,
                 "received_minutes": f.received} for f in figures]

    return {
        "timebank": bank.slug, "start": report.period.start, "end": report.period.end,
        "months": _months(report.months), "totals": report.totals, "exchanges": report.exchanges,
        "members": report.members, "active_members": report.active, "only_give": people(report.only_give),
        "only_receive": people(report.only_receive), "flows": _flows(report.flows),
        "categories": [{"category": c, "minutes": m, "exchanges": n} for c, m, n in report.categories],
        "social_value": _value(report.value),
    }


@router.get("/timebank-networks/{slug}/report", response=NetworkReportOut)
def network_report(request, slug: str, start: date | None = None, end: date | None = None):
    network = get_object_or_404(Network, slug=slug)
    require(request.user, "timebank.view_network_reports", network)
    report = reports.network_report(network, _period(start, end))
    return {
        "network": network.slug, "start": report.period.start, "end": report.period.end,
        "months": _months(report.months), "flows": _flows(report.flows),
        "banks": [{"timebank": line.bank.slug, "given_minutes": line.given, "active_members": line.active,
                   "only_give": line.only_give, "only_receive": line.only_receive,
                   "clearing_minutes": line.clearing, "social_value": _value(line.value)} for line in report.banks],
    }


@router.post("/timebanks/{slug}/imports", response=ImportOut)
def import_members(request, slug: str, payload: ImportIn):
    bank = get_object_or_404(Timebank.objects.select_related("organisation"), slug=slug)
    try:
        result = csvio.import_members(request.user, bank, payload.csv, dry_run=payload.dry_run,
                                      filename=payload.filename, channel=Channel.API)
    except csvio.ImportFileError as exc:
        raise ValidationError({"csv": [str(exc)]}) from None
    if not result.ok:
        fields: dict[str, list[str]] = {}
        for problem in result.problems:
            fields.setdefault(f"line {problem.line}", []).append(
                f"{problem.column}: {problem.message}" if problem.column else problem.message)
        raise ValidationError(fields)
    return {"dry_run": result.dry_run, "imported": result.imported, "lines": [
        {"line": row.line, "name": row.name, "member": row.member.pk if row.member else None, "problems": []}
        for row in result.rows]}


@router.get("/timebanks/{slug}/exports/{what}")
def export(request, slug: str, what: str, format: str = "json"):  # noqa: A002  (the query parameter's name)
    bank = get_object_or_404(Timebank.objects.select_related("organisation"), slug=slug)
    require(request.user, "timebank.export_data", bank)
    if what not in csvio.WHAT or format not in ("csv", "json"):
        raise Http404
    content = csvio.export(request.user, bank, what, format, channel=Channel.API)
    response = StreamingHttpResponse(content, content_type="text/csv; charset=utf-8" if format == "csv"
                                     else "application/json")
    response["Content-Disposition"] = f'attachment; filename="{bank.slug}-{what}.{format}"'
    return response
