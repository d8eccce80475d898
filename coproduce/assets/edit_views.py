"""Editing a capability: by the person, or by a broker or staff member who supports them, in
conversation and on their behalf. Thin: parse, check permission, call the service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coproduce.core.permissions import person_of, require
from coproduce.core.views import apply_errors

from . import capability_services
from .forms import CapabilityForm
from .models import Capability
from .views import _initial_days


@login_required
@require_http_methods(["GET", "POST"])
def capability_edit(request, pk):
    capability = get_object_or_404(Capability.objects.select_related("person", "category", "neighbourhood"),
                                   pk=pk, person__erased_at__isnull=True)
    require(request.user, "assets.change_capability", capability)
    me = person_of(request.user)
    on_behalf = me is None or capability.person_id != me.pk
    form = CapabilityForm(request.POST or None, kind=capability.kind, on_behalf=on_behalf)
    form.initial.update({
        "description": capability.description, "category": capability.category_id,
        "keywords": capability.keywords, "neighbourhood": capability.neighbourhood_id,
        "visibility": capability.visibility, **_initial_days(capability.windows),
    })
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            capability_services.change_capability(
                request.user, capability, description=data["description"], category=data["category"],
                keywords=data["keywords"], neighbourhood=data["neighbourhood"], windows=form.windows(),
                visibility=data["visibility"], channel=data.get("channel", "web"), consent=data.get("consent", False),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("assets:capability", pk=capability.pk)
    context = {"form": form, "capability": capability, "on_behalf": on_behalf}
    return render(request, "assets/capability_form.html", context)
