"""Co-design API endpoints (under /api/v1/design/): thin, typed, calling the services.

`POST /conversations/{id}/votes` is the fast path used by voting apps and the benchmark. Anonymous
participants (where a conversation allows it) use their browser session, with its CSRF token.
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.errors import AuthenticationError
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.utils import check_csrf

from coproduce.api import PUBLIC
from coproduce.core.audit import Channel
from coproduce.core.permissions import require

from . import demographics, services
from .models import Analysis, Conversation, Lab, Statement
from .sessions import session_key

router = Router(tags=["design"])


class LabOut(Schema):
    id: int
    slug: str
    title: str
    organisation: str = Field(..., alias="organisation.slug")
    stage: str
    participation: str
    target_users: str
    challenge: str


class ConversationOut(Schema):
    id: int
    lab: str = Field(..., alias="lab.slug")
    title: str
    question: str
    moderation: str
    anonymous_allowed: bool
    statements_allowed: bool
    is_open: bool
    taking_votes: bool

    @staticmethod
    def resolve_taking_votes(obj) -> bool:
        return obj.is_open and obj.lab.is_gathering


class StatementOut(Schema):
    number: int
    text: str
    is_seed: bool
    is_meta: bool
    status: int
    created_at: datetime


class VoteIn(Schema):
    statement: int = Field(..., description="The statement's number in the conversation.")
    vote: int = Field(..., description="1 agree, -1 disagree, 0 pass.")


class VoteOut(Schema):
    statement: int
    vote: int
    participant: int


class StatementIn(Schema):
    text: str = Field(..., min_length=1, max_length=500)


class NextOut(Schema):
    statement: StatementOut | None
    remaining: int


class AnalysisOut(Schema):
    conversation: int
    computed_at: datetime
    vote_count: int
    participant_count: int
    group_count: int
    pending: bool
    result: dict


def _conversation(conversation_id: int) -> Conversation:
    return get_object_or_404(Conversation.objects.select_related("lab__organisation", "lab__members_of"),
                             pk=conversation_id)


def _require_participation(request, conversation: Conversation) -> None:
    """403 when refused; 401 when an anonymous caller would be let in with a login."""
    if not request.user.has_perm("design.participate", conversation):
        if not request.user.is_authenticated:
            raise AuthenticationError
        raise PermissionDenied("design.participate")


def _check_write(request) -> None:
    """Writes through a session (logged in or anonymous) need its CSRF token; bearer tokens do not."""
    if not request.headers.get("Authorization", "").lower().startswith("bearer "):
        if check_csrf(request) is not None:
            raise PermissionDenied("csrf")




@router.get("/labs", response=list[LabOut], auth=PUBLIC)
@paginate(LimitOffsetPagination)
def list_labs(request, stage: str | None = None, organisation: str | None = None):
    qs = Lab.objects.select_related("organisation").order_by("-created_at", "-id")
    if stage:
        qs = qs.filter(stage=stage)
    if organisation:
        qs = qs.filter(organisation__slug=organisation)
    return qs


@router.get("/labs/{slug}/conversations", response=list[ConversationOut], auth=PUBLIC)
@paginate(LimitOffsetPagination)
def list_conversations(request, slug: str):
    lab = get_object_or_404(Lab, slug=slug)
    require(request.user, "design.view_lab", lab)
    return Conversation.objects.filter(lab=lab).select_related("lab").order_by("pk")


@router.get("/conversations/{conversation_id}/statements", response=list[StatementOut], auth=PUBLIC)
@paginate(LimitOffsetPagination)
def list_statements(request, conversation_id: int):
    conversation = _conversation(conversation_id)
    require(request.user, "design.view_lab", conversation.lab)
    return Statement.objects.filter(conversation=conversation,
                                    status__in=conversation.visible_statuses()).order_by("number")


@router.post("/conversations/{conversation_id}/statements", response={201: StatementOut}, auth=PUBLIC)
def submit_statement(request, conversation_id: int, payload: StatementIn):
    conversation = _conversation(conversation_id)
    _require_participation(request, conversation)
    _check_write(request)
    statement = services.submit_statement(request.user, conversation, payload.text,
                                          session_key=session_key(request, create=True), channel=Channel.API)
    return 201, statement


@router.post("/conversations/{conversation_id}/votes", response={200: VoteOut}, auth=PUBLIC)
def cast_vote(request, conversation_id: int, payload: VoteIn):
    """Agree, disagree or pass. Voting again on a statement changes the vote (the history is kept)."""
    if request.user.is_authenticated:  # one statement on PostgreSQL once the caller has taken part
        _check_write(request)
        vote = services.cast_vote_fast(request.user, conversation_id, payload.statement, payload.vote,
                                       channel=Channel.API)
        if vote is not None:
            return {"statement": payload.statement, "vote": vote.value, "participant": vote.participant.number}
    participant = services.find_participant_by_id(request.user, conversation_id)  # one query when known
    conversation = participant.conversation if participant is not None else _conversation(conversation_id)
    _require_participation(request, conversation)
    _check_write(request)
    key = session_key(request, create=True)
    if participant is None:
        participant = services.find_participant(request.user, conversation, key)
    vote = services.cast_vote(request.user, conversation, payload.statement, payload.vote, session_key=key,
                              participant=participant, channel=Channel.API)
    return {"statement": payload.statement, "vote": vote.value, "participant": vote.participant.number}


@router.get("/conversations/{conversation_id}/next", response=NextOut, auth=PUBLIC)
def next_statement(request, conversation_id: int):
    """The next statement for the caller, chosen by the engine's priorities (null when all are voted)."""
    conversation = _conversation(conversation_id)
    require(request.user, "design.view_lab", conversation.lab)
    participant = services.find_participant(request.user, conversation, session_key(request))
    statement = services.next_statement(conversation, participant)
    visible = Statement.objects.filter(conversation=conversation, status__in=conversation.visible_statuses())
    voted = visible.filter(votes__participant=participant).count() if participant is not None else 0
    return {"statement": statement, "remaining": visible.count() - voted}


@router.get("/conversations/{conversation_id}/analysis", response=AnalysisOut, auth=PUBLIC)
def latest_analysis(request, conversation_id: int):
    """The latest stored analysis (groups, consensus, representative statements, priorities)."""
    conversation = _conversation(conversation_id)
    require(request.user, "design.view_lab", conversation.lab)
    analysis = get_object_or_404(Analysis, conversation=conversation)
    return {"conversation": conversation.pk, "computed_at": analysis.computed_at, "vote_count": analysis.vote_count,
            "participant_count": analysis.participant_count, "group_count": analysis.group_count,
            "pending": conversation.analysis_pending, "result": analysis.result}


@router.get("/conversations/{conversation_id}/demographics", response=dict, auth=PUBLIC)
def demographic_breakdown(request, conversation_id: int):
    """Answers to the optional demographic questions per opinion group of the latest analysis; counts
    below `threshold` are suppressed (`count` null, `display` "fewer than 5")."""
    conversation = _conversation(conversation_id)
    require(request.user, "design.view_lab", conversation.lab)
    analysis = Analysis.objects.filter(conversation=conversation).first()
    return {"conversation": conversation.pk, "computed_at": analysis.computed_at if analysis else None,
            **demographics.as_json(demographics.breakdown(conversation, analysis))}
