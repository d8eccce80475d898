"""Every change of state in co-design goes through a function here.

Each function checks permission (`permissions.require`), validates (raising
`ValidationError({field: [message]})`), runs in one transaction, writes the audit log with the channel
and on whose behalf, and enqueues background work (`tasks.py`). Bad input changes nothing.

`actor=None` means the system: the server's command line, the demo loader and background tasks act
without a login (as `coproduce apitoken` does). Views and the API always pass the request's user.

The opinion maths is the pure engine `coproduce.design.analysis`; this module feeds it plain rows and
stores its result (`Analysis`). Pages read the stored result and never compute it.
"""

from __future__ import annotations

import io
import math
import time
import zipfile
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core import audit
from coproduce.core import services as core_services
from coproduce.core.audit import Channel
from coproduce.core.models import Organisation, Person
from coproduce.core.on_behalf import check_on_behalf
from coproduce.core.permissions import person_of, require
from coproduce.core.validation import full_clean, unique_slug

from . import fastpath, tasks
from . import polis_export as polis
from .analysis import analyse, choose_next
from .analysis.priority import priority as _priority
from .analysis.themes import extend_themes
from .models import (
    AGREE,
    DISAGREE,
    PASS,
    Analysis,
    Answer,
    Conversation,
    Decision,
    Feedback,
    FollowUp,
    GroupCitation,
    Insight,
    Invitation,
    Lab,
    Participant,
    PolisUpload,
    Question,
    Statement,
    Theme,
    Vote,
    VoteEvent,
)

VOTE_VALUES = (AGREE, DISAGREE, PASS)
MAX_STATEMENT_LENGTH = 500
# The priority the engine gives a statement nobody has voted on yet (used until the next analysis).
NEW_STATEMENT_PRIORITY = float(_priority(0, 0, 0, 0.0))
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _require(actor, perm: str, obj=None) -> None:
    """`require`, except that `None` is the system (command line, demo, background tasks)."""
    if actor is None:
        return
    require(actor, perm, obj)


def _actor_person(actor) -> Person | None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    return person_of(actor) or core_services.person_for_new_user(actor)


def _lock(conversation: Conversation) -> None:
    """Serialise numbering inside a conversation (a no-op on SQLite, whose writers queue anyway)."""
    list(Conversation.objects.select_for_update().filter(pk=conversation.pk).values_list("pk", flat=True))


def _next_number(model, conversation: Conversation) -> int:
    top = model.objects.filter(conversation=conversation).aggregate(top=Max("number"))["top"]
    return 0 if top is None else top + 1


# --- labs --------------------------------------------------------------------------------------

LAB_FIELDS = {"title", "challenge", "target_users", "participation", "members_of"}


def _validate_lab(lab: Lab) -> None:
    if not (lab.title or "").strip():
        raise ValidationError({"title": [_("Please give the lab a title.")]})
    if lab.members_of_id and lab.participation != Lab.Participation.MEMBERS:
        lab.members_of = None
    full_clean(lab, exclude=["created_by"])


@transaction.atomic
def create_lab(actor, organisation: Organisation, *, title: str, challenge: str = "", target_users: str = "",
               participation: str = Lab.Participation.OPEN, members_of: Organisation | None = None,
               slug: str = "", channel=Channel.WEB) -> Lab:
    _require(actor, "design.add_lab", organisation)
    lab = Lab(organisation=organisation, title=(title or "").strip(), challenge=challenge, target_users=target_users,
              participation=participation, members_of=members_of, slug=slug or unique_slug(Lab, title or "", fallback="lab"),
              created_by=actor if actor is not None and actor.pk else None)
    _validate_lab(lab)
    lab.save()
    audit.record(actor, "lab.create", lab, organisation=organisation, channel=channel,
                 details={"participation": participation})
    return lab


@transaction.atomic
def update_lab(actor, lab: Lab, *, channel=Channel.WEB, **changes) -> Lab:
    _require(actor, "design.manage_lab", lab)
    unknown = set(changes) - LAB_FIELDS
    if unknown:
        raise ValidationError({field: [_("This field cannot be changed here.")] for field in unknown})
    before = {field: str(getattr(lab, field)) for field in changes}
    for field, value in changes.items():
        setattr(lab, field, value)
    _validate_lab(lab)
    lab.save()
    audit.record(actor, "lab.update", lab, organisation=lab.organisation, channel=channel,
                 details={"before": before})
    return lab


def _lock_lab(lab: Lab) -> None:
    """Serialise stage changes and publishing within a lab, and refresh the stage it is at."""
    lab.stage = Lab.objects.select_for_update().values_list("stage", flat=True).get(pk=lab.pk)


@transaction.atomic
def set_stage(actor, lab: Lab, stage: str, *, channel=Channel.WEB) -> Lab:
    """Move the lab between gather → synthesise → decide → test, back as well as forward, with one rule:
    once a decision of the lab is published, the lab can no longer go back to gathering. A published
    decision tells people "you said, we did"; reopening the gathering would let the votes and statements
    it rests on change afterwards. Later stages stay free to move between (every move is audited)."""
    _require(actor, "design.manage_lab", lab)
    if stage not in Lab.Stage.values:
        raise ValidationError({"stage": [_("Unknown stage.")]})
    _lock_lab(lab)  # publishing a decision takes the same lock, so the two cannot cross
    if stage == Lab.Stage.GATHER and lab.decisions.filter(status=Decision.Status.PUBLISHED).exists():
        raise ValidationError({"stage": [
            _("This lab has published decisions, so it cannot go back to gathering views. Start a new lab "
              "to gather views again.")
        ]})
    before = lab.stage
    lab.stage = stage
    lab.save(update_fields=["stage"])
    audit.record(actor, "lab.stage", lab, organisation=lab.organisation, channel=channel,
                 details={"from": before, "to": stage})
    return lab


@transaction.atomic
def invite(actor, lab: Lab, person: Person, *, channel=Channel.WEB) -> Invitation:
    _require(actor, "design.manage_lab", lab)
    if person.erased_at is not None:
        raise ValidationError({"person": [_("This person's data has been erased.")]})
    if lab.invitations.filter(person=person).exists():
        raise ValidationError({"person": [_("This person is already invited.")]})
    invitation = Invitation.objects.create(lab=lab, person=person,
                                           invited_by=actor if actor is not None and actor.pk else None)
    audit.record(actor, "lab.invite", lab, organisation=lab.organisation, channel=channel,
                 details={"person": person.pk})
    return invitation


# --- conversations -----------------------------------------------------------------------------

CONVERSATION_FIELDS = {"title", "question", "moderation", "anonymous_allowed", "statements_allowed", "is_open"}


def _validate_conversation(conversation: Conversation) -> None:
    errors = {}
    if not (conversation.title or "").strip():
        errors["title"] = [_("Please give the conversation a title.")]
    if conversation.anonymous_allowed and conversation.lab.participation != Lab.Participation.OPEN:
        errors["anonymous_allowed"] = [
            _("Anonymous participation is only possible in labs open to everyone.")
        ]
    if errors:
        raise ValidationError(errors)
    full_clean(conversation, exclude=["lab"])


@transaction.atomic
def create_conversation(actor, lab: Lab, *, title: str, question: str = "",
                        moderation: str = Conversation.Moderation.PRE, anonymous_allowed: bool = False,
                        statements_allowed: bool = True, is_open: bool = True, channel=Channel.WEB) -> Conversation:
    _require(actor, "design.manage_lab", lab)
    conversation = Conversation(lab=lab, title=(title or "").strip(), question=question, moderation=moderation,
                                anonymous_allowed=anonymous_allowed, statements_allowed=statements_allowed,
                                is_open=is_open)
    _validate_conversation(conversation)
    conversation.save()
    audit.record(actor, "conversation.create", conversation, organisation=lab.organisation, channel=channel)
    return conversation


@transaction.atomic
def update_conversation(actor, conversation: Conversation, *, channel=Channel.WEB, **changes) -> Conversation:
    _require(actor, "design.manage_lab", conversation.lab)
    unknown = set(changes) - CONVERSATION_FIELDS
    if unknown:
        raise ValidationError({field: [_("This field cannot be changed here.")] for field in unknown})
    before = {field: str(getattr(conversation, field)) for field in changes}
    for field, value in changes.items():
        setattr(conversation, field, value)
    _validate_conversation(conversation)
    conversation.save()
    audit.record(actor, "conversation.update", conversation, organisation=conversation.lab.organisation,
                 channel=channel, details={"before": before})
    request_analysis(conversation)
    return conversation


def _check_taking_votes(conversation: Conversation) -> None:
    if not conversation.lab.is_gathering:
        raise ValidationError({"conversation": [
            _("This lab has finished gathering views, so the conversation takes no more votes or statements.")
        ]})
    if not conversation.is_open:
        raise ValidationError({"conversation": [_("This conversation is closed.")]})


def _participant(actor, conversation: Conversation, *, person: Person | None = None, session_key: str | None = None,
                 label: str = "", channel=Channel.WEB, create: bool = True) -> Participant | None:
    """The participant acting: `person` (on their behalf), else the paper ballot labelled `label`, else the
    actor's person, else the anonymous session. Created on first use; numbering is serialised by locking
    the conversation row. A label names one participant within a conversation: entering the same label
    again means the same paper ballot (see `record_votes`)."""
    if person is None and label:
        lookup = {"label": label}
    elif person is None:
        person = _actor_person(actor)
        if person is None and not session_key:
            raise ValidationError({"participant": [_("Log in, or take part from a browser session.")]})
        lookup = {"person": person} if person is not None else {"session_key": session_key}
    else:
        lookup = {"person": person}
    found = Participant.objects.filter(conversation=conversation, **lookup).first()
    if found is None and create:
        _lock(conversation)
        found = Participant.objects.filter(conversation=conversation, **lookup).first()
        if found is None:
            _check_label_free(conversation, label)
            return Participant.objects.create(
                conversation=conversation, number=_next_number(Participant, conversation), person=person,
                session_key=None if person is not None else (session_key or None), label=label, channel=channel,
            )
    if found is not None and "label" in lookup and found.person_id is not None:
        raise ValidationError({"label": [_("This label belongs to a named person's ballot. Choose that person "
                                           "instead, or give the ballot another label.")]})
    return found


def _check_label_free(conversation: Conversation, label: str) -> None:
    if label and Participant.objects.filter(conversation=conversation, label=label).exists():
        raise ValidationError({"label": [_("Another participant in this conversation already has this label. "
                                           "Give this ballot another label.")]})


def find_participant(user, conversation: Conversation, session_key: str | None = None) -> Participant | None:
    """The caller's participant in this conversation, if they have taken part (no writes)."""
    if getattr(user, "is_authenticated", False):
        found = (Participant.objects.select_related("person")
                 .filter(conversation=conversation, person__user=user, person__erased_at__isnull=True).first())
        if found is not None:
            user._coproduce_person = found.person
            get_user_model().person.related.set_cached_value(user, found.person)  # audit labels, no query
        return found
    if session_key:
        return Participant.objects.filter(conversation=conversation, session_key=session_key).first()
    return None


# Only what the vote path reads (fewer columns to fetch and turn into objects); anything else loads lazily.
_HOT_FIELDS = (
    "id", "number", "conversation_id", "person_id", "session_key",
    "person__id", "person__name", "person__user_id", "person__erased_at",
    "conversation__id", "conversation__lab_id", "conversation__title", "conversation__moderation",
    "conversation__anonymous_allowed", "conversation__is_open", "conversation__analysis_pending",
    "conversation__lab__id", "conversation__lab__slug", "conversation__lab__stage",
    "conversation__lab__participation", "conversation__lab__organisation_id", "conversation__lab__members_of_id",
    "conversation__lab__organisation__id", "conversation__lab__organisation__parent_id",
    "conversation__lab__organisation__name",
    "conversation__lab__members_of__id", "conversation__lab__members_of__parent_id",
)


def find_participant_by_id(user, conversation_id: int) -> Participant | None:
    """The logged-in caller's participant with its conversation, lab and organisation, in one query
    (the vote fast path); None for anonymous callers or people who have not taken part yet."""
    if not getattr(user, "is_authenticated", False):
        return None
    found = (Participant.objects
             .select_related("person", "conversation__lab__organisation", "conversation__lab__members_of")
             .only(*_HOT_FIELDS)
             .filter(conversation_id=conversation_id, person__user=user, person__erased_at__isnull=True)
             .order_by()[:1])
    found = found[0] if found else None
    if found is not None:
        user._coproduce_person = found.person
        get_user_model().person.related.set_cached_value(user, found.person)
    return found


def _visible(conversation: Conversation):
    return Statement.objects.filter(conversation=conversation, status__in=conversation.visible_statuses())


@transaction.atomic
def add_seed_statement(actor, conversation: Conversation, text: str, *, is_meta: bool = False,
                       channel=Channel.WEB) -> Statement:
    """Staff start the conversation with seed statements (published at once)."""
    _require(actor, "design.manage_lab", conversation.lab)
    text = _validate_statement_text(conversation, text)
    author = None
    if _actor_person(actor) is not None:
        author = _participant(actor, conversation, channel=channel)
    _lock(conversation)
    statement = Statement.objects.create(
        conversation=conversation, number=_next_number(Statement, conversation), text=text, author=author,
        is_seed=True, is_meta=is_meta, status=Statement.Status.ACCEPTED,
        moderated_by=actor if actor is not None and actor.pk else None, moderated_at=timezone.now(),
    )
    audit.record(actor, "statement.seed", statement, organisation=conversation.lab.organisation, channel=channel)
    request_analysis(conversation)
    return statement


def _validate_statement_text(conversation: Conversation, text: str) -> str:
    text = " ".join((text or "").split())
    if not text:
        raise ValidationError({"text": [_("Please write a statement.")]})
    if len(text) > MAX_STATEMENT_LENGTH:
        raise ValidationError({"text": [
            _("Please keep a statement to %(n)s characters.") % {"n": MAX_STATEMENT_LENGTH}
        ]})
    if conversation.statements.filter(text__iexact=text).exists():
        raise ValidationError({"text": [_("This statement is already in the conversation.")]})
    return text


@transaction.atomic
def submit_statement(actor, conversation: Conversation, text: str, *, session_key: str | None = None,
                     channel=Channel.WEB) -> Statement:
    """A participant writes a statement. Pre-moderated conversations hide it until it is approved."""
    _require(actor, "design.participate", conversation)
    _check_taking_votes(conversation)
    if not conversation.statements_allowed:
        raise ValidationError({"text": [_("This conversation does not take new statements.")]})
    text = _validate_statement_text(conversation, text)
    author = _participant(actor, conversation, session_key=session_key, channel=channel)
    _lock(conversation)
    statement = Statement.objects.create(conversation=conversation, number=_next_number(Statement, conversation),
                                         text=text, author=author, status=Statement.Status.PENDING)
    audit.record(actor, "statement.submit", statement, organisation=conversation.lab.organisation,
                 channel=channel, details={"participant": author.number})
    if conversation.moderation == Conversation.Moderation.POST:
        request_analysis(conversation)
    return statement


@transaction.atomic
def moderate_statement(actor, statement: Statement, *, accept: bool, channel=Channel.WEB) -> Statement:
    conversation = statement.conversation
    _require(actor, "design.moderate", conversation.lab)
    before = statement.status
    statement.status = Statement.Status.ACCEPTED if accept else Statement.Status.REJECTED
    statement.moderated_by = actor if actor is not None and actor.pk else None
    statement.moderated_at = timezone.now()
    statement.save(update_fields=["status", "moderated_by", "moderated_at"])
    audit.record(actor, "statement.accept" if accept else "statement.reject", statement,
                 organisation=conversation.lab.organisation, channel=channel,
                 details={"before": before})
    request_analysis(conversation)
    return statement


# --- votes -------------------------------------------------------------------------------------


_UPSERT_VOTE = (
    "INSERT INTO design_vote (conversation_id, participant_id, statement_id, value, created_at, updated_at) "
    "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (participant_id, statement_id) "
    "DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at"
)
_INSERT_EVENT = (
    "INSERT INTO design_voteevent (conversation_id, participant_id, statement_id, value, at, channel) "
    "VALUES (%s, %s, %s, %s, %s, %s)"
)


def _write_vote(conversation: Conversation, participant: Participant, statement: Statement, value: int,
                channel: str, now) -> Vote:
    """One upsert of the current vote and one row of history: two plain statements (the hot path of
    vote ingestion; `INSERT … ON CONFLICT` works on SQLite and PostgreSQL alike)."""
    at = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT_VOTE, [conversation.pk, participant.pk, statement.pk, value, at, at])
        cursor.execute(_INSERT_EVENT, [conversation.pk, participant.pk, statement.pk, value, at, channel])
    return Vote(conversation_id=conversation.pk, participant=participant, statement=statement, value=value,
                updated_at=now)


def _statement_for_vote(conversation: Conversation, statement) -> Statement:
    if isinstance(statement, Statement):
        if statement.conversation_id != conversation.pk:
            raise ValidationError({"statement": [_("This statement is not in this conversation.")]})
        found = statement
    else:
        rows = (Statement.objects.only("pk", "number", "status", "text", "conversation_id")
                .filter(conversation=conversation, number=statement).order_by()[:1])
        found = rows[0] if rows else None
        if found is None:
            raise ValidationError({"statement": [_("There is no such statement in this conversation.")]})
    if found.status not in conversation.visible_statuses():
        raise ValidationError({"statement": [_("This statement is not open for votes.")]})
    return found


def _validate_value(value) -> int:
    if value not in VOTE_VALUES or isinstance(value, bool):
        raise ValidationError({"vote": [_("A vote is 1 (agree), -1 (disagree) or 0 (pass).")]})
    return int(value)


@transaction.atomic
def cast_vote(actor, conversation: Conversation, statement, value: int, *, session_key: str | None = None,
              participant: Participant | None = None, channel=Channel.WEB) -> Vote:
    """Agree (1), disagree (-1) or pass (0) on a statement. One current vote per participant and
    statement: voting again changes it; every vote cast is kept in the history (`VoteEvent`).

    This is the fast path: one upsert, one history row and one audit entry."""
    _require(actor, "design.participate", conversation)
    _check_taking_votes(conversation)
    value = _validate_value(value)
    statement = _statement_for_vote(conversation, statement)
    if participant is None:
        participant = _participant(actor, conversation, session_key=session_key, channel=channel)
    vote = _write_vote(conversation, participant, statement, value, channel, timezone.now())
    audit.record(actor, "vote.cast", statement, organisation=conversation.lab.organisation, channel=channel,
                 details={"participant": participant.number, "vote": value})
    request_analysis(conversation)
    return vote


def cast_vote_fast(actor, conversation_id: int, number: int, value: int, *, channel=Channel.API) -> Vote | None:
    """The vote path of the API for a logged-in caller who has voted in this conversation before: on
    PostgreSQL one statement (`fastpath`) checks everything `cast_vote` checks and writes what it writes
    (the upserted vote, the history row, the audit entry). Returns None, having written nothing, when
    the statement cannot decide on its own (a first vote, a lab for members, lab staff, a closed
    conversation, an unknown statement, SQLite): the caller then takes `cast_vote`, which decides and
    explains a refusal (a bad vote value too)."""
    cast = vote_statement(actor, conversation_id, number, value, channel=channel)
    return None if cast is None else after_vote_statement(conversation_id, value, *cast)


def vote_statement(actor, conversation_id: int, number: int, value: int, *, channel=Channel.API,
                   token: str | None = None, using=None):
    """The first half of `cast_vote_fast`: the one statement. (fastpath result, time of the vote) when it
    cast the vote; None, having written nothing, otherwise. The caller is `actor`, or — for the fast lane,
    which has not looked the caller up — the owner of the live bearer token `token` (the statement
    applies `core.tokens`' rules to it)."""
    if value not in VOTE_VALUES or isinstance(value, bool) or not fastpath.available():
        return None
    if token is None and not getattr(actor, "is_authenticated", False):
        return None
    now = timezone.now()
    result = fastpath.cast_vote(conversation=conversation_id, user=None if token is not None else actor.pk,
                                token=token, number=int(number), value=value, now=now, channel=channel, using=using)
    return (result, now) if result.cast else None


def after_vote_statement(conversation_id: int, value: int, result, now) -> Vote:
    """The second half of `cast_vote_fast`, once the vote is written: ask for an analysis if none is
    waiting (`vote_statement_done`), and return the vote."""
    vote_statement_done(conversation_id, result)
    return Vote(conversation_id=conversation_id, participant=Participant(number=result.participant_number),
                value=value, updated_at=now)


def vote_statement_done(conversation_id: int, result) -> None:
    """After the one statement cast a vote: the rare vote that finds no analysis waiting asks for one,
    as `cast_vote` does (flag + task)."""
    if not result.analysis_pending:
        with transaction.atomic():
            request_analysis(Conversation(pk=conversation_id, analysis_pending=False))


@transaction.atomic
def record_votes(actor, conversation: Conversation, votes: Mapping[int, int], *, person: Person | None = None,
                 label: str = "", statements: Iterable[str] = (), channel=Channel.PAPER) -> Participant:
    """Staff enter the votes of one person (or one anonymous paper ballot) from a workshop or a form
    on paper: recorded on their behalf, with the channel it came by. `votes`: statement number -> vote.
    A ballot's label identifies it within the conversation: entering the same label again (spaces
    collapsed) adds to and updates that ballot's votes rather than creating a second participant;
    a label already held by a named person's participation is refused.
    `statements`: statements that person wrote on the form, added as theirs and moderated like any other."""
    _require(actor, "design.manage_lab", conversation.lab)
    if person is not None:
        _require(actor, "core.act_for_person", person)
    _check_taking_votes(conversation)
    label = _ballot_label(person, label)
    texts = _validate_ballot_statements(conversation, statements)
    if not votes and not texts:
        raise ValidationError({"votes": [_("Enter at least one vote or statement.")]})
    values = {int(n): _validate_value(v) for n, v in votes.items()}
    targets = {s.number: s for s in _visible(conversation).filter(number__in=list(values))}
    missing = sorted(set(values) - set(targets))
    if missing:
        raise ValidationError({"votes": [_("Not open for votes: statement %(n)s.") % {"n": missing[0]}]})
    participant = _participant(actor, conversation, person=person, label=label, channel=channel)
    now = timezone.now()
    for number, value in sorted(values.items()):
        _write_vote(conversation, participant, targets[number], value, channel, now)
    if values:
        audit.record(actor, "vote.record", conversation, organisation=conversation.lab.organisation,
                     on_behalf_of=person, channel=channel,
                     details={"participant": participant.number, "votes": {str(k): v for k, v in values.items()}})
    for text in texts:
        _lock(conversation)
        statement = Statement.objects.create(conversation=conversation, number=_next_number(Statement, conversation),
                                             text=text, author=participant, status=Statement.Status.PENDING)
        audit.record(actor, "statement.submit", statement, organisation=conversation.lab.organisation,
                     on_behalf_of=person, channel=channel, details={"participant": participant.number})
    if values or conversation.moderation == Conversation.Moderation.POST:
        request_analysis(conversation)
    return participant


def _ballot_label(person: Person | None, label: str) -> str:
    """A paper ballot's label with its spaces collapsed; required when no person is chosen."""
    label = " ".join((label or "").split())
    if person is None and not label:
        raise ValidationError({"label": [_("Choose the person, or give the ballot a label such as its number.")]})
    if len(label) > Participant._meta.get_field("label").max_length:
        raise ValidationError({"label": [_("Please keep the label to 80 characters or fewer.")]})
    return label


def _validate_ballot_statements(conversation: Conversation, statements: Iterable[str]) -> list[str]:
    """The statements written on a paper form, cleaned; errors are reported on the field `statements`."""
    texts: list[str] = []
    for raw in statements:
        if not (raw or "").strip():
            continue
        if not conversation.statements_allowed:
            raise ValidationError({"statements": [_("This conversation does not take new statements.")]})
        try:
            text = _validate_statement_text(conversation, raw)
        except ValidationError as exc:
            raise ValidationError({"statements": exc.message_dict["text"]}) from exc
        if text.lower() in (t.lower() for t in texts):
            raise ValidationError({"statements": [_("This statement is already in the conversation.")]})
        texts.append(text)
    return texts


def merge_anonymous_participation(user, session_keys: Iterable[str], *, channel=Channel.WEB) -> int:
    """Someone who took part anonymously in this browser has logged in (or signed up): what they did
    under those session keys becomes their account's. Where they had not taken part with their account,
    the anonymous participant simply becomes theirs (keeping its number); where they had, the two are
    merged: on a statement both voted on, the later vote wins (and is the current vote); the history of
    votes, their answers (the later answer wins) and the statements they wrote move across. Each
    conversation is merged in its own transaction, audited, and asks for a fresh analysis. Returns the
    number of conversations merged."""
    person = _actor_person(user)
    keys = [k for k in session_keys if k]
    if person is None or person.erased_at is not None or not keys:
        return 0
    merged = 0
    for anonymous_id in (Participant.objects.filter(session_key__in=keys, person__isnull=True)
                         .order_by("pk").values_list("pk", flat=True)):
        with transaction.atomic():
            anonymous = (Participant.objects.select_related("conversation__lab__organisation")
                         .filter(pk=anonymous_id, person__isnull=True).first())
            if anonymous is None:
                continue
            conversation = anonymous.conversation
            _lock(conversation)
            mine = Participant.objects.filter(conversation=conversation, person=person).first()
            details = {"from": anonymous.number}
            if mine is None:
                anonymous.person, anonymous.session_key = person, None
                anonymous.save(update_fields=["person", "session_key"])
                details.update(participant=anonymous.number, votes=anonymous.votes.count())
            else:
                details.update(participant=mine.number, votes=_merge_participants(anonymous, mine))
            audit.record(user, "participant.merge", conversation, organisation=conversation.lab.organisation,
                         channel=channel, details=details)
            request_analysis(conversation)
            merged += 1
    return merged


def _merge_participants(source: Participant, target: Participant) -> int:
    """Move `source`'s votes, history, answers and statements to `target` (later vote or answer wins),
    then remove `source`. Returns how many of the source's votes became current votes of the target."""
    theirs = {v.statement_id: v for v in Vote.objects.filter(participant=target)}
    taken = 0
    for vote in Vote.objects.filter(participant=source).order_by("pk"):
        current = theirs.get(vote.statement_id)
        if current is None:
            Vote.objects.filter(pk=vote.pk).update(participant=target)
            taken += 1
        elif vote.updated_at > current.updated_at:
            Vote.objects.filter(pk=current.pk).update(value=vote.value, updated_at=vote.updated_at,
                                                       created_at=min(current.created_at, vote.created_at))
            taken += 1
    VoteEvent.objects.filter(participant=source).update(participant=target)
    answered = {a.question_id: a for a in Answer.objects.filter(participant=target)}
    for answer in Answer.objects.filter(participant=source):
        current = answered.get(answer.question_id)
        if current is None:
            Answer.objects.filter(pk=answer.pk).update(participant=target)
        elif answer.created_at > current.created_at:
            Answer.objects.filter(pk=current.pk).update(choice=answer.choice, created_at=answer.created_at)
    Statement.objects.filter(author=source).update(author=target)
    source.delete()  # its remaining votes and answers were superseded by later ones
    return taken


# --- demographic questions ---------------------------------------------------------------------


@transaction.atomic
def add_question(actor, conversation: Conversation, text: str, choices: Iterable[str], *,
                 channel=Channel.WEB) -> Question:
    _require(actor, "design.manage_lab", conversation.lab)
    choices = [c.strip() for c in choices if c and c.strip()]
    errors = {}
    if not (text or "").strip():
        errors["text"] = [_("Please write the question.")]
    if len(choices) < 2:
        errors["choices"] = [_("Give at least two answers to choose from.")]
    if errors:
        raise ValidationError(errors)
    position = conversation.questions.count()
    question = Question.objects.create(conversation=conversation, text=text.strip(), choices=choices,
                                       position=position)
    audit.record(actor, "question.add", question, organisation=conversation.lab.organisation, channel=channel)
    return question


@transaction.atomic
def answer_question(actor, question: Question, choice: int, *, session_key: str | None = None,
                    channel=Channel.WEB) -> Answer:
    conversation = question.conversation
    _require(actor, "design.participate", conversation)
    _check_taking_votes(conversation)
    if not _is_choice(question, choice):
        raise ValidationError({"choice": [_("Choose one of the answers.")]})
    participant = _participant(actor, conversation, session_key=session_key, channel=channel)
    answer, _created = Answer.objects.update_or_create(participant=participant, question=question,
                                                       defaults={"choice": choice, "channel": channel,
                                                                 "entered_by": None})
    audit.record(actor, "question.answer", question, organisation=conversation.lab.organisation, channel=channel,
                 details={"participant": participant.number})
    return answer


def _is_choice(question: Question, choice) -> bool:
    """Whether `choice` is the index of one of the question's answers (the check online and on paper)."""
    return isinstance(choice, int) and not isinstance(choice, bool) and 0 <= choice < len(question.choices)


@transaction.atomic
def record_answers(actor, conversation: Conversation, answers: Mapping[int, int | None], *,
                   person: Person | None = None, label: str = "", channel=Channel.PAPER) -> Participant:
    """Lab staff enter the demographic answers written on a paper form, for the participant of that
    form (its ballot `label`, as for `record_votes`, or a named `person` they may act for). Each answer
    is recorded as entered on the participant's behalf: with its channel and who entered it.
    `answers`: question id -> index of the chosen answer, or None to remove an answer entered by mistake.
    The answers stay editable by staff until the lab stops gathering views (the synthesis reads them),
    even when the conversation itself has closed to votes. Bad input (an unknown question, an answer
    that is not one of the question's) is reported per question (`q<id>`) and writes nothing."""
    _require(actor, "design.manage_lab", conversation.lab)
    if person is not None:
        _require(actor, "core.act_for_person", person)
    if not conversation.lab.is_gathering:
        raise ValidationError({"conversation": [
            _("This lab has finished gathering views, so answers from paper can no longer be entered or changed.")
        ]})
    label = _ballot_label(person, label)
    if channel not in Channel.OFFLINE:
        raise ValidationError({"channel": [_("Say how the answers reached you: on paper, in person or by phone.")]})
    questions = {q.pk: q for q in Question.objects.filter(conversation=conversation)}
    errors, cleaned = {}, {}
    for key, choice in answers.items():
        question = questions.get(int(key)) if str(key).isdigit() else None
        if question is None:
            errors["answers"] = [_("Unknown question: %(q)s.") % {"q": key}]
        elif choice is None or _is_choice(question, choice):
            cleaned[question.pk] = choice
        else:
            errors[f"q{question.pk}"] = [_("Choose one of the answers.")]
    if errors:
        raise ValidationError(errors)
    found = _participant(actor, conversation, person=person, label=label, create=False)
    if found is None and all(choice is None for choice in cleaned.values()):
        raise ValidationError({"answers": [_("Enter at least one answer.")]})
    participant = found or _participant(actor, conversation, person=person, label=label, channel=channel)
    # two desks typing in the same form queue here, so each question keeps one answer
    Participant.objects.select_for_update().filter(pk=participant.pk).values_list("pk", flat=True).first()
    entered_by = actor if actor is not None and actor.pk else None
    current = {a.question_id: a for a in Answer.objects.filter(participant=participant)}
    changed, now = {}, timezone.now()
    for question_id, choice in sorted(cleaned.items()):
        answer = current.get(question_id)
        if choice is None:
            if answer is not None:
                answer.delete()
                changed[str(question_id)] = None
        elif answer is None or answer.choice != choice:
            Answer.objects.update_or_create(participant=participant, question_id=question_id, defaults={
                "choice": choice, "channel": channel, "entered_by": entered_by, "created_at": now})
            changed[str(question_id)] = choice
    audit.record(actor, "question.answer_on_paper", conversation, organisation=conversation.lab.organisation,
                 on_behalf_of=person, channel=channel, details={"participant": participant.number, "answers": changed})
    return participant


def paper_answers(conversation: Conversation, *, person: Person | None = None, label: str = "") -> dict[int, int]:
    """The answers already recorded for a paper form (question id -> choice), to correct them (no writes)."""
    label = " ".join((label or "").split())
    if person is None and not label:
        return {}
    lookup = {"participant__person": person} if person is not None else {"participant__label": label}
    return dict(Answer.objects.filter(participant__conversation=conversation, **lookup)
                .values_list("question_id", "choice"))


# --- analysis ----------------------------------------------------------------------------------


def request_analysis(conversation: Conversation, *, force: bool = False) -> bool:
    """Ask for the analysis to be recomputed in the background. Coalesced: when one is already pending
    nothing is enqueued. Returns whether a task was enqueued."""
    if conversation.analysis_pending and not force:
        return False
    # `analysis_pending` as loaded with the conversation: when set, a run is already waiting and will
    # read our vote. We never set it on the object here, so long-lived objects keep asking the database.
    flagged = Conversation.objects.filter(pk=conversation.pk, analysis_pending=False).update(analysis_pending=True)
    if not flagged and not force:
        return False
    tasks.recompute_analysis.enqueue(conversation_id=conversation.pk)
    return True


@transaction.atomic
def refresh_analysis(actor, conversation: Conversation, *, channel=Channel.WEB) -> bool:
    """Staff ask for a fresh analysis now (e.g. after a worker was down)."""
    _require(actor, "design.manage_lab", conversation.lab)
    audit.record(actor, "conversation.analyse", conversation, organisation=conversation.lab.organisation,
                 channel=channel)
    return request_analysis(conversation, force=True)


def _finite(value):
    """JSON without NaN or infinities (PostgreSQL's jsonb refuses them)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def analysis_inputs(conversation: Conversation) -> dict:
    """Plain data for the engine: vote rows keyed by participant and statement numbers."""
    rows = list(Vote.objects.filter(conversation=conversation)
                .values_list("participant__number", "statement__number", "value"))
    statements = list(Statement.objects.filter(conversation=conversation)
                      .values_list("number", "status", "is_meta"))
    visible = set(conversation.visible_statuses())
    return {
        "votes": [(p, s, v, 0) for p, s, v in rows],
        "moderation": {n: status for n, status, _meta in statements},
        "meta": {n for n, _status, meta in statements if meta},
        "statements": [n for n, status, _meta in statements if status in visible],
    }


def compute_analysis(conversation: Conversation) -> Analysis:
    """Run the engine on the stored votes and keep the result. Called by the background task."""
    started = time.perf_counter()
    data = analysis_inputs(conversation)
    result = analyse(data["votes"], data["moderation"], data["meta"], statements=data["statements"])
    payload = _finite(result.to_json())
    payload["in_conversation_ids"] = [int(p) for p in result.in_conversation]
    analysis, _created = Analysis.objects.update_or_create(
        conversation=conversation,
        defaults={
            "result": payload,
            "computed_at": timezone.now(),
            "vote_count": len(data["votes"]),
            "participant_count": len(result.participants),
            "statement_count": len(data["statements"]),
            "group_count": result.k,
            "duration_ms": int((time.perf_counter() - started) * 1000),
        },
    )
    return analysis


def next_statement(conversation: Conversation, participant: Participant | None,
                   analysis: Analysis | None = None) -> Statement | None:
    """The next statement to show: drawn by the engine (`choose_next`) with the priorities of the latest
    stored analysis, among the visible statements this participant has not voted on. Statements added
    since that analysis get the engine's priority for a new statement. The draw is seeded by the
    participant and how many votes they have cast, so the same state always shows the same statement."""
    visible = dict(_visible(conversation).values_list("number", "pk"))
    voted = set()
    if participant is not None:
        voted = set(Vote.objects.filter(participant=participant).values_list("statement__number", flat=True))
    if analysis is None:
        analysis = Analysis.objects.filter(conversation=conversation).first()
    stored = (analysis.result.get("priorities", {}) if analysis is not None else {}) or {}
    priorities = {}
    for number in visible:
        value = stored.get(str(number))
        priorities[number] = float(value) if value is not None else NEW_STATEMENT_PRIORITY
    seed = (participant.pk if participant is not None else 0) * 100_003 + len(voted)
    number = choose_next(priorities, exclude=voted, seed=seed)
    if number is None:
        return None
    return Statement.objects.get(pk=visible[number])


# --- feedback and themes -----------------------------------------------------------------------


@transaction.atomic
def add_feedback(actor, lab: Lab, *, text: str, kind: str = Feedback.Kind.STORY, person: Person | None = None,
                 consent: bool = False, channel=Channel.WEB) -> Feedback:
    """Record free text. People who may take part in the lab give their own stories and ideas; lab staff
    record what was said at a workshop or sent in (no person, by any channel). Feedback in another
    person's name is recorded only on their behalf, by the rule every app uses (`core.on_behalf`): lab
    staff who may act for that person (`core.act_for_person`), saying how it reached them (not the
    website) and that the person agreed (`consent`); it is stored and shown as recorded on their behalf.
    Anyone else naming another person is refused."""
    manages = actor is None or actor.has_perm("design.manage_lab", lab)
    if not manages and not (getattr(actor, "is_authenticated", False) and actor.has_perm("design.give_feedback", lab)):
        raise PermissionDenied("design.give_feedback")
    errors = {}
    on_behalf = person if actor is None else check_on_behalf(actor, person, errors, channel=channel, consent=consent)
    if on_behalf is not None and actor is not None:
        if not manages:
            raise PermissionDenied("design.manage_lab")
        _require(actor, "core.act_for_person", on_behalf)
    if on_behalf is not None and on_behalf.erased_at is not None:
        errors["person"] = [_("This person's data has been erased.")]
    if not manages:
        person = _actor_person(actor)
    if not (text or "").strip():
        errors["text"] = [_("Please write the feedback.")]
    if kind not in Feedback.Kind.values:
        errors["kind"] = [_("Unknown kind of feedback.")]
    if errors:
        raise ValidationError(errors)
    item = Feedback.objects.create(lab=lab, kind=kind, text=text.strip(), person=person, channel=channel,
                                   on_behalf=on_behalf is not None,
                                   recorded_by=actor if actor is not None and actor.pk else None)
    audit.record(actor, "feedback.add", item, organisation=lab.organisation, channel=channel,
                 on_behalf_of=on_behalf, details={"consent": True} if on_behalf is not None else None)
    return item


@transaction.atomic
def request_themes(actor, lab: Lab, *, channel=Channel.WEB) -> None:
    """Group the lab's feedback into themes, in the background. Themes staff curated (renamed, merged or
    split) are kept and take in new feedback close to them; themes cited by an insight are kept as they
    are, with their items; everything else is grouped afresh."""
    _require(actor, "design.manage_lab", lab)
    if not lab.feedback.exists():
        raise ValidationError({"feedback": [_("There is no feedback to group yet.")]})
    audit.record(actor, "themes.request", lab, organisation=lab.organisation, channel=channel)
    tasks.compute_themes.enqueue(lab_id=lab.pk)


STAFF_THEME = "staff"  # `Theme.source` of a theme staff renamed, merged or split


@transaction.atomic
def store_themes(lab: Lab, *, seed: int = 0) -> list[Theme]:
    """Group the lab's feedback again and store the themes (`analysis.themes.extend_themes`):
    - themes staff curated are kept with their items, and each other item joins the curated theme
      closest to it when it is close enough;
    - themes an insight cites (and staff did not curate) keep exactly their items;
    - every other theme is replaced by the engine's new themes for the items left.
    The engine's backend comes from the settings `DESIGN_THEMES_BACKEND` / `DESIGN_THEMES_MODEL`; items
    whose language does not show are taken to be in the site's language (`LANGUAGE_CODE`)."""
    curated = list(Theme.objects.filter(lab=lab, source=STAFF_THEME).order_by("pk"))
    frozen = set(Theme.objects.filter(lab=lab, insights__isnull=False).exclude(source=STAFF_THEME)
                 .values_list("pk", flat=True))
    Theme.objects.filter(lab=lab).exclude(pk__in=frozen | {t.pk for t in curated}).delete()
    items = list(lab.feedback.exclude(theme_id__in=frozen).order_by("pk"))
    position = {t.pk: n for n, t in enumerate(curated)}
    held = [[] for _t in curated]
    for i, item in enumerate(items):
        if item.theme_id in position:
            held[position[item.theme_id]].append(i)
    result = extend_themes([item.text for item in items], held, seed=seed,
                           backend=getattr(settings, "DESIGN_THEMES_BACKEND", "tfidf"),
                           model_name=getattr(settings, "DESIGN_THEMES_MODEL", None),
                           language=settings.LANGUAGE_CODE)
    for n, theme in enumerate(curated):
        joined = [items[i].pk for i, to in result.assigned.items() if to == n]
        if joined:
            Feedback.objects.filter(pk__in=joined).update(theme=theme)
    themes = []
    for found in result.new.themes:
        theme = Theme.objects.create(lab=lab, label=found.label or _("Other"), keywords=found.keywords,
                                     source=result.new.backend)
        Feedback.objects.filter(pk__in=[items[i].pk for i in found.items]).update(theme=theme)
        themes.append(theme)
    audit.record(None, "themes.store", lab, organisation=lab.organisation, channel=Channel.SYSTEM,
                 details={"themes": len(themes), "items": len(items), "backend": result.new.backend,
                          "kept": len(curated) + len(frozen), "joined_kept": len(result.assigned)})
    return themes


@transaction.atomic
def rename_theme(actor, theme: Theme, label: str, *, channel=Channel.WEB) -> Theme:
    _require(actor, "design.manage_lab", theme.lab)
    label = (label or "").strip()
    if not label:
        raise ValidationError({"label": [_("Please give the theme a name.")]})
    before = theme.label
    theme.label = label[:160]
    theme.source = STAFF_THEME
    theme.save(update_fields=["label", "source"])
    audit.record(actor, "theme.rename", theme, organisation=theme.lab.organisation, channel=channel,
                 details={"before": before})
    return theme


@transaction.atomic
def merge_themes(actor, target: Theme, sources: Iterable[Theme], *, channel=Channel.WEB) -> Theme:
    """Move every item of `sources` into `target`; insights citing a source then cite the target."""
    _require(actor, "design.manage_lab", target.lab)
    sources = [s for s in sources if s.pk != target.pk]
    if not sources:
        raise ValidationError({"sources": [_("Choose at least one other theme to merge.")]})
    if any(s.lab_id != target.lab_id for s in sources):
        raise ValidationError({"sources": [_("Themes can only be merged within one lab.")]})
    ids = [s.pk for s in sources]
    Feedback.objects.filter(theme_id__in=ids).update(theme=target)
    for insight in Insight.objects.filter(themes__in=ids).distinct():
        insight.themes.add(target)
    Theme.objects.filter(pk__in=ids).delete()
    target.source = STAFF_THEME
    target.save(update_fields=["source"])
    audit.record(actor, "theme.merge", target, organisation=target.lab.organisation, channel=channel,
                 details={"merged": ids})
    return target


@transaction.atomic
def split_theme(actor, theme: Theme, items: Iterable[Feedback], label: str, *, channel=Channel.WEB) -> Theme:
    """Move some of a theme's items into a new theme."""
    _require(actor, "design.manage_lab", theme.lab)
    items = list(items)
    errors = {}
    if not (label or "").strip():
        errors["label"] = [_("Please name the new theme.")]
    if not items or any(item.theme_id != theme.pk for item in items):
        errors["items"] = [_("Choose some of this theme's items.")]
    elif len(items) == theme.items.count():
        errors["items"] = [_("Leave at least one item in this theme (or rename it instead).")]
    if errors:
        raise ValidationError(errors)
    new = Theme.objects.create(lab=theme.lab, label=label.strip()[:160], source=STAFF_THEME)
    Feedback.objects.filter(pk__in=[item.pk for item in items]).update(theme=new)
    theme.source = STAFF_THEME  # what stays behind was curated too
    theme.save(update_fields=["source"])
    audit.record(actor, "theme.split", new, organisation=theme.lab.organisation, channel=channel,
                 details={"from": theme.pk, "items": [item.pk for item in items]})
    return new


# --- insights and decisions --------------------------------------------------------------------


@transaction.atomic
def create_insight(actor, lab: Lab, *, title: str, body: str = "", statements: Iterable[Statement] = (),
                   themes: Iterable[Theme] = (), groups: Iterable[tuple[Conversation, int]] = (),
                   channel=Channel.WEB) -> Insight:
    """An insight must cite its evidence: statements, opinion groups and/or themes of this lab."""
    _require(actor, "design.manage_lab", lab)
    statements, themes, groups = list(statements), list(themes), list(groups)
    errors = {}
    if not (title or "").strip():
        errors["title"] = [_("Please give the insight a title.")]
    if not (statements or themes or groups):
        errors["__all__"] = [_("Cite the evidence: at least one statement, opinion group or theme.")]
    if any(s.conversation.lab_id != lab.pk for s in statements):
        errors["statements"] = [_("Cite statements from this lab only.")]
    if any(t.lab_id != lab.pk for t in themes):
        errors["themes"] = [_("Cite themes from this lab only.")]
    snapshots = []
    for conversation, group in groups:
        analysis = Analysis.objects.filter(conversation=conversation).first()
        members = [] if analysis is None else [
            int(p) for p, g in analysis.result.get("groups", {}).items() if g == group
        ]
        if conversation.lab_id != lab.pk or not members:
            errors["groups"] = [_("Cite opinion groups of this lab's latest analyses.")]
            break
        snapshots.append((conversation, group, sorted(members)))
    if errors:
        raise ValidationError(errors)
    insight = Insight.objects.create(lab=lab, title=title.strip(), body=body,
                                     created_by=actor if actor is not None and actor.pk else None)
    insight.statements.set(statements)
    insight.themes.set(themes)
    GroupCitation.objects.bulk_create([
        GroupCitation(insight=insight, conversation=c, group=g, size=len(m), participant_numbers=m)
        for c, g, m in snapshots
    ])
    audit.record(actor, "insight.create", insight, organisation=lab.organisation, channel=channel, details={
        "statements": [s.pk for s in statements], "themes": [t.pk for t in themes],
        "groups": [[c.pk, g] for c, g, _m in snapshots],
    })
    return insight


@transaction.atomic
def create_decision(actor, lab: Lab, *, title: str, body: str = "", insights: Iterable[Insight] = (),
                    channel=Channel.WEB) -> Decision:
    """A draft decision; it must rest on at least one insight of the lab."""
    _require(actor, "design.manage_lab", lab)
    insights = list(insights)
    errors = {}
    if not (title or "").strip():
        errors["title"] = [_("Please give the decision a title.")]
    if not insights:
        errors["insights"] = [_("A decision must cite the insights it rests on.")]
    elif any(i.lab_id != lab.pk for i in insights):
        errors["insights"] = [_("Cite insights from this lab only.")]
    if errors:
        raise ValidationError(errors)
    decision = Decision.objects.create(lab=lab, title=title.strip(), body=body,
                                       created_by=actor if actor is not None and actor.pk else None)
    decision.insights.set(insights)
    audit.record(actor, "decision.create", decision, organisation=lab.organisation, channel=channel,
                 details={"insights": [i.pk for i in insights]})
    return decision


def people_behind(decision: Decision) -> list[Person]:
    """Everyone whose statements, votes or feedback the decision's insights cite (not erased). Staff who
    wrote seed statements are not "the people behind it"; people who voted on them are."""
    insights = decision.insights.all()
    statement_ids = list(Statement.objects.filter(insights__in=insights).values_list("pk", flat=True))
    theme_ids = list(Theme.objects.filter(insights__in=insights).values_list("pk", flat=True))
    by_group = Q(pk__in=[])
    for citation in GroupCitation.objects.filter(insight__in=insights):
        by_group |= Q(design_participations__conversation_id=citation.conversation_id,
                      design_participations__number__in=citation.participant_numbers)
    return list(
        Person.objects.filter(erased_at__isnull=True).filter(
            Q(design_participations__statements__in=statement_ids, design_participations__statements__is_seed=False)
            | Q(design_participations__votes__statement_id__in=statement_ids)
            | Q(design_feedback__theme_id__in=theme_ids)
            | by_group
        ).distinct().order_by("pk")
    )


@transaction.atomic
def publish_decision(actor, decision: Decision, *, channel=Channel.WEB) -> Decision:
    """Publish a decision and tell the people behind it: "you said, we did". People with an email are
    sent one; people without (who take part by phone, on paper or in person) go on the decision's
    follow-up list (`FollowUp`) for staff to tell them, see `record_told_offline`. Refused while the
    lab is still gathering views."""
    lab = decision.lab
    _require(actor, "design.manage_lab", lab)
    _lock_lab(lab)
    if lab.is_gathering:
        raise ValidationError({"lab": [
            _("Decisions cannot be published while the lab is still gathering views. Move the lab on to "
              "the synthesise stage (or later) first.")
        ]})
    if decision.status == Decision.Status.PUBLISHED:
        raise ValidationError({"status": [_("This decision is already published.")]})
    decision.status = Decision.Status.PUBLISHED
    decision.published_at = timezone.now()
    decision.published_by = actor if actor is not None and actor.pk else None
    decision.save(update_fields=["status", "published_at", "published_by"])
    people = people_behind(decision)
    recipients = [p for p in people if p.email]
    offline = [p for p in people if not p.email]
    FollowUp.objects.bulk_create([FollowUp(decision=decision, person=p) for p in offline])
    audit.record(actor, "decision.publish", decision, organisation=lab.organisation, channel=channel,
                 details={"notified": len(recipients), "to_tell_offline": [p.pk for p in offline]})
    for person in recipients:
        tasks.send_decision_notice.enqueue(
            to=person.email, language=person.preferred_language,
            context={"name": person.name, "lab": lab.title, "organisation": lab.organisation.name,
                     "decision": decision.title, "body": decision.body,
                     "path": decision.get_absolute_url(), "trail_path": f"{lab.get_absolute_url()}trail/"},
        )
    return decision


@transaction.atomic
def record_told_offline(actor, follow_up: FollowUp, *, channel: str, note: str = "") -> FollowUp:
    """Staff have told someone without email about a decision made on what they said: by phone, by
    letter or in person. Only staff of the lab who may act for that person; audited with the channel."""
    decision = follow_up.decision
    lab = decision.lab
    _require(actor, "design.manage_lab", lab)
    _require(actor, "core.act_for_person", follow_up.person)
    errors = {}
    if channel not in Channel.OFFLINE:
        errors["channel"] = [_("Say how you told them: by phone, by letter or in person.")]
    note = (note or "").strip()
    if len(note) > FollowUp._meta.get_field("note").max_length:
        errors["note"] = [_("Please keep the note to 300 characters or fewer.")]
    if FollowUp.objects.select_for_update().filter(pk=follow_up.pk, told_at__isnull=False).exists():
        errors["follow_up"] = [_("This person has already been told.")]
    if errors:
        raise ValidationError(errors)
    follow_up.told_at = timezone.now()
    follow_up.told_by = actor if actor is not None and actor.pk else None
    follow_up.channel, follow_up.note = channel, note
    follow_up.save(update_fields=["told_at", "told_by", "channel", "note"])
    audit.record(actor, "decision.told_offline", decision, organisation=lab.organisation, channel=channel,
                 details={"person": follow_up.person_id, "note": note})
    return follow_up


# --- Polis interoperability --------------------------------------------------------------------


def _from_ms(ms: int) -> datetime:
    return EPOCH + timedelta(milliseconds=int(ms))


def _to_ms(at: datetime) -> int:
    return (at - EPOCH) // timedelta(milliseconds=1)


def read_uploaded_export(files: Mapping[str, bytes | str]) -> polis.PolisExport:
    """A `PolisExport` from uploaded file contents ({"comments.csv": ..., "votes.csv": ..., ...})."""
    def text(name: str) -> str | None:
        raw = files.get(name)
        if raw is None:
            return None
        if isinstance(raw, bytes):
            try:
                return raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise polis.PolisExportError(name, None, f"not valid UTF-8 ({exc.reason} at byte {exc.start})") from exc
        return raw

    comments_text, votes_text = text(polis.COMMENTS), text(polis.VOTES)
    if comments_text is None or votes_text is None:
        raise polis.PolisExportError(polis.COMMENTS if comments_text is None else polis.VOTES, None, "file is missing")
    comments, c_layout = polis.read_comments(polis.COMMENTS, comments_text)
    votes = polis.read_votes(polis.VOTES, votes_text, {c.comment_id for c in comments})
    export = polis.PolisExport(comments, votes, layout={polis.COMMENTS: c_layout, polis.VOTES: "new"})
    participants_text = text(polis.PARTICIPANTS)
    if participants_text:
        export.participants, export.participant_columns, export.layout[polis.PARTICIPANTS] = \
            polis.read_participants(polis.PARTICIPANTS, participants_text)
    summary_text = text(polis.SUMMARY)
    if summary_text:
        export.summary = polis.read_summary(polis.SUMMARY, summary_text)
    return export


@transaction.atomic
def import_polis(actor, lab: Lab, export: polis.PolisExport, *, title: str = "", source: str = "",
                 channel=Channel.IMPORT, analyse_now: bool = False, progress=None) -> Conversation:
    """Create a conversation from a Polis export: statements keep their comment-ids, participants their
    voter-ids, every vote its time. The current vote per participant and statement is the last one
    (by timestamp, then file order), exactly as the engine reads votes.csv. `progress(step, done,
    total)`, when given, is told how far the import has got (votes in batches)."""
    _require(actor, "design.manage_lab", lab)
    report = progress or (lambda step, done, total: None)
    summary = dict(export.summary or [])
    title = (title or summary.get("topic") or "").strip() or _("Imported conversation")
    conversation = Conversation.objects.create(
        lab=lab, title=title[:200], question=summary.get("conversation-description", ""),
        moderation=Conversation.Moderation.POST, is_open=False,
        imported_from=(source or summary.get("url", ""))[:300],
    )
    numbers = set()
    for c in export.comments:
        numbers.add(c.author_id)
    for v in export.votes:
        numbers.add(v.voter_id)
    xids = {}
    for row in export.participants or []:
        numbers.add(row.participant)
        if row.xid:
            xids[row.participant] = row.xid
    if any(n < 0 for n in numbers):
        raise ValidationError({"votes": [_("Participant ids in a Polis export cannot be negative.")]})
    Participant.objects.bulk_create([
        Participant(conversation=conversation, number=n, external_id=xids.get(n, "")[:120], channel=channel)
        for n in sorted(numbers)
    ], batch_size=2000)
    participants = dict(Participant.objects.filter(conversation=conversation).values_list("number", "pk"))
    report("participants", len(participants), len(participants))
    Statement.objects.bulk_create([
        Statement(conversation=conversation, number=c.comment_id, text=c.body, author_id=participants[c.author_id],
                  is_seed=bool(c.is_seed), is_meta=bool(c.is_meta), status=c.moderated,
                  created_at=_from_ms(c.timestamp))
        for c in export.comments
    ], batch_size=2000)
    statements = dict(Statement.objects.filter(conversation=conversation).values_list("number", "pk"))
    report("statements", len(statements), len(statements))
    batch, total = 5000, len(export.votes)
    for start in range(0, total, batch):
        VoteEvent.objects.bulk_create([
            VoteEvent(conversation=conversation, participant_id=participants[v.voter_id],
                      statement_id=statements[v.comment_id], value=v.vote, at=_from_ms(v.timestamp),
                      channel=channel)
            for v in export.votes[start:start + batch]
        ])
        report("votes", min(start + batch, total), total)
    latest: dict[tuple[int, int], tuple[int, int, int, int]] = {}
    order = sorted(range(len(export.votes)), key=lambda i: (export.votes[i].timestamp, i))
    for i in order:
        v = export.votes[i]
        first = latest.get((v.voter_id, v.comment_id), (None, v.timestamp))[1]
        latest[(v.voter_id, v.comment_id)] = (v.vote, first, v.timestamp, i)
    Vote.objects.bulk_create([
        Vote(conversation=conversation, participant_id=participants[p], statement_id=statements[s], value=value,
             created_at=_from_ms(first), updated_at=_from_ms(last))
        for (p, s), (value, first, last, _i) in latest.items()
    ], batch_size=5000)
    report("current votes", len(latest), len(latest))
    audit.record(actor, "conversation.import", conversation, organisation=lab.organisation, channel=channel,
                 details={"source": conversation.imported_from, "statements": len(export.comments),
                          "participants": len(numbers), "votes": len(export.votes)})
    if analyse_now:
        compute_analysis(conversation)
    else:
        request_analysis(conversation)
    return conversation


# Uploads larger than this (all files together) are imported in the background, with a status page.
BACKGROUND_IMPORT_BYTES = 2 * 1024 * 1024
UPLOAD_FILES = (polis.COMMENTS, polis.VOTES, polis.PARTICIPANTS, polis.SUMMARY)


def _upload_folder(upload: PolisUpload) -> Path:
    return Path(settings.MEDIA_ROOT) / upload.folder


@transaction.atomic
def queue_polis_upload(actor, lab: Lab, files: Mapping[str, bytes], *, title: str = "",
                       channel=Channel.IMPORT) -> PolisUpload:
    """Store an uploaded Polis export (`files`: {"comments.csv": bytes, ...}) and import it in the
    background (`tasks.import_polis_upload`); its progress shows on the upload's status page."""
    _require(actor, "design.manage_lab", lab)
    unknown = sorted(set(files) - set(UPLOAD_FILES))
    if unknown:
        raise ValidationError({"votes": [_("Unexpected file: %(name)s.") % {"name": unknown[0]}]})
    for name in (polis.COMMENTS, polis.VOTES):
        if not files.get(name):
            raise ValidationError({"comments" if name == polis.COMMENTS else "votes": [_("This file is missing.")]})
    upload = PolisUpload.objects.create(
        lab=lab, title=(title or "").strip()[:200], size=sum(len(b) for b in files.values()),
        uploaded_by=actor if actor is not None and actor.pk else None, step=_("Waiting to start"),
    )
    upload.folder = f"design/uploads/{upload.pk}"
    upload.save(update_fields=["folder"])
    folder = _upload_folder(upload)
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    audit.record(actor, "conversation.import_queued", upload, organisation=lab.organisation, channel=channel,
                 details={"bytes": upload.size, "files": sorted(files)})
    tasks.import_polis_upload.enqueue(upload_id=upload.pk)  # committed with the upload (database queue)
    return upload


def _set_progress(upload: PolisUpload, percent: int, step: str, **fields) -> None:
    """Progress is written on its own (outside the import's transaction), so the status page sees it."""
    upload.progress, upload.step = percent, step
    for name, value in fields.items():
        setattr(upload, name, value)
    PolisUpload.objects.filter(pk=upload.pk).update(progress=percent, step=step[:200], **fields)


def run_polis_upload(upload: PolisUpload, *, channel=Channel.IMPORT) -> PolisUpload:
    """Import a stored upload (the background task): read and check the files, import them as one
    conversation (nothing is kept of a broken export), analyse it, and report progress on the way.
    The stored files are removed when it finishes, whether it worked or not."""
    if upload.finished:
        return upload
    lab, actor = upload.lab, upload.uploaded_by
    folder = _upload_folder(upload)
    try:
        _set_progress(upload, 5, _("Reading the files"), status=PolisUpload.Status.RUNNING)
        files = {name: (folder / name).read_bytes() for name in UPLOAD_FILES if (folder / name).exists()}
        _set_progress(upload, 10, _("Checking the files"))
        export = read_uploaded_export(files)
        _set_progress(upload, 30, _("Importing %(statements)s statements and %(votes)s votes") % {
            "statements": len(export.comments), "votes": len(export.votes)})
        conversation = import_polis(actor, lab, export, title=upload.title, source=upload.title,
                                    channel=channel)
        _set_progress(upload, 80, _("Analysing the votes"), conversation=conversation)
        compute_analysis(conversation)
        _set_progress(upload, 100, _("Imported"), status=PolisUpload.Status.DONE, finished_at=timezone.now())
    except polis.PolisExportError as exc:
        _set_progress(upload, upload.progress, _("Failed"), status=PolisUpload.Status.FAILED, error=str(exc),
                      finished_at=timezone.now())
    except (ValidationError, PermissionDenied) as exc:
        message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else _(
            "The person who uploaded it may no longer run this lab.")
        _set_progress(upload, upload.progress, _("Failed"), status=PolisUpload.Status.FAILED, error=message,
                      finished_at=timezone.now())
    finally:
        for path in folder.glob("*"):
            path.unlink(missing_ok=True)
        if folder.exists():
            folder.rmdir()
    return upload


def build_polis_export(conversation: Conversation) -> polis.PolisExport:
    """The conversation as a Polis export (newer layout): comments, the vote history, participants'
    current votes with the opinion groups of the latest analysis, and a summary."""
    analysis = Analysis.objects.filter(conversation=conversation).first()
    result = analysis.result if analysis is not None else {}
    consensus = result.get("consensus", {})
    counts = {
        row["statement_id"]: row
        for row in Vote.objects.filter(conversation=conversation).values("statement_id").annotate(
            agrees=Count("pk", filter=Q(value=AGREE)), disagrees=Count("pk", filter=Q(value=DISAGREE)))
    }
    statements = list(Statement.objects.filter(conversation=conversation).select_related("author").order_by("number"))
    comments = []
    for s in statements:
        c = counts.get(s.pk, {})
        gic = consensus.get(str(s.number))
        comments.append(polis.Comment(
            comment_id=s.number, author_id=s.author.number if s.author is not None else 0,
            timestamp=_to_ms(s.created_at), agrees=c.get("agrees", 0), disagrees=c.get("disagrees", 0),
            moderated=int(s.status), body=s.text, is_meta=s.is_meta, is_seed=s.is_seed,
            group_informed_consensus=float(gic) if gic is not None else None,
        ))
    votes = [
        polis.Vote(timestamp=_to_ms(at), datetime=at.astimezone(UTC).strftime("%a %b %d %H:%M:%S UTC %Y"),
                   comment_id=s, voter_id=p, vote=v)
        for at, s, p, v in VoteEvent.objects.filter(conversation=conversation).order_by("at", "pk")
        .values_list("at", "statement__number", "participant__number", "value").iterator(chunk_size=5000)
    ]
    columns = [s.number for s in statements]
    current: dict[int, dict[int, int]] = {}
    for p, s, v in Vote.objects.filter(conversation=conversation).values_list(
            "participant__number", "statement__number", "value").iterator(chunk_size=5000):
        current.setdefault(p, {})[s] = v
    authored = dict(Statement.objects.filter(conversation=conversation, author__isnull=False)
                    .values("author__number").annotate(n=Count("pk")).values_list("author__number", "n"))
    groups = result.get("groups", {})
    participants = []
    for p, xid in Participant.objects.filter(conversation=conversation).order_by("number").values_list(
            "number", "external_id"):
        mine = current.get(p, {})
        participants.append(polis.ParticipantRow(
            participant=p, xid=xid or None, group_id=groups.get(str(p)), n_comments=authored.get(p, 0),
            n_votes=len(mine), n_agree=sum(1 for v in mine.values() if v == AGREE),
            n_disagree=sum(1 for v in mine.values() if v == DISAGREE),
            votes=tuple(mine.get(c) for c in columns),
        ))
    summary = [
        ("topic", conversation.title), ("url", conversation.imported_from),
        ("voters", str(len(current))), ("voters-in-conv", str(len(result.get("in_conversation_ids", [])))),
        ("commenters", str(len(authored))), ("comments", str(len(statements))),
        ("groups", str(result.get("k", 0))), ("conversation-description", conversation.question),
    ]
    return polis.PolisExport(comments, votes, participants, columns, summary)


def export_polis(actor, conversation: Conversation, folder: str | Path | None = None, *,
                 channel=Channel.WEB) -> bytes | None:
    """Export a conversation in Polis's format: written to `folder`, or returned as zip bytes."""
    _require(actor, "design.export_conversation", conversation.lab)
    export = build_polis_export(conversation)
    with transaction.atomic():
        audit.record(actor, "conversation.export", conversation, organisation=conversation.lab.organisation,
                     channel=channel)
    if folder is not None:
        polis.write_export(export, folder)
        return None
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        polis.write_export(export, tmp)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(Path(tmp).iterdir()):
                archive.write(path, path.name)
    return buffer.getvalue()
