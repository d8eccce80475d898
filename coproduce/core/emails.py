"""Email subjects, translated at send time."""

from django.utils.translation import gettext as _


def subject(key: str, context: dict) -> str:
    if key == "membership_added":
        return _("You are now %(role)s at %(organisation)s") % context
    if key == "registered_on_behalf":
        return _("You have been registered with %(organisation)s") % context
    raise KeyError(key)
