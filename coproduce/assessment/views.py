"""Co-assessment pages. Thin: parse the request, check permission, call a service, render."""

import json
from functools import cached_property

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from coproduce.core.models import STAFF_ROLES, Organisation, Person
from coproduce.core.permissions import organisations_where, person_of, require, staffed_organisations
from coproduce.core.views import apply_errors, page_of

from . import hsds, services
from .forms import (
    AttributeFormSet,
    ComplaintForm,
    DirectoryFilterForm,
    FollowUpForm,
    HelpForm,
    ImportForm,
    ModerateForm,
    NoteForm,
    OnBehalfComplaintForm,
    OnBehalfRatingForm,
    RatingForm,
    ReplyForm,
    ReportRatingForm,
    ServiceForm,
    StatusForm,
)
from .models import Complaint, HelpOffer, Rating, RatingMonth, RatingReport, RatingSummary, Service
from .queries import build_tables, directory_services, response_metrics


def _service(slug) -> Service:
    return get_object_or_404(Service.objects.select_related("organisation", "organisation__parent"), slug=slug)


# --- the directory -----------------------------------------------------------------------------


def directory(request):
    form = DirectoryFilterForm(request.GET or None)
    qs = Service.objects.filter(organisation__is_active=True).exclude(status=Service.Status.DEFUNCT)
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            qs = qs.filter(Q(name__icontains=data["q"]) | Q(description__icontains=data["q"])
                           | Q(audience__icontains=data["q"]) | Q(keywords__icontains=data["q"]))
        if data["area"]:  # services for this area or for an area containing it
            qs = qs.filter(areas__id__in=data["area"].ancestor_ids())
        if data["organisation"]:
            qs = qs.filter(organisation__in=[data["organisation"], *data["organisation"].children.all()])
        if data["language"]:
            qs = qs.filter(languages__code=data["language"].strip().lower())
        qs = qs.distinct()
    qs = directory_services(qs).select_related("rating_summary").order_by("name", "id")
    can_import = request.user.is_authenticated and (
        request.user.is_superuser or bool(organisations_where(request.user, STAFF_ROLES)))
    return render(request, "assessment/directory.html", {"form": form, "page": page_of(request, qs),
                                                         "can_import": can_import})


def service(request, slug):
    svc = _service(slug)
    require(request.user, "assessment.view_service", svc)
    svc = directory_services(Service.objects.filter(pk=svc.pk)).get()
    summary = RatingSummary.objects.filter(service=svc).first()
    user = request.user
    context = {
        "service": svc,
        "summary": summary,
        "metrics": response_metrics([svc.pk])[svc.pk],
        "can_change": user.has_perm("assessment.change_service", svc),
        "can_report": user.has_perm("assessment.submit_complaint", svc),
        "can_rate": user.has_perm("assessment.rate_service", svc),
        "can_file_on_behalf": user.has_perm("assessment.file_on_behalf", svc),
        "public_reports": svc.complaints.filter(is_public=True).order_by("-requested_at", "-id")[:5],
    }
    return render(request, "assessment/service.html", context)


def _save_service(request, form, *, organisation=None, svc=None):
    try:
        if svc is None:
            return services.create_service(request.user, organisation, **form.service_values(), **form.details())
        return services.update_service(request.user, svc, **form.service_values(), **form.details())
    except ValidationError as exc:
        apply_errors(form, exc)
    return None


@login_required
@require_http_methods(["GET", "POST"])
def service_create(request, org_slug):
    organisation = get_object_or_404(Organisation, slug=org_slug)
    require(request.user, "assessment.add_service", organisation)
    form = ServiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = _save_service(request, form, organisation=organisation)
        if created is not None:
            messages.success(request, _("The service is listed."))
            return redirect(created)
    return render(request, "assessment/service_form.html", {"form": form, "organisation": organisation})


@login_required
@require_http_methods(["GET", "POST"])
def service_edit(request, slug):
    svc = _service(slug)
    require(request.user, "assessment.change_service", svc)
    form = ServiceForm(request.POST or None, instance=Service.objects.get(pk=svc.pk))
    if request.method == "POST" and form.is_valid():
        if _save_service(request, form, svc=svc) is not None:
            messages.success(request, _("Saved."))
            return redirect(svc)
    return render(request, "assessment/service_form.html", {"form": form, "service": svc,
                                                            "organisation": svc.organisation})


@login_required
@require_http_methods(["GET", "POST"])
def service_attributes(request, slug):
    """The Open311 service definition: the extra questions reporters answer (no JavaScript: three
    blank rows each time; save to get more)."""
    svc = _service(slug)
    require(request.user, "assessment.change_service", svc)
    initial = [AttributeFormSet.form.initial_for(a) for a in svc.attributes.all()]
    formset = AttributeFormSet(request.POST or None, initial=initial, prefix="attributes")
    if request.method == "POST" and formset.is_valid():
        kept = [form for form in formset.forms
                if not form.is_blank() and not form.cleaned_data.get("DELETE")]
        try:
            services.set_open311_attributes(request.user, svc, [form.cleaned_data for form in kept])
        except ValidationError as exc:
            for key, errors in exc.message_dict.items():  # "attributes.<index>.<field>": next to the field
                parts = key.split(".")
                if len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(kept):
                    form = kept[int(parts[1])]
                    form.add_error(parts[2] if parts[2] in form.fields else None, errors)
                else:
                    formset.non_form_errors().extend(errors)
        else:
            messages.success(request, _("Saved."))
            return redirect("assessment:service_attributes", slug=svc.slug)
    return render(request, "assessment/service_attributes.html", {"service": svc, "formset": formset})


@login_required
@require_http_methods(["GET", "POST"])
def import_services(request):
    organisations = staffed_organisations(request.user)
    if not organisations.exists():
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None, organisations=organisations)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            raw = upload.read()
            tables = hsds.from_zip(raw) if upload.kind == "zip" else hsds.from_json(raw)
            result = services.import_hsds(request.user, form.cleaned_data["organisation"], tables)
        except hsds.HsdsError as exc:
            form.add_error("file", str(exc))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Imported: %(created)s new services, %(updated)s updated.") % {
                "created": result["services_created"], "updated": result["services_updated"]})
            return redirect("assessment:directory")
    return render(request, "assessment/import.html", {"form": form})


@require_GET
def export_services(request, fmt):
    qs = Service.objects.filter(organisation__is_active=True).exclude(status=Service.Status.DEFUNCT)
    if request.GET.get("organisation"):
        org = get_object_or_404(Organisation, slug=request.GET["organisation"])
        qs = qs.filter(organisation__in=[org, *org.children.all()])
    tables = build_tables(qs)
    if fmt == "zip":
        response = HttpResponse(hsds.to_zip(tables), content_type="application/zip")
        response["Content-Disposition"] = 'attachment; filename="services-hsds.zip"'
        return response
    response = HttpResponse(json.dumps(hsds.to_json(tables), indent=2, ensure_ascii=False),
                            content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="services-hsds.json"'
    return response


# --- complaints and reports --------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def complain(request, slug):
    svc = _service(slug)
    require(request.user, "assessment.submit_complaint", svc)
    form = ComplaintForm(request.POST or None, service=svc)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            complaint = services.submit_complaint(
                request.user, svc, kind=data["kind"], description=data["description"],
                address_string=data["address_string"], is_public=data["is_public"], attributes=form.attributes(),
                offer_help=data["offer_help"], help_how=data["help_how"], ip=request.META.get("REMOTE_ADDR"))
        except ValidationError as exc:
            apply_errors(form, exc)
        except services.RateLimited as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Thank you. Your report number is %(n)s.") % {"n": complaint.pk})
            return redirect(complaint)
    return render(request, "assessment/complain.html", {"service": svc, "form": form, "on_behalf": False})


def _people_for(user):
    people = Person.objects.filter(erased_at__isnull=True)
    if not user.is_superuser:
        people = people.filter(memberships__organisation_id__in=organisations_where(user, STAFF_ROLES)).distinct()
    return people.order_by("name", "id")


def _on_behalf_form(request, slug, form_class):
    """The service and the form of a page where its staff record something in someone's name."""
    svc = _service(slug)
    require(request.user, "assessment.file_on_behalf", svc)
    return svc, form_class(request.POST or None, service=svc, people=_people_for(request.user))


@login_required
@require_http_methods(["GET", "POST"])
def complain_on_behalf(request, slug):
    svc, form = _on_behalf_form(request, slug, OnBehalfComplaintForm)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            complaint = services.submit_complaint(
                request.user, svc, kind=data["kind"], description=data["description"],
                address_string=data["address_string"], is_public=data["is_public"], attributes=form.attributes(),
                on_behalf_of=data["person"], channel=data["channel"], offer_help=data["offer_help"],
                help_how=data["help_how"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Report %(n)s recorded on their behalf.") % {"n": complaint.pk})
            return redirect(complaint)
    return render(request, "assessment/complain.html", {"service": svc, "form": form, "on_behalf": True})


@login_required
def complaint_queue(request, slug):
    svc = _service(slug)
    require(request.user, "assessment.view_complaint_queue", svc)
    qs = svc.complaints.select_related("person", "service").order_by("-requested_at", "-id")
    status = request.GET.get("status", "")
    if status in Complaint.Status.values:
        qs = qs.filter(status=status)
    return render(request, "assessment/complaint_queue.html", {
        "service": svc, "page": page_of(request, qs), "status": status, "statuses": Complaint.Status.choices,
        "metrics": response_metrics([svc.pk])[svc.pk]})


@login_required
def my_complaints(request):
    me = person_of(request.user)
    qs = Complaint.objects.filter(person=me).select_related("service") if me else Complaint.objects.none()
    return render(request, "assessment/my_complaints.html", {"page": page_of(request, qs)})


def complaint(request, pk):
    item = get_object_or_404(Complaint.objects.select_related("service__organisation", "person"), pk=pk)
    require(request.user, "assessment.view_complaint", item)
    return complaint_page(request, item)


def complaint_page(request, item, *, help_form=None, behalf_form=None, status=200):
    """The complaint's page; the forms to accept the invitation to help come bound when they had errors."""
    from .help_services import accepting_choices, may_post_pending_offer

    user = request.user
    staff = user.has_perm("assessment.manage_complaint", item)
    updates = item.updates.all() if user.has_perm("assessment.view_private_updates", item) else \
        item.updates.filter(is_public=True)
    offers = list(item.help_offers.select_related("timebank_offer", "timebank_member__timebank",
                                                  "lab_invitation__lab"))
    stage = services.help_stage_open(item)
    stage_free = stage is not None and stage not in {o.stage for o in offers}
    is_complainant = user.has_perm("assessment.offer_help", item)
    invite = is_complainant and stage_free
    record = staff and item.person_id is not None and stage_free
    choices = accepting_choices(item) if (invite or record) else None
    for offer in offers:
        offer.may_post = may_post_pending_offer(user, offer)
    context = {
        "complaint": item, "updates": updates, "staff": staff,
        "is_complainant": is_complainant,
        "status_form": StatusForm(complaint=item) if staff else None,
        "note_form": NoteForm() if staff else None,
        "help_form": (help_form or HelpForm(choices=choices)) if invite else None,
        "help_stage": stage,
        "offers": offers if (staff or is_complainant) else [],
        "follow_up_form": FollowUpForm() if staff else None,
        "can_record_help": record,
        "behalf_form": (behalf_form or HelpForm(choices=choices, auto_id="behalf_%s")) if record else None,
    }
    return render(request, "assessment/complaint.html", context, status=status)


@login_required
@require_POST
def complaint_status(request, pk):
    item = get_object_or_404(Complaint.objects.select_related("service__organisation"), pk=pk)
    require(request.user, "assessment.manage_complaint", item)
    form = StatusForm(request.POST, complaint=item)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.change_complaint_status(request.user, item, data["status"], note=data["note"],
                                             is_public=data["is_public"], referred_to=data["referred_to"],
                                             expected_at=data["expected_at"])
        except ValidationError as exc:
            for msgs in exc.message_dict.values():
                messages.error(request, " ".join(msgs))
        else:
            messages.success(request, _("Status changed."))
    else:
        for msgs in form.errors.values():
            messages.error(request, " ".join(msgs))
    return redirect(item)


@login_required
@require_POST
def complaint_note(request, pk):
    item = get_object_or_404(Complaint.objects.select_related("service__organisation"), pk=pk)
    require(request.user, "assessment.manage_complaint", item)
    form = NoteForm(request.POST)
    if form.is_valid():
        services.add_complaint_note(request.user, item, form.cleaned_data["text"],
                                    is_public=form.cleaned_data["is_public"])
        messages.success(request, _("Update added."))
    else:
        messages.error(request, _("Write the update."))
    return redirect(item)


@login_required
@require_POST
def help_follow_up(request, pk):
    offer = get_object_or_404(HelpOffer.objects.select_related("complaint__service__organisation"), pk=pk)
    require(request.user, "assessment.manage_complaint", offer.complaint)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        services.follow_up_help_offer(request.user, offer, form.cleaned_data["follow_up"], form.cleaned_data["note"])
        messages.success(request, _("Saved."))
    return redirect(offer.complaint)


def metrics(request):
    qs = Service.objects.filter(organisation__is_active=True).exclude(status=Service.Status.DEFUNCT).select_related(
        "organisation").order_by("name", "id")
    page = page_of(request, qs)
    figures = response_metrics([s.pk for s in page])
    rows = [(s, figures[s.pk]) for s in page]
    return render(request, "assessment/metrics.html", {"page": page, "rows": rows})


# --- ratings -----------------------------------------------------------------------------------


class KnownCountPaginator(Paginator):
    """A paginator told the count (from the kept summary), so it never runs COUNT(*)."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._known = count

    @cached_property
    def count(self):
        return self._known


TREND_WIDTH, TREND_HEIGHT, TREND_PAD = 640, 200, 30


def trend_points(months) -> list[dict]:
    """SVG coordinates for the monthly averages (1 at the bottom, 5 at the top)."""
    months = [m for m in months if m.count]
    if not months:
        return []
    step = (TREND_WIDTH - 2 * TREND_PAD) / max(len(months) - 1, 1)
    usable = TREND_HEIGHT - 2 * TREND_PAD
    return [{"month": m.month, "average": m.average, "count": m.count,
             "x": round(TREND_PAD + i * step, 1),
             "y": round(TREND_PAD + usable * (5 - m.average) / 4, 1)} for i, m in enumerate(months)]


def ratings(request, slug):
    svc = _service(slug)
    require(request.user, "assessment.view_service", svc)
    summary = RatingSummary.objects.filter(service=svc).first() or RatingSummary(service=svc)
    visible = Rating.objects.filter(service=svc, status=Rating.Status.VISIBLE).order_by("-rated_at", "-id")
    page = KnownCountPaginator(visible, 20, count=summary.count).get_page(request.GET.get("page"))
    months = list(RatingMonth.objects.filter(service=svc).order_by("-month")[:24])[::-1]
    points = trend_points(months)
    me = person_of(request.user)
    mine = Rating.objects.filter(service=svc, person=me).first() if me else None
    user = request.user
    context = {
        "service": svc, "summary": summary, "page": page, "points": points,
        "polyline": " ".join(f"{p['x']},{p['y']}" for p in points),
        "chart": {"width": TREND_WIDTH, "height": TREND_HEIGHT, "pad": TREND_PAD,
                  "grid": [{"stars": n, "y": TREND_PAD + (TREND_HEIGHT - 2 * TREND_PAD) * (5 - n) / 4}
                           for n in range(1, 6)]},
        "mine": mine,
        "can_rate": user.has_perm("assessment.rate_service", svc),
        "can_reply": user.has_perm("assessment.reply_rating", svc),
        "can_moderate": user.has_perm("assessment.moderate_rating", svc),
        "can_report": user.is_authenticated and me is not None,
        "me": me,
    }
    return render(request, "assessment/ratings.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def rate(request, slug):
    svc = _service(slug)
    require(request.user, "assessment.rate_service", svc)
    mine = Rating.objects.filter(service=svc, person=person_of(request.user)).first()
    initial = {}
    if mine is not None:
        initial = {"overall": mine.overall, "comment": mine.comment}
        initial |= {f"dimension_{i}": mine.dimensions.get(name) for i, name in enumerate(svc.rating_dimensions)}
    form = RatingForm(request.POST or None, service=svc, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.rate_service(request.user, svc, overall=form.cleaned_data["overall"],
                                  dimensions=form.dimensions(), comment=form.cleaned_data["comment"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Thank you for your rating."))
            return redirect("assessment:ratings", slug=svc.slug)
    return render(request, "assessment/rate.html", {"service": svc, "form": form, "mine": mine})


@login_required
@require_http_methods(["GET", "POST"])
def rate_on_behalf(request, slug):
    svc, form = _on_behalf_form(request, slug, OnBehalfRatingForm)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.rate_service(request.user, svc, overall=data["overall"], dimensions=form.dimensions(),
                                  comment=data["comment"], on_behalf_of=data["person"], channel=data["channel"],
                                  consent=data["consent"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Their rating is recorded."))
            return redirect("assessment:ratings", slug=svc.slug)
    return render(request, "assessment/rate.html", {"service": svc, "form": form, "on_behalf": True})


@login_required
@require_POST
def rating_reply(request, pk):
    rating = get_object_or_404(Rating.objects.select_related("service__organisation"), pk=pk)
    require(request.user, "assessment.reply_rating", rating)
    form = ReplyForm(request.POST)
    if form.is_valid():
        services.reply_to_rating(request.user, rating, form.cleaned_data["text"])
        messages.success(request, _("Reply published."))
    return redirect("assessment:ratings", slug=rating.service.slug)


@login_required
@require_http_methods(["GET", "POST"])
def rating_report(request, pk):
    rating = get_object_or_404(Rating.objects.select_related("service__organisation"), pk=pk)
    require(request.user, "assessment.view_rating", rating)
    require(request.user, "assessment.report_rating", rating)
    form = ReportRatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_rating(request.user, rating, form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Thank you. A moderator will look at it."))
            return redirect("assessment:ratings", slug=rating.service.slug)
    return render(request, "assessment/rating_report.html", {"rating": rating, "form": form})


@login_required
def moderation(request):
    reports = RatingReport.objects.filter(outcome=RatingReport.Outcome.OPEN).select_related(
        "rating__service__organisation", "rating__person").order_by("created_at", "id")
    if not request.user.is_superuser:
        org_ids = organisations_where(request.user, {"moderator", "admin"})
        if not org_ids:
            raise PermissionDenied
        reports = reports.filter(rating__service__organisation_id__in=org_ids)
    return render(request, "assessment/moderation.html", {"page": page_of(request, reports),
                                                          "form": ModerateForm()})


@login_required
@require_POST
def rating_moderate(request, pk):
    rating = get_object_or_404(Rating.objects.select_related("service__organisation"), pk=pk)
    require(request.user, "assessment.moderate_rating", rating)
    form = ModerateForm(request.POST)
    if form.is_valid():
        services.moderate_rating(request.user, rating, hide=form.cleaned_data["decision"] == "hide",
                                 note=form.cleaned_data["note"])
        messages.success(request, _("Moderation saved."))
    return redirect(request.POST.get("next") if request.POST.get("next", "").startswith("/services/")
                    else "assessment:moderation")
