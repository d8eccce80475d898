"""Core pages. Thin: parse the request, check permission, call a service, render."""

import json
from datetime import datetime, time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, Q
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import profile, services
from .forms import (
    AddMembershipForm,
    ApiTokenForm,
    AuditFilterForm,
    OrganisationFilterForm,
    PeopleFilterForm,
    PersonForm,
    RegisterPersonForm,
)
from .models import ApiToken, Area, AuditEntry, Membership, Organisation, Person, Topic
from .permissions import STAFF_ROLES, organisations_where, person_of, require


def apply_errors(form, exc: ValidationError) -> None:
    """Show a service's field errors next to the fields of the form (`form.service_fields`, if given,
    names the form's field for a service field it asks for differently, e.g. minutes as hours)."""
    renamed = getattr(form, "service_fields", {})
    for field, errors in exc.message_dict.items():
        field = renamed.get(field, field)
        form.add_error(field if field in form.fields else None, errors)


def page_of(request, queryset, per_page=25):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


@require_GET
@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy"
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def home(request):
    context = {
        "topics": Topic.objects.annotate(n_orgs=Count("organisations", filter=Q(organisations__is_active=True))),
        "organisation_count": Organisation.objects.filter(is_active=True).count(),
    }
    me = person_of(request.user)
    if me is not None:
        context["memberships"] = me.memberships.select_related("organisation")
    return render(request, "core/home.html", context)


# --- organisations -----------------------------------------------------------------------------


def organisations(request):
    form = OrganisationFilterForm(request.GET or None)
    qs = Organisation.objects.filter(is_active=True).select_related("area", "parent")
    if form.is_valid():
        if form.cleaned_data["q"]:
            qs = qs.filter(Q(name__icontains=form.cleaned_data["q"]) | Q(description__icontains=form.cleaned_data["q"]))
        if form.cleaned_data["kind"]:
            qs = qs.filter(kind=form.cleaned_data["kind"])
        if form.cleaned_data["area"]:
            qs = qs.filter(area__path__startswith=form.cleaned_data["area"].path)
    return render(request, "core/organisations.html", {"form": form, "page": page_of(request, qs)})


def organisation(request, slug):
    org = get_object_or_404(Organisation.objects.select_related("area", "parent"), slug=slug)
    require(request.user, "core.view_organisation", org)
    context = {
        "org": org,
        "parts": org.children.filter(is_active=True),
        "topics": org.topics.all(),
        "can_view_members": request.user.has_perm("core.view_members", org),
        "can_register": request.user.has_perm("core.register_person", org),
    }
    return render(request, "core/organisation.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def organisation_members(request, slug):
    org = get_object_or_404(Organisation, slug=slug)
    require(request.user, "core.view_members", org)
    people = Person.objects.filter(erased_at__isnull=True)
    if not request.user.is_superuser:
        people = people.filter(memberships__organisation_id__in=organisations_where(request.user, STAFF_ROLES)).distinct()
    form = AddMembershipForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_membership(request.user, form.cleaned_data["person"], org, form.cleaned_data["role"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Membership added."))
            return redirect("core:organisation_members", slug=org.slug)
    members = org.memberships.select_related("person").order_by("person__name", "role")
    return render(request, "core/organisation_members.html", {"org": org, "form": form, "page": page_of(request, members)})


@login_required
@require_POST
def membership_remove(request, pk):
    membership = get_object_or_404(Membership.objects.select_related("organisation"), pk=pk)
    services.remove_membership(request.user, membership)
    messages.success(request, _("Membership removed."))
    return redirect("core:organisation_members", slug=membership.organisation.slug)


@login_required
@require_http_methods(["GET", "POST"])
def register_person(request, slug):
    org = get_object_or_404(Organisation, slug=slug)
    require(request.user, "core.register_person", org)
    form = RegisterPersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.register_person(
                request.user,
                org,
                consent=form.cleaned_data["consent"],
                channel=form.cleaned_data["channel"],
                interests=form.cleaned_data["interests"],
                **form.person_fields(),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("%(name)s is registered.") % {"name": person.name})
            return redirect(person)
    return render(request, "core/register_person.html", {"org": org, "form": form})


# --- people ------------------------------------------------------------------------------------


@login_required
def people(request):
    require(request.user, "core.view_people")
    form = PeopleFilterForm(request.GET or None)
    qs = Person.objects.filter(erased_at__isnull=True).select_related("home_area")
    if not request.user.is_superuser:
        qs = qs.filter(memberships__organisation_id__in=organisations_where(request.user, STAFF_ROLES)).distinct()
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            qs = qs.filter(Q(name__icontains=data["q"]) | Q(email__icontains=data["q"]))
        if data["topic"]:
            qs = qs.filter(interests=data["topic"])
        if data["area"]:
            qs = qs.filter(home_area__path__startswith=data["area"].path)
        if data["assisted"]:
            qs = qs.filter(is_assisted=True)
    return render(request, "core/people.html", {"form": form, "page": page_of(request, qs.order_by("name", "id"))})


@login_required
def me(request):
    person = person_of(request.user)
    if person is None:
        person = services.person_for_new_user(request.user)
    return redirect(person)


@login_required
def person(request, pk):
    person = get_object_or_404(Person.objects.select_related("home_area", "user"), pk=pk)
    require(request.user, "core.view_person", person)
    user = request.user
    context = {
        "person": person,
        "memberships": person.memberships.select_related("organisation"),
        "interests": person.interests.all(),
        "can_change": user.has_perm("core.change_person", person),
        "can_export": user.has_perm("core.export_person", person),
        "can_erase": user.has_perm("core.erase_person", person) and person.erased_at is None,
        "is_me": person.user_id == user.pk,
        "sections": profile.sections_for(request, person),
    }
    return render(request, "core/person.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request, pk):
    person = get_object_or_404(Person, pk=pk)
    require(request.user, "core.change_person", person)
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST":
        # Validate against a fresh copy: the form must not mutate `person` before the service runs.
        form.instance = Person.objects.get(pk=pk)
        if form.is_valid():
            try:
                services.update_person(request.user, person, interests=form.cleaned_data["interests"],
                                       **form.person_fields())
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect(person)
    return render(request, "core/person_edit.html", {"person": person, "form": form})


@login_required
@require_GET
def person_export(request, pk):
    person = get_object_or_404(Person, pk=pk)
    data = services.export_person_data(request.user, person)
    response = HttpResponse(json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="coproduce-person-{person.pk}.json"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def person_erase(request, pk):
    person = get_object_or_404(Person, pk=pk)
    require(request.user, "core.erase_person", person)
    if request.method == "POST":
        by_self = person.user_id == request.user.pk
        services.erase_person(request.user, person)
        messages.success(request, _("The personal data has been erased."))
        return redirect("core:home" if by_self else "core:people")
    return render(request, "core/person_erase.html", {"person": person})


# --- topics and areas --------------------------------------------------------------------------


def topics(request):
    qs = Topic.objects.annotate(
        n_orgs=Count("organisations", filter=Q(organisations__is_active=True), distinct=True),
        n_followers=Count("followers", distinct=True),
    )
    return render(request, "core/topics.html", {"topics": qs})


def topic(request, slug):
    topic = get_object_or_404(Topic, slug=slug)
    context = {"topic": topic, "organisations": topic.organisations.filter(is_active=True).select_related("area")}
    if request.user.has_perm("core.view_topic_followers"):
        followers = topic.followers.filter(contact_about_interests=True, erased_at__isnull=True)
        if not request.user.is_superuser:
            followers = followers.filter(
                memberships__organisation_id__in=organisations_where(request.user, STAFF_ROLES)
            ).distinct()
        context["followers"] = followers.select_related("home_area")
    me = person_of(request.user)
    if me is not None:
        context["following"] = me.interests.filter(pk=topic.pk).exists()
    return render(request, "core/topic.html", context)


@login_required
@require_POST
def topic_follow(request, slug):
    topic = get_object_or_404(Topic, slug=slug)
    me = person_of(request.user) or services.person_for_new_user(request.user)
    current = set(me.interests.all())
    current = current - {topic} if topic in current else current | {topic}
    services.update_person(request.user, me, interests=list(current))
    return redirect(topic)


def areas(request):
    return render(request, "core/areas.html", {"areas": Area.objects.select_related("parent")})


# --- audit and tokens --------------------------------------------------------------------------


@login_required
def audit_log(request):
    require(request.user, "core.view_audit")
    form = AuditFilterForm(request.GET or None)
    qs = AuditEntry.objects.select_related("on_behalf_of", "organisation")
    if not request.user.is_superuser:
        qs = qs.filter(organisation_id__in=organisations_where(request.user, {"admin"}))
    if form.is_valid():
        data = form.cleaned_data
        if data["action"]:
            qs = qs.filter(action__startswith=data["action"])
        if data["actor"]:
            qs = qs.filter(actor_label__icontains=data["actor"])
        if data["object_type"]:
            qs = qs.filter(object_type=data["object_type"])
        if data["channel"]:
            qs = qs.filter(channel=data["channel"])
        tz = timezone.get_current_timezone()
        if data["since"]:
            qs = qs.filter(at__gte=datetime.combine(data["since"], time.min, tz))
        if data["until"]:
            qs = qs.filter(at__lte=datetime.combine(data["until"], time.max, tz))
    return render(request, "core/audit.html", {"form": form, "page": page_of(request, qs, per_page=50)})


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request):
    form = ApiTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _token, new_token = services.create_api_token(request.user, request.user, form.cleaned_data["name"])
        form = ApiTokenForm()
    tokens = ApiToken.objects.filter(user=request.user, revoked_at__isnull=True)
    return render(request, "core/api_tokens.html", {"form": form, "tokens": tokens, "new_token": new_token})


@login_required
@require_POST
def api_token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk)
    if token.user_id != request.user.pk:
        raise PermissionDenied
    services.revoke_api_token(request.user, token)
    messages.success(request, _("Token revoked."))
    return redirect("core:api_tokens")
