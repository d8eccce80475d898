"""Outcomes pages. Thin: parse the request, check permission, call a service, render.

Every page works without JavaScript; charts are SVG with a title, a description and a table of the
same figures.
"""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coproduce.core.models import STAFF_ROLES, Organisation, Person
from coproduce.core.on_behalf import acting_for
from coproduce.core.pdf import pdf_response
from coproduce.core.permissions import organisations_where, person_of, require
from coproduce.core.views import apply_errors, page_of

from . import badges, charts, opendata, queries, services
from .forms import (
    ActivityForm,
    AwardForm,
    BadgeClassForm,
    ConsentForm,
    CostForm,
    CsvImportForm,
    FrameworkForm,
    GoalForm,
    HoursForm,
    IndicatorForm,
    InitiativeForm,
    ReadingForm,
    SelfAssessmentForm,
    SocialValueReportForm,
    StepForm,
    TargetForm,
)
from .models import (
    ActivityKind,
    BadgeAward,
    BadgeClass,
    Framework,
    Goal,
    Indicator,
    Initiative,
    InitiativeActivity,
    Outcome,
    SocialValueCost,
    SocialValueHours,
    SocialValueReport,
    Standard,
    StepKind,
)
from .status import planned_path


def _organisation(request, slug) -> Organisation:
    org = get_object_or_404(Organisation.objects.select_related("parent"), slug=slug)
    require(request.user, "core.view_organisation", org)
    return org


def _people_for(user):
    """People a staff member may pick (owners, badge holders): those of the organisations they work for."""
    people = Person.objects.filter(erased_at__isnull=True)
    if not user.is_superuser:
        people = people.filter(memberships__organisation_id__in=organisations_where(user, STAFF_ROLES)).distinct()
    return people.order_by("name", "id")


def _handle(request, form, call, success, redirect_to):
    """Run a service call for a valid form; on ValidationError show it next to the fields."""
    if request.method == "POST" and form.is_valid():
        try:
            result = call(form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect(redirect_to(result) if callable(redirect_to) else redirect_to)
    return None


# --- index and dashboard -----------------------------------------------------------------------


def index(request):
    orgs = (Organisation.objects.filter(is_active=True)
            .annotate(n_frameworks=Count("outcome_frameworks", filter=Q(outcome_frameworks__status="published"),
                                         distinct=True))
            .filter(n_frameworks__gt=0).order_by("name"))
    mine = []
    if request.user.is_authenticated:
        ids = organisations_where(request.user, STAFF_ROLES)
        mine = Organisation.objects.filter(pk__in=ids).order_by("name") if not request.user.is_superuser else []
    return render(request, "outcomes/index.html", {"page": page_of(request, orgs), "mine": mine})


def dashboard(request, slug):
    org = _organisation(request, slug)
    today = timezone.localdate()
    exact = request.user.has_perm("outcomes.view_exact_counts", Framework(organisation=org))
    frameworks = queries.framework_tree(queries.visible_frameworks(request.user, org), today, exact=exact)
    staff = request.user.has_perm("outcomes.add_framework", org)
    context = {
        "org": org,
        "frameworks": frameworks,
        "initiatives": queries.initiative_coverage(queries.visible_initiatives(request.user, org)),
        "kinds": ActivityKind.choices,
        "staff": staff,
        "today": today,
    }
    return render(request, "outcomes/dashboard.html", context)


def open_data_json(request, slug):
    org = _organisation(request, slug)
    data = opendata.aggregates(org)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'inline; filename="{org.slug}-outcomes.json"'
    return response


def open_data_csv(request, slug, table):
    org = _organisation(request, slug)
    if table not in opendata.TABLES:
        raise Http404
    response = HttpResponse(opendata.to_csv(opendata.aggregates(org), table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{org.slug}-outcomes-{table}.csv"'
    return response


# --- frameworks --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def framework_new(request, slug):
    org = _organisation(request, slug)
    require(request.user, "outcomes.add_framework", org)
    form = FrameworkForm(request.POST or None)
    response = _handle(request, form, lambda d: services.create_framework(request.user, org, **d),
                       _("The framework is created as a draft."), lambda f: f.get_absolute_url())
    return response or render(request, "outcomes/form.html", {
        "form": form, "title": _("New outcome framework"), "back": (org.name, org.get_absolute_url())})


def framework(request, slug):
    fw = get_object_or_404(Framework.objects.select_related("organisation"), slug=slug)
    require(request.user, "outcomes.view_framework", fw)
    [tree] = queries.framework_tree(Framework.objects.filter(pk=fw.pk).select_related("organisation"),
                                    exact=request.user.has_perm("outcomes.view_exact_counts", fw))
    context = {
        "fw": tree,
        "org": fw.organisation,
        "can_change": request.user.has_perm("outcomes.change_framework", fw),
        "can_publish": request.user.has_perm("outcomes.publish_framework", fw),
        "initiatives": queries.initiative_coverage(Initiative.objects.filter(outcome__framework=fw)),
        "kinds": ActivityKind.choices,
    }
    return render(request, "outcomes/framework.html", context)


@login_required
@require_POST
def framework_publish(request, slug):
    fw = get_object_or_404(Framework, slug=slug)
    publish = request.POST.get("publish") == "1"
    try:
        services.set_framework_published(request.user, fw, publish)
    except ValidationError as exc:
        for errors in exc.message_dict.values():
            for error in errors:
                messages.error(request, error)
    else:
        messages.success(request, _("The framework is published.") if publish else _("The framework is a draft again."))
    return redirect(fw)


@login_required
@require_http_methods(["GET", "POST"])
def goal_new(request, slug):
    fw = get_object_or_404(Framework, slug=slug)
    require(request.user, "outcomes.change_framework", fw)
    form = GoalForm(request.POST or None)
    response = _handle(request, form, lambda d: services.add_goal(request.user, fw, **d), _("Goal added."),
                       fw.get_absolute_url())
    return response or render(request, "outcomes/form.html", {
        "form": form, "title": _("New goal"), "back": (fw.title, fw.get_absolute_url())})


@login_required
@require_http_methods(["GET", "POST"])
def outcome_new(request, pk):
    goal = get_object_or_404(Goal.objects.select_related("framework"), pk=pk)
    require(request.user, "outcomes.change_framework", goal.framework)
    form = GoalForm(request.POST or None)
    response = _handle(request, form, lambda d: services.add_outcome(request.user, goal, **d), _("Outcome added."),
                       goal.framework.get_absolute_url())
    return response or render(request, "outcomes/form.html", {
        "form": form, "title": _("New outcome for “%(goal)s”") % {"goal": goal.title},
        "back": (goal.framework.title, goal.framework.get_absolute_url())})


@login_required
@require_http_methods(["GET", "POST"])
def indicator_new(request, pk):
    outcome = get_object_or_404(Outcome.objects.select_related("framework"), pk=pk)
    require(request.user, "outcomes.change_framework", outcome.framework)
    form = IndicatorForm(request.POST or None, people=_people_for(request.user),
                         questions=services.survey_questions_for(request.user))

    def create(data):
        fields = {k: v for k, v in data.items() if k != "decision_id"}
        return services.create_indicator(request.user, outcome, decision_id=data["decision_id"], **fields)

    response = _handle(request, form, create, _("Indicator added."), lambda i: i.get_absolute_url())
    return response or render(request, "outcomes/form.html", {
        "form": form, "title": _("New indicator for “%(outcome)s”") % {"outcome": outcome.title},
        "back": (outcome.framework.title, outcome.framework.get_absolute_url())})


@login_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request, pk):
    indicator = get_object_or_404(Indicator.objects.select_related("framework"), pk=pk)
    require(request.user, "outcomes.change_framework", indicator)
    initial = {name: getattr(indicator, name) for name in IndicatorForm.FIELDS}
    initial["decision_id"] = indicator.design_decision_id
    form = IndicatorForm(request.POST or None, initial=initial, people=_people_for(request.user),
                         questions=services.survey_questions_for(request.user))
    if indicator.survey_question_id and indicator.survey_question_id not in {
            pk for _group, options in form.fields["survey_question_id"].choices[1:] for pk, _text in options}:
        # Kept as it is (a question the editor could not choose now is not lost by saving other changes).
        form.fields["survey_question_id"].choices += [
            (indicator.survey_question_id, _("The current question (%(id)s)") % {"id": indicator.survey_question_id})]

    def update(data):
        return services.update_indicator(request.user, indicator, decision_id=data["decision_id"],
                                         **form.indicator_fields())

    response = _handle(request, form, update, _("Saved."), indicator.get_absolute_url())
    return response or render(request, "outcomes/form.html", {
        "form": form, "title": _("Change the indicator"), "back": (indicator.title, indicator.get_absolute_url())})


def indicator(request, pk):
    ind = get_object_or_404(Indicator.objects.select_related("framework__organisation", "outcome__goal", "owner"),
                            pk=pk)
    require(request.user, "outcomes.view_framework", ind.framework)
    today = timezone.localdate()
    targets = list(ind.targets.all())
    ind.target_list = [(t.due, t.value) for t in targets]
    readings = list(ind.readings.order_by("on").values_list("on", "value", "note", "source"))
    queries.decorate(ind, today)
    # The public sees small counts of people as "<5": in the facts, the table and (left out) the chart.
    hidden = (lambda value: False) if request.user.has_perm("outcomes.view_exact_counts", ind) else \
        (lambda value: opendata.hides(ind, value))
    baseline = (ind.baseline_date, ind.baseline_value) if ind.baseline_date else None
    path = planned_path(baseline, [(t.due, t.value) for t in targets])
    if baseline is not None and hidden(ind.baseline_value):
        path = path[1:]
    chart = charts.line_chart([
        charts.Series(_("Readings"), [(d, v) for d, v, _n, _s in readings if not hidden(v)]),
        charts.Series(_("Planned path to the targets"), path, style="dashed"),
    ])
    context = {
        "ind": ind, "fw": ind.framework, "targets": targets, "chart": chart,
        "readings": [(d, opendata.PRIMARY if hidden(v) else v, n, s) for d, v, n, s in readings],
        "baseline_hidden": hidden(ind.baseline_value), "suppressed": any(hidden(v) for _d, v, _n, _s in readings),
        "threshold": opendata.THRESHOLD, "primary": opendata.PRIMARY,
        "can_record": request.user.has_perm("outcomes.record_reading", ind),
        "can_change": request.user.has_perm("outcomes.change_framework", ind),
    }
    return render(request, "outcomes/indicator.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def reading_new(request, pk):
    ind = get_object_or_404(Indicator.objects.select_related("framework"), pk=pk)
    require(request.user, "outcomes.record_reading", ind)
    form = ReadingForm(request.POST or None)
    response = _handle(request, form, lambda d: services.record_reading(request.user, ind, **d),
                       _("Reading recorded."), ind.get_absolute_url())
    return response or render(request, "outcomes/form.html", {
        "form": form, "title": _("Record a reading"), "back": (ind.title, ind.get_absolute_url())})


@login_required
@require_http_methods(["GET", "POST"])
def target_new(request, pk):
    ind = get_object_or_404(Indicator.objects.select_related("framework"), pk=pk)
    require(request.user, "outcomes.change_framework", ind)
    form = TargetForm(request.POST or None)
    response = _handle(request, form, lambda d: services.set_target(request.user, ind, **d),
                       _("Target set."), ind.get_absolute_url())
    return response or render(request, "outcomes/form.html", {
        "form": form, "title": _("Set a target"), "back": (ind.title, ind.get_absolute_url())})


@login_required
@require_http_methods(["GET", "POST"])
def indicator_import(request, pk):
    """Check a CSV (dry run: every error with its line number), then import it – all or nothing."""
    ind = get_object_or_404(Indicator.objects.select_related("framework"), pk=pk)
    require(request.user, "outcomes.record_reading", ind)
    form = CsvImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        if request.POST.get("action") == "import":
            try:
                result = services.import_readings_csv(request.user, ind, text, dry_run=False)
            except ValidationError as exc:
                apply_errors(form, ValidationError({"__all__": exc.message_dict["file"]}))
            else:
                messages.success(request, _("%(n)s readings imported.") % {"n": result.imported})
                return redirect(ind)
        else:
            result = services.import_readings_csv(request.user, ind, text, dry_run=True)
    return render(request, "outcomes/import.html", {"ind": ind, "form": form, "result": result,
                                                     "text": form.cleaned_data.get("text", "") if result else ""})


# --- initiatives -------------------------------------------------------------------------------


def initiatives(request, slug):
    org = _organisation(request, slug)
    rows = queries.initiative_coverage(queries.visible_initiatives(request.user, org))
    return render(request, "outcomes/initiatives.html", {
        "org": org, "initiatives": rows, "kinds": ActivityKind.choices,
        "can_add": request.user.has_perm("outcomes.add_initiative", org),
        "gaps": [label for kind, label in ActivityKind.choices if not any(getattr(r, f"n_{kind}") for r in rows)],
    })


@login_required
@require_http_methods(["GET", "POST"])
def initiative_new(request, slug):
    org = _organisation(request, slug)
    require(request.user, "outcomes.add_initiative", org)
    visible = Framework.objects.filter(Q(status="published") | Q(organisation=org))
    outcomes = Outcome.objects.filter(framework__in=visible).select_related("framework").order_by(
        "framework__title", "position")
    form = InitiativeForm(request.POST or None, outcomes=outcomes)
    response = _handle(request, form, lambda d: services.create_initiative(
        request.user, org, d["outcome"], title=d["title"], description=d["description"]),
        _("Initiative created."), lambda i: i.get_absolute_url())
    return response or render(request, "outcomes/form.html", {
        "form": form, "title": _("New co-production initiative"), "back": (org.name, org.get_absolute_url())})


def initiative(request, slug):
    item = get_object_or_404(Initiative.objects.select_related("organisation", "outcome__framework"), slug=slug)
    require(request.user, "outcomes.view_initiative", item)
    steps = sorted(item.steps.all(), key=lambda s: s.order)
    activities = list(item.activities.all())
    by_kind = [(kind, label, [a for a in activities if a.kind == kind]) for kind, label in ActivityKind.choices]
    return render(request, "outcomes/initiative.html", {
        "item": item, "steps": steps, "by_kind": by_kind,
        "can_change": request.user.has_perm("outcomes.change_initiative", item),
    })


@login_required
@require_http_methods(["GET", "POST"])
def activity_new(request, slug):
    item = get_object_or_404(Initiative.objects.select_related("organisation"), slug=slug)
    require(request.user, "outcomes.change_initiative", item)
    form = ActivityForm(request.POST or None, initial={"kind": request.GET.get("kind")})
    response = _handle(request, form, lambda d: services.link_activity(request.user, item, **d),
                       _("Activity linked."), item.get_absolute_url())
    return response or render(request, "outcomes/form.html", {
        "form": form, "title": _("Link an activity"), "back": (item.title, item.get_absolute_url())})


@login_required
@require_POST
def activity_remove(request, pk):
    activity = get_object_or_404(InitiativeActivity.objects.select_related("initiative__organisation"), pk=pk)
    services.unlink_activity(request.user, activity)
    messages.success(request, _("Activity unlinked."))
    return redirect(activity.initiative)


@login_required
@require_http_methods(["GET", "POST"])
def step_edit(request, slug, step):
    item = get_object_or_404(Initiative.objects.select_related("organisation"), slug=slug)
    require(request.user, "outcomes.change_initiative", item)
    row = get_object_or_404(item.steps, step=step)
    form = StepForm(request.POST or None, initial={"notes": row.notes, "started_on": row.started_on,
                                                   "completed_on": row.completed_on})
    response = _handle(request, form, lambda d: services.update_step(request.user, item, step, **d),
                       _("Saved."), item.get_absolute_url())
    return response or render(request, "outcomes/form.html", {
        "form": form, "title": f"{row.get_step_display()} – {item.title}", "back": (item.title, item.get_absolute_url())})


# --- self-assessment ---------------------------------------------------------------------------


@login_required
def self_assessments(request, slug):
    org = _organisation(request, slug)
    require(request.user, "outcomes.manage_self_assessment", org)
    history = queries.self_assessment_history(org)
    rows = []
    series = {s: [] for s in Standard.values}
    for assessment in history:
        scores = {s.standard: s for s in assessment.scores.all()}
        rows.append((assessment, [scores.get(s) for s in Standard.values]))
        for standard, score in scores.items():
            series[standard].append((assessment.assessed_on, score.score))
    chart = charts.line_chart([charts.Series(label, series[s]) for s, label in Standard.choices], y_min=1, y_max=4)
    return render(request, "outcomes/self_assessments.html", {
        "org": org, "rows": rows, "standards": Standard.choices, "chart": chart})


@login_required
@require_http_methods(["GET", "POST"])
def self_assessment_new(request, slug):
    org = _organisation(request, slug)
    require(request.user, "outcomes.manage_self_assessment", org)
    form = SelfAssessmentForm(request.POST or None, initial={"assessed_on": timezone.localdate()})
    response = _handle(request, form, lambda d: services.record_self_assessment(
        request.user, org, assessed_on=d["assessed_on"], notes=d["notes"], scores=form.scores()),
        _("Self-assessment recorded."), reverse("outcomes:self_assessments", args=[org.slug]))
    return response or render(request, "outcomes/form.html", {
        "form": form, "title": _("Involvement self-assessment"), "back": (org.name, org.get_absolute_url()),
        "intro": _("Score each standard from 1 (not yet) to 4 (fully and consistently) and note the evidence.")})


# --- social value ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def social_value_list(request, slug):
    org = _organisation(request, slug)
    require(request.user, "outcomes.manage_social_value", org)
    form = SocialValueReportForm(request.POST or None, initial={"currency": "GBP"})
    response = _handle(request, form, lambda d: services.create_social_value_report(request.user, org, **d),
                       _("Report created."), lambda r: r.get_absolute_url())
    reports = SocialValueReport.objects.filter(organisation=org)
    return response or render(request, "outcomes/social_value_list.html", {
        "org": org, "form": form, "page": page_of(request, reports)})


def _report(request, pk) -> SocialValueReport:
    report = get_object_or_404(SocialValueReport.objects.select_related("organisation"), pk=pk)
    require(request.user, "outcomes.manage_social_value", report.organisation)
    return report


@login_required
@require_http_methods(["GET", "POST"])
def social_value(request, pk):
    report = _report(request, pk)
    cost_form = CostForm(request.POST if request.POST.get("form") == "cost" else None, prefix="cost")
    hours_form = HoursForm(request.POST if request.POST.get("form") == "hours" else None, prefix="hours")
    if request.method == "POST":
        response = None
        if request.POST.get("form") == "cost":
            response = _handle(request, cost_form, lambda d: services.add_cost(request.user, report, **d),
                               _("Cost added."), report.get_absolute_url())
        elif request.POST.get("form") == "hours":
            response = _handle(request, hours_form, lambda d: services.add_hours(
                request.user, report, label=d["label"], minutes=hours_form.minutes(), note=d["note"]),
                _("Hours added."), report.get_absolute_url())
        if response:
            return response
    return render(request, "outcomes/social_value.html", {
        "report": report, "summary": queries.social_value_summary(report), "cost_form": cost_form,
        "hours_form": hours_form, "costs": report.costs.all(), "extra_hours": report.extra_hours.all()})


def _printable(report) -> dict:
    return {"report": report, "summary": queries.social_value_summary(report), "printed": timezone.now()}


@login_required
def social_value_print(request, pk):
    report = _report(request, pk)
    return render(request, "outcomes/social_value_print.html", _printable(report))


@login_required
def social_value_pdf(request, pk):
    """The print-friendly report as a tagged PDF to attach to board papers, in the request's language."""
    report = _report(request, pk)
    name = "-".join([slugify(_("Social value")), report.organisation.slug, report.period_start.isoformat(),
                     report.period_end.isoformat()])
    return pdf_response(request, "outcomes/social_value_print.html", _printable(report), f"{name}.pdf")


@login_required
@require_POST
def social_value_line_remove(request, pk, kind, line):
    report = _report(request, pk)
    model = {"cost": SocialValueCost, "hours": SocialValueHours}.get(kind)
    if model is None:
        raise PermissionDenied
    services.remove_line(request.user, get_object_or_404(model, pk=line, report=report))
    messages.success(request, _("Removed."))
    return redirect(report)


# --- badges ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def badge_classes(request, slug):
    org = _organisation(request, slug)
    can_manage = request.user.has_perm("outcomes.manage_badges", org)
    form = BadgeClassForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        require(request.user, "outcomes.manage_badges", org)
        response = _handle(request, form, lambda d: services.create_badge_class(request.user, org, **d),
                           _("Badge created."), lambda b: b.get_absolute_url())
        if response:
            return response
    badges_qs = BadgeClass.objects.filter(organisation=org, is_active=True).annotate(
        n_awards=Count("awards", filter=Q(awards__revoked_at__isnull=True)))
    return render(request, "outcomes/badges.html", {"org": org, "badges": badges_qs, "form": form,
                                                    "can_manage": can_manage})


@require_http_methods(["GET", "POST"])
def badge(request, slug):
    item = get_object_or_404(BadgeClass.objects.select_related("organisation"), slug=slug)
    can_manage = request.user.has_perm("outcomes.manage_badges", item.organisation)
    form = None
    if can_manage:
        form = AwardForm(request.POST or None, people=_people_for(request.user))
    if request.method == "POST":
        require(request.user, "outcomes.manage_badges", item.organisation)
        response = _handle(request, form, lambda d: services.award_badge(
            request.user, item, d["person"], evidence=d["evidence"]), _("Badge awarded."), item.get_absolute_url())
        if response:
            return response
    awards = []
    if can_manage:
        awards = item.awards.select_related("person").filter(revoked_at__isnull=True)
    else:
        awards = item.awards.select_related("person").filter(revoked_at__isnull=True, show_on_profile=True)
    return render(request, "outcomes/badge.html", {"item": item, "form": form, "awards": awards,
                                                   "can_manage": can_manage})


def _award(request, award_uuid) -> BadgeAward:
    award = get_object_or_404(BadgeAward.objects.select_related("badge__organisation", "person"), uuid=award_uuid)
    require(request.user, "outcomes.view_award", award)
    return award


@require_http_methods(["GET", "POST"])
def award(request, award_uuid):
    item = _award(request, award_uuid)
    can_consent = request.user.has_perm("outcomes.change_award_consent", item)
    on_behalf = acting_for(request.user, item.person) is not None
    form = ConsentForm(request.POST or None, initial={"show_on_profile": item.show_on_profile}, on_behalf=on_behalf)
    if request.method == "POST":
        require(request.user, "outcomes.change_award_consent", item)
        response = _handle(request, form, lambda d: services.set_award_consent(
            request.user, item, d["show_on_profile"], consent=d.get("consent"), channel=d.get("channel", "web")),
            _("Saved."), item.get_absolute_url())
        if response:
            return response
    return render(request, "outcomes/award.html", {
        "item": item, "form": form if can_consent else None, "on_behalf": on_behalf,
        "can_revoke": request.user.has_perm("outcomes.revoke_award", item) and item.revoked_at is None})


@login_required
@require_POST
def award_revoke(request, award_uuid):
    item = _award(request, award_uuid)
    services.revoke_award(request.user, item)
    messages.success(request, _("The badge was revoked."))
    return redirect(item.badge)


def award_credential(request, award_uuid):
    item = _award(request, award_uuid)
    document = badges.credential(item, request.build_absolute_uri("/"))
    response = HttpResponse(json.dumps(document, indent=2, ensure_ascii=False), content_type="application/ld+json")
    response["Content-Disposition"] = f'inline; filename="badge-{item.uuid}.json"'
    return response


def person_badges(request, pk):
    """A person's badges: everyone sees those shown with consent; the person and staff see them all."""
    person = get_object_or_404(Person, pk=pk, erased_at__isnull=True)
    awards = BadgeAward.objects.filter(person=person, revoked_at__isnull=True).select_related("badge__organisation")
    me = person_of(request.user)
    sees_all = (me is not None and me.pk == person.pk) or request.user.has_perm("core.view_person", person)
    if not sees_all:
        awards = awards.filter(show_on_profile=True)
        if not awards.exists():  # without consent there is nothing public about this person here
            raise Http404
    return render(request, "outcomes/person_badges.html", {
        "person": person, "awards": awards, "sees_all": sees_all, "is_me": me is not None and me.pk == person.pk})


@login_required
def my_badges(request):
    me = person_of(request.user)
    if me is None:
        raise PermissionDenied
    return redirect("outcomes:person_badges", pk=me.pk)


STEP_ORDER = StepKind.values
