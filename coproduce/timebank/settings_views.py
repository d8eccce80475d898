"""A bank's settings pages: limits, hourly values, cross-bank switch and network; new networks; the
member agreement (publishing a version, and members accepting the newest); the category list.

Settings, agreement versions and categories are changed by the bank's administrators (coordinators:
`timebank.change_timebank`), not by brokers; networks are created by platform administrators
(`timebank.add_network`). Members accept an agreement themselves, or a broker records it for them
(`?member=`). Thin: parse, call a service, render; service errors are shown next to their field.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coproduce.core.audit import Channel
from coproduce.core.permissions import person_of, require
from coproduce.core.views import apply_errors

from . import category_services, services
from .codelivery_views import _bank, _subject
from .models import Network, Timebank, TimebankMember
from .settings_forms import AcceptAgreementForm, AgreementForm, BankSettingsForm, CategoryForm, NetworkForm


def joinable_networks(user, timebank: Timebank):
    """The networks `user` may put the bank in (their coordinators', or all for platform admins),
    plus the bank's current one."""
    ids = [n.pk for n in Network.objects.select_related("coordinator") if user.has_perm("timebank.join_network", n)]
    if timebank.network_id:
        ids.append(timebank.network_id)
    return Network.objects.filter(pk__in=ids)


@login_required
@require_http_methods(["GET", "POST"])
def bank_settings(request, slug):
    timebank = _bank(slug)
    require(request.user, "timebank.change_timebank", timebank)
    form = BankSettingsForm(request.POST or None, timebank=timebank,
                            networks=joinable_networks(request.user, timebank))
    if request.method == "POST" and form.is_valid():
        try:
            services.change_settings(request.user, timebank, network=form.cleaned_data["network"],
                                     **form.changes())
        except ValidationError as exc:
            apply_errors(form, exc)
            timebank = _bank(slug)  # the service may have set fields on the object before refusing
        else:
            messages.success(request, _("The bank's settings are saved."))
            return redirect("timebank:settings", slug=timebank.slug)
    return render(request, "timebank/settings.html", {"bank": timebank, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def new_network(request):
    require(request.user, "timebank.add_network")
    form = NetworkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            network = services.create_network(request.user, name=data["name"], slug=data["slug"],
                                              coordinator=data["coordinator"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The network %(name)s is created. Banks can now join it from their "
                                        "settings.") % {"name": network.name})
            return redirect("timebank:banks")
    return render(request, "timebank/network_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def agreement(request, slug):
    timebank = _bank(slug)
    require(request.user, "timebank.change_timebank", timebank)
    current = timebank.current_agreement()
    form = AgreementForm(request.POST or None, initial={"text": current.text if current else ""})
    if request.method == "POST" and form.is_valid():
        try:
            published = services.publish_agreement(request.user, timebank, version=form.cleaned_data["version"],
                                                   text=form.cleaned_data["text"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Version %(version)s of the member agreement is published. Members are "
                                        "asked to accept it.") % {"version": published.version})
            return redirect("timebank:agreement", slug=timebank.slug)
    versions = timebank.agreement_versions.order_by("-published_at", "-id")
    accepted = timebank.members.filter(agreement_version=current).count() if current else 0
    return render(request, "timebank/agreement.html", {
        "bank": timebank, "form": form, "current": current, "versions": versions, "accepted_count": accepted,
        "member_count": timebank.members.filter(status=TimebankMember.Status.ACTIVE).count(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def accept_agreement(request, slug):
    timebank = _bank(slug)
    member = _subject(request, timebank)
    require(request.user, "timebank.accept_agreement", member)
    me = person_of(request.user)
    on_behalf = me is None or me.pk != member.person_id
    current = timebank.current_agreement()
    form = AcceptAgreementForm(request.POST if request.method == "POST" else None, on_behalf=on_behalf)
    done = current is None or member.agreement_version_id == current.pk
    if request.method == "POST" and not done and form.is_valid():
        try:
            services.accept_agreement(request.user, member,
                                      channel=form.cleaned_data.get("channel") or Channel.WEB)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The acceptance of version %(version)s is recorded.")
                             % {"version": current.version})
            if on_behalf:
                return redirect("timebank:statement", slug=timebank.slug, pk=member.pk)
            return redirect("timebank:bank", slug=timebank.slug)
    return render(request, "timebank/accept_agreement.html", {
        "bank": timebank, "member": member, "current": current, "done": done, "form": form,
        "on_behalf": on_behalf,
    })


@login_required
@require_http_methods(["GET", "POST"])
def categories(request, slug):
    timebank = _bank(slug)
    require(request.user, "timebank.change_timebank", timebank)
    form = CategoryForm(request.POST or None, groups=category_services.groups_for(timebank))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            category = category_services.add_category(request.user, timebank, name=data["name"],
                                                      group=data["group"], sensitive=data["sensitive"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("%(name)s is added to the bank's list.") % {"name": category.name})
            return redirect("timebank:categories", slug=timebank.slug)
    return render(request, "timebank/categories.html", {
        "bank": timebank, "form": form, "categories": category_services.listing(timebank),
    })


@login_required
@require_POST
def switch_category(request, slug, pk, on):
    timebank = _bank(slug)
    require(request.user, "timebank.change_timebank", timebank)
    switch = category_services.show_category if on else category_services.hide_category
    try:
        category = switch(request.user, timebank, pk)
    except ValidationError as exc:
        messages.error(request, " ".join(sum(exc.message_dict.values(), [])))
    else:
        messages.success(request, (_("%(name)s is in use again.") if on else
                                   _("%(name)s is switched off for new offers and requests."))
                         % {"name": category.label})
    return redirect(reverse("timebank:categories", kwargs={"slug": timebank.slug}) + f"#category-{pk}")
