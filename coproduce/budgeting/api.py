"""Co-commissioning API: processes, proposals, ballots (the fast path) and results. Thin and typed."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from coproduce.api import PUBLIC
from coproduce.core.audit import Channel
from coproduce.core.models import Area, Person, Topic
from coproduce.core.permissions import STAFF_ROLES, organisations_where, require

from . import proposal_media_services as media
from . import services
from .models import Budget, Process, Proposal, ProposalImage, Tally

router = Router(tags=["budgeting"])


class BudgetOut(Schema):
    id: int
    name: str
    area: str | None = Field(None, alias="area.slug")
    amount: int


class ProcessOut(Schema):
    id: int
    slug: str
    title: str
    description: str
    kind: str
    organisation: str = Field(..., alias="organisation.slug")
    area: str | None = Field(None, alias="area.slug")
    phase: str
    method: str
    rule: str
    currency: str
    min_choices: int
    max_choices: int | None
    points_total: int | None
    verification: str
    vote_starts: datetime | None
    vote_ends: datetime | None
    budgets: list[BudgetOut]

    @staticmethod
    def resolve_budgets(obj):
        return list(obj.budgets.all())


class ProposalOut(Schema):
    id: int
    project_id: str = Field(..., alias="engine_id")
    title: str
    description: str
    status: str
    budget_id: int | None
    area: str | None = Field(None, alias="area.slug")
    address: str
    latitude: float | None
    longitude: float | None
    category: str | None = Field(None, alias="category.slug")
    cost_estimate: int | None
    cost: int | None
    review_reason: str
    channel: str
    support_count: int
    comment_count: int
    pledged_money: int
    pledged_minutes: int


class ProposalIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    description: str = ""
    area: str | None = None
    category: str | None = None
    cost_estimate: int | None = Field(None, description="In minor units (pence, cents).")
    address: str = Field("", description="A street address or a description of the place.")
    latitude: float | None = Field(None, description="Degrees, -90 to 90; give both latitude and longitude or neither.")
    longitude: float | None = Field(None, description="Degrees, -180 to 180.")
    on_behalf_of: int | None = Field(None, description="Staff: the person (id) who made the proposal.")
    channel: str = Channel.API


class ProposalPatch(Schema):
    """Only the fields given change (see `services.update_proposal`)."""

    title: str | None = None
    description: str | None = None
    category: str | None = Field(None, description="The category's slug; null or \"\" for none.")
    address: str | None = None
    latitude: float | None = Field(None, description="Give latitude and longitude together; both null clears the point.")
    longitude: float | None = None
    channel: str = Field(Channel.API, description="Staff writing down a change the proposer asked for offline: "
                                                  "paper, phone or in_person (recorded on their behalf).")


class ImageOut(Schema):
    id: int
    url: str
    alt_text: str
    caption: str
    content_type: str
    size: int

    @staticmethod
    def resolve_url(obj):
        return reverse("budgeting:proposal_image", args=[obj.proposal.process.slug, obj.pk])


class ProposalDetailOut(ProposalOut):
    images: list[ImageOut]

    @staticmethod
    def resolve_images(obj):
        return obj.images_list


class BallotIn(Schema):
    choices: list[int] | None = Field(None, description="Proposal ids (ranked ballots: in order of preference).")
    points: dict[str, int] | None = Field(None, description="Cumulative ballots: {proposal id: points}.")
    code: str = ""
    census_id: str = ""
    census_birth_date: date | None = None


class BallotOut(Schema):
    budget: int
    process: str
    choices: list[int]
    points: list[int] | None


class ResultRowOut(Schema):
    proposal_id: int
    project_id: str
    title: str
    selected: bool
    position: int | None
    votes: int
    score: int
    cost: int
    code: str
    explanation: str
    numbers: dict
    breakdown: dict


class ResultsOut(Schema):
    budget: int
    status: str
    official: bool
    rule: str
    ballots: int
    budget_amount: int
    spent: int
    selected: list[int]
    turnout: dict
    rows: list[ResultRowOut]


def _visible_processes(user):
    qs = Process.objects.select_related("organisation", "area").prefetch_related("budgets__area")
    if user.is_authenticated and user.is_superuser:
        return qs
    visible = Q(is_published=True, organisation__is_active=True)
    if user.is_authenticated:
        visible |= Q(organisation_id__in=organisations_where(user, STAFF_ROLES))
    return qs.filter(visible)


@router.get("/budgeting/processes", response=list[ProcessOut], auth=PUBLIC)
@paginate(LimitOffsetPagination)
def list_processes(request, phase: str | None = None):
    qs = _visible_processes(request.user)
    if phase:
        return [p for p in qs if p.phase == phase]
    return qs


@router.get("/budgeting/processes/{slug}", response=ProcessOut, auth=PUBLIC)
def get_process(request, slug: str):
    process = get_object_or_404(_visible_processes(request.user), slug=slug)
    require(request.user, "budgeting.view_process", process)
    return process


@router.get("/budgeting/processes/{slug}/proposals", response=list[ProposalOut], auth=PUBLIC)
@paginate(LimitOffsetPagination)
def list_proposals(request, slug: str, status: str | None = None, budget: int | None = None):
    process = get_object_or_404(Process.objects.select_related("organisation"), slug=slug)
    require(request.user, "budgeting.view_process", process)
    qs = process.proposals.select_related("area", "category").order_by("id")
    if status:
        qs = qs.filter(status=status)
    if budget:
        qs = qs.filter(budget_id=budget)
    return qs


def _lookup(model, slug, field):
    if not slug:
        return None
    row = model.objects.filter(slug=slug).first()
    if row is None:
        raise ValidationError({field: [f"Unknown {field} {slug!r}."]})
    return row


@router.post("/budgeting/processes/{slug}/proposals", response={201: ProposalOut})
def create_proposal(request, slug: str, payload: ProposalIn):
    process = get_object_or_404(Process.objects.select_related("organisation", "area"), slug=slug)
    require(request.user, "budgeting.view_process", process)
    on_behalf = None
    if payload.on_behalf_of is not None:
        on_behalf = get_object_or_404(Person, pk=payload.on_behalf_of, erased_at__isnull=True)
    channel = payload.channel if payload.channel in Channel.ALL else Channel.API
    proposal = services.submit_proposal(
        request.user, process, title=payload.title, description=payload.description,
        area=_lookup(Area, payload.area, "area"), category=_lookup(Topic, payload.category, "category"),
        cost_estimate=payload.cost_estimate, address=payload.address, latitude=payload.latitude,
        longitude=payload.longitude, on_behalf_of=on_behalf, channel=channel,
    )
    return 201, proposal


def _proposal(request, slug: str, proposal_id: int) -> Proposal:
    process = get_object_or_404(Process.objects.select_related("organisation", "area"), slug=slug)
    require(request.user, "budgeting.view_process", process)
    proposal = get_object_or_404(Proposal.objects.select_related("area", "category"), pk=proposal_id,
                                 process=process)
    proposal.process = process
    return proposal


@router.get("/budgeting/processes/{slug}/proposals/{proposal_id}", response=ProposalDetailOut, auth=PUBLIC)
def get_proposal(request, slug: str, proposal_id: int):
    """A proposal with its place and its images (each with its alt text and the URL it is served at)."""
    proposal = _proposal(request, slug, proposal_id)
    for image in (images := list(proposal.images.all())):
        image.proposal = proposal
    proposal.images_list = images
    return proposal


@router.patch("/budgeting/processes/{slug}/proposals/{proposal_id}", response=ProposalOut)
def change_proposal(request, slug: str, proposal_id: int, payload: ProposalPatch):
    """Change a proposal's title, description, category, address or point, as on its edit page: the
    proposer while proposals are collected and before review, or staff while collecting or reviewing."""
    proposal = _proposal(request, slug, proposal_id)
    changes = {name: getattr(payload, name) for name in services.PROPOSAL_EDIT_FIELDS if name in payload.model_fields_set}
    if "category" in changes:
        changes["category"] = changes["category"] or ""
    channel = payload.channel if payload.channel in (Channel.API, *services.ON_BEHALF_CHANNELS) else Channel.API
    services.update_proposal(request.user, proposal, channel=channel, **changes)
    return Proposal.objects.select_related("area", "category").get(pk=proposal.pk)


@router.post("/budgeting/processes/{slug}/proposals/{proposal_id}/images", response={201: ImageOut})
def add_image(request, slug: str, proposal_id: int, alt_text: Form[str] = "", caption: Form[str] = "",
              channel: Form[str] = Channel.API, image: File[UploadedFile | None] = None):
    """Multipart: `image` (JPEG, PNG or WebP, checked by content and size), `alt_text` (required),
    `caption`. Staff recording an image the proposer sent in give `channel` paper, phone or in_person."""
    proposal = _proposal(request, slug, proposal_id)
    channel = channel if channel in (Channel.API, *services.ON_BEHALF_CHANNELS) else Channel.API
    added = media.add_proposal_image(request.user, proposal, image, alt_text=alt_text, caption=caption,
                                     channel=channel)
    added.proposal = proposal
    return 201, added


@router.delete("/budgeting/processes/{slug}/images/{image_id}", response={204: None})
def remove_image(request, slug: str, image_id: int):
    process = get_object_or_404(Process.objects.select_related("organisation"), slug=slug)
    require(request.user, "budgeting.view_process", process)
    image = get_object_or_404(ProposalImage.objects.select_related("proposal"), pk=image_id, proposal__process=process)
    image.proposal.process = process
    media.remove_proposal_image(request.user, image, channel=Channel.API)
    return 204, None


@router.post("/budgeting/budgets/{budget_id}/ballot", response={200: BallotOut}, auth=PUBLIC)
def cast_ballot(request, budget_id: int, payload: BallotIn):
    """Cast or change your ballot (logged in, or with a voting code / census details)."""
    from django.http import Http404

    from .fastpath import load_budget

    if request.user.is_authenticated and not request.headers.get("Authorization"):
        # Signed in by the browser session: a state change needs the CSRF token like any form.
        from django.core.exceptions import PermissionDenied
        from ninja.utils import check_csrf

        if check_csrf(request) is not None:
            raise PermissionDenied("csrf")
    voter = request.user.pk if request.user.is_authenticated else None
    budget, person = load_budget(budget_id, voter)
    if budget is None:
        raise Http404("No such budget.")
    if voter is not None:
        request.user._coproduce_person = person  # read with the budget: the service needs no query
    return services.cast_ballot(
        request.user, budget, choices=payload.choices, points=payload.points, code=payload.code,
        census_id=payload.census_id, census_birth=payload.census_birth_date, channel=Channel.API,
    )


@router.get("/budgeting/budgets/{budget_id}/results", response=ResultsOut, auth=PUBLIC)
def results(request, budget_id: int):
    budget = get_object_or_404(Budget.objects.select_related("process__organisation"), pk=budget_id)
    process = budget.process
    require(request.user, "budgeting.view_results", process)
    tally = (Tally.objects.filter(budget=budget, is_current=True, official=True).defer("log_json").first())
    if tally is None and request.user.has_perm("budgeting.run_tally", process):
        tally = Tally.objects.filter(budget=budget, is_current=True).defer("log_json").first()
    if tally is None:
        from ninja.errors import HttpError

        raise HttpError(404, "The results are not counted yet.")
    from .wording import explain

    rows = [
        {"proposal_id": r.proposal_id, "project_id": r.proposal.engine_id, "title": r.proposal.title,
         "selected": r.selected, "position": r.position, "votes": r.votes, "score": r.score, "cost": r.cost,
         "code": r.code, "explanation": explain(r.code, r.numbers, r.sentence, process.currency),
         "numbers": r.numbers, "breakdown": r.breakdown}
        for r in tally.rows.select_related("proposal").only(
            "proposal_id", "selected", "position", "votes", "score", "cost", "code", "numbers", "sentence",
            "breakdown", "proposal__title", "proposal__external_id", "tally_id")
    ]
    return {"budget": budget.pk, "status": tally.status, "official": tally.official, "rule": tally.rule,
            "ballots": tally.n_ballots, "budget_amount": tally.budget_amount, "spent": tally.spent,
            "selected": tally.selected, "turnout": tally.turnout, "rows": rows}



