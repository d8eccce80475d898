"""Co-commissioning pages. Thin: parse the request, check permission, call a service, render.

Every flow works without JavaScript: plain forms and links, one page per step.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coproduce.core.audit import Channel
from coproduce.core.models import Organisation, Person
from coproduce.core.permissions import STAFF_ROLES, organisations_where, person_of, require
from coproduce.core.views import apply_errors, page_of

from . import images, pledge_handover_services, services, voting
from . import proposal_media_services as media
from .forms import (
    BudgetForm,
    CodesForm,
    CommentForm,
    CsvForm,
    MergeForm,
    MilestoneForm,
    PabulibForm,
    PhaseForm,
    PhotoForm,
    PledgeForm,
    PledgeOnBehalfForm,
    ProcessForm,
    ProgressForm,
    ProposalEditForm,
    ProposalFilterForm,
    ProposalForm,
    ProposalImageForm,
    ReviewForm,
    SupportOnBehalfForm,
    VoterForm,
    WithdrawForm,
)
from .models import (
    Ballot,
    Budget,
    Comment,
    Milestone,
    MilestonePhoto,
    Phase,
    Process,
    Proposal,
    ProposalImage,
    Tally,
)
from .permissions import COMMISSIONING_ROLES
from .wording import explain, money

CHANNEL_LABELS = {
    Channel.WEB: gettext_lazy("Website"),
    Channel.API: gettext_lazy("App or API"),
    Channel.PAPER: gettext_lazy("Paper"),
    Channel.PHONE: gettext_lazy("Phone"),
    Channel.IN_PERSON: gettext_lazy("In person"),
    Channel.IMPORT: gettext_lazy("Imported file"),
    Channel.CLI: gettext_lazy("Command line"),
    Channel.SYSTEM: gettext_lazy("System"),
}


def _process(slug, user):
    process = get_object_or_404(Process.objects.select_related("organisation", "area"), slug=slug)
    require(user, "budgeting.view_process", process)
    return process


def _visible(user):
    qs = Process.objects.select_related("organisation", "area")
    if user.is_authenticated and user.is_superuser:
        return qs
    visible = Q(is_published=True, organisation__is_active=True)
    if user.is_authenticated:
        visible |= Q(organisation_id__in=organisations_where(user, STAFF_ROLES))
    return qs.filter(visible)


def _commissioning_organisations(user):
    if user.is_superuser:
        return Organisation.objects.filter(is_active=True)
    return Organisation.objects.filter(pk__in=organisations_where(user, COMMISSIONING_ROLES), is_active=True)


# --- processes ---------------------------------------------------------------------------------


def process_list(request):
    qs = _visible(request.user).order_by("-created_at", "-id").annotate(
        n_budgets=Count("budgets", distinct=True),
        n_proposals=Count("proposals", filter=~Q(proposals__status=Proposal.Status.MERGED), distinct=True),
    )
    context = {"page": page_of(request, qs), "can_add": request.user.has_perm("budgeting.add_any_process"),
               "can_import": request.user.has_perm("budgeting.add_any_process")}
    return render(request, "budgeting/process_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def process_new(request):
    require(request.user, "budgeting.add_any_process")
    orgs = _commissioning_organisations(request.user)
    form = ProcessForm(request.POST or None, organisations=orgs)
    if request.method == "POST" and form.is_valid():
        try:
            process = services.create_process(request.user, form.cleaned_data["organisation"],
                                              **form.process_fields())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The process is created. Add its budgets next."))
            return redirect(process)
    return render(request, "budgeting/process_form.html", {"form": form})


def process_detail(request, slug):
    process = _process(slug, request.user)
    user = request.user
    budgets = list(process.budgets.select_related("area"))
    form = ProposalFilterForm(request.GET or None, process=process)
    qs = process.proposals.select_related("area", "category", "budget").order_by("-support_count", "id")
    if not user.has_perm("budgeting.review_proposal", process):
        qs = qs.exclude(status=Proposal.Status.WITHDRAWN)
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            qs = qs.filter(Q(title__icontains=data["q"]) | Q(description__icontains=data["q"]))
        if data["budget"]:
            qs = qs.filter(budget=data["budget"])
        if data["category"]:
            qs = qs.filter(category=data["category"])
        if data["status"]:
            qs = qs.filter(status=data["status"])
    phase = process.phase
    context = {
        "process": process, "phase": phase, "budgets": budgets, "form": form, "page": page_of(request, qs),
        "phase_form": PhaseForm(initial={"phase": phase}),
        "can_change": user.has_perm("budgeting.change_process", process),
        "can_propose": phase == Phase.COLLECT and process.kind == Process.Kind.BUDGETING,
        "can_act_on_behalf": user.has_perm("budgeting.act_on_behalf", process),
        "can_manage_voting": user.has_perm("budgeting.manage_voting", process),
        "can_count": user.has_perm("budgeting.run_tally", process),
        "results_visible": user.has_perm("budgeting.view_results", process),
        "is_voting": phase == Phase.VOTE,
        "currency": process.currency, "phases": Phase.choices,
    }
    return render(request, "budgeting/process_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def process_edit(request, slug):
    process = _process(slug, request.user)
    require(request.user, "budgeting.change_process", process)
    form = ProcessForm(request.POST or None, instance=process)
    if request.method == "POST":
        form.instance = Process.objects.get(pk=process.pk)
        if form.is_valid():
            try:
                services.update_process(request.user, process, **form.process_fields())
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect(process)
    return render(request, "budgeting/process_form.html", {"form": form, "process": process})


@login_required
@require_POST
def process_phase(request, slug):
    process = _process(slug, request.user)
    require(request.user, "budgeting.change_process", process)
    form = PhaseForm(request.POST)
    if form.is_valid():
        services.set_phase(request.user, process, form.cleaned_data["phase"])
        messages.success(request, _("The process is now in the phase “%(phase)s”.") % {
            "phase": Phase(form.cleaned_data["phase"]).label})
    return redirect(process)


@login_required
@require_http_methods(["GET", "POST"])
def budget_add(request, slug):
    process = _process(slug, request.user)
    require(request.user, "budgeting.change_process", process)
    form = BudgetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_budget(request.user, process, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Budget added."))
            return redirect(process)
    return render(request, "budgeting/simple_form.html", {
        "process": process, "form": form, "title": _("Add a budget"), "submit": _("Add budget")})


@login_required
@require_http_methods(["GET", "POST"])
def budget_edit(request, slug, budget_id):
    process, budget = _budget(slug, budget_id, request.user)
    require(request.user, "budgeting.change_process", process)
    form = BudgetForm(request.POST or None, initial={"name": budget.name, "amount": budget.amount,
                                                     "area": budget.area_id})
    page = {"process": process, "title": _("Edit the budget “%(name)s”") % {"name": budget.name}, "submit": _("Save")}
    if request.method == "POST":
        return _post_form(request, form, lambda d: services.update_budget(request.user, budget, **d),
                          _("Budget saved."), done=process, **page)
    return _form_page(request, form, **page)


# --- proposals ---------------------------------------------------------------------------------


def _people_for(user, process):
    people = Person.objects.filter(erased_at__isnull=True)
    if not user.is_superuser:
        people = people.filter(memberships__organisation_id__in=organisations_where(user, STAFF_ROLES)).distinct()
    return people.order_by("name")


@login_required
@require_http_methods(["GET", "POST"])
def propose(request, slug):
    process = _process(slug, request.user)
    on_behalf = request.GET.get("on_behalf") == "1" or "channel" in request.POST
    if on_behalf:
        require(request.user, "budgeting.act_on_behalf", process)
    else:
        require(request.user, "budgeting.propose", process)
    form = ProposalForm(request.POST or None, on_behalf=on_behalf,
                        people=_people_for(request.user, process) if on_behalf else None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        channel = data.pop("channel", Channel.WEB)
        on_behalf_of = data.pop("on_behalf_of", None)
        try:
            proposal = services.submit_proposal(request.user, process, channel=channel, on_behalf_of=on_behalf_of,
                                                **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Thank you: the proposal is submitted and will be reviewed."))
            return redirect(proposal)
    return render(request, "budgeting/propose.html", {"process": process, "form": form, "on_behalf": on_behalf})


@login_required
@require_http_methods(["GET", "POST"])
def option_add(request, slug):
    process = _process(slug, request.user)
    require(request.user, "budgeting.change_process", process)
    form = ProposalForm(request.POST or None)
    for name in ("area", "cost_estimate", "address", "latitude", "longitude"):
        del form.fields[name]
    if request.method == "POST" and form.is_valid():
        try:
            services.add_option(request.user, process, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Option added."))
            return redirect(process)
    return render(request, "budgeting/simple_form.html", {
        "process": process, "form": form, "title": _("Add an option"), "submit": _("Add option")})


@login_required
@require_http_methods(["GET", "POST"])
def proposals_import(request, slug):
    process = _process(slug, request.user)
    require(request.user, "budgeting.import_proposals", process)
    form = CsvForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = services.import_proposals_csv(request.user, process, form.text(),
                                                   dry_run=form.cleaned_data["dry_run"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if report.imported:
                messages.success(request, _("%(n)s proposals imported.") % {"n": report.imported})
                return redirect(process)
    return render(request, "budgeting/import_csv.html", {
        "process": process, "form": form, "report": report, "title": _("Import proposals from a spreadsheet"),
        "columns": services.PROPOSAL_CSV_COLUMNS})


def _proposal(slug, pk, user):
    process = _process(slug, user)
    proposal = get_object_or_404(
        Proposal.objects.select_related("area", "category", "budget", "proposer", "merged_into"), pk=pk,
        process=process)
    proposal.process = process
    return process, proposal


def proposal_detail(request, slug, pk):
    process, proposal = _proposal(slug, pk, request.user)
    user = request.user
    me = person_of(user)
    phase = process.phase
    can_moderate = user.has_perm("budgeting.moderate", process)
    can_act_on_behalf = user.has_perm("budgeting.act_on_behalf", process)
    comments = proposal.comments.select_related("author")
    if not can_moderate:
        comments = comments.filter(is_hidden=False)
    groups = Organisation.objects.none()
    if me is not None:
        groups = Organisation.objects.filter(memberships__person=me).distinct()
    milestones = list(proposal.milestones.prefetch_related("photos"))
    proposal_images = list(proposal.images.all())
    for m in milestones:
        m.photo_form = PhotoForm(auto_id=f"m{m.pk}_%s")  # one upload form per milestone, unique ids
    context = {
        "process": process, "proposal": proposal, "phase": phase, "currency": process.currency,
        "comments": comments,
        "pledges": proposal.pledges.exclude(status="withdrawn").select_related("person", "group"),
        "milestones": milestones,
        "can_withdraw": phase in (Phase.COLLECT, Phase.REVIEW) and proposal.status not in (
            Proposal.Status.MERGED, Proposal.Status.WITHDRAWN) and _may_withdraw(user, process, proposal),
        "can_edit": bool(_edit_channels(user, proposal)),
        "supported": me is not None and proposal.supports.filter(person=me).exists(),
        "can_take_part": user.has_perm("budgeting.take_part", process),
        "before_vote": phase in (Phase.COLLECT, Phase.REVIEW),
        "pledges_open": phase in (Phase.COLLECT, Phase.REVIEW, Phase.VOTE),
        "can_review": user.has_perm("budgeting.review_proposal", process) and phase in (Phase.COLLECT, Phase.REVIEW),
        "can_moderate": can_moderate,
        "can_deliver": user.has_perm("budgeting.manage_delivery", process) and phase in (Phase.RESULTS, Phase.DELIVERY),
        "review_form": ReviewForm(process=process, initial={"budget": proposal.budget_id,
                                                            "cost": proposal.cost or proposal.cost_estimate}),
        "merge_form": MergeForm(proposal=proposal),
        "comment_form": CommentForm(),
        "comment_on_behalf_form": CommentForm(on_behalf=True, people=_people_for(user, process), auto_id="cob_%s")
        if can_act_on_behalf and phase in (Phase.COLLECT, Phase.REVIEW) else None,
        "support_form": SupportOnBehalfForm(people=_people_for(user, process), auto_id="sob_%s")
        if can_act_on_behalf and phase in (Phase.COLLECT, Phase.REVIEW) else None,
        "pledge_form": PledgeForm(groups=groups),
        "progress_form": ProgressForm(initial={"progress": proposal.progress, "spent": proposal.spent}),
        "milestone_form": MilestoneForm(),
        "images": [(image, media.may_remove_image(user, image)) for image in proposal_images],
        "can_add_image": media.may_add_image(user, proposal) and len(proposal_images) < media.MAX_IMAGES,
        "can_pledge_on_behalf": can_act_on_behalf and phase in (Phase.COLLECT, Phase.REVIEW, Phase.VOTE)
        and process.has_costs,
    }
    return render(request, "budgeting/proposal_detail.html", context)


def _post_form(request, form, action, success, *, process, title, submit, done, multipart=False):
    """The POST of a small form: on a valid form run `action(form.cleaned_data)` (a service call)
    and redirect to `done` with the `success` message; otherwise show the form again on its own
    page, with the service's errors next to their fields, and status 400."""
    if form.is_valid():
        try:
            action(form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect(done)
    return _form_page(request, form, process=process, title=title, submit=submit, status=400, multipart=multipart)


def _form_page(request, form, *, process, title, submit, status=200, multipart=False):
    return render(request, "budgeting/simple_form.html", {
        "process": process, "form": form, "title": title, "submit": submit, "action": request.path,
        "multipart": multipart}, status=status)


@login_required
@require_POST
def proposal_review(request, slug, pk):
    process, proposal = _proposal(slug, pk, request.user)
    require(request.user, "budgeting.review_proposal", process)
    form = ReviewForm(request.POST, process=process)
    return _post_form(request, form, lambda d: services.review_proposal(
        request.user, proposal, feasible=d["decision"] == "feasible", reason=d["reason"], cost=d["cost"],
        budget=d["budget"]), _("Review saved."), process=process, done=proposal,
        title=_("Review “%(t)s”") % {"t": proposal.title}, submit=_("Save review"))


def _edit_channels(user, proposal) -> list[str]:
    """The channels through which `user` may change this proposal now (none: they may not)."""
    return [c for c in (Channel.WEB, *services.ON_BEHALF_CHANNELS) if services.may_edit_proposal(user, proposal, c)]


@login_required
@require_http_methods(["GET", "POST"])
def proposal_edit(request, slug, pk):
    process, proposal = _proposal(slug, pk, request.user)
    channels = _edit_channels(request.user, proposal)
    if not channels:
        raise PermissionDenied("budgeting.change_proposal")
    initial = {name: getattr(proposal, name) for name in services.PROPOSAL_EDIT_FIELDS}
    form = ProposalEditForm(request.POST or None, initial=initial, channels=channels)
    page = {"process": process, "title": _("Change “%(t)s”") % {"t": proposal.title}, "submit": _("Save the changes")}
    if request.method == "POST":
        def save(data):
            data = dict(data)
            services.update_proposal(request.user, proposal, channel=data.pop("channel", Channel.WEB), **data)

        return _post_form(request, form, save, _("The proposal is changed."), done=proposal, **page)
    return _form_page(request, form, **page)


def _may_withdraw(user, process, proposal) -> bool:
    """The proposer may withdraw their own proposal; staff may on anyone's behalf."""
    me = person_of(user)
    if me is not None and proposal.proposer_id == me.pk:
        return user.has_perm("budgeting.propose", process)
    return user.has_perm("budgeting.act_on_behalf", process)


@login_required
@require_http_methods(["GET", "POST"])
def proposal_withdraw(request, slug, pk):
    process, proposal = _proposal(slug, pk, request.user)
    if not _may_withdraw(request.user, process, proposal):
        raise PermissionDenied("budgeting.withdraw_proposal")
    me = person_of(request.user)
    form = WithdrawForm(request.POST or None, on_behalf=me is None or proposal.proposer_id != me.pk)
    page = {"process": process, "title": _("Withdraw “%(t)s”") % {"t": proposal.title},
            "submit": _("Withdraw the proposal")}
    if request.method == "POST":
        return _post_form(request, form, lambda d: services.withdraw_proposal(
            request.user, proposal, reason=d["reason"], channel=d.get("channel") or Channel.WEB),
            _("The proposal is withdrawn: it will not be on the ballot."), done=proposal, **page)
    return _form_page(request, form, **page)


@login_required
@require_POST
def proposal_merge(request, slug, pk):
    process, proposal = _proposal(slug, pk, request.user)
    require(request.user, "budgeting.review_proposal", process)
    form = MergeForm(request.POST, proposal=proposal)
    return _post_form(request, form, lambda d: services.merge_proposals(
        request.user, proposal, d["into"], reason=d["reason"]), _("Merged."), process=process, done=proposal,
        title=_("Merge “%(t)s”") % {"t": proposal.title}, submit=_("Merge"))


@login_required
@require_POST
def proposal_comment(request, slug, pk):
    process, proposal = _proposal(slug, pk, request.user)
    if "on_behalf_of" in request.POST or "channel" in request.POST:
        require(request.user, "budgeting.act_on_behalf", process)
        form = CommentForm(request.POST, on_behalf=True, people=_people_for(request.user, process))
    else:
        require(request.user, "budgeting.take_part", process)
        form = CommentForm(request.POST)
    return _post_form(request, form, lambda d: services.add_comment(
        request.user, proposal, body=d["body"], on_behalf_of=d.get("on_behalf_of"),
        channel=d.get("channel") or Channel.WEB),
        _("Comment added."), process=process, done=proposal,
        title=_("Comment on “%(t)s”") % {"t": proposal.title}, submit=_("Add comment"))


@login_required
@require_POST
def comment_hide(request, slug, pk):
    process = _process(slug, request.user)
    comment = get_object_or_404(Comment.objects.select_related("proposal"), pk=pk, proposal__process=process)
    comment.proposal.process = process
    services.hide_comment(request.user, comment, reason=request.POST.get("reason", ""))
    messages.success(request, _("Comment hidden."))
    return redirect(comment.proposal)


@login_required
@require_POST
def proposal_support(request, slug, pk):
    process, proposal = _proposal(slug, pk, request.user)
    if "on_behalf_of" in request.POST or "channel" in request.POST:
        return _support_on_behalf(request, process, proposal)
    try:
        supported = services.toggle_support(request.user, proposal)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("You support this proposal.") if supported else _("Support taken back."))
    return redirect(proposal)


def _support_on_behalf(request, process, proposal):
    require(request.user, "budgeting.act_on_behalf", process)
    form = SupportOnBehalfForm(request.POST, people=_people_for(request.user, process))
    if form.is_valid():
        who = form.cleaned_data["on_behalf_of"]
        try:
            supported = services.toggle_support(request.user, proposal, on_behalf_of=who,
                                                channel=form.cleaned_data["channel"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, (_("%(name)s now supports this proposal.") if supported
                                       else _("%(name)s's support is taken back.")) % {"name": who.name})
            return redirect(proposal)
    return _form_page(request, form, process=process, title=_("Support on someone's behalf: %(t)s") % {
        "t": proposal.title}, submit=_("Record the support"), status=400)


@login_required
@require_http_methods(["GET", "POST"])
def proposal_pledge(request, slug, pk):
    process, proposal = _proposal(slug, pk, request.user)
    require(request.user, "budgeting.take_part", process)
    me = person_of(request.user)
    groups = Organisation.objects.filter(memberships__person=me).distinct() if me else Organisation.objects.none()
    form = PledgeForm(request.POST or None, groups=groups)
    page = {"process": process, "title": _("Offer to help: %(t)s") % {"t": proposal.title}, "submit": _("Make the offer")}
    if request.method == "POST":
        return _post_form(request, form, lambda d: services.make_pledge(
            request.user, proposal, kind=d["kind"], minutes=form.minutes(), amount=d["amount"],
            description=d["description"], group=d["group"]), _("Thank you for your offer."), done=proposal, **page)
    return _form_page(request, form, **page)


@login_required
@require_http_methods(["GET", "POST"])
def proposal_pledge_on_behalf(request, slug, pk):
    """Staff record an offer to help received on paper, by phone or in person, for a named person."""
    process, proposal = _proposal(slug, pk, request.user)
    require(request.user, "budgeting.act_on_behalf", process)
    form = PledgeOnBehalfForm(request.POST or None, people=_people_for(request.user, process))
    page = {"process": process, "title": _("Record an offer to help on someone's behalf: %(t)s") % {
        "t": proposal.title}, "submit": _("Record the offer")}
    if request.method == "POST":
        return _post_form(request, form, lambda d: services.make_pledge(
            request.user, proposal, kind=d["kind"], minutes=form.minutes(), amount=d["amount"],
            description=d["description"], on_behalf_of=d["on_behalf_of"], channel=d["channel"]),
            _("The offer is recorded."), done=proposal, **page)
    return _form_page(request, form, **page)


@login_required
@require_http_methods(["GET", "POST"])
def proposal_image_add(request, slug, pk):
    process, proposal = _proposal(slug, pk, request.user)
    if not media.may_add_image(request.user, proposal):
        raise PermissionDenied("budgeting.add_proposal_image")
    staff = request.user.has_perm("budgeting.act_on_behalf", process)
    form = ProposalImageForm(request.POST or None, request.FILES or None, staff=staff)
    page = {"process": process, "title": _("Add an image: %(t)s") % {"t": proposal.title},
            "submit": _("Upload the image"), "multipart": True}
    if request.method == "POST":
        return _post_form(request, form, lambda d: media.add_proposal_image(
            request.user, proposal, d["image"], alt_text=d["alt_text"], caption=d["caption"],
            channel=d.get("channel") or Channel.WEB), _("Image added."), done=proposal, **page)
    return _form_page(request, form, **page)


def _image(slug, pk, user):
    process = _process(slug, user)
    image = get_object_or_404(ProposalImage.objects.select_related("proposal"), pk=pk, proposal__process=process)
    image.proposal.process = process
    return process, image


def proposal_image(request, slug, pk):
    """A proposal's image, after the same check as the proposal's page; never a direct file URL."""
    _proc, image = _image(slug, pk, request.user)
    return images.serve(image)


@login_required
@require_POST
def proposal_image_remove(request, slug, pk):
    _proc, image = _image(slug, pk, request.user)
    proposal = image.proposal
    try:
        media.remove_proposal_image(request.user, image)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Image removed."))
    return redirect(proposal)


@login_required
@require_POST
def proposal_progress(request, slug, pk):
    process, proposal = _proposal(slug, pk, request.user)
    require(request.user, "budgeting.manage_delivery", process)
    form = ProgressForm(request.POST)
    return _post_form(request, form, lambda d: services.record_progress(
        request.user, proposal, progress=d["progress"], spent=d["spent"], note=d["note"],
        done_milestones=proposal.milestones.filter(pk__in=request.POST.getlist("done"))), _("Progress saved."),
        process=process, done=proposal, title=_("Delivery of “%(t)s”") % {"t": proposal.title}, submit=_("Save"))


@login_required
@require_POST
def milestone_add(request, slug, pk):
    process, proposal = _proposal(slug, pk, request.user)
    require(request.user, "budgeting.manage_delivery", process)
    form = MilestoneForm(request.POST)
    return _post_form(request, form, lambda d: services.add_milestone(request.user, proposal, **d),
                      _("Milestone added."), process=process, done=proposal, title=_("Add a milestone"),
                      submit=_("Add"))


@login_required
@require_POST
def milestone_photo_add(request, slug, pk):
    process = _process(slug, request.user)
    milestone = get_object_or_404(Milestone.objects.select_related("proposal"), pk=pk, proposal__process=process)
    milestone.proposal.process = process
    require(request.user, "budgeting.manage_delivery", process)
    form = PhotoForm(request.POST, request.FILES)
    return _post_form(request, form, lambda d: services.add_milestone_photo(
        request.user, milestone, d["photo"], caption=d["caption"]), _("Photo added."), process=process,
        done=milestone.proposal, title=_("Add a photo: %(m)s") % {"m": milestone.title}, submit=_("Upload"),
        multipart=True)


def milestone_photo(request, slug, pk):
    """A delivery photo, after the same check as its proposal's page; never a direct file URL."""
    process = _process(slug, request.user)
    photo = get_object_or_404(MilestonePhoto, pk=pk, milestone__proposal__process=process)
    return images.serve(photo)


@login_required
@require_http_methods(["GET", "POST"])
def pledges_settle(request, slug):
    """Staff settle the pledges after the count, and see the pledges of time handed over to a
    timebank and the pledgers still to invite to one."""
    process = _process(slug, request.user)
    require(request.user, "budgeting.change_process", process)
    if request.method == "POST":
        try:
            result = services.settle_pledges(request.user, process)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(c)s pledges to collect, %(r)s released.") % {
                "c": result["collected"], "r": result["released"]})
            if result["offers"]:
                messages.success(request, _("%(n)s pledges of time are now offers in a timebank.") % {
                    "n": result["offers"]})
        return redirect("budgeting:pledges_settle", slug=process.slug)
    return render(request, "budgeting/pledges_settle.html", {
        "process": process, "can_settle": process.phase in (Phase.RESULTS, Phase.DELIVERY),
        **pledge_handover_services.overview(process)})


# --- voting ------------------------------------------------------------------------------------


def ballot_form_class(process, budget, options):
    """A form for the process's method, built for this budget's options (no JavaScript needed)."""
    fields = {}
    labels = [(str(p.pk), f"{p.title} – {money(p.cost_for_rule(process.pledges_reduce_cost), process.currency)}"
               if process.has_costs else p.title) for p in options]
    if process.method == Process.Method.CUMULATIVE:
        for p in options:
            fields[f"points_{p.pk}"] = forms.IntegerField(label=p.title, required=False, min_value=0,
                                                          max_value=process.points_total or 0)
    elif process.method == Process.Method.RANKED:
        k = process.max_choices or len(options)
        for position in range(1, min(k, len(options)) + 1):
            fields[f"rank_{position}"] = forms.ChoiceField(
                label=_("Choice %(n)s") % {"n": position}, required=False,
                choices=[("", _("(none)"))] + labels)
    else:
        fields["choices"] = forms.MultipleChoiceField(label=_("Your choices"), required=False, choices=labels,
                                                      widget=forms.CheckboxSelectMultiple)
    return type("BallotForm", (forms.Form,), fields)


def ballot_from_form(process, data):
    """(choices, points) from a cleaned ballot form."""
    if process.method == Process.Method.CUMULATIVE:
        return None, {name.removeprefix("points_"): value for name, value in data.items()
                      if name.startswith("points_") and value}
    if process.method == Process.Method.RANKED:
        ranked = [data[name] for name in sorted((n for n in data if n.startswith("rank_")),
                                                key=lambda n: int(n.removeprefix("rank_"))) if data[name]]
        return ranked, None
    return data.get("choices", []), None


def _budget(slug, budget_id, user):
    process = _process(slug, user)
    budget = get_object_or_404(Budget.objects.select_related("area"), pk=budget_id, process=process)
    budget.process = process
    return process, budget


def _options(budget):
    return list(Proposal.objects.filter(budget=budget, status=Proposal.Status.FEASIBLE).order_by("title", "id"))


def _initial_from_ballot(process, ballot):
    if ballot is None:
        return {}
    if process.method == Process.Method.CUMULATIVE:
        return {f"points_{pk}": v for pk, v in zip(ballot.choices, ballot.points or ())}
    if process.method == Process.Method.RANKED:
        return {f"rank_{i}": str(pk) for i, pk in enumerate(ballot.choices, start=1)}
    return {"choices": [str(pk) for pk in ballot.choices]}


@require_http_methods(["GET", "POST"])
def vote(request, slug, budget_id):
    process, budget = _budget(slug, budget_id, request.user)
    require(request.user, "budgeting.vote", process)
    options = _options(budget)
    Form = ballot_form_class(process, budget, options)
    needs_login = process.verification == Process.Verification.ACCOUNT and not request.user.is_authenticated
    mine = None
    me = person_of(request.user)
    if process.verification == Process.Verification.ACCOUNT and me is not None:
        # Only the voter can find their own ballot: its key is derived from who they are.
        mine = Ballot.objects.filter(budget=budget, voter_key=voting.voter_key(process.pk, f"person:{me.pk}")).first()
    data = request.POST if request.method == "POST" else None
    form = Form(data, initial=_initial_from_ballot(process, mine))
    voter_form = VoterForm(data, verification=process.verification)
    if request.method == "POST" and not needs_login and form.is_valid() and voter_form.is_valid():
        choices, points = ballot_from_form(process, form.cleaned_data)
        v = voter_form.cleaned_data
        try:
            services.cast_ballot(request.user, budget, choices=choices, points=points, code=v.get("code", ""),
                                 census_id=v.get("census_id", ""), census_birth=v.get("census_birth_date"))
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                target = voter_form if field in voter_form.fields else form
                target.add_error(field if field in target.fields else None, errors)
        else:
            messages.success(request, _("Your vote is saved. You can change it until voting closes.")
                             if process.verification == Process.Verification.ACCOUNT else _("Your vote is saved."))
            return redirect(process)
    return render(request, "budgeting/vote.html", {
        "process": process, "budget": budget, "form": form, "voter_form": voter_form, "options": options,
        "needs_login": needs_login, "has_voted": mine is not None, "is_open": process.phase == Phase.VOTE,
        "currency": process.currency, "budget_amount": money(budget.amount, process.currency),
        "max_n": process.max_choices or len(options)})


@login_required
@require_http_methods(["GET", "POST"])
def paper_ballots(request, slug, budget_id):
    process, budget = _budget(slug, budget_id, request.user)
    require(request.user, "budgeting.act_on_behalf", process)
    options = _options(budget)
    Form = ballot_form_class(process, budget, options)
    form = Form(request.POST if "enter" in request.POST else None)
    voter_form = VoterForm(request.POST if "enter" in request.POST else None,
                           verification=Process.Verification.CODES)
    voter_form.fields["code"].required = False
    voter_form.fields["code"].help_text = _("Optional: the code on the ballot paper, so the voter cannot vote twice.")
    csv_form = CsvForm(request.POST if "upload" in request.POST else None, request.FILES or None)
    report = None
    if "enter" in request.POST and form.is_valid() and voter_form.is_valid():
        choices, points = ballot_from_form(process, form.cleaned_data)
        try:
            services.enter_paper_ballot(request.user, budget, choices=choices, points=points,
                                        code=voter_form.cleaned_data.get("code", ""))
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                target = voter_form if field in voter_form.fields else form
                target.add_error(field if field in target.fields else None, errors)
        else:
            messages.success(request, _("Paper ballot entered."))
            return redirect("budgeting:paper_ballots", slug=process.slug, budget_id=budget.pk)
    if "upload" in request.POST and csv_form.is_valid():
        try:
            report = services.import_paper_ballots_csv(request.user, budget, csv_form.text(),
                                                       dry_run=csv_form.cleaned_data["dry_run"])
        except ValidationError as exc:
            apply_errors(csv_form, exc)
        else:
            if report.imported:
                messages.success(request, _("%(n)s paper ballots imported.") % {"n": report.imported})
                return redirect("budgeting:paper_ballots", slug=process.slug, budget_id=budget.pk)
    counts = dict(budget.ballots.values_list("channel").annotate(n=Count("id")).order_by())
    return render(request, "budgeting/paper_ballots.html", {
        "process": process, "budget": budget, "form": form, "voter_form": voter_form, "csv_form": csv_form,
        "report": report, "options": options,
        "counts": sorted((CHANNEL_LABELS.get(c, c), n) for c, n in counts.items())})


@login_required
@require_http_methods(["GET", "POST"])
def voting_codes(request, slug):
    process = _process(slug, request.user)
    require(request.user, "budgeting.manage_voting", process)
    form = CodesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.generate_codes(request.user, process, count=form.cleaned_data["count"],
                                            area=form.cleaned_data["area"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            response = render(request, "budgeting/codes_print.html", {
                "process": process, "codes": codes, "area": form.cleaned_data["area"],
                "vote_url": request.build_absolute_uri(process.get_absolute_url())})
            response["Cache-Control"] = "no-store"
            return response
    batches = process.codes.values("batch", "area__name").annotate(
        n=Count("id"), used=Count("id", filter=Q(used_at__isnull=False))).order_by("batch")
    return render(request, "budgeting/codes.html", {"process": process, "form": form, "batches": batches})


@login_required
@require_http_methods(["GET", "POST"])
def census(request, slug):
    process = _process(slug, request.user)
    require(request.user, "budgeting.manage_voting", process)
    form = CsvForm(request.POST or None, request.FILES or None)
    del form.fields["dry_run"]
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = services.load_census(request.user, process, form.text())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if report.ok:
                messages.success(request, _("%(n)s people added to the census list.") % {"n": report.imported})
                return redirect("budgeting:census", slug=process.slug)
    return render(request, "budgeting/import_csv.html", {
        "process": process, "form": form, "report": report, "title": _("Census list"),
        "columns": ("id_number", "birth_date", "area"), "entries": process.census.count()})


@login_required
@require_POST
def count(request, slug, budget_id):
    process, budget = _budget(slug, budget_id, request.user)
    require(request.user, "budgeting.run_tally", process)
    official = request.POST.get("official") == "1"
    try:
        services.request_tally(request.user, budget, official=official)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Counting has started; the results appear here when it is done."))
    return redirect("budgeting:results", slug=process.slug, budget_id=budget.pk)


# --- results -----------------------------------------------------------------------------------


def _tally_for(request, process, budget):
    """The tally the viewer may see: the current official one; staff also see interim counts."""
    base = Tally.objects.filter(budget=budget).defer("log_json")
    tally = base.filter(official=True, is_current=True).first()
    pending = None
    if tally is None:
        pending = base.filter(official=True, status__in=[Tally.Status.PENDING, Tally.Status.RUNNING]).first()
        if pending is None and process.phase in (Phase.RESULTS, Phase.DELIVERY):
            pending = services.ensure_official_tally(budget)
            if pending is not None and pending.status == Tally.Status.DONE:
                tally, pending = Tally.objects.defer("log_json").get(pk=pending.pk), None
    if tally is None and request.user.has_perm("budgeting.run_tally", process):
        tally = base.filter(is_current=True).first()
    return tally, pending


def results(request, slug, budget_id):
    process, budget = _budget(slug, budget_id, request.user)
    require(request.user, "budgeting.view_results", process)
    tally, pending = _tally_for(request, process, budget)
    context = {"process": process, "budget": budget, "tally": tally, "pending": pending,
               "can_count": request.user.has_perm("budgeting.run_tally", process), "currency": process.currency,
               "is_priorities": process.kind == Process.Kind.PRIORITIES}
    if tally is not None:
        # A finished count never changes, so its rendered figures are kept (per language) and the
        # page costs a handful of queries whatever the number of ballots or projects.
        key = (f"budgeting:results:{tally.pk}:{tally.status}:{tally.finished_at and tally.finished_at.isoformat()}:"
               f"{get_language()}")
        body = cache.get(key) if tally.status == Tally.Status.DONE else None
        if body is None:
            body = render_to_string("budgeting/_results_body.html", _results_context(process, budget, tally, context),
                                    request=None)
            if tally.status == Tally.Status.DONE:
                cache.set(key, body, 24 * 3600)
        context["body"] = body
    return render(request, "budgeting/results.html", context)


def _results_context(process, budget, tally, base):
    rows = list(tally.rows.select_related("proposal").only(
        "tally_id", "proposal_id", "position", "selected", "votes", "score", "cost", "code", "numbers",
        "sentence", "breakdown", "proposal__title", "proposal__external_id", "proposal__process_id"))
    top = max([r.score for r in rows] + [1])
    currency = process.currency
    for i, r in enumerate(rows):
        r.text = explain(r.code, r.numbers, r.sentence, currency)
        r.y, r.ty = 24 * i + 4, 24 * i + 20
        r.bar = f"{440 * r.score / top:.1f}"
        r.bar_end = int(440 * r.score / top) + 305
        r.money = money(r.cost, currency)
        r.label = r.proposal.title if len(r.proposal.title) <= 38 else r.proposal.title[:37] + "…"
    areas = sorted((tally.details or {}).get("area_sizes", {}))
    groups = sorted((tally.details or {}).get("group_sizes", {}))
    for r in rows:
        r.by_area = [r.breakdown.get("by_area", {}).get(a, 0) for a in areas]
        r.by_group = [r.breakdown.get("by_group", {}).get(g, 0) for g in groups]
    return {
        **base, "rows": rows, "winners": [r for r in rows if r.selected], "chart_height": 24 * len(rows) + 10,
        "spent": money(tally.spent, currency), "amount": money(tally.budget_amount, currency),
        "turnout": sorted(((CHANNEL_LABELS.get(c, c), n) for c, n in tally.turnout.items()), key=lambda t: -t[1]),
        "areas": areas, "groups": groups,
    }


def results_log(request, slug, budget_id):
    process, budget = _budget(slug, budget_id, request.user)
    require(request.user, "budgeting.view_results", process)
    tally, _pending = _tally_for(request, process, budget)
    if tally is None or tally.status != Tally.Status.DONE:
        raise Http404(_("The results are not counted yet."))
    text = Tally.objects.values_list("log_json", flat=True).get(pk=tally.pk)
    response = HttpResponse(text, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{process.slug}-{budget.pk}-count.json"'
    return response


def results_pabulib(request, slug, budget_id):
    process, budget = _budget(slug, budget_id, request.user)
    text = services.export_pabulib(request.user, budget)
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{process.slug}-{budget.pk}.pb"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def pabulib_import(request):
    require(request.user, "budgeting.add_any_process")
    form = PabulibForm(request.POST or None, request.FILES or None,
                       organisations=_commissioning_organisations(request.user))
    if request.method == "POST" and form.is_valid():
        raw = form.cleaned_data["file"].read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            form.add_error("file", _("The file must be UTF-8 text."))
        else:
            try:
                process = services.import_pabulib(request.user, form.cleaned_data["organisation"], text,
                                                  title=form.cleaned_data["title"], channel=Channel.IMPORT)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Imported. The official count has started."))
                return redirect(process)
    return render(request, "budgeting/simple_form.html", {
        "form": form, "title": _("Import a Pabulib file"), "submit": _("Import"), "multipart": True,
        "intro": _("A .pb file from pabulib.org becomes a process in its results phase, with its projects and "
                   "its ballots (voter ids are not kept). Nothing is imported if the file has an error.")})

