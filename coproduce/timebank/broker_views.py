"""Brokers' pages for a member and the ledger, and the donation page. Thin: parse, call a service, render.

- `manage_member` (`<bank>/members/<pk>/manage/`): approve a request to join, suspend, record that a
  member left or reactivate them (with why), set their own limits, record an opening balance. The
  bank's brokers and coordinators only.
- `correct_transfer` (`<bank>/transfers/<pk>/correct/`): confirm, then reverse a transfer with a
  reason (a correcting transfer; the ledger is never edited).
- `donate` (`<bank>/donate/`): a member gives credits to another member or the community pot, and
  sets up or stops standing (monthly) donations; a broker does the same for an offline member with
  `?member=<id>`, recorded as on their behalf with the channel.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coproduce.core.audit import Channel
from coproduce.core.permissions import require
from coproduce.core.views import apply_errors

from . import services, standing, trust
from .broker_forms import (
    CorrectForm,
    DonationForm,
    LimitsForm,
    OpeningBalanceForm,
    StandingDonationForm,
    StatusForm,
)
from .codelivery_views import _bank, _for, _subject
from .forms import OFFLINE_CHANNELS
from .models import StandingDonation, TimebankMember, Transfer
from .views import hours


def _post_form(request, forms: dict):
    """The form the POST is for (its name in the hidden field `form`), or 404."""
    form = forms.get(request.POST.get("form"))
    if form is None:
        raise Http404
    return form


@login_required
@require_http_methods(["GET", "POST"])
def manage_member(request, slug, pk):
    bank = _bank(slug)
    member = get_object_or_404(TimebankMember.objects.select_related("person", "account", "timebank__organisation"),
                               pk=pk, timebank=bank)
    require(request.user, "timebank.change_member", member)
    which = request.POST.get("form") if request.method == "POST" else None
    data = lambda name: request.POST if which == name else None  # noqa: E731
    forms = {
        "status": StatusForm(data("status"), member=member, prefix="s"),
        "limits": LimitsForm(data("limits"), member=member, prefix="l"),
        "opening": OpeningBalanceForm(data("opening"), prefix="o"),
    }
    if request.method == "POST":
        done = None
        try:
            if which == "approve":
                services.approve_member(request.user, member)
                done = _("%(name)s is now a member.") % {"name": member.person.name}
            else:
                form = _post_form(request, forms)
                if form.is_valid():
                    done = _save_member_form(request.user, member, which, form.cleaned_data)
        except ValidationError as exc:
            if which == "approve":
                messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))
            else:
                apply_errors(form, exc)
        if done:
            messages.success(request, done)
            return redirect("timebank:manage_member", slug=bank.slug, pk=member.pk)
    has_opening = Transfer.objects.filter(kind=Transfer.Kind.OPENING_BALANCE, reverses__isnull=True).filter(
        Q(from_account__member=member) | Q(to_account__member=member)).exists()
    return render(request, "timebank/member_manage.html", {
        "bank": bank, "member": member, "forms": forms, "has_opening": has_opening,
        "requested": member.status == TimebankMember.Status.REQUESTED,
        "balance_label": hours(member.account.balance_minutes),
        "overdraft": member.effective_overdraft(), "max_balance": member.effective_max_balance(),
    })


def _save_member_form(actor, member, which, data) -> str:
    if which == "status":
        services.set_member_status(actor, member, data["status"], note=data["note"])
        return _("The status is now “%(status)s”.") % {"status": member.get_status_display()}
    if which == "limits":
        services.set_member_limits(actor, member, overdraft_limit_minutes=data["overdraft_limit_minutes"],
                                   max_balance_minutes=data["max_balance_minutes"],
                                   no_max_balance=data["no_max_balance"])
        return _("The limits are saved.")
    services.record_opening_balance(actor, member, data["minutes"], data["reason"],
                                    occurred_on=data["occurred_on"], channel=data["channel"])
    return _("The opening balance of %(minutes)s is recorded.") % {"minutes": hours(data["minutes"])}


@login_required
@require_http_methods(["GET", "POST"])
def correct_transfer(request, slug, pk):
    """Correct a statement line: a confirmation page, then a reversing transfer (POST)."""
    bank = _bank(slug)
    transfer = get_object_or_404(
        Transfer.objects.select_related("timebank__organisation", "from_account__member__person",
                                        "to_account__member__person"), pk=pk, timebank=bank)
    require(request.user, "timebank.reverse_transfer", transfer)
    back = _statement_to_return_to(request, bank, transfer)
    form = CorrectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reverse_transfer(request.user, transfer, form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_errors(form, exc)  # "transfer" (already reversed, a correction) shows above the form
        else:
            messages.success(request, _("The transfer is corrected: %(minutes)s moved back.")
                             % {"minutes": hours(transfer.minutes)})
            return redirect(back)
    return render(request, "timebank/transfer_correct.html", {
        "bank": bank, "transfer": transfer, "form": form, "back": back, "minutes_label": hours(transfer.minutes),
        "payer": _party(transfer.from_account), "payee": _party(transfer.to_account),
    })


def _party(account) -> str:
    from .views import _other_party

    return _other_party(account)


def _statement_to_return_to(request, bank, transfer) -> str:
    """The statement the broker came from (`?member=`), else the payer's, else the payee's, else the bank."""
    wanted = request.GET.get("member", "")
    ids = [a.member_id for a in (transfer.from_account, transfer.to_account) if a.member_id]
    if wanted.isdigit() and int(wanted) in ids:
        ids = [int(wanted)]
    if ids:
        return reverse("timebank:statement", args=[bank.slug, ids[0]])
    return reverse("timebank:bank", args=[bank.slug])


@login_required
@require_http_methods(["GET", "POST"])
def donate(request, slug):
    bank = _bank(slug)
    member = _subject(request, bank)
    require(request.user, "timebank.pay_from", member)
    on_behalf = trust.acting_for(request.user, member) is not None
    which = request.POST.get("form") if request.method == "POST" else None
    data = lambda name: request.POST if which == name else None  # noqa: E731
    forms = {
        "donate": DonationForm(data("donate"), member=member, on_behalf=on_behalf, prefix="d"),
        "standing": StandingDonationForm(data("standing"), member=member, on_behalf=on_behalf, prefix="s"),
    }
    standing_list = list(StandingDonation.objects.filter(member=member, active=True).select_related("to__person"))
    if request.method == "POST":
        done = None
        if which == "stop":
            donation = next((d for d in standing_list if str(d.pk) == request.POST.get("donation", "")), None)
            if donation is None:
                raise Http404
            channel = request.POST.get("channel", "") if on_behalf else Channel.WEB
            if on_behalf and channel not in dict(OFFLINE_CHANNELS):
                messages.error(request, _("Say how they told you to stop it: in person, by phone or on paper."))
            else:
                standing.stop(request.user, donation, channel=channel)
                done = _("The standing donation is stopped.")
        else:
            form = _post_form(request, forms)
            if form.is_valid():
                try:
                    done = _give(request.user, member, which, form.cleaned_data)
                except ValidationError as exc:
                    apply_errors(form, exc)
        if done:
            messages.success(request, done)
            return redirect(reverse("timebank:donate", args=[bank.slug]) + _for(member, request))
    return render(request, "timebank/donate.html", {
        "bank": bank, "member": member, "forms": forms, "standing": standing_list, "on_behalf": on_behalf,
        "balance_label": hours(member.account.balance_minutes), "for": _for(member, request),
        "channels": OFFLINE_CHANNELS,
    })


def _give(actor, member, which, data) -> str:
    channel = data.get("channel") or Channel.WEB
    to = data["to"]
    if which == "donate":
        services.donate(actor, member, data["minutes"], data["reason"], to=to, channel=channel)
        message = _("%(minutes)s given to %(to)s.")
    else:
        standing.set_up(actor, member, data["minutes"], to=to, reason=data["reason"], channel=channel)
        message = _("%(minutes)s will be given to %(to)s every month.")
    return message % {"minutes": hours(data["minutes"]), "to": to.person.name if to else _("the community pot")}
