"""Monitoring campaign pages: list, detail with results and charts, join, the phone-friendly observation
form (a volunteer's own, or a coordinator entering a paper sheet), my observations, volunteers, crediting
hours and the CSV export. Thin: parse, check permission, call a service, render. No JavaScript needed."""

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coproduce.core.audit import Channel
from coproduce.core.models import STAFF_ROLES, Organisation, Person
from coproduce.core.permissions import organisations_where, person_of, require, staffed_organisations
from coproduce.core.views import apply_errors, page_of

from . import monitoring_data
from . import monitoring_services as monitoring
from .monitoring_forms import PAPER_CHANNELS, CampaignForm, MeasureForm, VolunteerForm, local_now_text
from .monitoring_models import Campaign, Observation, Volunteer
from .monitoring_permissions import enrolment


def _campaign(slug) -> Campaign:
    return get_object_or_404(Campaign.objects.select_related("organisation", "area", "timebank"), slug=slug)


def campaigns(request):
    user = request.user
    public = (Campaign.objects.exclude(status=Campaign.Status.DRAFT).select_related("organisation")
              .order_by("status", "-starts_on", "-id"))
    mine, creatable = Campaign.objects.none(), Organisation.objects.none()
    me = person_of(user)
    if user.is_authenticated:
        run = Q() if user.is_superuser else Q(organisation_id__in=organisations_where(user, STAFF_ROLES))
        if me is not None:
            run |= Q(volunteers__person=me)
        mine = Campaign.objects.filter(run).select_related("organisation").distinct().order_by("-starts_on")[:50]
        creatable = staffed_organisations(user).order_by("name")[:50]
    return render(request, "assessment/campaigns.html", {"page": page_of(request, public), "mine": mine,
                                                         "creatable": creatable})


@login_required
@require_http_methods(["GET", "POST"])
def campaign_create(request, org_slug):
    organisation = get_object_or_404(Organisation, slug=org_slug)
    require(request.user, "assessment.add_campaign", organisation)
    form = CampaignForm(request.POST or None, initial={"starts_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            item = monitoring.create_campaign(request.user, organisation, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The campaign is a draft: add what is observed, then open it."))
            return redirect(item)
    return render(request, "assessment/campaign_form.html", {"form": form, "organisation": organisation})


@login_required
@require_http_methods(["GET", "POST"])
def campaign_edit(request, slug):
    item = _campaign(slug)
    require(request.user, "assessment.change_campaign", item)
    fields = ["title", "purpose", "method", "partner", "starts_on", "ends_on", "timebank"]
    initial = {name: getattr(item, name) for name in fields}
    form = CampaignForm(request.POST or None, initial=initial, campaign=item)
    if request.method == "POST" and form.is_valid():
        try:
            monitoring.update_campaign(request.user, item, **form.changes(item))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(item)
    return render(request, "assessment/campaign_form.html", {"form": form, "campaign": item,
                                                             "organisation": item.organisation})


def campaign(request, slug):
    item = _campaign(slug)
    user = request.user
    require(user, "assessment.view_campaign", item)
    mine = enrolment(user, item) if user.is_authenticated else None
    context = {
        "campaign": item, "measures": list(item.measures.all()), "mine": mine,
        "results": monitoring_data.results(item) if item.status != Campaign.Status.DRAFT else None,
        "can_change": user.has_perm("assessment.change_campaign", item),
        "can_coordinate": user.has_perm("assessment.coordinate_campaign", item),
        "can_join": user.has_perm("assessment.join_campaign", item),
        "can_record": user.has_perm("assessment.record_observation", item),
        "measure_form": MeasureForm() if user.has_perm("assessment.change_campaign", item) else None,
    }
    return render(request, "assessment/campaign.html", context)


@login_required
@require_POST
def measure_add(request, slug):
    item = _campaign(slug)
    require(request.user, "assessment.change_campaign", item)
    form = MeasureForm(request.POST)
    if form.is_valid():
        try:
            monitoring.add_measure(request.user, item, **form.measure_fields())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Added."))
            return redirect(item)
    return render(request, "assessment/campaign.html", {"campaign": item, "measures": list(item.measures.all()),
                                                        "can_change": True, "measure_form": form}, status=400)


@login_required
@require_POST
def campaign_status(request, slug):
    item = _campaign(slug)
    require(request.user, "assessment.change_campaign", item)
    try:
        monitoring.set_campaign_status(request.user, item, request.POST.get("status", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(sum(exc.message_dict.values(), [])))
    return redirect(item)


@login_required
@require_POST
def campaign_join(request, slug):
    item = _campaign(slug)
    require(request.user, "assessment.join_campaign", item)
    monitoring.enrol(request.user, item)
    messages.success(request, _("Welcome to the campaign. Read the method, then record what you observe."))
    return redirect("assessment:observation_record", item.slug)


def _observation_form(request, item: Campaign, *, volunteer: Volunteer | None, people=None, channel_choices=None):
    measures = list(item.measures.all())
    errors, given = {}, {}
    if request.method == "POST":
        post = request.POST
        given = {m.field: post.get(m.field, "") for m in measures}
        raw_when = post.get("observed_at", "")
        try:
            observed_at = datetime.fromisoformat(raw_when) if raw_when else None
        except ValueError:
            observed_at = None
        channel = Channel.WEB
        if people is not None:
            channel = post.get("channel", Channel.PAPER)
            volunteer = next((v for v in people if str(v.pk) == post.get("volunteer")), None)
            if volunteer is None:
                errors["volunteer"] = [_("Choose whose observation this is.")]
        if not errors:
            try:
                monitoring.record_observation(
                    request.user, item, values=given, observed_at=observed_at, location=post.get("location", ""),
                    latitude=post.get("latitude"), longitude=post.get("longitude"),
                    minutes_spent=post.get("minutes_spent"), notes=post.get("notes", ""),
                    volunteer=volunteer if people is not None else None, channel=channel)
            except ValidationError as exc:
                errors = exc.message_dict
            else:
                messages.success(request, _("Thank you: the observation is recorded."))
                return redirect(request.path)
    fields = [{"measure": m, "given": given.get(m.field, ""), "error": errors.get(m.field)} for m in measures]
    return render(request, "assessment/observation_form.html", {
        "campaign": item, "fields": fields, "errors": errors, "post": request.POST, "now": local_now_text(),
        "people": people, "channels": channel_choices,
        "general": [e for key, msgs in errors.items() if key in ("status", "volunteer") for e in msgs],
    }, status=400 if errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def observation_record(request, slug):
    item = _campaign(slug)
    require(request.user, "assessment.record_observation", item)
    return _observation_form(request, item, volunteer=None)


@login_required
@require_http_methods(["GET", "POST"])
def observation_on_behalf(request, slug):
    item = _campaign(slug)
    require(request.user, "assessment.coordinate_campaign", item)
    if item.status != Campaign.Status.OPEN:
        raise Http404
    people = list(item.volunteers.filter(person__isnull=False).select_related("person").order_by("person__name"))
    return _observation_form(request, item, volunteer=None, people=people, channel_choices=PAPER_CHANNELS)


@login_required
def my_observations(request, slug):
    item = _campaign(slug)
    require(request.user, "assessment.view_campaign", item)
    mine = enrolment(request.user, item)
    if mine is None:
        raise Http404
    rows = (Observation.objects.filter(volunteer=mine).prefetch_related("values__measure")
            .order_by("-observed_at", "-id"))
    totals = rows.filter(status=Observation.Status.RECORDED).aggregate(minutes=Sum("minutes_spent"))
    return render(request, "assessment/my_observations.html", {
        "campaign": item, "page": page_of(request, rows), "minutes": totals["minutes"] or 0,
        "can_change": request.user.has_perm("assessment.record_observation", item)})


@login_required
@require_POST
def observation_withdraw(request, pk):
    observation = get_object_or_404(Observation.objects.select_related("campaign"), pk=pk)
    require(request.user, "assessment.change_observation", observation)
    try:
        monitoring.withdraw_observation(request.user, observation, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(sum(exc.message_dict.values(), [])))
    else:
        messages.success(request, _("The observation is withdrawn from the results."))
    return redirect(request.POST.get("next") if request.POST.get("next", "").startswith("/")
                    else observation.campaign.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def campaign_volunteers(request, slug):
    item = _campaign(slug)
    require(request.user, "assessment.coordinate_campaign", item)
    volunteers = list(item.volunteers.select_related("person").annotate(
        minutes=Sum("observations__minutes_spent", filter=Q(observations__status=Observation.Status.RECORDED)))
        .order_by("role", "person__name"))
    enrolled = {v.person_id for v in volunteers}
    people = [p for p in Person.objects.filter(
        memberships__organisation_id__in=_organisation_and_parts(item.organisation), erased_at__isnull=True)
        .distinct().order_by("name")[:500] if p.pk not in enrolled]
    form = VolunteerForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        person = next(p for p in people if p.pk == form.cleaned_data["person"])
        try:
            monitoring.enrol(request.user, item, person, role=form.cleaned_data["role"],
                             briefed_on=form.cleaned_data["briefed_on"], channel=form.cleaned_data["channel"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("%(name)s takes part now.") % {"name": person.name})
            return redirect("assessment:campaign_volunteers", item.slug)
    recent = (Observation.objects.filter(campaign=item).select_related("volunteer__person", "recorded_by__person")
              .order_by("-entered_at", "-id")[:50])
    return render(request, "assessment/campaign_volunteers.html", {"campaign": item, "volunteers": volunteers,
                                                                   "form": form, "recent": recent})


def _organisation_and_parts(organisation) -> set[int]:
    from coproduce.outcomes.metrics import organisation_ids

    return organisation_ids(organisation)


@login_required
@require_http_methods(["GET", "POST"])
def campaign_credit(request, slug):
    item = _campaign(slug)
    require(request.user, "assessment.coordinate_campaign", item)
    if request.method == "POST":
        try:
            result = monitoring.credit_hours(request.user, item)
        except ValidationError as exc:
            messages.error(request, " ".join(sum(exc.message_dict.values(), [])))
        else:
            messages.success(request, _("%(minutes)s minutes credited to %(people)s volunteers.") % {
                "minutes": result.minutes, "people": len(result.transfers)})
            if result.skipped:
                messages.warning(request, _("Not members of the timebank, so not credited yet: %(names)s.") % {
                    "names": ", ".join(p.name for p in result.skipped)})
        return redirect("assessment:campaign_credit", item.slug)
    pending = (Observation.objects.filter(campaign=item, status=Observation.Status.RECORDED, credited_at__isnull=True,
                                          minutes_spent__gt=0, volunteer__person__isnull=False)
               .values("volunteer__person__name").annotate(minutes=Sum("minutes_spent"))
               .order_by("volunteer__person__name"))
    return render(request, "assessment/campaign_credit.html", {"campaign": item, "pending": pending})


def campaign_csv(request, slug):
    item = _campaign(slug)
    require(request.user, "assessment.view_campaign", item)
    with_identities = request.user.has_perm("assessment.coordinate_campaign", item)
    if item.status == Campaign.Status.DRAFT and not with_identities:
        raise Http404
    response = HttpResponse(monitoring_data.export_csv(item, with_identities=with_identities),
                            content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="campaign-{item.slug}.csv"'
    return response
