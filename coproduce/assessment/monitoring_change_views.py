"""Monitoring pages that change what was set up or recorded: correcting an observation (the volunteer who
recorded it, or a coordinator on their behalf) and editing or deleting a measure. Thin: parse, check
permission, call a service, render. No JavaScript needed."""

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from coproduce.core.audit import Channel
from coproduce.core.permissions import require

from . import monitoring_services as monitoring
from .monitoring_forms import PAPER_CHANNELS, MeasureForm, local_now_text
from .monitoring_models import Campaign, Measure, Observation
from .monitoring_permissions import enrolment
from .survey_services import plain

CORRECTION_CHANNELS = [(Channel.WEB, gettext_lazy("Online"))] + PAPER_CHANNELS
# Errors of the measure services that refuse the whole change rather than one field.
REFUSALS = ("status", "kind")


def _back(request, default: str) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
        return wanted
    return default


def _given(measure: Measure, value) -> str:
    """A stored value as the observation form shows it."""
    if measure.kind == Measure.Kind.YES_NO:
        return "yes" if value else "no"
    return "" if value is None else str(value)


def _initial(observation: Observation, measures) -> tuple[dict, dict]:
    stored = {v.measure_id: v.value for v in observation.values.all()}
    given = {m.field: _given(m, stored[m.pk]) for m in measures if m.pk in stored}
    post = {"observed_at": timezone.localtime(observation.observed_at).strftime("%Y-%m-%dT%H:%M"),
            "location": observation.location, "minutes_spent": observation.minutes_spent, "notes": observation.notes,
            "latitude": "" if observation.latitude is None else observation.latitude,
            "longitude": "" if observation.longitude is None else observation.longitude, "channel": Channel.WEB}
    return given, post


@login_required
@require_http_methods(["GET", "POST"])
def observation_correct(request, pk):
    observation = get_object_or_404(Observation.objects.select_related("campaign__organisation",
                                                                       "volunteer__person"), pk=pk)
    require(request.user, "assessment.change_observation", observation)
    item = observation.campaign
    mine = enrolment(request.user, item)
    own = mine is not None and mine.pk == observation.volunteer_id
    default = "assessment:my_observations" if own else "assessment:campaign_volunteers"
    back = _back(request, redirect(default, item.slug).url)
    if observation.status != Observation.Status.RECORDED:
        messages.error(request, _("A withdrawn observation cannot be corrected."))
        return redirect(back)
    measures = list(item.measures.all())
    given, post = _initial(observation, measures)
    errors = {}
    if request.method == "POST":
        post = request.POST
        given = {m.field: post.get(m.field, "") for m in measures}
        raw_when = post.get("observed_at", "")
        try:
            observed_at = datetime.fromisoformat(raw_when) if raw_when else None
        except ValueError:
            observed_at = None
        channel = post.get("channel", Channel.WEB) if not own else Channel.WEB
        if channel not in dict(CORRECTION_CHANNELS):
            errors["channel"] = [_("Choose how the correction reached us.")]
        else:
            try:
                monitoring.correct_observation(
                    request.user, observation, values=given, observed_at=observed_at,
                    location=post.get("location", ""), latitude=post.get("latitude"),
                    longitude=post.get("longitude"), minutes_spent=post.get("minutes_spent"),
                    notes=post.get("notes", ""), channel=channel)
            except ValidationError as exc:
                errors = exc.message_dict
            else:
                messages.success(request, _("The observation is corrected."))
                return redirect(back)
    fields = [{"measure": m, "given": given.get(m.field, ""), "error": errors.get(m.field)} for m in measures]
    return render(request, "assessment/observation_form.html", {
        "campaign": item, "fields": fields, "errors": errors, "post": post, "now": local_now_text(),
        "people": None, "correcting": observation, "own": own, "next": back,
        "channels": None if own else CORRECTION_CHANNELS,
        "general": [e for key, msgs in errors.items() if key in ("status", "volunteer") for e in msgs],
    }, status=400 if errors else 200)


def _measure(slug, pk) -> Measure:
    return get_object_or_404(Measure.objects.select_related("campaign__organisation"), pk=pk, campaign__slug=slug)


def _refusals_apart(form, exc: ValidationError) -> None:
    for key, errors in exc.message_dict.items():
        form.add_error(None if key in REFUSALS or key not in form.fields else key, errors)


@login_required
@require_http_methods(["GET", "POST"])
def measure_edit(request, slug, pk):
    measure = _measure(slug, pk)
    item = measure.campaign
    require(request.user, "assessment.change_campaign", item)
    initial = {"name": measure.name, "kind": measure.kind, "unit": measure.unit, "help_text": measure.help_text,
               "min_value": "" if measure.min_value is None else plain(measure.min_value),
               "max_value": "" if measure.max_value is None else plain(measure.max_value),
               "choices": "\n".join(measure.choices), "required": measure.required}
    form = MeasureForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            monitoring.update_measure(request.user, measure, **form.measure_fields())
        except ValidationError as exc:
            _refusals_apart(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(item)
    return render(request, "assessment/measure_form.html", {"campaign": item, "measure": measure, "form": form},
                  status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def measure_delete(request, slug, pk):
    measure = _measure(slug, pk)
    item: Campaign = measure.campaign
    require(request.user, "assessment.change_campaign", item)
    refusal = []
    if request.method == "POST":
        try:
            monitoring.delete_measure(request.user, measure)
        except ValidationError as exc:
            refusal = [e for msgs in exc.message_dict.values() for e in msgs]
        else:
            messages.success(request, _("The measure “%(name)s” is deleted.") % {"name": measure.name})
            return redirect(item)
    return render(request, "assessment/measure_delete.html", {"campaign": item, "measure": measure,
                                                              "refusal": refusal}, status=400 if refusal else 200)
