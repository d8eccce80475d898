"""Template context shared by every page: the navigation shows only what is built and allowed."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .permissions import person_of


def navigation(request):
    user = request.user
    items = [
        (reverse("core:organisations"), _("Organisations")),
        (reverse("core:topics"), _("Topics")),
        (reverse("core:areas"), _("Areas")),
        (reverse("timebank:banks"), _("Timebanks")),
        (reverse("assets:list"), _("Asset map")),
        (reverse("budgeting:processes"), _("Budgets and priorities")),
        (reverse("assessment:directory"), _("Services")),
        (reverse("assessment:surveys"), _("Surveys")),
        (reverse("assessment:campaigns"), _("Monitoring")),
        (reverse("design:labs"), _("Design labs")),
        (reverse("outcomes:index"), _("Outcomes")),
    ]
    if user.is_authenticated:
        if user.has_perm("core.view_people"):
            items.append((reverse("core:people"), _("People")))
        items.append((reverse("assessment:my_complaints"), _("My reports")))
        if user.has_perm("core.view_audit"):
            items.append((reverse("core:audit"), _("Audit log")))
    path = request.path
    nav = [{"url": url, "label": label, "current": path.startswith(url)} for url, label in items]
    return {"nav_items": nav, "me": person_of(user)}
