"""Every change of state in co-commissioning goes through a function here.

Each function checks permission (`require`), checks the phase, validates (raising a field-keyed
`ValidationError` before anything is written), runs in one transaction and writes the audit log
with the channel and the person acted for. The server operator at the command line acts as the
system (`actor=None` with `channel=Channel.CLI` or `Channel.SYSTEM`).

Ballots are secret: `cast_ballot` and `enter_paper_ballot` write the ballot under an opaque key
(see `voting.py`) and an audit entry that says who voted in which budget and through which
channel, never what they chose (the ballot row has no timestamp and a random id, so the two cannot
be matched up by time or order either).
"""

import csv
import io
import json
import logging
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from fractions import Fraction

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core import audit
from coproduce.core.audit import Channel
from coproduce.core.images import store_photo
from coproduce.core.models import Area, Organisation, Person, Topic
from coproduce.core.on_behalf import acting_for
from coproduce.core.permissions import person_of, require, roles_in
from coproduce.core.validation import full_clean, unique_slug

from . import fastpath, voting
from .images import read_image
from .models import (
    PHASE_ORDER,
    PHASE_STARTS,
    Ballot,
    Budget,
    CensusEntry,
    Comment,
    Milestone,
    MilestonePhoto,
    Phase,
    Pledge,
    Process,
    Proposal,
    ProposalImage,
    Support,
    Tally,
    TallyRow,
    VotingCode,
)

log = logging.getLogger(__name__)

ON_BEHALF_CHANNELS = Channel.OFFLINE
MAX_MINOR = 10**15
PROCESS_FIELDS = {
    "title", "description", "area", "kind", "is_published", "currency", "collect_starts", "review_starts",
    "vote_starts", "vote_ends", "delivery_starts", "method", "min_choices", "max_choices", "points_total",
    "min_spend_percent", "rule", "completion", "tie_break", "threshold", "district_rule", "residents_only",
    "min_age", "verification", "pledges_reduce_cost",
}


def _require(actor, perm: str, obj, channel: str) -> None:
    """The operator at the command line (or the system itself) acts without a user."""
    if actor is None and channel in (Channel.CLI, Channel.SYSTEM):
        return
    require(actor, perm, obj)


def _phase(process: Process, *allowed, field: str = "phase") -> None:
    current = process.phase
    if current not in allowed:
        names = ", ".join(str(Phase(p).label) for p in allowed)
        raise ValidationError({field: [_("This cannot be done now: the process is in the phase “%(phase)s” "
                                         "(allowed: %(allowed)s).") % {"phase": Phase(current).label,
                                                                       "allowed": names}]})


def _money(value, field: str, *, required: bool = False) -> int | None:
    """A strict integer amount of minor units, zero or more."""
    if value is None or value == "":
        if required:
            raise ValidationError({field: [_("Give an amount.")]})
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError({field: [_("Give a whole number of pence (minor units).")]})
    if value < 0:
        raise ValidationError({field: [_("This cannot be negative.")]})
    if value > MAX_MINOR:
        raise ValidationError({field: [_("This amount is too large.")]})
    return value


def parse_amount(text: str, field: str = "amount") -> int:
    """'1200', '1200.50', '1 200,50' → minor units; never through float."""
    cleaned = (text or "").strip().replace(" ", "").replace("\u00a0", "")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    cleaned = cleaned.replace(",", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValidationError({field: [_("Give an amount such as 1200 or 1200.50.")]}) from None
    if value < 0 or value != value.quantize(Decimal("0.01")):
        raise ValidationError({field: [_("Give an amount such as 1200 or 1200.50.")]})
    return int(value * 100)


def _acting_for(actor, on_behalf_of, channel):
    """(person the action is for, whether staff act for someone else)."""
    if acting_for(actor, on_behalf_of) is not None or channel in ON_BEHALF_CHANNELS:
        return on_behalf_of, True
    return person_of(actor), False


# --- processes and budgets ---------------------------------------------------------------------


@transaction.atomic
def create_process(actor, organisation: Organisation, *, title: str, channel=Channel.WEB, slug: str = "",
                   **fields) -> Process:
    _require(actor, "budgeting.add_process", organisation, channel)
    unknown = set(fields) - PROCESS_FIELDS
    if unknown:
        raise ValidationError({name: [_("Unknown field.")] for name in unknown})
    if not (title or "").strip():
        raise ValidationError({"title": [_("Give the process a title.")]})
    process = Process(organisation=organisation, title=title.strip(), slug=slug or unique_slug(Process, title, fallback="process"), **fields)
    if process.area is None:
        process.area = organisation.area
    full_clean(process)
    process.save()
    audit.record(actor, "process.create", process, organisation=organisation, channel=channel)
    return process


@transaction.atomic
def update_process(actor, process: Process, channel=Channel.WEB, **changes) -> Process:
    _require(actor, "budgeting.change_process", process, channel)
    unknown = set(changes) - PROCESS_FIELDS
    if unknown:
        raise ValidationError({name: [_("This field cannot be changed here.")] for name in unknown})
    voting_rules = {"method", "min_choices", "max_choices", "points_total", "min_spend_percent", "verification",
                    "district_rule", "min_age", "residents_only"}
    changed_rules = {k for k in voting_rules & set(changes) if getattr(process, k) != changes[k]}
    if changed_rules and process.phase not in (Phase.DRAFT, Phase.COLLECT, Phase.REVIEW):
        raise ValidationError({sorted(changed_rules)[0]: [_("The voting rules cannot change once voting has started.")]})
    before = {k: str(getattr(process, k)) for k in changes}
    for name, value in changes.items():
        setattr(process, name, value)
    full_clean(process)
    process.save()
    audit.record(actor, "process.update", process, organisation=process.organisation, channel=channel,
                 details={"before": before})
    return process


@transaction.atomic
def set_phase(actor, process: Process, phase: str, channel=Channel.WEB) -> Process:
    """Move the process into `phase` now: that phase's start becomes now, later phases are unset
    (and earlier ones are kept or set to now). Entering the results starts the official count."""
    _require(actor, "budgeting.change_process", process, channel)
    if phase not in PHASE_ORDER:
        raise ValidationError({"phase": [_("Unknown phase.")]})
    now = timezone.now()
    target = PHASE_ORDER.index(phase)
    before = process.phase
    for name in PHASE_ORDER[1:]:
        field_name = PHASE_STARTS[name]
        position = PHASE_ORDER.index(name)
        current = getattr(process, field_name)
        if position < target:
            if current is None or current > now:
                setattr(process, field_name, now - timedelta(seconds=target - position))
        elif position == target:
            setattr(process, field_name, now)
        else:
            setattr(process, field_name, None)
    process.save()
    audit.record(actor, "process.phase", process, organisation=process.organisation, channel=channel,
                 details={"from": before, "to": phase})
    if phase in (Phase.RESULTS, Phase.DELIVERY):
        for budget in process.budgets.all():
            if phase == Phase.RESULTS:
                request_tally(None, budget, official=True, channel=Channel.SYSTEM)
            else:
                ensure_official_tally(budget)
    return process


@transaction.atomic
def add_budget(actor, process: Process, *, name: str, amount: int, area: Area | None = None,
               channel=Channel.WEB) -> Budget:
    _require(actor, "budgeting.change_process", process, channel)
    _phase(process, Phase.DRAFT, Phase.COLLECT, Phase.REVIEW)
    amount = _money(amount, "amount", required=True)
    if area is not None and process.area is not None and not process.area.contains(area):
        raise ValidationError({"area": [_("A district budget must be inside the area of the process.")]})
    if process.budgets.filter(area=area).exists():
        raise ValidationError({"area": [_("This process already has a budget for this area.")]})
    budget = Budget(process=process, name=(name or "").strip(), amount=amount, area=area)
    full_clean(budget)
    budget.save()
    audit.record(actor, "budget.add", budget, organisation=process.organisation, channel=channel,
                 details={"amount": amount, "area": area.pk if area else None})
    return budget


@transaction.atomic
def update_budget(actor, budget: Budget, *, name: str, amount: int, area: Area | None = None,
                  channel=Channel.WEB) -> Budget:
    """Change a budget's name, amount or district while the process is before the vote; refused
    from the vote on (ballots are cast against the amount)."""
    process = budget.process
    _require(actor, "budgeting.change_process", process, channel)
    _phase(process, Phase.DRAFT, Phase.COLLECT, Phase.REVIEW)
    amount = _money(amount, "amount", required=True)
    errors = {}
    if not (name or "").strip():
        errors["name"] = [_("Give the budget a name.")]
    if area is not None and process.area is not None and not process.area.contains(area):
        errors["area"] = [_("A district budget must be inside the area of the process.")]
    elif process.budgets.filter(area=area).exclude(pk=budget.pk).exists():
        errors["area"] = [_("This process already has a budget for this area.")]
    if process.has_costs:
        dearest = (budget.proposals.filter(status=Proposal.Status.FEASIBLE, cost__gt=amount)
                   .order_by("-cost").values_list("title", flat=True).first())
        if dearest is not None:
            errors["amount"] = [_("“%(title)s” is on this budget's ballot and costs more than this amount.")
                                % {"title": dearest}]
    if errors:
        raise ValidationError(errors)
    before = {"name": budget.name, "amount": budget.amount, "area": budget.area_id}
    budget.name, budget.amount, budget.area = name.strip(), amount, area
    full_clean(budget)
    budget.save(update_fields=["name", "amount", "area"])
    audit.record(actor, "budget.update", budget, organisation=process.organisation, channel=channel,
                 details={"before": before, "amount": amount, "area": area.pk if area else None})
    return budget


# --- proposals ---------------------------------------------------------------------------------


def budget_for(process: Process, area: Area | None) -> Budget | None:
    """The most local budget covering the area, else the city-wide one."""
    budgets = list(process.budgets.select_related("area"))
    local = [b for b in budgets if b.area is not None and area is not None and b.area.contains(area)]
    if local:
        return max(local, key=lambda b: len(b.area.path))
    city = [b for b in budgets if b.area_id is None]
    return city[0] if city else (budgets[0] if len(budgets) == 1 else None)


def _coordinate(value, field: str, limit: int):
    """A latitude (limit 90) or longitude (limit 180) in degrees: a finite number within ±limit;
    text ("52.23") is read as a number."""
    if isinstance(value, str):
        try:
            value = float(value.strip().replace(",", "."))
        except ValueError:
            raise ValidationError({field: [_("Give a number of degrees, such as 52.2305.")]}) from None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value or abs(value) == float("inf"):
        raise ValidationError({field: [_("Give a number of degrees, such as 52.2305.")]})
    if not -limit <= value <= limit:
        raise ValidationError({field: [_("Give a value between -%(n)s and %(n)s degrees.") % {"n": limit}]})
    return float(value)


def clean_point(latitude, longitude) -> tuple[float | None, float | None]:
    """(latitude, longitude) checked: both or neither (empty text counts as none), within range."""
    given = {name: None if value is None or (isinstance(value, str) and not value.strip()) else value
             for name, value in (("latitude", latitude), ("longitude", longitude))}
    if given["latitude"] is None and given["longitude"] is None:
        return None, None
    missing = {"latitude": _("Give the latitude too, or neither."),
               "longitude": _("Give the longitude too, or neither.")}
    errors, point = {}, {}
    for name, limit in (("latitude", 90), ("longitude", 180)):
        if given[name] is None:
            errors[name] = [missing[name]]
            continue
        try:
            point[name] = _coordinate(given[name], name, limit)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return point["latitude"], point["longitude"]


def _check_proposal_fields(process, *, title, area, cost_estimate, budget, address="", latitude=None,
                           longitude=None):
    """Raises a field-keyed ValidationError; returns the checked (latitude, longitude)."""
    errors = {}
    if not (title or "").strip():
        errors["title"] = [_("Give the proposal a title.")]
    elif len(title.strip()) > 200:
        errors["title"] = [_("Keep the title under 200 characters.")]
    if area is not None and process.area is not None and not process.area.contains(area):
        errors["area"] = [_("This place is outside the area of the process.")]
    if budget is not None and budget.process_id != process.pk:
        errors["budget"] = [_("This budget belongs to another process.")]
    try:
        _money(cost_estimate, "cost_estimate")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if len((address or "").strip()) > 300:
        errors["address"] = [_("Keep the address under 300 characters.")]
    point = (None, None)
    try:
        point = clean_point(latitude, longitude)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return point


@transaction.atomic
def submit_proposal(actor, process: Process, *, title: str, description: str = "", area: Area | None = None,
                    category: Topic | None = None, cost_estimate: int | None = None, budget: Budget | None = None,
                    address: str = "", latitude: float | None = None, longitude: float | None = None,
                    on_behalf_of: Person | None = None, channel=Channel.WEB) -> Proposal:
    """A citizen proposes (collection phase), or staff enter a proposal received on paper, by
    phone or at a stall on the proposer's behalf (collection or review phase)."""
    proposer, for_someone = _acting_for(actor, on_behalf_of, channel)
    if process.kind == Process.Kind.PRIORITIES:
        raise ValidationError({"process": [_("Options of a priority-setting process are added by staff.")]})
    if for_someone or channel in (Channel.IMPORT, Channel.CLI, Channel.SYSTEM):
        _require(actor, "budgeting.act_on_behalf", process, channel)
        _phase(process, Phase.COLLECT, Phase.REVIEW)
    else:
        _require(actor, "budgeting.propose", process, channel)
        _phase(process, Phase.COLLECT)
    latitude, longitude = _check_proposal_fields(
        process, title=title, area=area, cost_estimate=cost_estimate, budget=budget, address=address,
        latitude=latitude, longitude=longitude)
    proposal = Proposal(
        process=process, title=title.strip(), description=(description or "").strip(), area=area,
        address=(address or "").strip(), latitude=latitude, longitude=longitude,
        category=category, cost_estimate=cost_estimate, proposer=proposer, channel=channel,
        budget=budget or budget_for(process, area),
    )
    proposal.save()
    audit.record(actor, "proposal.submit", proposal, organisation=process.organisation,
                 on_behalf_of=proposer if for_someone else None, channel=channel)
    return proposal


@transaction.atomic
def add_option(actor, process: Process, *, title: str, description: str = "", category: Topic | None = None,
               channel=Channel.WEB) -> Proposal:
    """An option (a service or policy) of a priority-setting process."""
    _require(actor, "budgeting.change_process", process, channel)
    _phase(process, Phase.DRAFT, Phase.COLLECT, Phase.REVIEW)
    _check_proposal_fields(process, title=title, area=None, cost_estimate=None, budget=None)
    budget = process.budgets.first()
    if budget is None:
        budget = Budget.objects.create(process=process, name=process.title, amount=0)
    option = Proposal.objects.create(process=process, title=title.strip(), description=description, category=category,
                                     budget=budget, status=Proposal.Status.FEASIBLE, channel=channel)
    audit.record(actor, "proposal.add_option", option, organisation=process.organisation, channel=channel)
    return option


@dataclass
class ImportReport:
    rows: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    imported: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


PROPOSAL_CSV_COLUMNS = ("title", "description", "area", "category", "cost_estimate", "proposer_email", "channel",
                        "address", "latitude", "longitude")


def import_proposals_csv(actor, process: Process, text: str, *, dry_run: bool = True,
                         channel=Channel.IMPORT) -> ImportReport:
    """Proposals from a spreadsheet (one per row; columns title, description, area (slug), category
    (slug), cost_estimate (e.g. 1200.50), proposer_email, channel (paper / phone / in_person),
    address (free text), latitude and longitude (degrees, both or neither)).
    Every row is checked first; bad rows are listed with their line numbers and nothing is
    imported unless every row is good (and `dry_run` is off)."""
    _require(actor, "budgeting.import_proposals", process, channel)
    _phase(process, Phase.COLLECT, Phase.REVIEW)
    report = ImportReport()
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in (reader.fieldnames or [])]
    if "title" not in header:
        report.errors.append((1, _("The first line must name the columns, including “title”.")))
        return report
    unknown = [h for h in header if h not in PROPOSAL_CSV_COLUMNS]
    if unknown:
        report.errors.append((1, _("Unknown column: %(name)s.") % {"name": unknown[0]}))
        return report
    areas = {a.slug: a for a in Area.objects.all()}
    topics = {t.slug: t for t in Topic.objects.all()}
    people = {}
    rows = []
    for row in reader:
        line = reader.line_num
        report.rows += 1
        row = {(k or "").strip(): (v or "").strip() for k, v in row.items() if k}
        problems = []
        area = areas.get(row.get("area", "")) if row.get("area") else None
        if row.get("area") and area is None:
            problems.append(_("unknown area “%(slug)s”") % {"slug": row["area"]})
        category = topics.get(row.get("category", "")) if row.get("category") else None
        if row.get("category") and category is None:
            problems.append(_("unknown category “%(slug)s”") % {"slug": row["category"]})
        cost = None
        if row.get("cost_estimate"):
            try:
                cost = parse_amount(row["cost_estimate"], "cost_estimate")
            except ValidationError:
                problems.append(_("the cost “%(cost)s” is not an amount") % {"cost": row["cost_estimate"]})
        row_channel = row.get("channel") or Channel.PAPER
        if row_channel not in ON_BEHALF_CHANNELS + (Channel.IMPORT,):
            problems.append(_("unknown channel “%(channel)s”") % {"channel": row_channel})
        proposer = None
        email = row.get("proposer_email", "")
        if email:
            if email not in people:
                people[email] = Person.objects.filter(email__iexact=email, erased_at__isnull=True).first()
            proposer = people[email]
            if proposer is None:
                problems.append(_("nobody is registered with the email %(email)s") % {"email": email})
        point = (None, None)
        try:
            point = _check_proposal_fields(
                process, title=row.get("title", ""), area=area, cost_estimate=cost, budget=None,
                address=row.get("address", ""), latitude=row.get("latitude"), longitude=row.get("longitude"))
        except ValidationError as exc:
            problems.extend(f"{name}: {m}" if name in ("address", "latitude", "longitude") else str(m)
                            for name, msgs in exc.message_dict.items() for m in msgs)
        if problems:
            report.errors.append((line, "; ".join(problems)))
        else:
            rows.append((row, area, category, cost, proposer, row_channel, point))
    if report.rows == 0:
        report.errors.append((1, _("The file has no proposals.")))
    if dry_run or report.errors:
        return report
    with transaction.atomic():
        for row, area, category, cost, proposer, row_channel, (latitude, longitude) in rows:
            proposal = Proposal.objects.create(
                process=process, title=row["title"], description=row.get("description", ""), area=area,
                address=row.get("address", ""), latitude=latitude, longitude=longitude,
                category=category, cost_estimate=cost, proposer=proposer, channel=row_channel,
                budget=budget_for(process, area),
            )
            audit.record(actor, "proposal.submit", proposal, organisation=process.organisation,
                         on_behalf_of=proposer, channel=channel, details={"via": "csv", "received": row_channel})
        report.imported = len(rows)
    return report


@transaction.atomic
def review_proposal(actor, proposal: Proposal, *, feasible: bool, reason: str, cost: int | None = None,
                    budget: Budget | None = None, channel=Channel.WEB) -> Proposal:
    """Staff decide whether a proposal goes on the ballot, with a public reason and their cost."""
    process = proposal.process
    _require(actor, "budgeting.review_proposal", process, channel)
    _phase(process, Phase.COLLECT, Phase.REVIEW)
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = [_("Give a reason: it is shown to everyone.")]
    if proposal.status == Proposal.Status.MERGED:
        errors["status"] = [_("This proposal was merged into another one.")]
    try:
        cost = _money(cost, "cost")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if feasible and process.has_costs and cost is None and proposal.cost_estimate is None:
        errors["cost"] = [_("Estimate the cost before putting the proposal on the ballot.")]
    budget = budget or proposal.budget or budget_for(process, proposal.area)
    if feasible and budget is None:
        errors["budget"] = [_("Choose the budget this proposal competes in.")]
    elif budget is not None and budget.process_id != process.pk:
        errors["budget"] = [_("This budget belongs to another process.")]
    if feasible and budget is not None and cost is not None and cost > budget.amount and process.has_costs:
        errors["cost"] = [_("This costs more than the whole budget.")]
    if errors:
        raise ValidationError(errors)
    proposal.status = Proposal.Status.FEASIBLE if feasible else Proposal.Status.INFEASIBLE
    proposal.review_reason = reason.strip()
    if cost is not None:
        proposal.cost = cost
    elif feasible and proposal.cost is None:
        proposal.cost = proposal.cost_estimate
    proposal.budget = budget
    proposal.save(update_fields=["status", "review_reason", "cost", "budget"])
    audit.record(actor, "proposal.review", proposal, organisation=process.organisation, channel=channel,
                 details={"feasible": feasible, "cost": proposal.cost})
    return proposal


@transaction.atomic
def merge_proposals(actor, duplicate: Proposal, into: Proposal, *, reason: str, channel=Channel.WEB) -> Proposal:
    """Merge a duplicate into another proposal: its supports and pledges move, its comments stay."""
    process = duplicate.process
    _require(actor, "budgeting.review_proposal", process, channel)
    _phase(process, Phase.COLLECT, Phase.REVIEW)
    errors = {}
    if into.process_id != duplicate.process_id:
        errors["into"] = [_("Both proposals must belong to the same process.")]
    elif into.pk == duplicate.pk:
        errors["into"] = [_("A proposal cannot be merged into itself.")]
    elif into.status == Proposal.Status.MERGED:
        errors["into"] = [_("That proposal was itself merged; choose the one it was merged into.")]
    if not (reason or "").strip():
        errors["reason"] = [_("Give a reason: it is shown to everyone.")]
    if errors:
        raise ValidationError(errors)
    already = set(into.supports.values_list("person_id", flat=True))
    duplicate.supports.exclude(person_id__in=already).update(proposal=into)
    duplicate.supports.all().delete()
    duplicate.pledges.update(proposal=into)
    duplicate.status = Proposal.Status.MERGED
    duplicate.merged_into = into
    duplicate.review_reason = reason.strip()
    duplicate.save(update_fields=["status", "merged_into", "review_reason"])
    _recount(into)
    _recount(duplicate)
    audit.record(actor, "proposal.merge", duplicate, organisation=process.organisation, channel=channel,
                 details={"into": into.pk})
    return into


@transaction.atomic
def withdraw_proposal(actor, proposal: Proposal, *, reason: str, channel=Channel.WEB) -> Proposal:
    """The proposer withdraws their proposal, or staff do it on their behalf (a letter, a call), with
    a public reason, only before the vote. It leaves the ballot; open offers of help are released."""
    process = proposal.process
    me = person_of(actor)
    own = me is not None and proposal.proposer_id == me.pk
    for_someone = not own or channel in ON_BEHALF_CHANNELS
    _require(actor, "budgeting.act_on_behalf" if for_someone else "budgeting.propose", process, channel)
    _phase(process, Phase.COLLECT, Phase.REVIEW)
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = [_("Give a reason: it is shown to everyone.")]
    elif len(reason) > 2000:
        errors["reason"] = [_("Keep the reason under 2,000 characters.")]
    # read under a lock: two withdrawals (or a withdrawal and a merge) cannot both pass
    before = Proposal.objects.select_for_update().values_list("status", flat=True).get(pk=proposal.pk)
    if before in (Proposal.Status.MERGED, Proposal.Status.WITHDRAWN):
        errors["proposal"] = [_("This proposal was already merged or withdrawn.")]
    if errors:
        raise ValidationError(errors)
    proposal.status = Proposal.Status.WITHDRAWN
    proposal.withdrawal_reason = reason.strip()
    proposal.save(update_fields=["status", "withdrawal_reason"])
    released = proposal.pledges.filter(status=Pledge.Status.PLEDGED).update(
        status=Pledge.Status.RELEASED, settled_at=timezone.now())
    _recount(proposal)
    audit.record(actor, "proposal.withdraw", proposal, organisation=process.organisation,
                 on_behalf_of=proposal.proposer if for_someone else None, channel=channel,
                 details={"from": before, "pledges_released": released})
    return proposal


PROPOSAL_EDIT_FIELDS = ("title", "description", "category", "address", "latitude", "longitude")


def _edit_rule(user, proposal: Proposal, channel) -> tuple[str, tuple]:
    """(permission, phases) under which `user` changes this proposal: staff writing down what the
    proposer asked for on paper, by phone or in person (on their behalf, while collecting or
    reviewing); the proposer (their own, while proposals are collected); or staff who review
    proposals (while collecting or reviewing)."""
    process = proposal.process
    if channel in ON_BEHALF_CHANNELS:
        return "budgeting.act_on_behalf", (Phase.COLLECT, Phase.REVIEW)
    me = person_of(user)
    if me is not None and proposal.proposer_id == me.pk and not user.has_perm("budgeting.review_proposal", process):
        return "budgeting.propose", (Phase.COLLECT,)
    return "budgeting.review_proposal", (Phase.COLLECT, Phase.REVIEW)


def may_edit_proposal(user, proposal: Proposal, channel=Channel.WEB) -> bool:
    """Whether `update_proposal` would let `user` change this proposal now (a proposer only until
    staff have reviewed it; nobody once it was merged or withdrawn)."""
    if user is None or proposal.status in (Proposal.Status.MERGED, Proposal.Status.WITHDRAWN):
        return False
    perm, phases = _edit_rule(user, proposal, channel)
    if perm == "budgeting.propose" and proposal.status != Proposal.Status.SUBMITTED:
        return False
    return proposal.process.phase in phases and user.has_perm(perm, proposal.process)


@transaction.atomic
def update_proposal(actor, proposal: Proposal, *, channel=Channel.WEB, **changes) -> Proposal:
    """Change a proposal after it was submitted: its title, description, category (a Topic or its
    slug), address and point (`PROPOSAL_EDIT_FIELDS`; fields not given keep their value, and latitude and longitude
    are given together: both, or neither to clear the point), with the same checks as a new
    proposal. Who may and when is `_edit_rule`: the proposer only until staff have reviewed it;
    staff acting for the proposer give the offline channel and the change is recorded on the
    proposer's behalf. Nothing changes if any field is wrong."""
    process = proposal.process
    perm, phases = _edit_rule(actor, proposal, channel)
    _require(actor, perm, process, channel)
    _phase(process, *phases)
    unknown = set(changes) - set(PROPOSAL_EDIT_FIELDS)
    if unknown:
        raise ValidationError({name: [_("This field cannot be changed here.")] for name in sorted(unknown)})
    # read the status under a lock: a merge or withdrawal at the same moment cannot be overwritten
    status = Proposal.objects.select_for_update().values_list("status", flat=True).get(pk=proposal.pk)
    if status in (Proposal.Status.MERGED, Proposal.Status.WITHDRAWN):
        raise ValidationError({"proposal": [_("This proposal was merged or withdrawn; it can no longer be changed.")]})
    if perm == "budgeting.propose" and status != Proposal.Status.SUBMITTED:
        raise ValidationError({"proposal": [_("Staff have already reviewed this proposal: ask them to make the change.")]})
    if ("latitude" in changes) != ("longitude" in changes):
        changes.setdefault("latitude", None)
        changes.setdefault("longitude", None)
    new = {name: changes.get(name, getattr(proposal, name)) for name in PROPOSAL_EDIT_FIELDS}
    category = new["category"]
    errors = {}
    if isinstance(category, str):  # the API gives the category's slug ("" for none)
        category = new["category"] = Topic.objects.filter(slug=category).first() if category else None
        if category is None and changes["category"]:
            errors["category"] = [_("Choose a category from the list.")]
    elif category is not None and not isinstance(category, Topic):
        errors["category"] = [_("Choose a category from the list.")]
    try:
        new["latitude"], new["longitude"] = _check_proposal_fields(
            process, title=new["title"], area=proposal.area, cost_estimate=proposal.cost_estimate,
            budget=proposal.budget, address=new["address"], latitude=new["latitude"], longitude=new["longitude"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    new.update(title=new["title"].strip(), description=(new["description"] or "").strip(),
               address=(new["address"] or "").strip())
    changed = [name for name in PROPOSAL_EDIT_FIELDS if new[name] != getattr(proposal, name)]
    if not changed:
        return proposal
    for name in changed:
        setattr(proposal, name, new[name])
    proposal.save(update_fields=changed)
    audit.record(actor, "proposal.update", proposal, organisation=process.organisation, channel=channel,
                 on_behalf_of=proposal.proposer if channel in ON_BEHALF_CHANNELS else None,
                 details={"changed": changed})
    return proposal


def _recount(proposal: Proposal) -> None:
    from django.db.models import Sum

    money = proposal.pledges.filter(kind=Pledge.Kind.MONEY, status__in=[Pledge.Status.PLEDGED, Pledge.Status.COLLECTED])
    time = proposal.pledges.filter(status__in=[Pledge.Status.PLEDGED, Pledge.Status.COLLECTED])
    Proposal.objects.filter(pk=proposal.pk).update(
        support_count=Support.objects.filter(proposal=proposal).count(),
        comment_count=Comment.objects.filter(proposal=proposal, is_hidden=False).count(),
        pledged_money=money.aggregate(s=Sum("amount"))["s"] or 0,
        pledged_minutes=time.aggregate(s=Sum("minutes"))["s"] or 0,
    )
    proposal.refresh_from_db(fields=["support_count", "comment_count", "pledged_money", "pledged_minutes"])


@transaction.atomic
def add_comment(actor, proposal: Proposal, *, body: str, on_behalf_of: Person | None = None,
                channel=Channel.WEB) -> Comment:
    process = proposal.process
    author, for_someone = _acting_for(actor, on_behalf_of, channel)
    _require(actor, "budgeting.act_on_behalf" if for_someone else "budgeting.take_part", process, channel)
    _phase(process, Phase.COLLECT, Phase.REVIEW)
    if not (body or "").strip():
        raise ValidationError({"body": [_("Write a comment.")]})
    if len(body) > 5000:
        raise ValidationError({"body": [_("Keep comments under 5,000 characters.")]})
    comment = Comment.objects.create(proposal=proposal, author=author, body=body.strip(), channel=channel)
    Proposal.objects.filter(pk=proposal.pk).update(comment_count=F("comment_count") + 1)
    audit.record(actor, "proposal.comment", comment, organisation=process.organisation,
                 on_behalf_of=author if for_someone else None, channel=channel)
    return comment


@transaction.atomic
def hide_comment(actor, comment: Comment, *, reason: str = "", channel=Channel.WEB) -> None:
    process = comment.proposal.process
    _require(actor, "budgeting.moderate", process, channel)
    if comment.is_hidden:
        return
    comment.is_hidden = True
    comment.save(update_fields=["is_hidden"])
    Proposal.objects.filter(pk=comment.proposal_id).update(comment_count=F("comment_count") - 1)
    audit.record(actor, "proposal.comment_hide", comment, organisation=process.organisation, channel=channel,
                 details={"reason": reason})


@transaction.atomic
def toggle_support(actor, proposal: Proposal, *, on_behalf_of: Person | None = None, channel=Channel.WEB) -> bool:
    """Support a proposal before the vote, or take the support back. Returns whether it is now supported.
    Staff record the support of someone who asked on paper, by phone or in person (`on_behalf_of`)."""
    process = proposal.process
    person, for_someone = _acting_for(actor, on_behalf_of, channel)
    _require(actor, "budgeting.act_on_behalf" if for_someone else "budgeting.take_part", process, channel)
    _phase(process, Phase.COLLECT, Phase.REVIEW)
    if person is None:
        if for_someone:
            raise ValidationError({"on_behalf_of": [_("Choose the person who supports this proposal.")]})
        raise PermissionDenied("budgeting.take_part")
    if proposal.status in (Proposal.Status.MERGED, Proposal.Status.WITHDRAWN, Proposal.Status.INFEASIBLE):
        raise ValidationError({"proposal": [_("This proposal can no longer be supported.")]})
    on_behalf = person if for_someone else None
    deleted, _rows = Support.objects.filter(proposal=proposal, person=person).delete()
    if deleted:
        Proposal.objects.filter(pk=proposal.pk).update(support_count=F("support_count") - 1)
        audit.record(actor, "proposal.unsupport", proposal, organisation=process.organisation,
                     on_behalf_of=on_behalf, channel=channel)
        return False
    Support.objects.create(proposal=proposal, person=person)
    Proposal.objects.filter(pk=proposal.pk).update(support_count=F("support_count") + 1)
    audit.record(actor, "proposal.support", proposal, organisation=process.organisation,
                 on_behalf_of=on_behalf, channel=channel)
    return True


# --- offers to co-produce ----------------------------------------------------------------------


@transaction.atomic
def make_pledge(actor, proposal: Proposal, *, kind: str, minutes: int | None = None, amount: int | None = None,
                description: str = "", group: Organisation | None = None, on_behalf_of: Person | None = None,
                channel=Channel.WEB) -> Pledge:
    """Offer to help deliver a proposal: time (minutes), skills, materials or money (co-financing,
    collected only if the proposal is funded)."""
    process = proposal.process
    person, for_someone = _acting_for(actor, on_behalf_of, channel)
    _require(actor, "budgeting.act_on_behalf" if for_someone else "budgeting.take_part", process, channel)
    _phase(process, Phase.COLLECT, Phase.REVIEW, Phase.VOTE)
    errors = {}
    if kind not in Pledge.Kind.values:
        errors["kind"] = [_("Choose what you offer.")]
    if proposal.status in (Proposal.Status.MERGED, Proposal.Status.WITHDRAWN, Proposal.Status.INFEASIBLE):
        errors["proposal"] = [_("This proposal is no longer open to offers.")]
    try:
        amount = _money(amount, "amount", required=kind == Pledge.Kind.MONEY)
        if kind == Pledge.Kind.MONEY and amount == 0:
            raise ValidationError({"amount": [_("Give an amount greater than zero.")]})
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if minutes is not None and (isinstance(minutes, bool) or not isinstance(minutes, int) or not 0 < minutes < 10**7):
        errors["minutes"] = [_("Give a whole number of minutes greater than zero.")]
    if kind == Pledge.Kind.HOURS and not minutes:
        errors["minutes"] = [_("Say how much time you offer.")]
    if kind in (Pledge.Kind.SKILLS, Pledge.Kind.MATERIALS) and not (description or "").strip():
        errors["description"] = [_("Say what you offer.")]
    if group is not None and not (roles_in(actor, group) or (actor is not None and actor.is_superuser)):
        errors["group"] = [_("You can pledge for a group only if you belong to it.")]
    if errors:
        raise ValidationError(errors)
    pledge = Pledge.objects.create(
        proposal=proposal, person=person, group=group, kind=kind, minutes=minutes,
        amount=amount if kind == Pledge.Kind.MONEY else None, description=(description or "").strip(),
        channel=channel,
    )
    Proposal.objects.filter(pk=proposal.pk).update(
        pledged_money=F("pledged_money") + (pledge.amount or 0), pledged_minutes=F("pledged_minutes") + (minutes or 0)
    )
    audit.record(actor, "pledge.make", pledge, organisation=process.organisation,
                 on_behalf_of=person if for_someone else None, channel=channel,
                 details={"kind": kind, "amount": pledge.amount, "minutes": minutes})
    return pledge


@transaction.atomic
def withdraw_pledge(actor, pledge: Pledge, channel=Channel.WEB) -> None:
    process = pledge.proposal.process
    me = person_of(actor)
    if not (me is not None and pledge.person_id == me.pk) and not (actor is not None and actor.has_perm(
            "budgeting.act_on_behalf", process)):
        raise PermissionDenied("budgeting.withdraw_pledge")
    if pledge.status != Pledge.Status.PLEDGED:
        raise ValidationError({"pledge": [_("Only an open pledge can be withdrawn.")]})
    _phase(process, Phase.COLLECT, Phase.REVIEW, Phase.VOTE)
    pledge.status = Pledge.Status.WITHDRAWN
    pledge.save(update_fields=["status"])
    _recount(pledge.proposal)
    audit.record(actor, "pledge.withdraw", pledge, organisation=process.organisation, channel=channel)


@transaction.atomic
def settle_pledges(actor, process: Process, channel=Channel.WEB) -> dict:
    """After the official results: pledges to funded proposals are to be collected, the rest released.
    Pledges of time to funded proposals become timebank offers for pledgers who are members of a
    timebank (`pledge_handover_services`); the others are listed for staff to invite. Settling again
    (or twice at once: the process row is locked) hands over only what was not handed over yet."""
    from . import pledge_handover_services

    _require(actor, "budgeting.change_process", process, channel)
    _phase(process, Phase.RESULTS, Phase.DELIVERY)
    Process.objects.select_for_update().filter(pk=process.pk).values_list("pk", flat=True).first()
    funded = set()
    for tally in Tally.objects.filter(process=process, official=True, is_current=True, status=Tally.Status.DONE):
        funded |= set(tally.selected)
    if not Tally.objects.filter(process=process, official=True, is_current=True).exists():
        raise ValidationError({"process": [_("The official results are not counted yet.")]})
    open_pledges = Pledge.objects.filter(proposal__process=process, status=Pledge.Status.PLEDGED)
    now = timezone.now()
    collected = open_pledges.filter(proposal_id__in=funded).update(status=Pledge.Status.COLLECTED, settled_at=now)
    released = open_pledges.exclude(proposal_id__in=funded).update(status=Pledge.Status.RELEASED, settled_at=now)
    handed = pledge_handover_services.hand_over(process, funded)
    audit.record(actor, "pledge.settle", process, organisation=process.organisation, channel=channel,
                 details={"collected": collected, "released": released,
                          "timebank_offers": [p.timebank_offer_id for p in handed["offers"]],
                          "to_invite": [p.pk for p in handed["to_invite"]]})
    return {"collected": collected, "released": released, "offers": len(handed["offers"]),
            "to_invite": len(handed["to_invite"])}


# --- voting ------------------------------------------------------------------------------------


def _ballot_costs(budget: Budget) -> dict[int, int]:
    return fastpath.ballot_costs(budget)


def _write_ballot(budget: Budget, key: str, choices, points, channel, voter_area_id, band, *, replace: bool) -> None:
    ballot = Ballot(budget=budget, voter_key=key, choices=choices, points=points, channel=channel,
                    voter_area_id=voter_area_id, age_band=band)
    if replace:
        Ballot.objects.bulk_create(
            [ballot], update_conflicts=True, unique_fields=["budget", "voter_key"],
            update_fields=["choices", "points", "channel", "voter_area", "age_band"],
        )
    else:
        try:
            with transaction.atomic():
                Ballot.objects.bulk_create([ballot])
        except IntegrityError:
            raise ValidationError({"code": [_("This voting code has already been used for this budget.")]}) from None


STAFF_ENTERED = (*Channel.OFFLINE, Channel.IMPORT)  # ballots staff typed in from paper, phone or a spreadsheet


def _write_code_ballot(budget: Budget, key: str, code: VotingCode, choices, points, channel, voter_area_id) -> None:
    """A ballot cast online with a voting code: the first one, or a change of the earlier one cast
    online with the same code, as for any voter until the vote closes. The code's row is locked
    first, so two ballots with one code at once are written one after the other (the second
    replaces the first) and never make two. A ballot that staff entered from paper with the code
    stays as it is: whoever handled the paper saw the code, so it cannot be changed online."""
    VotingCode.objects.select_for_update().filter(pk=code.pk).values_list("pk", flat=True).get()
    earlier = Ballot.objects.filter(budget=budget, voter_key=key).values_list("channel", flat=True).first()
    if earlier in STAFF_ENTERED:
        raise ValidationError({"code": [_("This voting code has already been used for this budget on a paper "
                                          "ballot, which cannot be changed online.")]})
    _write_ballot(budget, key, choices, points, channel, voter_area_id, "", replace=True)
    if code.used_at is None:
        VotingCode.objects.filter(pk=code.pk, used_at__isnull=True).update(used_at=timezone.now())


def _district(area: Area | None, process: Process):
    """The district (the area one level below the top of the hierarchy: city → district) holding
    `area`, for turnout and priorities by area. Coarse on purpose, and read from the area's path,
    so it costs no query."""
    if area is None:
        return None
    ancestors = area.ancestor_ids()
    return ancestors[1] if len(ancestors) > 1 else ancestors[0]


def cast_ballot(actor, budget: Budget, *, choices=None, points=None, code: str = "", census_id: str = "",
                census_birth: date | None = None, channel=Channel.WEB) -> dict:
    """A voter casts (or changes) their ballot in one budget. Returns a receipt without the voter.

    The hot path: `budget` may come from `fastpath.load_budget`, which also primes the voter's
    person on `actor` (`_coproduce_person`) and the costs on the ballot, so the checks below ask
    the database nothing more; on PostgreSQL the ballot and its audit entry are then written by
    one statement (`fastpath.write_ballot`), which writes what the ORM path below writes."""
    process = budget.process
    if not (actor is not None and actor.has_perm("budgeting.vote", process)):
        raise PermissionDenied("budgeting.vote")
    _phase(process, Phase.VOTE, field="budget")
    person = None
    if process.verification == Process.Verification.ACCOUNT and actor.is_authenticated:
        person = getattr(actor, "_coproduce_person", False)
        if person is False:  # one query for the voter and their home area
            person = fastpath.load_budget(budget.pk, actor.pk)[1]
            actor._coproduce_person = person
    voter = voting.resolve_voter(process, person=person, code=code, census_id=census_id, census_birth=census_birth)
    key = voting.voter_key(process.pk, voter.identity)
    voted = None
    if process.district_rule == Process.DistrictRule.OWN_PLUS_ONE and budget.area_id is not None:
        voted = set(Ballot.objects.filter(budget__process=process, voter_key=key).values_list("budget_id", flat=True))
    voting.check_eligibility(process, budget, voter, voted)
    choices, points = voting.clean_ballot(process, budget, fastpath.ballot_costs(budget), choices, points)
    area_id = _district(voter.area, process) if voter.area else None
    band = voting.age_band(voter.age) if voter.code is None else ""
    receipt = {"budget": budget.pk, "process": process.slug, "choices": choices, "points": points}
    if person is not None:
        actor.person = person  # the audit label reads it: primed, so it costs no query
    if voter.code is None and voted is None and fastpath.available():
        written = fastpath.write_ballot(
            budget=budget, key=key, choices=choices, points=points, channel=channel, voter_area_id=area_id,
            age_band=band, now=timezone.now(), actor_id=actor.pk, actor_label=audit._label(actor))
        if not written:  # the vote closed (or the process was withdrawn) since it was read
            process.refresh_from_db()
            process.organisation.refresh_from_db()
            if not actor.has_perm("budgeting.vote", process):
                raise PermissionDenied("budgeting.vote")
            _phase(process, Phase.VOTE, field="budget")
            raise ValidationError({"budget": [_("Voting has closed.")]})
        return receipt
    with transaction.atomic():
        if voted is not None and connection.vendor == "postgresql":
            # Two ballots of the same voter in two other districts must not both pass the check.
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int(key[:15], 16)])
            again = set(Ballot.objects.filter(budget__process=process, voter_key=key).values_list("budget_id", flat=True))
            voting.check_eligibility(process, budget, voter, again)
        if voter.code is None:
            _write_ballot(budget, key, choices, points, channel, area_id, band, replace=True)
        else:
            _write_code_ballot(budget, key, voter.code, choices, points, channel, area_id)
        audit.record(actor, "ballot.cast", budget, organisation=process.organisation, channel=channel)
    return receipt


def enter_paper_ballot(actor, budget: Budget, *, choices=None, points=None, code: str = "",
                       voter_area: Area | None = None, channel=Channel.PAPER) -> dict:
    """Staff enter a ballot received on paper (or by phone, or at a stall). With the voter's code
    it counts as that voter's ballot (so they cannot vote twice: a code that already has a ballot
    in this budget, online or on paper, is refused, and the paper ballot cannot be changed online
    afterwards); otherwise it is an anonymous ballot from the box. Paper ballots may be entered
    until the official count."""
    process = budget.process
    _require(actor, "budgeting.act_on_behalf", process, channel)
    _phase(process, Phase.VOTE, Phase.RESULTS, field="budget")
    choices, points = voting.clean_ballot(process, budget, _ballot_costs(budget), choices, points)
    code_row = None
    if code:
        voter = voting.resolve_voter(_with_codes(process), code=code)
        voting.check_eligibility(process, budget, voter, None)
        key, code_row, voter_area = voting.voter_key(process.pk, voter.identity), voter.code, voter.area
    else:
        key = voting.anonymous_key()
    with transaction.atomic():
        _write_ballot(budget, key, choices, points, channel, _district(voter_area, process), "", replace=False)
        if code_row is not None and code_row.used_at is None:
            VotingCode.objects.filter(pk=code_row.pk).update(used_at=timezone.now())
        audit.record(actor, "ballot.enter", budget, organisation=process.organisation, channel=channel)
        _count_late_ballots(budget)
    return {"budget": budget.pk, "choices": choices, "points": points}


def _count_late_ballots(budget: Budget) -> None:
    """Paper ballots entered after the vote closed (the official count was asked for when the results
    phase began): count again, so that the published result and `ballots.pb` hold the same ballots."""
    if budget.process.phase == Phase.RESULTS:
        request_tally(None, budget, official=True, channel=Channel.SYSTEM, again=True)


def _with_codes(process: Process) -> Process:
    clone = Process(**{f.attname: getattr(process, f.attname) for f in Process._meta.concrete_fields})
    clone.verification = Process.Verification.CODES
    return clone


def import_paper_ballots_csv(actor, budget: Budget, text: str, *, dry_run: bool = True,
                             channel=Channel.PAPER) -> ImportReport:
    """Paper ballots typed into a spreadsheet: columns `choices` (project ids separated by spaces or
    commas; for ranked ballots in order) or `points` ("id:points id:points"), and optionally
    `code`. Every line is checked first; nothing is written unless every line is good."""
    process = budget.process
    _require(actor, "budgeting.act_on_behalf", process, channel)
    _phase(process, Phase.VOTE, Phase.RESULTS, field="budget")
    report = ImportReport()
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in (reader.fieldnames or [])]
    wanted = "points" if process.method == Process.Method.CUMULATIVE else "choices"
    if wanted not in header:
        report.errors.append((1, _("The first line must name the columns, including “%(name)s”.") % {"name": wanted}))
        return report
    costs = _ballot_costs(budget)
    by_engine_id = {p.engine_id: p.pk for p in Proposal.objects.filter(pk__in=costs).only("id", "external_id")}
    ballots, seen_codes = [], set()
    for row in reader:
        line = reader.line_num
        report.rows += 1
        row = {(k or "").strip(): (v or "").strip() for k, v in row.items() if k}
        try:
            if wanted == "points":
                pts = {}
                for item in row.get("points", "").replace(",", " ").split():
                    pid, _sep, value = item.partition(":")
                    if pid not in by_engine_id:
                        raise ValidationError({"points": [_("Unknown project: %(id)s.") % {"id": pid}]})
                    pts[by_engine_id[pid]] = int(value) if value.isdigit() else -1
                clean = voting.clean_ballot(process, budget, costs, None, pts)
            else:
                ids = []
                for item in row.get("choices", "").replace(",", " ").split():
                    if item not in by_engine_id:
                        raise ValidationError({"choices": [_("Unknown project: %(id)s.") % {"id": item}]})
                    ids.append(by_engine_id[item])
                clean = voting.clean_ballot(process, budget, costs, ids, None)
            code = row.get("code", "")
            if code:
                if voting.normalise_code(code) in seen_codes:
                    raise ValidationError({"code": [_("This voting code appears twice in the file.")]})
                seen_codes.add(voting.normalise_code(code))
                voter = voting.resolve_voter(_with_codes(process), code=code)
                voting.check_eligibility(process, budget, voter, None)
                key = voting.voter_key(process.pk, voter.identity)
                if Ballot.objects.filter(budget=budget, voter_key=key).exists():
                    raise ValidationError({"code": [_("This voting code has already been used for this budget.")]})
                ballots.append((clean, key, voter.code, voter.area))
            else:
                ballots.append((clean, voting.anonymous_key(), None, None))
        except ValidationError as exc:
            report.errors.append((line, "; ".join(str(m) for msgs in exc.message_dict.values() for m in msgs)))
    if report.rows == 0:
        report.errors.append((1, _("The file has no ballots.")))
    if dry_run or report.errors:
        return report
    with transaction.atomic():
        Ballot.objects.bulk_create([
            Ballot(budget=budget, voter_key=key, choices=c, points=p, channel=channel,
                   voter_area_id=_district(area, process))
            for (c, p), key, _code, area in ballots
        ])
        used = [code.pk for _c, _k, code, _a in ballots if code is not None]
        if used:
            VotingCode.objects.filter(pk__in=used, used_at__isnull=True).update(used_at=timezone.now())
        audit.record(actor, "ballot.import", budget, organisation=process.organisation, channel=channel,
                     details={"ballots": len(ballots)})
        report.imported = len(ballots)
        _count_late_ballots(budget)
    return report


@transaction.atomic
def generate_codes(actor, process: Process, *, count: int, area: Area | None = None, channel=Channel.WEB) -> list[str]:
    """A batch of one-time voting codes for mailing. Returns the codes: they are shown once (for
    printing) and only their salted hashes are kept."""
    _require(actor, "budgeting.manage_voting", process, channel)
    _phase(process, Phase.DRAFT, Phase.COLLECT, Phase.REVIEW, Phase.VOTE)
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= 20000:
        raise ValidationError({"count": [_("Generate between 1 and 20,000 codes at a time.")]})
    if area is not None and process.area is not None and not process.area.contains(area):
        raise ValidationError({"area": [_("This place is outside the area of the process.")]})
    batch = (VotingCode.objects.filter(process=process).order_by("-batch").values_list("batch", flat=True).first() or 0) + 1
    codes, digests = [], set()
    while len(codes) < count:
        code = voting.new_code()
        digest = voting.code_digest(process, code)
        if digest in digests:
            continue
        digests.add(digest)
        codes.append(code)
    VotingCode.objects.bulk_create(
        [VotingCode(process=process, digest=d, batch=batch, area=area) for d in digests], batch_size=2000
    )
    audit.record(actor, "voting_codes.generate", process, organisation=process.organisation, channel=channel,
                 details={"count": count, "batch": batch, "area": area.pk if area else None})
    return codes


def load_census(actor, process: Process, text: str, *, channel=Channel.IMPORT) -> ImportReport:
    """The census list as CSV: `id_number,birth_date (YYYY-MM-DD),area (slug)`. Stored only as
    salted hashes with the area (the age is checked when the person votes). All or nothing."""
    _require(actor, "budgeting.manage_voting", process, channel)
    _phase(process, Phase.DRAFT, Phase.COLLECT, Phase.REVIEW, Phase.VOTE)
    report = ImportReport()
    areas = {a.slug: a for a in Area.objects.all()}
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if not {"id_number", "birth_date"} <= set(h.strip() for h in reader.fieldnames or []):
        report.errors.append((1, _("The first line must name the columns id_number, birth_date and area.")))
        return report
    entries = {}
    for row in reader:
        line = reader.line_num
        report.rows += 1
        row = {(k or "").strip(): (v or "").strip() for k, v in row.items() if k}
        problems = []
        try:
            born = date.fromisoformat(row.get("birth_date", ""))
        except ValueError:
            born = None
            problems.append(_("the date of birth must be written YYYY-MM-DD"))
        if not row.get("id_number"):
            problems.append(_("the identity number is missing"))
        area = areas.get(row.get("area", ""))
        if row.get("area") and area is None:
            problems.append(_("unknown area “%(slug)s”") % {"slug": row["area"]})
        if problems:
            report.errors.append((line, "; ".join(problems)))
            continue
        entries[voting.census_digest(process, row["id_number"], born)] = area
    if report.errors:
        return report
    with transaction.atomic():
        existing = set(CensusEntry.objects.filter(process=process, digest__in=list(entries)).values_list("digest", flat=True))
        CensusEntry.objects.bulk_create(
            [CensusEntry(process=process, digest=d, area=a) for d, a in entries.items()
             if d not in existing], batch_size=2000)
        report.imported = len(entries) - len(existing)
        audit.record(actor, "census.load", process, organisation=process.organisation, channel=channel,
                     details={"rows": report.rows, "added": report.imported})
    return report


# --- counting ----------------------------------------------------------------------------------


@transaction.atomic
def request_tally(actor, budget: Budget, *, official: bool = False, channel=Channel.WEB, again: bool = False) -> Tally:
    """Count a budget's ballots in the background (once). Official counts use exact arithmetic
    and are what the public results page shows; staff may count on demand at any time from the
    vote (interim counts are seen by staff only). `again`: ballots were added, so a count that has
    already started reading them is not enough; one still waiting is (it is locked until the caller's
    transaction ends, so it cannot start before the new ballots are committed)."""
    process = budget.process
    _require(actor, "budgeting.run_tally", process, channel)
    if official:
        _phase(process, Phase.RESULTS, Phase.DELIVERY)
    else:
        _phase(process, Phase.VOTE, Phase.RESULTS, Phase.DELIVERY)
    # one request at a time per budget
    Budget.objects.select_for_update().filter(pk=budget.pk).order_by("pk").values_list("pk", flat=True).first()
    waiting = (Tally.objects.select_for_update()
               .filter(budget=budget, official=official,
                       status__in=[Tally.Status.PENDING] if again else [Tally.Status.PENDING, Tally.Status.RUNNING])
               .first())
    if waiting is not None:
        return waiting
    tally = Tally.objects.create(process=process, budget=budget, official=official, exact=official,
                                 requested_by=actor if actor is not None and actor.pk else None)
    audit.record(actor, "tally.request", tally, organisation=process.organisation, channel=channel,
                 details={"official": official})
    from . import tasks

    tasks.compute_tally.enqueue(tally_id=tally.pk)
    return tally


def ensure_official_tally(budget: Budget) -> Tally | None:
    """Called by the results page: start the official count if the results phase began without it."""
    process = budget.process
    if process.phase not in (Phase.RESULTS, Phase.DELIVERY):
        return None
    if Tally.objects.filter(budget=budget, official=True).exclude(status=Tally.Status.FAILED).exists():
        return None
    return request_tally(None, budget, official=True, channel=Channel.SYSTEM)


def compute_tally(tally_id: int) -> Tally:
    """Run the engine once and store the outcome (the background task calls this)."""
    from . import elections, priorities

    with transaction.atomic():
        tally = Tally.objects.select_for_update(of=("self",)).select_related("budget__process", "budget__area").get(
            pk=tally_id)
        if tally.status != Tally.Status.PENDING:
            return tally
        tally.status = Tally.Status.RUNNING
        tally.save(update_fields=["status"])
    budget = tally.budget
    process = budget.process
    try:
        if process.kind == Process.Kind.PRIORITIES:
            rows, fields = _count_priorities(budget, priorities)
        else:
            rows, fields = _count_budget(budget, tally, elections)
    except Exception as exc:  # the engine refused (e.g. a rule that does not fit the ballots)
        log.exception("tally %s failed", tally_id)
        Tally.objects.filter(pk=tally.pk).update(status=Tally.Status.FAILED, error=str(exc)[:2000],
                                                 finished_at=timezone.now())
        tally.refresh_from_db()
        return tally
    with transaction.atomic():
        for row in rows:
            row.tally = tally
        TallyRow.objects.bulk_create(rows, batch_size=1000)
        for name, value in fields.items():
            setattr(tally, name, value)
        tally.status = Tally.Status.DONE
        tally.finished_at = timezone.now()
        tally.is_current = True
        Tally.objects.filter(budget=budget, official=tally.official, is_current=True).update(is_current=False)
        tally.save()
        audit.record(None, "tally.done", tally, organisation=process.organisation, channel=Channel.SYSTEM,
                     details={"official": tally.official, "ballots": tally.n_ballots, "selected": tally.selected})
    return tally


def _count_budget(budget: Budget, tally: Tally, elections):
    process = budget.process
    election, proposals, turnout = elections.build_election(budget)
    outcome = elections.run_rule(process, election, exact=tally.exact)
    votes, score = elections.counts(election)
    by_engine = {p.engine_id: p for p in proposals}
    order = {pid: k for k, pid in enumerate(outcome.selected, start=1)}
    explanations = {e.project_id: e for e in outcome.explanations}
    rows = []
    for i, p in enumerate(proposals):
        e = explanations.get(p.engine_id)
        rows.append(TallyRow(
            proposal_id=p.pk, position=order.get(p.engine_id), selected=p.engine_id in order,
            votes=int(votes[i]), score=int(score[i]), cost=p.cost_for_rule(process.pledges_reduce_cost),
            code=e.code if e else "", numbers=e.numbers if e else {}, sentence=e.sentence if e else "",
        ))
    spent = int(Fraction(outcome.spent) * 100)  # sums of costs given as Fraction(minor, 100)
    fields = {
        "rule": outcome.rule, "n_ballots": election.n_voters, "budget_amount": budget.amount, "spent": spent,
        "selected": [by_engine[pid].pk for pid in outcome.selected], "turnout": turnout,
        "details": json.loads(json.dumps(outcome.details, default=str)),
        "log_json": json.dumps({"rule": outcome.rule, "budget": str(budget.amount), "currency": process.currency,
                                "units": "major", "exact": tally.exact, "ballots": election.n_voters,
                                "projects": {p.engine_id: p.title for p in proposals}, "log": outcome.log},
                               ensure_ascii=False, default=str),
    }
    return rows, fields


def _count_priorities(budget: Budget, priorities):
    process = budget.process
    options = list(Proposal.objects.filter(budget=budget, status=Proposal.Status.FEASIBLE).order_by("id"))
    ids = [o.pk for o in options]
    areas = dict(Area.objects.values_list("id", "name"))
    turnout: dict[str, int] = {}

    def ballots():
        for choices, points, channel, area_id, band in Ballot.objects.filter(budget=budget).order_by("id").values_list(
                "choices", "points", "channel", "voter_area_id", "age_band").iterator(chunk_size=5000):
            turnout[channel] = turnout.get(channel, 0) + 1
            yield choices, points, areas.get(area_id, ""), band

    result = priorities.score(ballots(), process.method, ids)
    ranking = sorted(ids, key=lambda pk: (-result["total"][pk], pk))
    rows = []
    for position, pk in enumerate(ranking, start=1):
        rows.append(TallyRow(
            proposal_id=pk, position=position, selected=False, votes=result["votes"][pk], score=result["total"][pk],
            code="priority", numbers={"rank": position},
            breakdown={"by_area": {a: s[pk] for a, s in result["by_area"].items()},
                       "by_group": {g: s[pk] for g, s in result["by_group"].items()}},
        ))
    fields = {"rule": f"priorities:{process.method}", "n_ballots": result["ballots"], "turnout": turnout,
              "selected": [], "details": {"area_sizes": result["area_sizes"], "group_sizes": result["group_sizes"]},
              "log_json": json.dumps({"rule": f"priorities:{process.method}", "ballots": result["ballots"],
                                      "total": {str(k): v for k, v in result["total"].items()},
                                      "by_area": {a: {str(k): v for k, v in s.items()} for a, s in result["by_area"].items()},
                                      "by_group": {g: {str(k): v for k, v in s.items()} for g, s in result["by_group"].items()}})}
    return rows, fields


# --- delivery ----------------------------------------------------------------------------------


def _funded(proposal: Proposal) -> bool:
    tallies = Tally.objects.filter(budget_id=proposal.budget_id, official=True, is_current=True,
                                   status=Tally.Status.DONE).values_list("selected", flat=True)
    return any(proposal.pk in selected for selected in tallies)


@transaction.atomic
def add_milestone(actor, proposal: Proposal, *, title: str, due_on: date | None = None, channel=Channel.WEB) -> Milestone:
    process = proposal.process
    _require(actor, "budgeting.manage_delivery", process, channel)
    _phase(process, Phase.RESULTS, Phase.DELIVERY)
    if not (title or "").strip():
        raise ValidationError({"title": [_("Name the milestone.")]})
    if not _funded(proposal):
        raise ValidationError({"proposal": [_("Only funded proposals are delivered.")]})
    milestone = Milestone.objects.create(proposal=proposal, title=title.strip(), due_on=due_on)
    audit.record(actor, "delivery.milestone", milestone, organisation=process.organisation, channel=channel)
    return milestone


@transaction.atomic
def record_progress(actor, proposal: Proposal, *, progress: int, spent: int, note: str = "",
                    done_milestones=(), channel=Channel.WEB) -> Proposal:
    process = proposal.process
    _require(actor, "budgeting.manage_delivery", process, channel)
    _phase(process, Phase.RESULTS, Phase.DELIVERY)
    errors = {}
    if isinstance(progress, bool) or not isinstance(progress, int) or not 0 <= progress <= 100:
        errors["progress"] = [_("Give a percentage between 0 and 100.")]
    try:
        _money(spent, "spent", required=True)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if not _funded(proposal):
        errors["proposal"] = [_("Only funded proposals are delivered.")]
    if errors:
        raise ValidationError(errors)
    before = {"progress": proposal.progress, "spent": proposal.spent}
    proposal.progress, proposal.spent = progress, spent
    proposal.save(update_fields=["progress", "spent"])
    if done_milestones:
        proposal.milestones.filter(pk__in=[m.pk for m in done_milestones], done_on__isnull=True).update(
            done_on=timezone.localdate())
    audit.record(actor, "delivery.progress", proposal, organisation=process.organisation, channel=channel,
                 details={"before": before, "progress": progress, "spent": spent, "note": note})
    return proposal


@transaction.atomic
def add_milestone_photo(actor, milestone: Milestone, upload, *, caption: str = "",
                        channel=Channel.WEB) -> MilestonePhoto:
    """A photo of delivery on a milestone of a funded proposal. Its type is recognised from its
    content (JPEG, PNG or WebP) and its size checked; it is stored under MEDIA_ROOT with a name of
    our own, never the uploader's."""
    proposal = milestone.proposal
    process = proposal.process
    _require(actor, "budgeting.manage_delivery", process, channel)
    _phase(process, Phase.RESULTS, Phase.DELIVERY)
    data, kind = read_image(upload, "photo")
    if len((caption or "").strip()) > 200:
        raise ValidationError({"caption": [_("Keep the caption under 200 characters.")]})
    stored, content_type = store_photo(data, kind, f"budgeting/{process.pk}/{proposal.pk}")
    photo = MilestonePhoto.objects.create(milestone=milestone, file=stored, content_type=content_type, size=len(data),
                                          caption=(caption or "").strip(),
                                          uploaded_by=actor if actor is not None and actor.pk else None)
    audit.record(actor, "delivery.photo", milestone, organisation=process.organisation, channel=channel,
                 details={"photo": photo.pk, "proposal": proposal.pk, "bytes": len(data)})
    return photo


# --- Pabulib -----------------------------------------------------------------------------------


VOTE_TYPE_METHODS = {"approval": "approval", "choose-1": "approval", "cumulative": "cumulative",
                     "scoring": "cumulative", "ordinal": "ranked"}


def import_pabulib(actor, organisation: Organisation, text: str, *, title: str = "", channel=Channel.IMPORT,
                   progress=None) -> Process:
    """A Pabulib `.pb` file becomes a process in its results phase with one budget, its projects
    (feasible, with their Pabulib ids) and its ballots (anonymous: the file's voter ids are not
    kept). A broken file raises `ValidationError({"file": ["… section, line N: …"]})` and nothing
    is written. The official count is requested at once."""
    from . import elections
    from .tally import PabulibFormatError, parse_string

    _require(actor, "budgeting.import_pabulib", organisation, channel)
    try:
        election = parse_string(text)
    except PabulibFormatError as exc:
        raise ValidationError({"file": [_("%(section)s section, line %(line)s: %(problem)s") % {
            "section": exc.section, "line": exc.line, "problem": exc.problem}]}) from None
    if election.vote_type not in VOTE_TYPE_METHODS:
        raise ValidationError({"file": [_("META section: vote type “%(t)s” is not supported.") % {"t": election.vote_type}]})
    try:
        amount = elections.to_minor(election.budget)
        costs = [elections.to_minor(p.cost) for p in election.projects]
    except ValueError:
        raise ValidationError({"file": [_("PROJECTS section: costs and the budget may have at most two decimal places.")]}) from None
    if any(c < 0 for c in costs) or amount < 0:
        raise ValidationError({"file": [_("PROJECTS section: costs cannot be negative.")]})
    meta = dict(election.meta)
    rule_name = meta.get("rule", "").strip()
    rule, completion, comparison = elections.PABULIB_RULES.get(rule_name, ("greedy", "none", False))
    method = VOTE_TYPE_METHODS[election.vote_type]
    threshold = election.threshold
    if rule == "greedy-threshold" and (threshold is None or threshold.denominator != 1):
        rule = "greedy"
    max_len = election.max_length
    min_len = meta.get("min_length", "").strip()
    points_total = meta.get("max_sum_points", "").strip()
    if method == "cumulative" and not points_total.isdigit():
        points_total = str(_max_points(election))
    now = timezone.now()
    with transaction.atomic():
        process = Process(
            organisation=organisation, area=organisation.area,
            title=(title or meta.get("description") or meta.get("unit") or "Pabulib import")[:160],
            slug=unique_slug(Process, title or meta.get("instance") or meta.get("unit") or meta.get("description") or "pabulib", fallback="process"),
            description=meta.get("comment", "")[:5000], currency=(meta.get("currency") or "EUR")[:3],
            collect_starts=now - timedelta(seconds=4), review_starts=now - timedelta(seconds=3),
            vote_starts=now - timedelta(seconds=2), vote_ends=now - timedelta(seconds=1),
            method=method, min_choices=int(min_len) if min_len.isdigit() else 0,
            max_choices=max_len if max_len else (1 if election.vote_type == "choose-1" else None),
            points_total=int(points_total) if method == "cumulative" and str(points_total).isdigit() else None,
            rule=rule, completion=completion, comparison=comparison,
            tie_break=meta["tie_break"] if meta.get("tie_break") in Process.TieBreak.values else Process.TieBreak.DEFAULT,
            threshold=int(threshold) if rule == "greedy-threshold" else None,
            residents_only=False, district_rule=Process.DistrictRule.ALL, pabulib_meta=meta,
        )
        process.save()
        budget = Budget.objects.create(process=process, name=meta.get("unit") or process.title, amount=amount)
        proposals = Proposal.objects.bulk_create([
            Proposal(process=process, budget=budget, title=(p.name or p.fields.get("name") or f"Project {p.id}")[:200],
                     description=p.fields.get("description", "")[:5000], cost=cost, cost_estimate=cost,
                     **dict(zip(("latitude", "longitude"), elections.pabulib_point(p.fields), strict=True)),
                     status=Proposal.Status.FEASIBLE, review_reason="", external_id=p.id, channel=channel,
                     extra={k: v for k, v in p.fields.items() if k not in ("project_id", "cost", "name", "selected")})
            for p, cost in zip(election.projects, costs)
        ])
        if any(p.pk is None for p in proposals):  # backends without RETURNING
            by_id = dict(Proposal.objects.filter(process=process).values_list("external_id", "pk"))
            pks = [by_id[p.id] for p in election.projects]
        else:
            pks = [p.pk for p in proposals]
        pk_of = np.array(pks, dtype=np.int64)
        ptr = election.ballot_ptr.tolist()
        flat = pk_of[election.ballot_idx].tolist() if len(election.ballot_idx) else []
        weighted = method == "cumulative"
        pts = [int(v) for v in election.ballot_points.tolist()] if weighted and election.ballot_points is not None else None
        batch = []
        n = election.n_voters
        for i in range(n):
            s, e = ptr[i], ptr[i + 1]
            batch.append(Ballot(budget=budget, voter_key=voting.anonymous_key(), choices=flat[s:e],
                                points=pts[s:e] if pts is not None else None, channel=Channel.IMPORT))
            if len(batch) >= 5000:
                Ballot.objects.bulk_create(batch)
                batch = []
                if progress:
                    progress(i + 1, n)
        if batch:
            Ballot.objects.bulk_create(batch)
        if progress:
            progress(n, n)
        audit.record(actor, "process.import_pabulib", process, organisation=organisation, channel=channel,
                     details={"projects": len(proposals), "ballots": n, "rule": rule_name})
        request_tally(None, budget, official=True, channel=Channel.SYSTEM)
    return process


def _max_points(election) -> int:
    import numpy as np

    if election.ballot_points is None or not len(election.ballot_points):
        return 1
    sums = np.add.reduceat(election.ballot_points.astype(object), election.ballot_ptr[:-1][np.diff(election.ballot_ptr) > 0])
    return max(1, max(int(v) for v in sums))


def export_pabulib(actor, budget: Budget) -> str:
    """The budget's projects and ballots as a `.pb` file; voter ids are 1..n in random order."""
    from . import elections
    from .tally import write_string

    process = budget.process
    require(actor, "budgeting.view_results", process)
    tally = Tally.objects.filter(budget=budget, official=True, is_current=True, status=Tally.Status.DONE).first()
    election, _proposals, _turnout = elections.build_election(
        budget, selected_pks=tally.selected if tally else (), for_export=True)
    return write_string(election, anonymise=True, voter_columns=False)


# --- personal data -----------------------------------------------------------------------------


def export_personal_data(person: Person) -> dict:
    """Proposals, comments, supports and pledges. Never ballots: they are not linked to anyone."""
    return {
        "proposals": [
            {"process": p.process.title, "title": p.title, "description": p.description, "status": p.status,
             "withdrawal_reason": p.withdrawal_reason, "category": p.category.name if p.category else "",
             "area": p.area.name if p.area else "", "address": p.address, "latitude": p.latitude,
             "longitude": p.longitude,
             "channel": p.channel, "cost_estimate": p.cost_estimate, "submitted_at": p.created_at.isoformat()}
            for p in person.proposals.select_related("process", "category", "area")
        ],
        "comments": [
            {"proposal": c.proposal.title, "body": c.body, "at": c.created_at.isoformat()}
            for c in Comment.objects.filter(author=person).select_related("proposal")
        ],
        "supports": [s.proposal.title for s in Support.objects.filter(person=person).select_related("proposal")],
        "pledges": [
            {"proposal": p.proposal.title, "kind": p.kind, "minutes": p.minutes, "amount": p.amount,
             "description": p.description, "status": p.status, "at": p.created_at.isoformat(),
             "group": p.group.name if p.group else "", "channel": p.channel, "timebank_offer": p.timebank_offer_id}
            for p in person.pledges.select_related("proposal", "group")
        ],
        "proposal_images": [
            {"proposal": i.proposal.title, "alt_text": i.alt_text, "caption": i.caption, "file": i.file.name,
             "channel": i.channel, "at": i.created_at.isoformat()}
            for i in ProposalImage.objects.filter(person=person).select_related("proposal")
        ],
    }


def erase_personal_data(person: Person) -> None:
    """Proposals stay (they are public and may have been voted on) without a proposer, and so do the
    images the person added to proposals (without the person); comments lose
    their author and text; supports are removed (counts keep their numbers); pledges keep their
    amounts without the person."""
    Proposal.objects.filter(proposer=person).update(proposer=None)
    ProposalImage.objects.filter(person=person).update(person=None)  # they stay with the proposal, like it
    Comment.objects.filter(author=person).update(author=None, body="", is_hidden=True)
    Support.objects.filter(person=person).delete()
    Pledge.objects.filter(person=person).update(person=None, description="")

