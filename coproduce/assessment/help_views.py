"""Pages where a complainant accepts the invitation to help (or staff record it for a caller), and
where the offer of time waiting for a bank's approval is posted. Thin: the work is in `help_services`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coproduce.core.audit import Channel
from coproduce.core.permissions import require
from coproduce.core.views import apply_errors

from . import help_services
from .forms import HelpForm
from .models import Complaint, HelpOffer
from .views import complaint_page


def thanks(offer: HelpOffer) -> str:
    if offer.timebank_offer_id:
        return _("Thank you: your offer of time is in %(bank)s.") % {"bank": offer.timebank_member.timebank.name}
    member = offer.timebank_member
    if member is not None and member.status == member.Status.SUSPENDED:
        return _("Thank you for offering to help. A broker of %(bank)s will be in touch with you about it.") % {
            "bank": member.timebank.name}
    if member is not None and member.left_at is not None:
        return _("Thank you: you asked to rejoin %(bank)s. Once a broker has welcomed you back, your offer can "
                 "be posted from this page.") % {"bank": member.timebank.name}
    if offer.timebank_member_id:
        return _("Thank you: you asked to join %(bank)s. Once a broker has welcomed you, your offer can be "
                 "posted from this page.") % {"bank": offer.timebank_member.timebank.name}
    if offer.lab_invitation_id:
        return _("Thank you: you are invited to the design lab “%(lab)s”.") % {"lab": offer.lab_invitation.lab.title}
    return _("Thank you for offering to help. Someone will be in touch.")


@login_required
@require_POST
def complaint_help(request, pk):
    item = get_object_or_404(Complaint.objects.select_related("service__organisation", "person"), pk=pk)
    on_behalf = request.POST.get("on_behalf") == "1"
    require(request.user, "assessment.record_help_offer" if on_behalf else "assessment.offer_help", item)
    form = HelpForm(request.POST, choices=help_services.accepting_choices(item),
                    auto_id="behalf_%s" if on_behalf else "id_%s")
    if form.is_valid():
        try:
            offer = help_services.offer_help(request.user, item, on_behalf=on_behalf,
                                             channel=Channel.PHONE if on_behalf else Channel.WEB, **form.choice())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, thanks(offer))
            return redirect(item)
    forms = {"behalf_form": form} if on_behalf else {"help_form": form}
    return complaint_page(request, item, status=400, **forms)


@login_required
@require_POST
def post_offer(request, pk):
    offer = get_object_or_404(HelpOffer.objects.select_related("complaint__service__organisation"), pk=pk)
    require(request.user, "assessment.view_complaint", offer.complaint)
    try:
        offer = help_services.post_pending_offer(request.user, offer)
    except ValidationError as exc:
        for msgs in exc.message_dict.values():
            messages.error(request, " ".join(msgs))
    else:
        messages.success(request, thanks(offer))
    return redirect(offer.complaint)
