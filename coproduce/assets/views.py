"""Asset map pages. Thin: parse the request, check permission, call a service, render.

Public: the register of community assets (list and offline map) and what people offer publicly
(first name and neighbourhood only). Signed in: "What can you do?" and suggesting an asset.
Brokers and staff: recording for people they support, needs, suggestions from the matching engine,
editing their organisation's assets and reviewing suggestions.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from coproduce.core.models import STAFF_ROLES, Membership, Organisation, Person
from coproduce.core.permissions import organisations_where, person_of, require, staffed_organisations
from coproduce.core.views import apply_errors, page_of

from . import matching, queries, services
from . import windows as weekly
from .forms import AssetFilterForm, AssetForm, CapabilityForm, ModerateForm, NeedFilterForm, NeedForm
from .mapview import build_map
from .models import Capability, CommunityAsset, Need

MAP_LIMIT = 500


def _filter_assets(form, qs):
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            qs = qs.filter(Q(name__icontains=data["q"]) | Q(description__icontains=data["q"])
                           | Q(address__icontains=data["q"]))
        if data["kind"]:
            qs = qs.filter(kind=data["kind"])
        if data["category"]:
            qs = qs.filter(category=data["category"])
        if data["neighbourhood"]:
            qs = qs.filter(neighbourhood=data["neighbourhood"])
    return qs


def _staff_links(user) -> dict:
    return {
        "can_add_asset": user.has_perm("assets.add_any_asset"),
        "can_view_needs": user.has_perm("assets.view_needs"),
        "can_review": user.is_authenticated and user.has_perm("assets.moderate_assets"),
    }


@require_GET
def asset_list(request):
    form = AssetFilterForm(request.GET or None)
    qs = _filter_assets(form, queries.published_assets().select_related("neighbourhood", "category", "owner"))
    context = {"form": form, "page": page_of(request, qs), "query": _query(request)} | _staff_links(request.user)
    return render(request, "assets/asset_list.html", context)


def _query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@require_GET
def asset_map(request):
    form = AssetFilterForm(request.GET or None)
    qs = _filter_assets(form, queries.published_assets().select_related("neighbourhood", "category", "owner"))
    shown = list(qs[:MAP_LIMIT])
    hoods = form.cleaned_data["neighbourhood"] if form.is_valid() else None
    people = queries.capabilities_visible_to(None).filter(visibility=Capability.Visibility.PUBLIC)
    if hoods is not None:
        people = people.filter(neighbourhood=hoods)
    context = {
        "form": form, "map": build_map(shown, people), "assets": shown, "truncated": qs.count() > MAP_LIMIT,
        "limit": MAP_LIMIT, "query": _query(request),
    } | _staff_links(request.user)
    return render(request, "assets/asset_map.html", context)


@require_GET
def asset_detail(request, pk):
    asset = get_object_or_404(CommunityAsset.objects.select_related("neighbourhood", "category", "owner"), pk=pk)
    require(request.user, "assets.view_asset", asset)
    context = {
        "asset": asset, "opening": weekly.describe(asset.opening_windows),
        "can_change": request.user.has_perm("assets.change_asset", asset),
        "can_review": asset.status == CommunityAsset.Status.SUGGESTED
        and request.user.has_perm("assets.moderate_asset", asset),
    }
    return render(request, "assets/asset_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def asset_new(request):
    require(request.user, "assets.add_any_asset")
    form = AssetForm(request.POST or None, owners=staffed_organisations(request.user),
                     owner_required=not request.user.is_superuser)
    if request.method == "POST" and form.is_valid():
        try:
            asset = services.create_asset(request.user, owner=form.cleaned_data["owner"], **form.asset_fields())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("%(name)s is on the asset map.") % {"name": asset.name})
            return redirect(asset)
    return render(request, "assets/asset_form.html", {"form": form, "title": _("Add a community asset")})


def _initial_days(windows) -> dict:
    if not windows:
        return {}
    start, end = windows[0]
    return {
        "days": sorted({(w[0] // 1440) % 7 for w in windows}),
        "time_from": f"{(start % 1440) // 60:02d}:{start % 60:02d}",
        "time_until": f"{(end % 1440) // 60:02d}:{end % 60:02d}",
    }


@login_required
@require_http_methods(["GET", "POST"])
def asset_edit(request, pk):
    asset = get_object_or_404(CommunityAsset.objects.select_related("owner"), pk=pk)
    require(request.user, "assets.change_asset", asset)
    initial = {name: getattr(asset, name) for name in (
        "name", "kind", "category", "description", "neighbourhood", "address", "latitude", "longitude",
        "opening_text", "contact_name", "email", "phone", "website", "accessibility", "owner")}
    initial |= _initial_days(asset.opening_windows)
    owners = staffed_organisations(request.user)
    if asset.owner_id:
        owners = owners | Organisation.objects.filter(pk=asset.owner_id)
    form = AssetForm(request.POST or None, initial=initial, owners=owners.distinct(),
                     owner_required=not request.user.is_superuser)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_asset(request.user, asset, owner=form.cleaned_data["owner"], **form.asset_fields())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(asset)
    return render(request, "assets/asset_form.html", {"form": form, "asset": asset, "title": _("Edit %(name)s")
                                                      % {"name": asset.name}})


@login_required
@require_http_methods(["GET", "POST"])
def asset_suggest(request):
    require(request.user, "assets.suggest_asset")
    form = AssetForm(request.POST or None, owners=Organisation.objects.filter(is_active=True), owner_required=False)
    form.fields["owner"].label = _("Run by (if you know)")
    if request.method == "POST" and form.is_valid():
        try:
            services.suggest_asset(request.user, owner=form.cleaned_data["owner"], **form.asset_fields())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Thank you: your suggestion will appear once it has been checked."))
            return redirect("assets:list")
    return render(request, "assets/asset_form.html", {"form": form, "title": _("Suggest a place, group or facility"),
                                                      "suggesting": True})


@login_required
@require_GET
def review_list(request):
    require(request.user, "assets.moderate_assets")
    qs = queries.suggestions_for_review(request.user).select_related("neighbourhood", "owner", "suggested_by")
    return render(request, "assets/review_list.html", {"page": page_of(request, qs)})


@login_required
@require_http_methods(["GET", "POST"])
def review(request, pk):
    asset = get_object_or_404(CommunityAsset.objects.select_related("owner", "neighbourhood"), pk=pk)
    require(request.user, "assets.moderate_asset", asset)
    form = ModerateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        accept = form.cleaned_data["decision"] == "accept"
        try:
            services.moderate_asset(request.user, asset, accept=accept, note=form.cleaned_data["note"])
        except ValidationError as exc:
            apply_errors(form, _rename(exc, {"moderation_note": "note"}))
        else:
            messages.success(request, _("Published.") if accept else _("Not published; the note was kept."))
            return redirect("assets:review_list")
    return render(request, "assets/review.html", {"asset": asset, "form": form})


def _rename(exc: ValidationError, names: dict) -> ValidationError:
    return ValidationError({names.get(k, k): v for k, v in exc.message_dict.items()})


# --- what people can do ------------------------------------------------------------------------


@require_GET
def people(request):
    form = AssetFilterForm(request.GET or None, kinds=Capability.Kind.choices)
    qs = queries.capabilities_visible_to(request.user).select_related("person", "neighbourhood", "category")
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            qs = qs.filter(Q(description__icontains=data["q"]) | Q(keywords__icontains=data["q"]))
        if data["kind"]:
            qs = qs.filter(kind=data["kind"])
        if data["category"]:
            qs = qs.filter(category=data["category"])
        if data["neighbourhood"]:
            qs = qs.filter(neighbourhood=data["neighbourhood"])
    page = page_of(request, qs)
    identified = queries.identified_person_ids(request.user, [c.person_id for c in page])
    for c in page:
        c.shown_name = c.person.name if c.person_id in identified else queries.first_name(c.person.name)
        c.person_url = c.person.get_absolute_url() if c.person_id in identified else None
        c.times = weekly.describe(c.windows)
    return render(request, "assets/people.html", {"form": form, "page": page} | _staff_links(request.user))


def _capability_forms(data, on_behalf: bool, posted_kind: str | None):
    forms = []
    for kind in Capability.Kind.values:
        bound = data if kind == posted_kind else None
        forms.append(CapabilityForm(bound, kind=kind, on_behalf=on_behalf))
    return forms


@login_required
@require_http_methods(["GET", "POST"])
def can_do(request, person_pk=None):
    """The guided "What can you do?" page: a short form per kind; for oneself, or for someone a
    broker or staff member supports (recorded in conversation, on their behalf)."""
    me = person_of(request.user)
    person = me if person_pk is None else get_object_or_404(Person, pk=person_pk, erased_at__isnull=True)
    if person is None:
        raise PermissionDenied
    require(request.user, "assets.add_capability", person)
    on_behalf = me is None or person.pk != me.pk
    posted_kind = request.POST.get("kind_posted") if request.method == "POST" else None
    forms = _capability_forms(request.POST if posted_kind else None, on_behalf, posted_kind)
    if posted_kind:
        form = next((f for f in forms if f.kind_slug == posted_kind), None)
        if form is not None and form.is_valid():
            data = form.cleaned_data
            try:
                services.add_capability(
                    request.user, person, kind=posted_kind, description=data["description"],
                    category=data["category"], keywords=data["keywords"], neighbourhood=data["neighbourhood"],
                    windows=form.windows(), visibility=data["visibility"],
                    channel=data.get("channel", "web"), consent=data.get("consent", False),
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Added to the asset map."))
                return redirect(request.path)
    capabilities = person.capabilities.select_related("category", "neighbourhood")
    for c in capabilities:
        c.times = weekly.describe(c.windows)
    context = {"person": person, "on_behalf": on_behalf, "forms": forms, "capabilities": capabilities,
               "posted_kind": posted_kind}
    return render(request, "assets/can_do.html", context)


def _capability(pk) -> Capability:
    return get_object_or_404(Capability.objects.select_related("person", "category", "neighbourhood"), pk=pk)


@require_GET
def capability_detail(request, pk):
    capability = _capability(pk)
    require(request.user, "assets.view_capability", capability)
    identified = request.user.has_perm("assets.identify_capability_person", capability)
    context = {
        "capability": capability, "times": weekly.describe(capability.windows),
        "shown_name": capability.person.name if identified else queries.first_name(capability.person.name),
        "person_url": capability.person.get_absolute_url() if identified else None,
        "can_change": request.user.has_perm("assets.change_capability", capability),
        "suggestions": None,
    }
    if request.user.has_perm("assets.suggest_for_capability", capability):
        context["suggestions"] = matching.suggest_for_capability(request.user, capability)
    return render(request, "assets/capability_detail.html", context)


@login_required
@require_POST
def capability_change(request, pk):
    capability = _capability(pk)
    require(request.user, "assets.change_capability", capability)
    action = request.POST.get("action")
    try:
        if action == "remove":
            services.remove_capability(request.user, capability)
            messages.success(request, _("Removed from the asset map."))
        elif action == "visibility":
            services.set_capability_visibility(request.user, capability, request.POST.get("visibility", ""))
            messages.success(request, _("Changed who may see it."))
        else:
            messages.error(request, _("Nothing was changed."))
    except ValidationError as exc:
        messages.error(request, " ".join(m for msgs in exc.message_dict.values() for m in msgs))
    me = person_of(request.user)
    if me is not None and capability.person_id == me.pk:
        return redirect("assets:can_do")
    return redirect("assets:can_do_for", person_pk=capability.person_id)


# --- needs -------------------------------------------------------------------------------------


@login_required
@require_GET
def need_list(request):
    require(request.user, "assets.view_needs")
    form = NeedFilterForm(request.GET or None)
    qs = queries.needs_visible_to(request.user).select_related("organisation", "person", "category", "neighbourhood")
    if form.is_valid():
        if form.cleaned_data["status"]:
            qs = qs.filter(status=form.cleaned_data["status"])
        if form.cleaned_data["neighbourhood"]:
            qs = qs.filter(neighbourhood=form.cleaned_data["neighbourhood"])
    return render(request, "assets/need_list.html", {"form": form, "page": page_of(request, qs)})


def _supported_people(user):
    people = Person.objects.filter(erased_at__isnull=True).order_by("name", "id")
    if user.is_superuser:
        return people
    orgs = organisations_where(user, STAFF_ROLES)
    return people.filter(pk__in=Membership.objects.filter(organisation_id__in=orgs).values("person_id"))


@login_required
@require_http_methods(["GET", "POST"])
def need_new(request):
    require(request.user, "assets.view_needs")
    initial = {}
    if request.GET.get("person"):
        initial["person"] = request.GET["person"]
    form = NeedForm(request.POST or None, initial=initial, organisations=staffed_organisations(request.user),
                    people=_supported_people(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            need = services.record_need(
                request.user, data["organisation"], person=data["person"], category=data["category"],
                description=data["description"], keywords=data["keywords"], neighbourhood=data["neighbourhood"],
                regular=data["regular"], windows=form.windows(), home_visit=data["home_visit"],
                involves_children=data["involves_children"],
                involves_vulnerable_adults=data["involves_vulnerable_adults"], consent_by=data["consent_by"],
                consent_by_name=data["consent_by_name"], consent_at=data["consent_at"],
                consent_channel=data["consent_channel"],
                channel=data["consent_channel"] or "web",
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The need is recorded."))
            return redirect("assets:need", pk=need.pk)
    return render(request, "assets/need_form.html", {"form": form})


@login_required
@require_GET
def need_detail(request, pk):
    need = get_object_or_404(Need.objects.select_related("organisation", "person", "category", "neighbourhood"),
                             pk=pk)
    require(request.user, "assets.view_need", need)
    context = {"need": need, "times": weekly.describe(need.windows), "suggestions": None,
               "can_change": request.user.has_perm("assets.change_need", need),
               "show_person": need.person_id is not None and request.user.has_perm("core.view_person", need.person)}
    if request.user.has_perm("assets.suggest_for_need", need) and need.status == Need.Status.OPEN:
        context["suggestions"] = matching.suggest_for_need(request.user, need)
    return render(request, "assets/need_detail.html", context)


@login_required
@require_POST
def need_status(request, pk):
    need = get_object_or_404(Need.objects.select_related("organisation", "person"), pk=pk)
    try:
        services.close_need(request.user, need, request.POST.get("status", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(m for msgs in exc.message_dict.values() for m in msgs))
    else:
        messages.success(request, _("Status changed."))
    return redirect("assets:need", pk=need.pk)


# --- the person page section -------------------------------------------------------------------


def person_section(request, person):
    """What the person can do (as far as the viewer may see it), on their page."""
    capabilities = list(queries.capabilities_visible_to(request.user).filter(person=person)
                        .select_related("category", "neighbourhood"))
    can_add = request.user.has_perm("assets.add_capability", person)
    needs = list(queries.needs_visible_to(request.user).filter(person=person).select_related("category"))
    if not capabilities and not needs and not can_add:
        return None
    me = person_of(request.user)
    url = None
    if can_add:
        url = reverse("assets:can_do") if me is not None and me.pk == person.pk else reverse(
            "assets:can_do_for", args=[person.pk])
    return {"capabilities": capabilities, "needs": needs, "can_do_url": url}

