"""Co-delivery API: offers, requests, exchanges (create and transitions) and suggestions.

Added to the timebank router (`api.py`), so paths start with /timebanks/{slug}/. Illegal transitions
answer 409 with the reason in `fields.state`; other refusals follow the API's error format.
Members see and act on their own postings and exchanges; the bank's brokers on anyone's (recorded
as on behalf of the member). Suggestions for a member show first names, neighbourhoods and offers
only; brokers get the engine's reasons too. Trust data never appears here.
"""

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import StrictBool, StrictInt

from coproduce.core.audit import Channel
from coproduce.core.permissions import person_of, require

from . import exchanges, postings, suggestions
from .models import Exchange, ExchangeParticipant, HelpRequest, Offer, Timebank, TimebankMember

router = Router(tags=["timebank co-delivery"])


class PostingIn(Schema):
    member: StrictInt
    category: StrictInt
    description: str = Field(..., max_length=2000)
    neighbourhood: StrictInt | None = None
    regular: StrictBool = False
    until: date | None = None
    home_visit: StrictBool = False
    involves_children: StrictBool = False
    involves_vulnerable_adults: StrictBool = False
    sensitive: StrictBool | None = None
    channel: str = Channel.API


class RequestIn(PostingIn):
    starts_at: datetime | None = None
    duration_minutes: StrictInt = 60


class PostingOut(Schema):
    id: int
    member: int = Field(..., alias="member_id")
    category: str = Field(..., alias="category.slug")
    description: str
    status: str
    regular: bool
    home_visit: bool
    sensitive: bool
    on_behalf: bool


class RequestOut(PostingOut):
    starts_at: datetime | None
    duration_minutes: int
    helpers_needed: int
    outside_home: bool


class PartOut(Schema):
    member: int = Field(..., alias="member_id")
    role: str
    minutes: int
    confirmed: bool

    @staticmethod
    def resolve_confirmed(obj) -> bool:
        return obj.confirmed_at is not None


class ExchangeOut(Schema):
    id: int
    timebank: str = Field(..., alias="timebank.slug")
    state: str
    description: str
    minutes: int
    starts_at: datetime | None
    place: str
    request: int | None = Field(None, alias="request_id")
    offer: int | None = Field(None, alias="offer_id")
    group_activity: bool
    cancel_reason: str
    credit_error: str
    participants: list[PartOut]

    @staticmethod
    def resolve_participants(obj):
        return list(obj.participants.all())


class AskIn(Schema):
    offer: StrictInt
    receiver: StrictInt
    minutes: StrictInt = 60
    starts_at: datetime | None = None


class MatchIn(Schema):
    helpers: list[StrictInt]
    override: str = ""  # a broker's reason to set aside the references/reliability rules (never safeguarding)


class TransitionIn(Schema):
    action: str  # accept, schedule, done, confirm, cancel, credit, expense, offer_help
    member: StrictInt | None = None  # brokers: for whom (confirm, cancel, offer_help)
    starts_at: datetime | None = None
    place: str = ""
    place_detail: str = ""
    minutes: StrictInt | None = None
    reason: str = ""
    what: str = ""
    estimated_amount: Decimal | None = None
    agreed_by: str = ""


class SuggestionOut(Schema):
    first_name: str
    neighbourhood: str
    offers: list[str]
    member: int | None = None  # brokers only
    name: str | None = None  # brokers only
    score: float | None = None  # brokers only
    reasons: list[str] | None = None  # brokers only


def _bank(slug) -> Timebank:
    return get_object_or_404(Timebank.objects.select_related("organisation", "network"), slug=slug)


def _member(bank, member_id) -> TimebankMember:
    member = TimebankMember.objects.select_related("person", "timebank__organisation").filter(
        pk=member_id, timebank=bank).first()
    if member is None:
        raise ValidationError({"member": ["Unknown member."]})
    return member


def _exchanges():
    return Exchange.objects.select_related("timebank").prefetch_related(
        Prefetch("participants", queryset=ExchangeParticipant.objects.order_by("role", "id")))


def _visible(request, bank, model):
    qs = model.objects.filter(member__timebank=bank).select_related("category").order_by("-created_at", "-id")
    if request.user.has_perm("timebank.broker", bank):
        return qs
    me = person_of(request.user)
    if me is None:
        raise PermissionDenied("timebank.view_posting")
    return qs.filter(member__person=me)


@router.post("/timebanks/{slug}/offers", response={201: PostingOut})
def create_offer(request, slug: str, payload: PostingIn):
    bank = _bank(slug)
    data = payload.dict()
    member = _member(bank, data.pop("member"))
    channel = data.pop("channel")
    offer = postings.create_offer(request.user, member, channel=channel, **data)
    return 201, offer


@router.get("/timebanks/{slug}/offers", response=list[PostingOut])
@paginate(LimitOffsetPagination)
def list_offers(request, slug: str):
    return _visible(request, _bank(slug), Offer)


@router.post("/timebanks/{slug}/requests", response={201: RequestOut})
def create_request(request, slug: str, payload: RequestIn):
    bank = _bank(slug)
    data = payload.dict()
    member = _member(bank, data.pop("member"))
    channel = data.pop("channel")
    help_request = postings.create_request(request.user, member, channel=channel, **data)
    return 201, help_request


@router.get("/timebanks/{slug}/requests", response=list[RequestOut])
@paginate(LimitOffsetPagination)
def list_requests(request, slug: str):
    return _visible(request, _bank(slug), HelpRequest)


def _request(bank, pk) -> HelpRequest:
    return get_object_or_404(
        HelpRequest.objects.select_related("member__person", "member__timebank__organisation", "category"),
        pk=pk, member__timebank=bank)


@router.get("/timebanks/{slug}/requests/{request_id}/suggestions", response=list[SuggestionOut])
def request_suggestions(request, slug: str, request_id: int):
    help_request = _request(_bank(slug), request_id)
    require(request.user, "timebank.view_suggestions", help_request)
    rows, _pairs, _notes = suggestions.suggest_for(help_request)
    broker = request.user.has_perm("timebank.broker", help_request)
    result = []
    for row in rows:
        person = row.member.person
        item = {"first_name": (person.name or "").split(" ")[0],
                "neighbourhood": person.home_area.name if person.home_area else "",
                "offers": [o.description for o in row.offers]}
        if broker:
            item.update(member=row.member.pk, name=person.name, score=row.score, reasons=row.reasons + row.flags)
        result.append(item)
    return result


@router.post("/timebanks/{slug}/requests/{request_id}/match", response={201: ExchangeOut})
def match(request, slug: str, request_id: int, payload: MatchIn):
    bank = _bank(slug)
    help_request = _request(bank, request_id)
    require(request.user, "timebank.broker", help_request)
    helpers = list(TimebankMember.objects.select_related("timebank", "person").filter(pk__in=payload.helpers))
    if len(helpers) != len(set(payload.helpers)):
        raise ValidationError({"helpers": ["Unknown member."]})
    exchange = exchanges.match(request.user, help_request, helpers, override=payload.override,
                               channel=Channel.API)
    return 201, _exchanges().get(pk=exchange.pk)


@router.post("/timebanks/{slug}/exchanges", response={201: ExchangeOut})
def ask_for_offer(request, slug: str, payload: AskIn):
    bank = _bank(slug)
    receiver = _member(bank, payload.receiver)
    offer = Offer.objects.filter(pk=payload.offer).first()
    if offer is None:
        raise ValidationError({"offer": ["Unknown offer."]})
    exchange = exchanges.ask_for_offer(request.user, offer, receiver, minutes=payload.minutes,
                                       starts_at=payload.starts_at, channel=Channel.API)
    return 201, _exchanges().get(pk=exchange.pk)


@router.get("/timebanks/{slug}/exchanges/{exchange_id}", response=ExchangeOut)
def get_exchange(request, slug: str, exchange_id: int):
    exchange = get_object_or_404(_exchanges(), pk=exchange_id, timebank__slug=slug)
    require(request.user, "timebank.view_exchange", exchange)
    return exchange


@router.post("/timebanks/{slug}/requests/{request_id}/help", response={201: ExchangeOut})
def offer_help(request, slug: str, request_id: int, payload: TransitionIn):
    """A member takes a request on (`member`: the helper, for a broker acting for them)."""
    bank = _bank(slug)
    help_request = _request(bank, request_id)
    if payload.member is not None:
        helper = TimebankMember.objects.select_related("timebank", "person").filter(pk=payload.member).first()
        if helper is None:
            raise ValidationError({"member": ["Unknown member."]})
    else:
        me = person_of(request.user)
        helper = TimebankMember.objects.select_related("timebank", "person").filter(
            person=me, timebank=bank).first() if me else None
        if helper is None:
            raise PermissionDenied("timebank.offer_help")
    exchange = exchanges.offer_help(request.user, help_request, helper, channel=Channel.API)
    return 201, _exchanges().get(pk=exchange.pk)


@router.post("/timebanks/{slug}/exchanges/{exchange_id}/transitions", response=ExchangeOut)
def transition(request, slug: str, exchange_id: int, payload: TransitionIn):
    from coproduce.api import error

    exchange = get_object_or_404(Exchange.objects.select_related("timebank__organisation"), pk=exchange_id,
                                 timebank__slug=slug)
    require(request.user, "timebank.view_exchange", exchange)
    member = None
    if payload.member is not None:
        member = TimebankMember.objects.filter(pk=payload.member).first()
        if member is None:
            raise ValidationError({"member": ["Unknown member."]})
    user, api = request.user, Channel.API
    actions = {
        "accept": lambda: exchanges.accept(user, exchange, channel=api),
        "schedule": lambda: exchanges.schedule(user, exchange, starts_at=payload.starts_at, place=payload.place,
                                               place_detail=payload.place_detail, minutes=payload.minutes,
                                               channel=api),
        "done": lambda: exchanges.mark_done(user, exchange, minutes=payload.minutes, channel=api),
        "confirm": lambda: exchanges.confirm(user, exchange, member=member, channel=api),
        "cancel": lambda: exchanges.cancel(user, exchange, payload.reason, member=member, channel=api),
        "credit": lambda: exchanges.credit(user, exchange, channel=api),
        "expense": lambda: exchanges.add_expense(user, exchange, what=payload.what,
                                                 estimated_amount=payload.estimated_amount,
                                                 agreed_by=payload.agreed_by, channel=api),
    }
    if payload.action not in actions:
        raise ValidationError({"action": [f"Unknown action; one of {', '.join(actions)}."]})
    try:
        actions[payload.action]()
    except ValidationError as exc:
        if hasattr(exc, "error_dict") and "state" in exc.error_dict:
            return error(request, 409, "conflict", "This exchange cannot do that in its current state.",
                         {"state": exc.message_dict["state"]})
        raise
    return _exchanges().get(pk=exchange.pk)
