"""Every change of state of surveys goes through a function here (the survey part of `services`).

Each function checks permission, validates (raising `ValidationError({field: [message]})`, changing
nothing), runs in one transaction and writes the audit log. Answers are validated against their
question; errors are keyed by the question's field name (`q<id>`).
"""

import csv
import hashlib
import io
import json
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core import audit
from coproduce.core.audit import Channel
from coproduce.core.memory import collector_paused, computed_once, json_values
from coproduce.core.models import Organisation, Person
from coproduce.core.permissions import person_of, require
from coproduce.core.validation import full_clean, unique_slug, validate_fields

from . import survey_results
from .lifecycle_services import lock as _lock
from .lifecycle_services import step_status
from .models import Survey, SurveyAnswer, SurveyQuestion, SurveyResponse
from .services import RateLimited, _channel, hash_ip

Kind = SurveyQuestion.Kind
MAX_OPTIONS = 30
MAX_TEXT_ANSWER = 5000
ALLOCATION_TOTAL = survey_results.ALLOCATION_TOTAL
DEFAULT_SCALE = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]
CHOICE_KINDS = {Kind.SINGLE, Kind.MULTIPLE, Kind.RANKING, Kind.ALLOCATION}
SCALE_KINDS = {Kind.LIKERT, Kind.MATRIX}
# An outcome indicator takes a survey question's result only from this many answers in the period.
MIN_ANSWERS_FOR_INDICATOR = 5


def survey_rate_limit() -> int:
    """Anonymous survey responses allowed per address per minute."""
    return getattr(settings, "SURVEY_RATE_PER_IP_PER_MINUTE", 10)


# --- building a survey -------------------------------------------------------------------------


def _require_draft(survey: Survey, field: str = "status") -> None:
    if survey.status != Survey.Status.DRAFT:
        raise ValidationError({field: [_("Questions and targeting change only while the survey is a draft.")]})


@transaction.atomic
def create_survey(actor, organisation: Organisation, *, title: str, description: str = "", is_anonymous=False,
                  area=None, channel=Channel.WEB) -> Survey:
    require(actor, "assessment.add_survey", organisation)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": [_("Please give the survey a title.")]})
    survey = Survey(organisation=organisation, title=title, slug=unique_slug(Survey, title, fallback="survey"),
                    description=(description or "").strip(), is_anonymous=bool(is_anonymous), area=area,
                    created_by=actor if actor is not None and actor.pk else None)
    full_clean(survey, exclude=["organisation", "area", "group_question", "created_by"])
    survey.save()
    audit.record(actor, "survey.create", survey, organisation=organisation, channel=_channel(channel))
    return survey


@transaction.atomic
def update_survey(actor, survey: Survey, *, channel=Channel.WEB, **changes) -> Survey:
    """Title and introduction change at any time; anonymity and area only in a draft; the grouping
    question (a single-choice question of this survey) at any time."""
    require(actor, "assessment.change_survey", survey)
    allowed = {"title", "description", "is_anonymous", "area", "group_question"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError({field: [_("This field cannot be changed here.")] for field in unknown})
    _lock(survey)
    for field in ("is_anonymous", "area"):
        if field in changes and changes[field] != getattr(survey, field):
            _require_draft(survey, field)
    group = changes.get("group_question")
    if group is not None and (group.survey_id != survey.pk or group.kind != Kind.SINGLE):
        raise ValidationError({"group_question": [_("Group by a single-choice question of this survey.")]})
    if "title" in changes:
        changes["title"] = (changes["title"] or "").strip()
        if not changes["title"]:
            raise ValidationError({"title": [_("Please give the survey a title.")]})
    for field, value in changes.items():
        setattr(survey, field, value)
    full_clean(survey, exclude=["organisation", "area", "group_question", "created_by"])
    survey.save()
    audit.record(actor, "survey.update", survey, organisation=survey.organisation, channel=_channel(channel),
                 details={"fields": sorted(changes)})
    return survey


def _clean_list(values, field: str, *, at_least: int, what: str) -> list[str]:
    items = [str(v).strip() for v in (values or []) if str(v).strip()]
    if len(items) < at_least:
        raise ValidationError({field: [_("Give at least %(n)s %(what)s, one per line.") % {"n": at_least,
                                                                                         "what": what}]})
    if len(items) > MAX_OPTIONS:
        raise ValidationError({field: [_("Give at most %(n)s, please.") % {"n": MAX_OPTIONS}]})
    if len({i.lower() for i in items}) != len(items):
        raise ValidationError({field: [_("Each one once, please.")]})
    if any(len(i) > 200 for i in items):
        raise ValidationError({field: [_("Keep each one under 200 characters.")]})
    return items


def _clean_question(question: SurveyQuestion) -> None:
    """Check a question's definition and drop what its kind does not use."""
    errors = {}
    question.text = (question.text or "").strip()
    if not question.text:
        errors["text"] = [_("Please write the question.")]
    if question.kind not in Kind.values:
        raise ValidationError({"kind": [_("Unknown kind of question.")]})
    try:
        if question.kind in CHOICE_KINDS:
            question.options = _clean_list(question.options, "options", at_least=2, what=_("options"))
        elif question.kind == Kind.MATRIX:
            question.options = _clean_list(question.options, "options", at_least=1, what=_("rows"))
        else:
            question.options = []
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        if question.kind in SCALE_KINDS:
            question.scale = _clean_list(question.scale or DEFAULT_SCALE, "scale", at_least=2,
                                         what=_("points on the scale"))
        else:
            question.scale = []
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if question.kind == Kind.NUMBER:
        if question.min_value is not None and question.max_value is not None and question.min_value > question.max_value:
            errors["max_value"] = [_("The largest allowed is below the smallest allowed.")]
    else:
        question.min_value = question.max_value = None
    if question.kind != Kind.ALLOCATION:
        question.unit = SurveyQuestion.Unit.POINTS
    if question.kind == Kind.LIKERT:
        valid = range(1, len(question.scale) + 1)
    elif question.kind in (Kind.SINGLE, Kind.MULTIPLE, Kind.ALLOCATION):
        valid = range(len(question.options))
    else:
        valid = range(0)
    headline = []
    for value in ((question.headline or []) if len(valid) else []):
        value = _int(value)
        if value is None or value not in valid:
            errors["headline"] = [_("Choose the headline answers among the options.")]
            break
        headline.append(value)
    question.headline = sorted(set(headline))
    if errors:
        raise ValidationError(errors)
    full_clean(question, exclude=["survey"])


@transaction.atomic
def create_survey_from_template(actor, organisation: Organisation, key: str, *, channel=Channel.WEB) -> Survey:
    """A draft survey made from a ready-made template (`survey_templates`) in one action: its questions,
    and the grouping of its allocation results, all or nothing."""
    from . import survey_templates

    require(actor, "assessment.add_survey", organisation)
    template = survey_templates.TEMPLATES.get(key)
    if template is None:
        raise ValidationError({"template": [_("Choose one of the ready-made surveys.")]})
    survey = create_survey(actor, organisation, title=str(template.title), description=str(template.description),
                           is_anonymous=template.is_anonymous, channel=channel)
    made = []
    for spec in template.questions:
        spec = {name: ([str(o) for o in value] if isinstance(value, list) else
                       value if isinstance(value, (bool, int)) else str(value)) for name, value in spec.items()}
        made.append(add_question(actor, survey, channel=channel, **spec))
    if template.group_by is not None:
        survey = update_survey(actor, survey, group_question=made[template.group_by], channel=channel)
    audit.record(actor, "survey.create_from_template", survey, organisation=organisation, channel=_channel(channel),
                 details={"template": key})
    return survey


QUESTION_FIELDS = {"kind", "text", "help_text", "required", "options", "scale", "min_value", "max_value", "unit",
                   "headline"}


@transaction.atomic
def add_question(actor, survey: Survey, *, kind: str, text: str, channel=Channel.WEB, **fields) -> SurveyQuestion:
    require(actor, "assessment.change_survey", survey)
    _require_draft(survey)
    unknown = set(fields) - QUESTION_FIELDS
    if unknown:
        raise ValidationError({field: [_("Unknown field.")] for field in unknown})
    top = survey.questions.aggregate(top=Max("position"))["top"]
    question = SurveyQuestion(survey=survey, kind=kind, text=text, position=0 if top is None else top + 1, **fields)
    _clean_question(question)
    question.save()
    audit.record(actor, "survey.question.add", survey, organisation=survey.organisation, channel=_channel(channel),
                 details={"question": question.pk, "kind": kind})
    return question


@transaction.atomic
def update_question(actor, question: SurveyQuestion, *, channel=Channel.WEB, **changes) -> SurveyQuestion:
    survey = question.survey
    require(actor, "assessment.change_survey", survey)
    _require_draft(survey)
    unknown = set(changes) - QUESTION_FIELDS
    if unknown:
        raise ValidationError({field: [_("Unknown field.")] for field in unknown})
    for field, value in changes.items():
        setattr(question, field, value)
    _clean_question(question)
    question.save()
    if survey.group_question_id == question.pk and question.kind != Kind.SINGLE:
        Survey.objects.filter(pk=survey.pk).update(group_question=None)
    audit.record(actor, "survey.question.change", survey, organisation=survey.organisation,
                 channel=_channel(channel), details={"question": question.pk})
    return question


@transaction.atomic
def delete_question(actor, question: SurveyQuestion, *, channel=Channel.WEB) -> None:
    survey = question.survey
    require(actor, "assessment.change_survey", survey)
    _require_draft(survey)
    pk = question.pk
    question.delete()
    audit.record(actor, "survey.question.delete", survey, organisation=survey.organisation,
                 channel=_channel(channel), details={"question": pk})


@transaction.atomic
def move_question(actor, question: SurveyQuestion, direction: int, *, channel=Channel.WEB) -> None:
    """Move a question one place up (-1) or down (+1)."""
    survey = question.survey
    require(actor, "assessment.change_survey", survey)
    _require_draft(survey)
    ordered = list(survey.questions.order_by("position", "id"))
    i = next(n for n, q in enumerate(ordered) if q.pk == question.pk)
    j = i + (1 if direction > 0 else -1)
    if not 0 <= j < len(ordered):
        return
    ordered[i], ordered[j] = ordered[j], ordered[i]
    for position, q in enumerate(ordered):
        if q.position != position:
            SurveyQuestion.objects.filter(pk=q.pk).update(position=position)
    audit.record(actor, "survey.question.move", survey, organisation=survey.organisation,
                 channel=_channel(channel), details={"question": question.pk, "to": j})


@transaction.atomic
def set_survey_status(actor, survey: Survey, status: str, *, channel=Channel.WEB) -> Survey:
    """draft → open (needs a question) → closed."""
    require(actor, "assessment.change_survey", survey)
    before = step_status(survey, status, order_error=_("A survey goes from draft to open to closed."),
                         content=survey.questions, empty_error=_("Add a question before opening the survey."))
    audit.record(actor, "survey.status", survey, organisation=survey.organisation, channel=_channel(channel),
                 details={"from": before, "to": status})
    return survey


@transaction.atomic
def publish_results(actor, survey: Survey, publish: bool = True, *, channel=Channel.WEB) -> Survey:
    """Publish (or withdraw) the results of a closed survey for everyone to see."""
    require(actor, "assessment.change_survey", survey)
    if publish and survey.status != Survey.Status.CLOSED:
        raise ValidationError({"results_published": [_("Close the survey before publishing its results.")]})
    survey.results_published = bool(publish)
    survey.save(update_fields=["results_published"])
    audit.record(actor, "survey.publish" if publish else "survey.unpublish", survey,
                 organisation=survey.organisation, channel=_channel(channel))
    return survey


# --- answering ---------------------------------------------------------------------------------


def _empty(value) -> bool:
    if value is None or value == "":
        return True
    if isinstance(value, (list, tuple)):
        return all(v is None or v == "" for v in value)
    return False


def plain(number: Decimal) -> str:
    """7.50 → '7.5', 10.0000 → '10' (never '1E+1')."""
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _int(value) -> int | None:
    """An integer from an int or a string of digits (never a bool or a fraction)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def _as_list(value) -> list:
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def clean_answer(question: SurveyQuestion, value):
    """The stored form of one non-empty answer, or ValidationError naming the question's field."""
    field, kind = question.field, question.kind

    def fail(message):
        raise ValidationError({field: [message]})

    n_options, n_scale = len(question.options), len(question.scale)
    if kind == Kind.SINGLE:
        index = _int(value[0] if isinstance(value, (list, tuple)) and len(value) == 1 else value)
        if index is None or not 0 <= index < n_options:
            fail(_("Choose one of the options."))
        return index
    if kind == Kind.MULTIPLE:
        picked = [_int(v) for v in _as_list(value) if v not in (None, "")]
        if any(i is None or not 0 <= i < n_options for i in picked) or len(set(picked)) != len(picked):
            fail(_("Choose among the options, each at most once."))
        return sorted(picked)
    if kind == Kind.LIKERT:
        point = _int(value)
        if point is None or not 1 <= point <= n_scale:
            fail(_("Choose a point on the scale from 1 to %(n)s.") % {"n": n_scale})
        return point
    if kind == Kind.NUMBER:
        try:
            number = Decimal(str(value).strip().replace(",", "."))
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or isinstance(value, bool):
            fail(_("Enter a number."))
        low, high = question.min_value, question.max_value
        if (low is not None and number < low) or (high is not None and number > high):
            if low is not None and high is not None:
                fail(_("Enter a number from %(low)s to %(high)s.") % {"low": plain(low), "high": plain(high)})
            elif low is not None:
                fail(_("Enter a number of at least %(low)s.") % {"low": plain(low)})
            fail(_("Enter a number of at most %(high)s.") % {"high": plain(high)})
        return plain(number)
    if kind == Kind.TEXT:
        text = str(value).strip()
        if len(text) > MAX_TEXT_ANSWER:
            fail(_("Please keep it under %(n)s characters.") % {"n": MAX_TEXT_ANSWER})
        return text
    if kind == Kind.RANKING:
        order = [_int(v) for v in _as_list(value)]
        if sorted(i if i is not None else -1 for i in order) != list(range(n_options)):
            fail(_("Rank every option once, from 1 to %(n)s.") % {"n": n_options})
        return order
    if kind == Kind.MATRIX:
        rows = _as_list(value)
        if len(rows) != n_options:
            fail(_("Answer every row."))
        points = [None if r in (None, "") else _int(r) for r in rows]
        if any(p is None for p in points):
            fail(_("Answer every row."))
        if any(not 1 <= p <= n_scale for p in points):
            fail(_("Choose a point on the scale from 1 to %(n)s in every row.") % {"n": n_scale})
        return points
    if kind == Kind.ALLOCATION:
        given = _as_list(value)
        if len(given) != n_options:
            fail(_("Give a share to every option (0 if none)."))
        given = [0 if v in (None, "") else v for v in given]
        points = [_int(v) for v in given]
        if any(p is None or p < 0 for p in points):
            fail(_("Use whole numbers of 0 or more."))
        total = sum(points)
        if total != ALLOCATION_TOTAL:
            fail(_("The shares must add up to exactly %(total)s; they add up to %(sum)s.") % {
                "total": ALLOCATION_TOTAL, "sum": total})
        return points
    fail(_("Unknown kind of question."))


def validate_answers(questions: list[SurveyQuestion], given: dict) -> dict[int, object]:
    """{question id: stored value} for the answered questions; every error at once, keyed `q<id>`."""
    return validate_fields(questions, given, prefix="q", clean=clean_answer, empty=_empty,
                           unknown=_("This survey has no such question."), required=_("This question needs an answer."))


def _check_area(survey: Survey, person: Person | None, field: str) -> None:
    if survey.area_id is None or survey.is_anonymous:
        return
    home = person.home_area if person is not None else None
    if home is None or not home.path.startswith(survey.area.path):
        raise ValidationError({field: [_("This survey is for people living in %(area)s.") % {"area": survey.area}]})


def _check_rate(ip_hash: str) -> None:
    if not ip_hash:
        return
    since = timezone.now() - timedelta(minutes=1)
    if SurveyResponse.objects.filter(ip_hash=ip_hash, submitted_at__gte=since).count() >= survey_rate_limit():
        raise RateLimited()


@transaction.atomic
def submit_response(actor, survey: Survey, answers: dict, *, on_behalf_of: Person | None = None,
                    channel=Channel.WEB, ip: str | None = None) -> SurveyResponse:
    """Answer a survey online, or (staff) enter a paper response – for a person when the survey is
    identified. One response per person for identified surveys; anonymous ones are rate-limited per
    address and keep no link to the person."""
    channel = _channel(channel)
    survey = Survey.objects.select_related("organisation", "area").get(pk=survey.pk)
    staff_entry = on_behalf_of is not None or channel == Channel.PAPER
    if staff_entry:
        require(actor, "assessment.enter_paper_response", survey)
        if survey.status != Survey.Status.OPEN:
            raise ValidationError({"status": [_("This survey is not open.")]})
        if survey.is_anonymous:
            person = None
        elif on_behalf_of is None:
            raise ValidationError({"person": [_("Say whose response this is: the survey is identified.")]})
        else:
            person = on_behalf_of
        _check_area(survey, person, "person")
    else:
        require(actor, "assessment.answer_survey", survey)
        person = None if survey.is_anonymous else person_of(actor)
    questions = list(survey.questions.all())
    cleaned = validate_answers(questions, answers or {})
    if person is not None and SurveyResponse.objects.filter(survey=survey, person=person).exists():
        raise ValidationError({"person" if staff_entry else "survey": [_("This person has already answered.")
                                                                      if staff_entry else
                                                                      _("You have already answered this survey.")]})
    ip_hash = ""
    if not staff_entry and (survey.is_anonymous or not getattr(actor, "is_authenticated", False)):
        ip_hash = hash_ip(ip)
        _check_rate(ip_hash)
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(
                survey=survey, person=person, channel=channel, ip_hash=ip_hash,
                entered_by=actor if staff_entry and actor is not None and actor.pk else None)
            SurveyAnswer.objects.bulk_create([SurveyAnswer(response=response, question_id=qid, value=value)
                                              for qid, value in cleaned.items()])
            Survey.objects.filter(pk=survey.pk).update(response_count=F("response_count") + 1,
                                                       results_version=F("results_version") + 1)
            audit.record(actor, "survey.respond", survey, organisation=survey.organisation,
                         on_behalf_of=on_behalf_of if not survey.is_anonymous else None, channel=channel,
                         details={"response": response.pk, "answers": len(cleaned)})
    except IntegrityError:
        raise ValidationError({"survey": [_("You have already answered this survey.")]}) from None
    return response


# --- results -----------------------------------------------------------------------------------


def question_dict(question: SurveyQuestion) -> dict:
    return {"id": question.pk, "field": question.field, "kind": question.kind, "text": question.text,
            "options": question.options, "scale": question.scale, "unit": question.unit,
            "required": question.required}


def answer_columns(survey: Survey) -> tuple[list[int], dict[int, dict[int, object]]]:
    """(every response id, oldest first; {question id: {response id: answer}})."""
    ids = list(SurveyResponse.objects.filter(survey=survey).order_by("id").values_list("id", flat=True))
    columns: dict[int, dict[int, object]] = {}
    for rid, qid, value in json_values(SurveyAnswer.objects.filter(response__survey=survey),
                                       "response_id", "question_id"):
        column = columns.get(qid)
        if column is None:
            column = columns[qid] = {}
        column[rid] = value
    return ids, columns


def results(survey: Survey, group_question_id: int | None = None) -> list[dict]:
    """Every question's results, computed from all the answers once per change of the answers: they
    are cached under the survey's `results_version` (raised by every response and erasure), read
    before the answers so that a result is never cached under a newer version than its answers."""
    version, default_group, created = Survey.objects.filter(pk=survey.pk).values_list(
        "results_version", "group_question_id", "created_at").get()
    questions = [question_dict(q) for q in survey.questions.all()]
    if group_question_id is None:
        group_question_id = default_group
    shape = hashlib.sha256(json.dumps(questions, sort_keys=True, default=str).encode()).hexdigest()[:16]
    key = f"survey-results:{survey.pk}:{created.timestamp()}:{version}:{group_question_id}:{shape}"
    return computed_once(
        key, lambda: survey_results.compute_columns(questions, *answer_columns(survey), group_question_id))


def _cell_for(question: SurveyQuestion, value) -> list:
    """The CSV cells one answer fills (several for multiple choice, ranking, matrix, allocation)."""
    n = len(question.options)
    if question.kind == Kind.SINGLE:
        return [question.options[value] if value is not None else ""]
    if question.kind == Kind.MULTIPLE:
        return ["" if value is None else (1 if i in value else 0) for i in range(n)]
    if question.kind == Kind.RANKING:
        return ["" if value is None else value.index(i) + 1 for i in range(n)]
    if question.kind in (Kind.MATRIX, Kind.ALLOCATION):
        return ["" if value is None else value[i] for i in range(n)]
    return ["" if value is None else value]


def _headers_for(question: SurveyQuestion) -> list[str]:
    if question.kind in (Kind.MULTIPLE, Kind.RANKING, Kind.MATRIX, Kind.ALLOCATION):
        return [f"{question.field} {question.text} [{option}]" for option in question.options]
    return [f"{question.field} {question.text}"]


def responses_csv(survey: Survey, *, with_identity: bool, with_detail: bool) -> str:
    """One row per response, one column per question (per option for multi-column kinds). The
    respondent's identity only `with_identity` (and never for an anonymous survey). Free-text answers,
    the exact submission time and the channel only `with_detail` (the survey's team): without it the
    export holds what the public results page shows, responses numbered 1, 2, … in the page's order."""
    questions = [q for q in survey.questions.all() if with_detail or q.kind != Kind.TEXT]
    identity = with_identity and not survey.is_anonymous
    out = io.StringIO()
    writer = csv.writer(out)
    header = ["response", "submitted_at", "channel"] if with_detail else ["response"]
    if identity:
        header += ["person_id", "person_name"]
    for question in questions:
        header += _headers_for(question)
    writer.writerow(header)
    people = {}
    if identity:
        people = dict(SurveyResponse.objects.filter(survey=survey, person__isnull=False).values_list(
            "id", "person__name"))
    meta = {r.pk: r for r in SurveyResponse.objects.filter(survey=survey).only(
        "id", "submitted_at", "channel", "person_id")}
    with collector_paused():
        ids, columns = answer_columns(survey)
        answered = [(question, columns.get(question.pk, {})) for question in questions]
        for number, rid in enumerate(ids, start=1):
            response = meta[rid]
            cells = [response.pk, response.submitted_at.isoformat(), response.channel] if with_detail else [number]
            if identity:
                cells += [response.person_id or "", people.get(response.pk, "")]
            for question, column in answered:
                cells += _cell_for(question, column.get(rid))
            writer.writerow(cells)
    return out.getvalue()


# Question kinds with a single headline figure an outcome indicator can take (survey_results.headline).
INDICATOR_KINDS = (SurveyQuestion.Kind.SINGLE, SurveyQuestion.Kind.MULTIPLE, SurveyQuestion.Kind.LIKERT,
                   SurveyQuestion.Kind.NUMBER, SurveyQuestion.Kind.ALLOCATION)


def questions_for_indicators(actor):
    """The survey questions whose headline figure `actor` may feed to an outcome indicator: questions
    with a headline figure, of surveys whose results are published or of an organisation the actor
    works for (any, for a platform administrator). Registered with outcomes from the AppConfig."""
    from django.db.models import Q

    from coproduce.core.models import STAFF_ROLES
    from coproduce.core.permissions import organisations_where

    questions = SurveyQuestion.objects.filter(kind__in=INDICATOR_KINDS).select_related("survey__organisation")
    if actor is None or not actor.is_authenticated:
        return questions.none()
    if not actor.is_superuser:
        questions = questions.filter(Q(survey__results_published=True)
                                     | Q(survey__organisation_id__in=organisations_where(actor, STAFF_ROLES)))
    return questions.order_by("survey__title", "survey_id", "position", "id")


def question_result_for_period(question_id: int, start, end):
    """The headline figure of a survey question for the answers given in [start, end) (dates), for
    outcome indicators fed by a survey question; None with fewer than MIN_ANSWERS_FOR_INDICATOR."""
    from coproduce.outcomes.metrics import moment

    question = SurveyQuestion.objects.filter(pk=question_id).first()
    if question is None:
        return None
    values = list(SurveyAnswer.objects.filter(
        question=question, response__submitted_at__gte=moment(start), response__submitted_at__lt=moment(end),
    ).values_list("value", flat=True))
    if len(values) < MIN_ANSWERS_FOR_INDICATOR:
        return None
    figure = survey_results.headline(question_dict(question), values, list(question.headline))
    return survey_results.rounded(figure, 1)


# --- free text to the design lab ---------------------------------------------------------------


@transaction.atomic
def send_texts_to_design(actor, question: SurveyQuestion, lab, *, conversation=None, channel=Channel.WEB) -> dict:
    """Send the free-text answers not sent before to a design lab: each becomes a feedback item of
    kind "survey comment" (what the lab's theme engine groups) and, when a conversation is named, a
    seed statement in it (texts too long or already there are not seeded). No names go with them."""
    from coproduce.design import services as design_services
    from coproduce.design.models import Feedback

    survey = question.survey
    require(actor, "assessment.view_survey_texts", survey)
    require(actor, "design.manage_lab", lab)
    if question.kind != Kind.TEXT:
        raise ValidationError({"question": [_("Only free-text answers can be sent to a design lab.")]})
    if conversation is not None and conversation.lab_id != lab.pk:
        raise ValidationError({"conversation": [_("Choose a conversation of this lab.")]})
    channel = _channel(channel)
    answers = list(SurveyAnswer.objects.select_for_update().filter(question=question, sent_to_design_at__isnull=True)
                   .order_by("id"))
    sent = seeded = 0
    for answer in answers:
        text = str(answer.value or "").strip()
        if not text:
            continue
        design_services.add_feedback(actor, lab, text=text, kind=Feedback.Kind.SURVEY, channel=channel)
        sent += 1
        if conversation is not None:
            try:
                design_services.add_seed_statement(actor, conversation, text, channel=channel)
                seeded += 1
            except ValidationError:
                pass  # too long for a statement, or already in the conversation
    SurveyAnswer.objects.filter(pk__in=[a.pk for a in answers]).update(sent_to_design_at=timezone.now())
    audit.record(actor, "survey.send_to_design", survey, organisation=survey.organisation, channel=channel,
                 details={"question": question.pk, "lab": lab.pk, "sent": sent, "seeded": seeded})
    return {"sent": sent, "seeded": seeded}
