"""Background work for co-assessment. Tasks run in `coproduce worker` (immediately in tests)."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task


@task()
def complaint_email(*, complaint_id: int, event: str, language: str = "en") -> int:
    """Tell the complainant what happened to their report, and invite them to help."""
    from .models import Complaint

    complaint = Complaint.objects.select_related("service").filter(pk=complaint_id).first()
    if complaint is None or not complaint.email:
        return 0
    with translation.override(language or settings.LANGUAGE_CODE):
        if event == "received":
            subject = _("We received your report about %(service)s") % {"service": complaint.service.name}
        elif event == "resolved":
            subject = _("Your report about %(service)s is resolved") % {"service": complaint.service.name}
        else:
            subject = _("News about your report to %(service)s") % {"service": complaint.service.name}
        body = render_to_string("assessment/email/complaint.txt", {"complaint": complaint, "event": event})
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [complaint.email])


@task()
def overdue_actions_email(*, action_ids: list[int], to: list[str]) -> int:
    """Remind a service's staff of the inspection actions past their deadline."""
    from .models import InspectionAction

    actions = list(InspectionAction.objects.filter(pk__in=action_ids).select_related("service", "visit")
                   .order_by("due_on", "id"))
    if not actions or not to:
        return 0
    service = actions[0].service
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Overdue inspection actions for %(service)s") % {"service": service.name}
        body = render_to_string("assessment/email/overdue_actions.txt", {"service": service, "actions": actions})
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)


@task()
def chase_overdue_inspection_actions() -> dict:
    """Daily: chase overdue inspection actions (each action at most once a day)."""
    from .inspection_services import chase_overdue_actions

    return chase_overdue_actions()
