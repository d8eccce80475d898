"""Moving a survey or a monitoring campaign (a `lifecycle.Lifecycle`) on: draft → open → closed.

Called by `survey_services` and `monitoring_services` inside their transaction, after their
permission check; they write the audit log."""

from django.core.exceptions import ValidationError
from django.utils import timezone

from .lifecycle import Lifecycle

NEXT = {Lifecycle.Status.DRAFT: Lifecycle.Status.OPEN, Lifecycle.Status.OPEN: Lifecycle.Status.CLOSED}


def lock(obj) -> None:
    """Lock the object's row and bring the caller's object up to date (a no-op lock on SQLite)."""
    list(type(obj).objects.select_for_update().filter(pk=obj.pk).values_list("pk", flat=True))
    obj.refresh_from_db()


def step_status(obj: Lifecycle, status: str, *, order_error: str, content, empty_error: str) -> str:
    """Lock `obj`, move it on to `status` (only the next one) and stamp when; return the status before.

    Opening needs something in `content` (a related manager: the questions, the measures)."""
    lock(obj)
    if NEXT.get(obj.status) != status:
        raise ValidationError({"status": [order_error]})
    if status == Lifecycle.Status.OPEN and not content.exists():
        raise ValidationError({"status": [empty_error]})
    before, obj.status = obj.status, status
    if status == Lifecycle.Status.OPEN:
        obj.opened_at = timezone.now()
    else:
        obj.closed_at = timezone.now()
    obj.save(update_fields=["status", "opened_at", "closed_at"])
    return before
