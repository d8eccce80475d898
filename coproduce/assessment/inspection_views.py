"""Citizen inspection and peer review pages. Thin: parse the request, check permission, call a
service, render. Photos are served only through `photo`, after a permission check."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coproduce.core.models import STAFF_ROLES, Organisation, Person, Role
from coproduce.core.permissions import organisations_where, person_of, require
from coproduce.core.views import apply_errors, page_of

from . import inspection_services as inspections
from .forms import ActionForm, FindingForm, PublishForm, TemplateForm, TrainingForm, VisitForm
from .models import (
    Finding,
    FindingPhoto,
    InspectionAction,
    InspectionTemplate,
    InspectorTraining,
    Service,
    TemplateItem,
    Visit,
)


def _visit(pk) -> Visit:
    return get_object_or_404(Visit.objects.select_related("service__organisation", "organisation", "template"), pk=pk)


def index(request):
    user = request.user
    published = (Visit.objects.filter(status=Visit.Status.PUBLISHED)
                 .select_related("service", "organisation").order_by("-published_at", "-id"))
    me = person_of(user)
    mine = Visit.objects.none()
    running = Organisation.objects.none()
    if me is not None:
        mine = (Visit.objects.filter(team=me).exclude(status=Visit.Status.CANCELLED)
                .select_related("service", "organisation").order_by("-visit_on", "-id")[:50])
    if user.is_superuser:
        running = Organisation.objects.filter(is_active=True).order_by("name")[:50]
    elif user.is_authenticated:
        running = Organisation.objects.filter(pk__in=organisations_where(user, STAFF_ROLES),
                                              is_active=True).order_by("name")[:50]
    return render(request, "assessment/inspections.html", {"page": page_of(request, published), "mine": mine,
                                                           "running": running})


@login_required
def manage(request, org_slug):
    organisation = get_object_or_404(Organisation, slug=org_slug)
    require(request.user, "assessment.manage_inspections", organisation)
    return render(request, "assessment/inspections_manage.html", {
        "organisation": organisation,
        "templates": InspectionTemplate.objects.filter(organisation=organisation).prefetch_related("items"),
        "trainings": InspectorTraining.objects.filter(organisation=organisation).select_related("person")[:200],
        "visits": Visit.objects.filter(organisation=organisation).select_related("service", "template")
        .prefetch_related("team")[:200],
        "today": timezone.localdate(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def training_add(request, org_slug):
    organisation = get_object_or_404(Organisation, slug=org_slug)
    require(request.user, "assessment.manage_inspections", organisation)
    people = Person.objects.filter(memberships__organisation=organisation, memberships__role=Role.INSPECTOR,
                                   erased_at__isnull=True).distinct().order_by("name")
    form = TrainingForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        try:
            inspections.record_training(request.user, organisation, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The training is recorded."))
            return redirect("assessment:inspections_manage", org_slug=organisation.slug)
    return render(request, "assessment/inspection_form.html", {
        "form": form, "organisation": organisation, "heading": _("Record an inspector's training")})


@login_required
@require_http_methods(["GET", "POST"])
def template_add(request, org_slug):
    organisation = get_object_or_404(Organisation, slug=org_slug)
    require(request.user, "assessment.manage_inspections", organisation)
    form = TemplateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            inspections.create_template(request.user, organisation, **form.template_fields())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The checklist is saved."))
            return redirect("assessment:inspections_manage", org_slug=organisation.slug)
    return render(request, "assessment/inspection_form.html", {
        "form": form, "organisation": organisation, "heading": _("A new checklist")})


@login_required
@require_http_methods(["GET", "POST"])
def visit_add(request, org_slug):
    organisation = get_object_or_404(Organisation, slug=org_slug)
    require(request.user, "assessment.manage_inspections", organisation)
    people = Person.objects.filter(memberships__organisation=organisation, memberships__role=Role.INSPECTOR,
                                   erased_at__isnull=True).distinct().order_by("name")
    form = VisitForm(request.POST or None, templates=InspectionTemplate.objects.filter(organisation=organisation),
                     people=people)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            visit = inspections.schedule_visit(request.user, data["template"], data["service"],
                                               visit_on=data["visit_on"], team=list(data["team"]),
                                               minutes=data["minutes"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The visit is scheduled."))
            return redirect(visit)
    return render(request, "assessment/inspection_form.html", {
        "form": form, "organisation": organisation, "heading": _("Schedule a visit")})


def visit(request, pk):
    item = _visit(pk)
    require(request.user, "assessment.view_visit", item)
    user = request.user
    draft = user.has_perm("assessment.view_visit_draft", item)
    findings = {f.item_id: f for f in Finding.objects.filter(visit=item).prefetch_related("photos")}
    rows = [{"item": it, "finding": findings.get(it.pk)} for it in item.template.items.all()]
    scale = item.template.scale
    for row in rows:
        finding = row["finding"]
        row["label"] = scale[finding.rating - 1] if finding and finding.rating else ""
    can_record = user.has_perm("assessment.record_findings", item)
    context = {
        "visit": item, "rows": rows, "draft": draft, "can_record": can_record,
        "can_publish": user.has_perm("assessment.publish_report", item),
        "can_add_action": user.has_perm("assessment.add_action", item) and item.status != Visit.Status.CANCELLED,
        "can_close": user.has_perm("assessment.close_action", item),
        "can_complete": user.has_perm("assessment.complete_action", InspectionAction(visit=item)),
        "team": list(item.team.all()) if draft else [],
        "actions": list(item.actions.all()) if user.has_perm("assessment.view_action", InspectionAction(visit=item))
        else [],
        "publish_form": PublishForm(initial={"summary": item.summary, "minutes": item.minutes}),
        "today": timezone.localdate(),
    }
    return render(request, "assessment/visit.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def finding_edit(request, pk, item_pk):
    item = _visit(pk)
    require(request.user, "assessment.record_findings", item)
    checklist_item = get_object_or_404(TemplateItem, pk=item_pk, template=item.template)
    finding = Finding.objects.filter(visit=item, item=checklist_item).first()
    initial = {"rating": finding.rating, "notes": finding.notes} if finding else {}
    form = FindingForm(request.POST or None, request.FILES or None, initial=initial, scale=item.template.scale)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            inspections.record_finding(request.user, item, checklist_item, rating=data["rating"],
                                       notes=data["notes"], photo=data["photo"] or None, caption=data["caption"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(item)
    return render(request, "assessment/finding_form.html", {"form": form, "visit": item, "item": checklist_item,
                                                            "finding": finding})


@login_required
@require_http_methods(["GET", "POST"])
def action_add(request, pk):
    item = _visit(pk)
    require(request.user, "assessment.add_action", item)
    findings = list(Finding.objects.filter(visit=item).select_related("item"))
    form = ActionForm(request.POST or None, findings=findings)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        finding = next((f for f in findings if str(f.pk) == data["finding"]), None)
        try:
            inspections.add_action(request.user, item, description=data["description"], due_on=data["due_on"],
                                   finding=finding)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The action is assigned to the service."))
            return redirect(item)
    return render(request, "assessment/inspection_form.html", {
        "form": form, "organisation": item.organisation, "visit": item, "heading": _("Assign an action")})


@login_required
@require_POST
def visit_publish(request, pk):
    item = _visit(pk)
    require(request.user, "assessment.publish_report", item)
    try:
        inspections.publish_report(request.user, item, summary=request.POST.get("summary", ""),
                                   minutes=request.POST.get("minutes") or None)
    except ValidationError as exc:
        messages.error(request, " ".join(sum(exc.message_dict.values(), [])))
    else:
        messages.success(request, _("The report is published."))
    return redirect(item)


@login_required
@require_POST
def action_update(request, pk):
    action = get_object_or_404(InspectionAction.objects.select_related("visit__service__organisation",
                                                                       "visit__organisation", "service"), pk=pk)
    require(request.user, "assessment.view_action", action)
    what = request.POST.get("do")
    try:
        if what == "done":
            inspections.complete_action(request.user, action, note=request.POST.get("note", ""))
        elif what in ("close", "reopen"):
            inspections.close_action(request.user, action, reopen=what == "reopen")
        else:
            raise ValidationError({"do": [_("Unknown change.")]})
    except ValidationError as exc:
        messages.error(request, " ".join(sum(exc.message_dict.values(), [])))
    else:
        messages.success(request, _("Saved."))
    back = request.POST.get("next", "")
    return redirect(back if back.startswith("/") and not back.startswith("//") else action.visit.get_absolute_url())


def photo(request, pk):
    item = get_object_or_404(FindingPhoto.objects.select_related("finding__visit__organisation",
                                                                 "finding__visit__service__organisation"), pk=pk)
    require(request.user, "assessment.view_photo", item)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=item.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def service_actions(request, slug):
    service = get_object_or_404(Service.objects.select_related("organisation"), slug=slug)
    require(request.user, "assessment.view_service_actions", service)
    actions = (InspectionAction.objects.filter(service=service, visit__status=Visit.Status.PUBLISHED)
               .select_related("visit").annotate(closed=Case(When(status=InspectionAction.Status.CLOSED, then=Value(1)), default=Value(0),
                                      output_field=IntegerField()))
               .order_by("closed", "due_on", "id"))
    return render(request, "assessment/service_actions.html", {
        "service": service, "page": page_of(request, actions), "today": timezone.localdate()})


