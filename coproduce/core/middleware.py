"""Administrators must use two-factor authentication (TOTP) before they can do anything else."""

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from .permissions import administers_anywhere

# Paths an administrator without two-factor may still reach: setting it up, logging out, assets.
OPEN_PREFIXES = ("/accounts/", "/static/", "/healthz", "/i18n/", "/api/", "/open311/")


def needs_two_factor(user) -> bool:
    if not user.is_authenticated:
        return False
    if not (user.is_superuser or administers_anywhere(user)):
        return False
    return not is_mfa_enabled(user, types=["totp"])


class RequireTwoFactorForAdministrators:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(OPEN_PREFIXES) and needs_two_factor(request.user):
            messages.warning(request, _("Administrators must set up two-factor authentication first."))
            return redirect("mfa_activate_totp")
        return self.get_response(request)
