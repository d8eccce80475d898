"""Co-design pages. Thin: parse the request, check permission, call a service, render.

The voting page works without JavaScript: every statement has its own small form with agree / disagree /
pass buttons, and after a vote the page shows the next statement. htmx, where present, only swaps the
"next statement" box instead of reloading the page.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from coproduce.core.models import STAFF_ROLES, Organisation, Person
from coproduce.core.permissions import organisations_where, require
from coproduce.core.views import apply_errors, page_of

from . import demographics, opinion_map, services
from .forms import (
    ConversationForm,
    DecisionForm,
    FeedbackForm,
    InsightForm,
    InviteForm,
    LabForm,
    MergeThemesForm,
    PaperVotesForm,
    PolisUploadForm,
    QuestionForm,
    RenameThemeForm,
    SeedStatementForm,
    SplitThemeForm,
    StageForm,
    StatementForm,
    ToldForm,
)
from .models import (
    AGREE,
    DISAGREE,
    Analysis,
    Answer,
    Conversation,
    Decision,
    FollowUp,
    Insight,
    Lab,
    PolisUpload,
    Statement,
    Theme,
    Vote,
    group_label,
)
from .polis_export import PolisExportError
from .sessions import session_key


def _lab(slug) -> Lab:
    return get_object_or_404(Lab.objects.select_related("organisation", "members_of"), slug=slug)


def _conversation(slug, pk) -> Conversation:
    return get_object_or_404(Conversation.objects.select_related("lab__organisation", "lab__members_of"),
                             pk=pk, lab__slug=slug)


def _manage(request, lab) -> None:
    require(request.user, "design.manage_lab", lab)




def _people_for(user):
    """People a staff member may act for (as in the core's people directory)."""
    people = Person.objects.filter(erased_at__isnull=True)
    if not user.is_superuser:
        people = people.filter(memberships__organisation_id__in=organisations_where(user, STAFF_ROLES)).distinct()
    return people.order_by("name", "id")


def _service_error(request, exc: ValidationError) -> None:
    for errors in exc.message_dict.values():
        for error in errors:
            messages.error(request, error)


# --- labs --------------------------------------------------------------------------------------


def labs(request):
    qs = Lab.objects.select_related("organisation").annotate(
        n_conversations=Count("conversations", distinct=True),
        n_decisions=Count("decisions", filter=Q(decisions__status=Decision.Status.PUBLISHED), distinct=True),
    ).order_by("-created_at", "-id")
    stage = request.GET.get("stage")
    if stage in Lab.Stage.values:
        qs = qs.filter(stage=stage)
    context = {"page": page_of(request, qs), "stages": Lab.Stage.choices, "stage": stage,
               "can_start": request.user.has_perm("design.start_lab")}
    return render(request, "design/labs.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def lab_new(request):
    require(request.user, "design.start_lab")
    organisations = Organisation.objects.filter(is_active=True)
    if not request.user.is_superuser:
        organisations = organisations.filter(pk__in=organisations_where(request.user, STAFF_ROLES))
    form = LabForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            lab = services.create_lab(request.user, form.cleaned_data["organisation"], **form.lab_fields())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The lab is set up. Start a conversation next."))
            return redirect(lab)
    return render(request, "design/form_page.html", {
        "form": form, "title": _("Start a design lab"), "submit": _("Create the lab"),
        "back": (reverse("design:labs"), _("Design labs")),
    })


def lab(request, slug):
    lab = _lab(slug)
    require(request.user, "design.view_lab", lab)
    conversations = lab.conversations.select_related("analysis").annotate(
        n_statements=Count("statements", filter=Q(statements__status=Statement.Status.ACCEPTED)),
    )
    context = {
        "lab": lab,
        "conversations": conversations,
        "decisions": lab.decisions.filter(status=Decision.Status.PUBLISHED),
        "can_manage": request.user.has_perm("design.manage_lab", lab),
        "can_give_feedback": request.user.has_perm("design.give_feedback", lab),
        "stages": Lab.Stage.choices,
    }
    if context["can_manage"]:
        context["drafts"] = lab.decisions.filter(status=Decision.Status.DRAFT)
        context["stage_form"] = StageForm(initial={"stage": lab.stage})
    return render(request, "design/lab.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def lab_edit(request, slug):
    lab = _lab(slug)
    _manage(request, lab)
    form = LabForm(request.POST or None, instance=lab)
    if request.method == "POST":
        form.instance = Lab.objects.get(pk=lab.pk)
        if form.is_valid():
            try:
                services.update_lab(request.user, lab, **form.lab_fields())
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect(lab)
    return render(request, "design/form_page.html", {
        "form": form, "title": _("Edit the lab"), "submit": _("Save"), "back": (lab.get_absolute_url(), lab.title),
    })


@login_required
@require_POST
def lab_stage(request, slug):
    lab = _lab(slug)
    _manage(request, lab)
    form = StageForm(request.POST)
    if form.is_valid():
        try:
            services.set_stage(request.user, lab, form.cleaned_data["stage"])
        except ValidationError as exc:
            _service_error(request, exc)
        else:
            messages.success(request, _("The lab is now at the stage: %(stage)s.") % {"stage": lab.get_stage_display()})
    return redirect(lab)


@login_required
@require_http_methods(["GET", "POST"])
def invitations(request, slug):
    lab = _lab(slug)
    _manage(request, lab)
    form = InviteForm(request.POST or None, people=_people_for(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.invite(request.user, lab, form.cleaned_data["person"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Invited."))
            return redirect("design:invitations", slug=lab.slug)
    invited = lab.invitations.select_related("person").order_by("person__name")
    return render(request, "design/invitations.html", {"lab": lab, "form": form, "page": page_of(request, invited)})


def trail(request, slug):
    """The public trail: what people said → themes and opinion groups → insights → published decisions."""
    lab = _lab(slug)
    require(request.user, "design.view_lab", lab)
    statements = Statement.objects.select_related("conversation").annotate(
        n_agree=Count("votes", filter=Q(votes__value=AGREE)),
        n_disagree=Count("votes", filter=Q(votes__value=DISAGREE)),
        n_votes=Count("votes"),
    ).order_by("conversation_id", "number")
    themes = Theme.objects.annotate(n_items=Count("items")).order_by("pk")
    insights = Insight.objects.prefetch_related(
        Prefetch("statements", queryset=statements),
        Prefetch("themes", queryset=themes),
        "group_citations__conversation",
    )
    decisions = lab.decisions.filter(status=Decision.Status.PUBLISHED).prefetch_related(
        Prefetch("insights", queryset=insights)).order_by("-published_at")
    counts = {
        "feedback": lab.feedback.count(),
        "themes": lab.themes.count(),
        "votes": Vote.objects.filter(conversation__lab=lab).count(),
        "participants": Vote.objects.filter(conversation__lab=lab).values("participant").distinct().count(),
    }
    return render(request, "design/trail.html", {"lab": lab, "decisions": decisions, "counts": counts})


# --- conversations -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def conversation_new(request, slug):
    lab = _lab(slug)
    _manage(request, lab)
    form = ConversationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            conversation = services.create_conversation(request.user, lab, **form.conversation_fields())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Conversation started. Add some seed statements."))
            return redirect("design:conversation_settings", slug=lab.slug, pk=conversation.pk)
    return render(request, "design/form_page.html", {
        "form": form, "title": _("Start a conversation"), "submit": _("Start"),
        "back": (lab.get_absolute_url(), lab.title),
    })


def conversation(request, slug, pk):
    """The voting page: the next statement (chosen by the engine), your votes, all statements."""
    conversation = _conversation(slug, pk)
    require(request.user, "design.view_lab", conversation.lab)
    return _conversation_page(request, conversation)


def _conversation_page(request, conversation, *, statement_form=None, answer_error=None, status=200):
    """The voting page; `statement_form` (bound, with its errors) when a statement was refused,
    `answer_error` (question id, message) when an answer was."""
    lab = conversation.lab
    user = request.user
    taking_votes = conversation.is_open and lab.is_gathering
    can_take_part = taking_votes and user.has_perm("design.participate", conversation)
    participant = services.find_participant(user, conversation, session_key(request))
    analysis = Analysis.objects.filter(conversation=conversation).first()
    statements = (Statement.objects.filter(conversation=conversation, status__in=conversation.visible_statuses())
                  .order_by("number"))
    page = page_of(request, statements)
    mine = {}
    if participant is not None:
        mine = dict(Vote.objects.filter(participant=participant, statement__in=[s.pk for s in page])
                    .values_list("statement_id", "value"))
    for s in page:
        s.my_vote = mine.get(s.pk)
    questions = []
    if can_take_part:
        answered = set()
        if participant is not None:
            answered = set(Answer.objects.filter(participant=participant).values_list("question_id", flat=True))
        questions = [q for q in conversation.questions.all() if q.pk not in answered]
        for q in questions:
            q.error = answer_error[1] if answer_error and answer_error[0] == q.pk else ""
    if answer_error and not any(q.error for q in questions):  # e.g. closed meanwhile: no box to show it in
        messages.error(request, answer_error[1])
    context = {
        "lab": lab, "conversation": conversation, "page": page, "analysis": analysis,
        "participant": participant, "can_take_part": can_take_part,
        "next": services.next_statement(conversation, participant, analysis) if can_take_part else None,
        "questions": questions,
        "statement_form": (statement_form or StatementForm()) if _takes_statements(request, conversation) else None,
        "can_manage": user.has_perm("design.manage_lab", lab),
        "can_moderate": user.has_perm("design.moderate", lab),
        "needs_login": not user.is_authenticated and not can_take_part,
        "taking_votes": taking_votes,
    }
    if context["can_moderate"]:
        context["pending"] = conversation.statements.filter(status=Statement.Status.PENDING).count()
    if participant is not None:
        context["my_vote_count"] = Vote.objects.filter(participant=participant).count()
    return render(request, "design/conversation.html", context, status=status)


def _takes_statements(request, conversation) -> bool:
    """Whether the voting page shows the form for a new statement to this visitor."""
    return (conversation.is_open and conversation.lab.is_gathering and conversation.statements_allowed
            and request.user.has_perm("design.participate", conversation))


def _participate_or_login(request, conversation):
    if not request.user.has_perm("design.participate", conversation):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied("design.participate")
    return None


def _back_to_conversation(request, conversation):
    url = reverse("design:conversation", args=[conversation.lab.slug, conversation.pk])
    page = request.POST.get("page", "")
    return redirect(f"{url}?page={page}" if page.isdigit() else url)


@require_POST
def vote(request, slug, pk):
    conversation = _conversation(slug, pk)
    refused = _participate_or_login(request, conversation)
    if refused:
        return refused
    try:
        number, value = int(request.POST.get("statement", "")), int(request.POST.get("vote", ""))
    except ValueError:
        messages.error(request, _("Choose agree, disagree or pass."))
        return _back_to_conversation(request, conversation)
    try:
        services.cast_vote(request.user, conversation, number, value, session_key=session_key(request, create=True))
    except ValidationError as exc:
        _service_error(request, exc)
    return _back_to_conversation(request, conversation)


@require_POST
def submit_statement(request, slug, pk):
    """A refused statement shows the voting page again, with the error next to the text as typed."""
    conversation = _conversation(slug, pk)
    refused = _participate_or_login(request, conversation)
    if refused:
        return refused
    form = StatementForm(request.POST)
    if form.is_valid():
        try:
            services.submit_statement(request.user, conversation, form.cleaned_data["text"],
                                      session_key=session_key(request, create=True))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if conversation.moderation == Conversation.Moderation.PRE:
                messages.success(request, _("Thank you. Your statement will show once a moderator has approved it."))
            else:
                messages.success(request, _("Thank you. Your statement is now in the conversation."))
            return _back_to_conversation(request, conversation)
    if not _takes_statements(request, conversation):  # closed meanwhile: no form to show the error on
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back_to_conversation(request, conversation)
    return _conversation_page(request, conversation, statement_form=form, status=400)


@require_POST
def answer(request, slug, pk, question):
    """A refused answer shows the voting page again, with the error in that question's box."""
    conversation = _conversation(slug, pk)
    refused = _participate_or_login(request, conversation)
    if refused:
        return refused
    question = get_object_or_404(conversation.questions, pk=question)
    try:
        services.answer_question(request.user, question, int(request.POST.get("choice", "-1")),
                                 session_key=session_key(request, create=True))
    except ValueError:
        error = _("Choose one of the answers.")
    except ValidationError as exc:
        error = " ".join(exc.messages)
    else:
        return _back_to_conversation(request, conversation)
    return _conversation_page(request, conversation, answer_error=(question.pk, error), status=400)


@login_required
@require_http_methods(["GET", "POST"])
def conversation_settings(request, slug, pk):
    conversation = _conversation(slug, pk)
    _manage(request, conversation.lab)
    form = ConversationForm(request.POST or None, instance=conversation, prefix="settings")
    if request.method == "POST":
        form.instance = Conversation.objects.select_related("lab").get(pk=conversation.pk)
        if form.is_valid():
            try:
                services.update_conversation(request.user, conversation, **form.conversation_fields())
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("design:conversation_settings", slug=slug, pk=pk)
    return _settings_page(request, conversation, form=form, status=400 if request.method == "POST" else 200)


def _settings_page(request, conversation, *, form=None, seed_form=None, question_form=None, status=200):
    """The settings page; the form that was refused comes bound, with its errors next to its fields."""
    context = {
        "lab": conversation.lab, "conversation": conversation,
        "form": form or ConversationForm(instance=conversation, prefix="settings"),
        "seed_form": seed_form or SeedStatementForm(prefix="seed"),
        "question_form": question_form or QuestionForm(prefix="question"),
        "questions": conversation.questions.all(),
        "seeds": conversation.statements.filter(is_seed=True).order_by("number"),
        "analysis": Analysis.objects.filter(conversation=conversation).first(),
    }
    return render(request, "design/conversation_settings.html", context, status=status)


@login_required
@require_POST
def seed(request, slug, pk):
    conversation = _conversation(slug, pk)
    _manage(request, conversation.lab)
    form = SeedStatementForm(request.POST, prefix="seed")
    if form.is_valid():
        try:
            services.add_seed_statement(request.user, conversation, form.cleaned_data["text"],
                                        is_meta=form.cleaned_data["is_meta"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Seed statement added."))
            return redirect("design:conversation_settings", slug=slug, pk=pk)
    return _settings_page(request, conversation, seed_form=form, status=400)


@login_required
@require_POST
def question_add(request, slug, pk):
    conversation = _conversation(slug, pk)
    _manage(request, conversation.lab)
    form = QuestionForm(request.POST, prefix="question")
    if form.is_valid():
        try:
            services.add_question(request.user, conversation, form.cleaned_data["text"], form.choice_list())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Question added."))
            return redirect("design:conversation_settings", slug=slug, pk=pk)
    return _settings_page(request, conversation, question_form=form, status=400)


@login_required
@require_POST
def analyse_now(request, slug, pk):
    conversation = _conversation(slug, pk)
    services.refresh_analysis(request.user, conversation)
    messages.success(request, _("A fresh analysis has been requested."))
    return redirect("design:conversation_settings", slug=slug, pk=pk)


@login_required
def moderation(request, slug, pk):
    conversation = _conversation(slug, pk)
    require(request.user, "design.moderate", conversation.lab)
    status = request.GET.get("status", str(Statement.Status.PENDING))
    qs = conversation.statements.select_related("author__person").order_by("number")
    if status in {str(v) for v in Statement.Status.values}:
        qs = qs.filter(status=int(status))
    return render(request, "design/moderation.html", {
        "lab": conversation.lab, "conversation": conversation, "page": page_of(request, qs), "status": status,
        "statuses": Statement.Status.choices,
    })


@login_required
@require_POST
def moderate(request, slug, pk, number):
    conversation = _conversation(slug, pk)
    statement = get_object_or_404(conversation.statements.select_related("conversation__lab__organisation"),
                                  number=number)
    accept = request.POST.get("decision") == "accept"
    services.moderate_statement(request.user, statement, accept=accept)
    messages.success(request, _("Statement approved.") if accept else _("Statement rejected."))
    return redirect(f"{reverse('design:moderation', args=[slug, pk])}?status={request.POST.get('status', '0')}")


@login_required
@require_http_methods(["GET", "POST"])
def paper_votes(request, slug, pk):
    conversation = _conversation(slug, pk)
    _manage(request, conversation.lab)
    statements = list(Statement.objects.filter(conversation=conversation,
                                               status__in=conversation.visible_statuses()).order_by("number"))
    form = PaperVotesForm(request.POST or None, people=_people_for(request.user), statements=statements)
    if request.method == "POST" and form.is_valid():
        try:
            participant = services.record_votes(
                request.user, conversation, form.votes(), person=form.cleaned_data["person"],
                label=form.cleaned_data["label"], statements=form.new_statements(),
                channel=form.cleaned_data["channel"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Votes recorded for participant %(n)s.") % {"n": participant.number})
            return redirect("design:paper_votes", slug=slug, pk=pk)
    return render(request, "design/paper_votes.html", {"lab": conversation.lab, "conversation": conversation,
                                                        "form": form})


def opinion_map_view(request, slug, pk):
    conversation = _conversation(slug, pk)
    require(request.user, "design.view_lab", conversation.lab)
    analysis = Analysis.objects.filter(conversation=conversation).first()
    participant = services.find_participant(request.user, conversation, session_key(request))
    context = {"lab": conversation.lab, "conversation": conversation, "analysis": analysis}
    if analysis is not None:
        context["map"] = opinion_map.build(conversation, analysis, me=participant.number if participant else None)
        context["demographics"] = demographics.breakdown(conversation, analysis)
    return render(request, "design/map.html", context)


@login_required
@require_GET
def export(request, slug, pk):
    conversation = _conversation(slug, pk)
    data = services.export_polis(request.user, conversation)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="polis-export-{conversation.pk}.zip"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_polis(request, slug):
    lab = _lab(slug)
    _manage(request, lab)
    form = PolisUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        files = form.files_by_name()
        if sum(len(data) for data in files.values()) > services.BACKGROUND_IMPORT_BYTES:
            try:
                upload = services.queue_polis_upload(request.user, lab, files, title=form.cleaned_data["title"])
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                return redirect(upload)
    if request.method == "POST" and form.is_valid():
        try:
            export_data = services.read_uploaded_export(files)
            conversation = services.import_polis(request.user, lab, export_data, title=form.cleaned_data["title"],
                                                 channel="import")
        except PolisExportError as exc:
            field = {"comments.csv": "comments", "votes.csv": "votes", "participants-votes.csv": "participants",
                     "summary.csv": "summary"}.get(exc.file)
            form.add_error(field, str(exc))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Imported. The analysis is being computed."))
            return redirect(conversation)
    return render(request, "design/form_page.html", {
        "form": form, "title": _("Import a Polis conversation"), "submit": _("Import"), "multipart": True,
        "intro": _("Upload the CSV files of a Polis export. Statements keep their numbers, votes their times."),
        "back": (lab.get_absolute_url(), lab.title),
    })


@login_required
@require_GET
def upload_status(request, slug, pk):
    """How far the background import of a large upload has got (reload, or htmx polls while it runs)."""
    lab = _lab(slug)
    _manage(request, lab)
    upload = get_object_or_404(PolisUpload.objects.select_related("conversation"), pk=pk, lab=lab)
    template = "design/_upload_status.html" if request.htmx else "design/upload.html"
    return render(request, template, {"lab": lab, "upload": upload})


# --- feedback and themes -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def feedback(request, slug):
    lab = _lab(slug)
    require(request.user, "design.view_feedback", lab)
    form = FeedbackForm(request.POST or None, people=_people_for(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.add_feedback(request.user, lab, text=form.cleaned_data["text"], kind=form.cleaned_data["kind"],
                                  person=form.cleaned_data["person"], channel=form.cleaned_data["channel"],
                                  consent=form.cleaned_data["consent"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Feedback recorded."))
            return redirect("design:feedback", slug=slug)
    items = lab.feedback.select_related("person", "theme__lab").order_by("-created_at", "-id")
    return render(request, "design/feedback.html", {"lab": lab, "form": form, "page": page_of(request, items)})


@login_required
@require_http_methods(["GET", "POST"])
def give_feedback(request, slug):
    lab = _lab(slug)
    require(request.user, "design.give_feedback", lab)
    form = FeedbackForm(request.POST or None, staff=False)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_feedback(request.user, lab, text=form.cleaned_data["text"], kind=form.cleaned_data["kind"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Thank you for sharing this."))
            return redirect(lab)
    return render(request, "design/form_page.html", {
        "form": form, "title": _("Share a story or an idea"), "submit": _("Send"),
        "intro": _("Staff running this lab will read it and group it with what others said."),
        "back": (lab.get_absolute_url(), lab.title),
    })


def _lab_themes(lab):
    return lab.themes.annotate(n_items=Count("items")).order_by("-n_items", "pk")


@login_required
@require_http_methods(["GET", "POST"])
def themes(request, slug):
    lab = _lab(slug)
    require(request.user, "design.view_feedback", lab)
    merge_form = MergeThemesForm(request.POST or None, themes=lab.themes.all())
    if request.method == "POST":
        if request.POST.get("action") == "find":
            try:
                services.request_themes(request.user, lab)
            except ValidationError as exc:
                _service_error(request, exc)
            else:
                messages.success(request, _("The feedback is being grouped into themes."))
            return redirect("design:themes", slug=slug)
        _manage(request, lab)
        if merge_form.is_valid():
            try:
                services.merge_themes(request.user, merge_form.cleaned_data["target"],
                                      merge_form.cleaned_data["sources"])
            except ValidationError as exc:
                apply_errors(merge_form, exc)
            else:
                messages.success(request, _("Themes merged."))
                return redirect("design:themes", slug=slug)
    context = {"lab": lab, "themes": _lab_themes(lab), "merge_form": merge_form,
               "unthemed": lab.feedback.filter(theme__isnull=True).count()}
    return render(request, "design/themes.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def theme(request, slug, pk):
    lab = _lab(slug)
    require(request.user, "design.view_feedback", lab)
    theme = get_object_or_404(lab.themes, pk=pk)
    rename_form = RenameThemeForm(request.POST if request.POST.get("action") == "rename" else None,
                                  initial={"label": theme.label}, prefix="rename")
    split_form = SplitThemeForm(request.POST if request.POST.get("action") == "split" else None,
                                items=theme.items.all(), prefix="split")
    if request.method == "POST":
        form = rename_form if request.POST.get("action") == "rename" else split_form
        if form.is_valid():
            try:
                if form is rename_form:
                    services.rename_theme(request.user, theme, form.cleaned_data["label"])
                    messages.success(request, _("Theme renamed."))
                    return redirect(theme)
                new = services.split_theme(request.user, theme, form.cleaned_data["items"],
                                           form.cleaned_data["label"])
                messages.success(request, _("Theme split."))
                return redirect(new)
            except ValidationError as exc:
                apply_errors(form, exc)
    items = theme.items.select_related("person").order_by("pk")
    return render(request, "design/theme.html", {"lab": lab, "theme": theme, "page": page_of(request, items),
                                                 "rename_form": rename_form, "split_form": split_form})


# --- insights and decisions --------------------------------------------------------------------


def _group_choices(lab):
    choices = []
    for conversation in lab.conversations.select_related("analysis").order_by("pk"):
        analysis = getattr(conversation, "analysis", None)
        if analysis is None:
            continue
        for g, size in enumerate(analysis.result.get("group_sizes", [])):
            choices.append((f"{conversation.pk}:{g}",
                            _("%(conversation)s: %(group)s (%(n)s people)") % {
                                "conversation": conversation.title, "group": group_label(g), "n": size}))
    return choices


@login_required
@require_http_methods(["GET", "POST"])
def insights(request, slug):
    lab = _lab(slug)
    _manage(request, lab)
    form = InsightForm(request.POST or None, lab=lab, group_choices=_group_choices(lab))
    if request.method == "POST" and form.is_valid():
        conversations = {c.pk: c for c in lab.conversations.all()}
        groups = []
        for value in form.cleaned_data["groups"]:
            c, g = value.split(":")
            groups.append((conversations[int(c)], int(g)))
        try:
            insight = services.create_insight(
                request.user, lab, title=form.cleaned_data["title"], body=form.cleaned_data["body"],
                statements=form.cleaned_data["statements"], themes=form.cleaned_data["themes"], groups=groups)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Insight recorded."))
            return redirect(insight)
    qs = lab.insights.annotate(n_statements=Count("statements", distinct=True),
                               n_themes=Count("themes", distinct=True),
                               n_groups=Count("group_citations", distinct=True)).order_by("-created_at", "-id")
    return render(request, "design/insights.html", {"lab": lab, "form": form, "page": page_of(request, qs)})


@login_required
def insight(request, slug, pk):
    lab = _lab(slug)
    _manage(request, lab)
    insight = get_object_or_404(lab.insights, pk=pk)
    return render(request, "design/insight.html", {
        "lab": lab, "insight": insight,
        "statements": insight.statements.select_related("conversation").order_by("conversation_id", "number"),
        "themes": insight.themes.annotate(n_items=Count("items")),
        "groups": insight.group_citations.select_related("conversation"),
        "decisions": insight.decisions.all(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def decision_new(request, slug):
    lab = _lab(slug)
    _manage(request, lab)
    form = DecisionForm(request.POST or None, lab=lab)
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.create_decision(request.user, lab, title=form.cleaned_data["title"],
                                                body=form.cleaned_data["body"], insights=form.cleaned_data["insights"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Draft decision saved."))
            return redirect(decision)
    return render(request, "design/form_page.html", {
        "form": form, "title": _("Record a decision"), "submit": _("Save draft"),
        "intro": _("A decision rests on the insights it cites. It is public once you publish it."),
        "back": (lab.get_absolute_url(), lab.title),
    })


def decision(request, slug, pk):
    lab = _lab(slug)
    decision = get_object_or_404(lab.decisions, pk=pk)
    can_manage = request.user.has_perm("design.manage_lab", lab)
    if decision.status != Decision.Status.PUBLISHED and not can_manage:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise Http404
    insights = decision.insights.prefetch_related(
        Prefetch("statements", queryset=Statement.objects.select_related("conversation").order_by("number")),
        "themes", "group_citations__conversation")
    context = {"lab": lab, "decision": decision, "insights": insights, "can_manage": can_manage}
    if can_manage:
        context["to_tell"] = FollowUp.objects.filter(decision=decision, told_at__isnull=True,
                                                     person__erased_at__isnull=True).count()
    return render(request, "design/decision.html", context)


@login_required
@require_POST
def decision_publish(request, slug, pk):
    lab = _lab(slug)
    decision = get_object_or_404(lab.decisions.select_related("lab__organisation"), pk=pk)
    try:
        services.publish_decision(request.user, decision)
    except ValidationError as exc:
        _service_error(request, exc)
    else:
        messages.success(request, _("Published. The people behind it are being told."))
        if decision.follow_ups.exists():
            return redirect("design:follow_ups", slug=slug, pk=pk)
    return redirect(decision)



@login_required
@require_http_methods(["GET", "POST"])
def follow_ups(request, slug, pk, follow_up=None):
    """Who to tell about a published decision by phone, letter or in person (they have no email), and
    marking each as told. Contact details and the form only for people this staff member may act for."""
    lab = _lab(slug)
    _manage(request, lab)
    decision = get_object_or_404(lab.decisions.select_related("lab__organisation"), pk=pk)
    rows = list(decision.follow_ups.select_related("person", "told_by__person", "decision__lab__organisation")
                .filter(person__erased_at__isnull=True))
    bound, status = None, 200
    if request.method == "POST":
        target = next((row for row in rows if row.pk == follow_up), None)
        if target is None:
            raise Http404
        bound = ToldForm(request.POST, prefix=f"f{target.pk}")
        if bound.is_valid():
            try:
                services.record_told_offline(request.user, target, channel=bound.cleaned_data["channel"],
                                             note=bound.cleaned_data["note"])
            except ValidationError as exc:
                apply_errors(bound, exc)
            else:
                messages.success(request, _("Marked as told: %(name)s.") % {"name": target.person.name})
                return redirect("design:follow_ups", slug=slug, pk=pk)
        status = 400
    for row in rows:
        row.may_act = request.user.has_perm("core.act_for_person", row.person)
        if row.may_act and row.told_at is None:
            row.form = bound if bound is not None and bound.prefix == f"f{row.pk}" else ToldForm(prefix=f"f{row.pk}")
    return render(request, "design/follow_ups.html", {
        "lab": lab, "decision": decision, "rows": rows, "left": sum(1 for row in rows if row.told_at is None),
    }, status=status)
