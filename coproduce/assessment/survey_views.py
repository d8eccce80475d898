"""Survey pages: the list, the builder, answering (online and on paper), results and the CSV export.
Thin: parse the request, check permission, call a service, render."""

from fractions import Fraction

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coproduce.core.audit import Channel
from coproduce.core.models import STAFF_ROLES, Organisation
from coproduce.core.permissions import organisations_where, person_of, require, staffed_organisations
from coproduce.core.views import apply_errors, page_of

from . import survey_services as surveys
from .forms import (
    PaperResponseForm,
    QuestionForm,
    SendToDesignForm,
    SurveyForm,
    SurveyTemplateForm,
    answers_from_post,
)
from .models import Survey, SurveyQuestion, SurveyResponse
from .services import RateLimited
from .survey_results import rounded


def _survey(slug) -> Survey:
    return get_object_or_404(Survey.objects.select_related("organisation", "area"), slug=slug)


def _question(slug, pk) -> SurveyQuestion:
    return get_object_or_404(SurveyQuestion.objects.select_related("survey__organisation"), pk=pk, survey__slug=slug)


def surveys_list(request):
    user = request.user
    public = (Survey.objects.filter(Q(status=Survey.Status.OPEN)
                                    | Q(status=Survey.Status.CLOSED, results_published=True))
              .select_related("organisation", "area").order_by("-created_at", "-id"))
    mine = Survey.objects.none()
    if user.is_authenticated:
        owned = Survey.objects.all() if user.is_superuser else Survey.objects.filter(
            organisation_id__in=organisations_where(user, STAFF_ROLES))
        mine = owned.select_related("organisation", "area").order_by("-created_at", "-id")[:50]
    creatable = []
    if user.is_authenticated:
        creatable = staffed_organisations(user).order_by("name")[:50]
    return render(request, "assessment/surveys.html", {"page": page_of(request, public), "mine": mine,
                                                       "creatable": creatable})


@login_required
@require_http_methods(["GET", "POST"])
def survey_create(request, org_slug):
    organisation = get_object_or_404(Organisation, slug=org_slug)
    require(request.user, "assessment.add_survey", organisation)
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            survey = surveys.create_survey(request.user, organisation, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The survey is a draft: add its questions, then open it."))
            return redirect(survey)
    return render(request, "assessment/survey_form.html", {"form": form, "organisation": organisation,
                                                           "template_form": SurveyTemplateForm()})


@login_required
@require_POST
def survey_create_from_template(request, org_slug):
    """Make a ready-made survey (e.g. the barriers to co-production) in one action, as a draft."""
    organisation = get_object_or_404(Organisation, slug=org_slug)
    require(request.user, "assessment.add_survey", organisation)
    template_form = SurveyTemplateForm(request.POST)
    if template_form.is_valid():
        try:
            survey = surveys.create_survey_from_template(request.user, organisation,
                                                         template_form.cleaned_data["template"])
        except ValidationError as exc:
            apply_errors(template_form, exc)
        else:
            messages.success(request, _("The ready-made survey is a draft: check its questions, then open it."))
            return redirect(survey)
    return render(request, "assessment/survey_form.html", {
        "form": SurveyForm(), "organisation": organisation, "template_form": template_form})


def survey(request, slug):
    item = _survey(slug)
    require(request.user, "assessment.view_survey", item)
    user = request.user
    me = person_of(user)
    answered = (me is not None and not item.is_anonymous
                and SurveyResponse.objects.filter(survey=item, person=me).exists())
    context = {
        "survey": item, "questions": list(item.questions.all()), "answered": answered,
        "can_change": user.has_perm("assessment.change_survey", item),
        "can_answer": user.has_perm("assessment.answer_survey", item) and not answered,
        "can_enter_paper": user.has_perm("assessment.enter_paper_response", item),
        "can_see_results": user.has_perm("assessment.view_survey_results", item),
        "kinds": SurveyQuestion.Kind,
    }
    return render(request, "assessment/survey.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def survey_edit(request, slug):
    item = _survey(slug)
    require(request.user, "assessment.change_survey", item)
    initial = {"title": item.title, "description": item.description, "is_anonymous": item.is_anonymous,
               "area": item.area, "group_question": str(item.group_question_id or "")}
    form = SurveyForm(request.POST or None, initial=initial, survey=item)
    if request.method == "POST" and form.is_valid():
        try:
            surveys.update_survey(request.user, item, **form.changes(item))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(item)
    return render(request, "assessment/survey_form.html", {"form": form, "survey": item,
                                                           "organisation": item.organisation})


@login_required
@require_http_methods(["GET", "POST"])
def question_form(request, slug, pk=None):
    item = _survey(slug)
    require(request.user, "assessment.change_survey", item)
    question = _question(slug, pk) if pk is not None else None
    initial = QuestionForm.initial_for(question) if question else {"required": True}
    form = QuestionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if question is None:
                surveys.add_question(request.user, item, **form.question_fields())
            else:
                surveys.update_question(request.user, question, **form.question_fields())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(item)
    return render(request, "assessment/question_form.html", {"form": form, "survey": item, "question": question})


@login_required
@require_POST
def question_delete(request, slug, pk):
    question = _question(slug, pk)
    try:
        surveys.delete_question(request.user, question)
    except ValidationError as exc:
        messages.error(request, " ".join(sum(exc.message_dict.values(), [])))
    return redirect(question.survey)


@login_required
@require_POST
def question_move(request, slug, pk):
    question = _question(slug, pk)
    try:
        surveys.move_question(request.user, question, -1 if request.POST.get("direction") == "up" else 1)
    except ValidationError as exc:
        messages.error(request, " ".join(sum(exc.message_dict.values(), [])))
    return redirect(question.survey)


@login_required
@require_POST
def survey_status(request, slug):
    item = _survey(slug)
    try:
        surveys.set_survey_status(request.user, item, request.POST.get("status", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(sum(exc.message_dict.values(), [])))
    else:
        messages.success(request, _("The survey is now %(status)s.") % {"status": item.get_status_display().lower()})
    return redirect(item)


@login_required
@require_POST
def survey_publish(request, slug):
    item = _survey(slug)
    try:
        surveys.publish_results(request.user, item, request.POST.get("publish") == "1")
    except ValidationError as exc:
        messages.error(request, " ".join(sum(exc.message_dict.values(), [])))
    return redirect(item)


def _answer_context(item, post=None, errors=None):
    questions = list(item.questions.all())
    raw = answers_from_post(questions, post) if post is not None else {}
    for q in questions:
        q.given = raw.get(q.field)
        q.error = (errors or {}).get(q.field)
        q.points = list(range(1, len(q.scale) + 1))
        q.rank_choices = list(range(1, len(q.options) + 1))
        q.option_rows = [(i, label, post.get(f"{q.field}_{i}", "") if post is not None else "")
                         for i, label in enumerate(q.options)]
    return questions, raw


@require_http_methods(["GET", "POST"])
def survey_answer(request, slug):
    item = _survey(slug)
    if not request.user.is_authenticated and not (item.is_anonymous and item.status == Survey.Status.OPEN):
        return redirect(f"/accounts/login/?next={request.path}")
    require(request.user, "assessment.answer_survey", item)
    errors, general = {}, None
    if request.method == "POST":
        questions, raw = _answer_context(item, request.POST)
        try:
            surveys.submit_response(request.user, item, raw, ip=request.META.get("REMOTE_ADDR"))
        except ValidationError as exc:
            errors = exc.message_dict
        except RateLimited as exc:
            general = str(exc)
        else:
            messages.success(request, _("Thank you for answering."))
            return redirect(item)
        general = general or " ".join(sum((v for k, v in errors.items() if not k.startswith("q")), []))
    questions, _raw = _answer_context(item, request.POST if request.method == "POST" else None, errors)
    return render(request, "assessment/survey_answer.html", {
        "survey": item, "questions": questions, "errors": errors, "general": general, "paper": None})


def _people_for(user):
    from .views import _people_for as people

    return people(user)


@login_required
@require_http_methods(["GET", "POST"])
def survey_paper(request, slug):
    item = _survey(slug)
    require(request.user, "assessment.enter_paper_response", item)
    paper = PaperResponseForm(request.POST or None, people=_people_for(request.user))
    errors, general = {}, None
    if request.method == "POST" and paper.is_valid():
        questions, raw = _answer_context(item, request.POST)
        try:
            surveys.submit_response(request.user, item, raw, on_behalf_of=paper.cleaned_data["person"],
                                    channel=Channel.PAPER)
        except ValidationError as exc:
            errors = exc.message_dict
            apply_errors(paper, ValidationError({k: v for k, v in errors.items() if k == "person"} or {}))
            general = " ".join(sum((v for k, v in errors.items() if not k.startswith("q") and k != "person"), []))
        else:
            messages.success(request, _("The paper response is recorded."))
            return redirect("assessment:survey_paper", slug=item.slug)
    questions, _raw = _answer_context(item, request.POST if request.method == "POST" else None, errors)
    return render(request, "assessment/survey_answer.html", {
        "survey": item, "questions": questions, "errors": errors, "general": general, "paper": paper})


def displayable(value):
    """Fractions (exact averages) → Decimals rounded to one place, all the way down."""
    if isinstance(value, Fraction):
        return rounded(value, 1)
    if isinstance(value, dict):
        return {k: displayable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [displayable(v) for v in value]
    return value


RESPONDENT_ROWS_SHOWN = 200


def results_for(request, item) -> list[dict]:
    """Results for display; the per-respondent allocation table shows the first 200 rows (the CSV
    export has every response)."""
    group = request.GET.get("group")
    group_id = int(group) if group and group.isdigit() else None
    raw = surveys.results(item, group_id)
    for result in raw:
        if "respondents" in result:
            result["respondents_more"] = max(0, len(result["respondents"]) - RESPONDENT_ROWS_SHOWN)
            result["respondents"] = result["respondents"][:RESPONDENT_ROWS_SHOWN]
    data = displayable(raw)
    show_texts = request.user.has_perm("assessment.view_survey_texts", item)
    for result in data:
        if "texts" in result and not show_texts:
            result["texts"] = []
    return data


BAR_HEIGHT = 28


def _bars(result) -> dict | None:
    """Rows for a horizontal SVG bar chart (value 0–100) of a result, or None."""
    kind = result["question"]["kind"]
    if kind in ("single", "multiple"):
        rows = [(o["label"], o["percent"], f"{o['percent']} % ({o['count']})") for o in result["options"]]
    elif kind == "likert":
        rows = [(p["label"], p["percent"], f"{p['percent']} % ({p['count']})") for p in result["points"]]
    elif kind == "ranking":
        rows = [(o["label"], o["first_percent"], f"{o['first_percent']} %") for o in result["options"]]
    elif kind == "allocation" and result["overall"]:
        rows = [(label, avg, f"{avg}") for label, avg in zip(result["options"], result["overall"], strict=True)]
    else:
        return None
    return {"height": BAR_HEIGHT * len(rows) + 8,
            "rows": [{"label": label, "width": max(0, min(100, value or 0)) * 3, "y": 4 + i * BAR_HEIGHT,
                      "text": text} for i, (label, value, text) in enumerate(rows)]}


def survey_results_page(request, slug):
    item = _survey(slug)
    require(request.user, "assessment.view_survey_results", item)
    results = results_for(request, item)
    for result in results:
        if result["question"]["kind"] == "allocation":
            labels = result["question"]["options"]
            group_q = next((r["question"] for r in results if r["question"]["id"] == (
                int(request.GET["group"]) if request.GET.get("group", "").isdigit() else item.group_question_id)), None)
            names = group_q["options"] if group_q else []
            result["rows"] = [{"label": label, "average": avg} for label, avg in zip(labels, result["overall"] or [],
                                                                                  strict=False)]
            for row in result["respondents"]:
                row["group_label"] = names[row["group"]] if row["group"] is not None and names else ""
        result["bars"] = _bars(result)
    can_send = request.user.has_perm("assessment.view_survey_texts", item)
    return render(request, "assessment/survey_results.html", {
        "survey": item, "results": results, "can_send": can_send,
        "groupable": [q for q in item.questions.all() if q.kind == "single"],
        "can_export": True, "full_export": can_send})


def survey_csv(request, slug):
    item = _survey(slug)
    require(request.user, "assessment.view_survey_results", item)
    with_identity = request.user.has_perm("assessment.view_survey_identities", item)
    with_detail = request.user.has_perm("assessment.view_survey_texts", item)
    response = HttpResponse(surveys.responses_csv(item, with_identity=with_identity, with_detail=with_detail),
                            content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="survey-{item.slug}.csv"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def question_send(request, slug, pk):
    from coproduce.design.models import Conversation, Lab

    question = _question(slug, pk)
    require(request.user, "assessment.view_survey_texts", question.survey)
    user = request.user
    labs = Lab.objects.all() if user.is_superuser else Lab.objects.filter(
        organisation_id__in=organisations_where(user, STAFF_ROLES))
    labs = list(labs.order_by("title")[:100])
    if not labs:
        raise PermissionDenied
    conversations = Conversation.objects.filter(lab__in=labs).select_related("lab").order_by("lab__title", "title")
    form = SendToDesignForm(request.POST or None, labs=labs, conversations=conversations)
    if request.method == "POST" and form.is_valid():
        lab = next(lab for lab in labs if str(lab.pk) == form.cleaned_data["lab"])
        conversation = conversations.filter(pk=form.cleaned_data["conversation"]).first() \
            if form.cleaned_data["conversation"] else None
        try:
            done = surveys.send_texts_to_design(user, question, lab, conversation=conversation)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("%(sent)s answers sent to the lab (%(seeded)s as seed statements).") % done)
            return redirect("assessment:survey_results", slug=slug)
    unsent = question.answers.filter(sent_to_design_at__isnull=True).count()
    return render(request, "assessment/survey_send.html", {"form": form, "question": question,
                                                           "survey": question.survey, "unsent": unsent})


