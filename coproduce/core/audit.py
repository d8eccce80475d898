"""The audit log: one call, `record`, used by every service in every app."""

from dataclasses import dataclass

from django.db import models

from .models import AuditEntry, Organisation, Person


@dataclass(frozen=True)
class Channel:
    """How an action reached us. Paper, phone and in-person are first-class channels."""

    WEB = "web"
    API = "api"
    CLI = "cli"
    IMPORT = "import"
    PAPER = "paper"
    PHONE = "phone"
    IN_PERSON = "in_person"
    SYSTEM = "system"

    ALL = (WEB, API, CLI, IMPORT, PAPER, PHONE, IN_PERSON, SYSTEM)
    OFFLINE = (PAPER, PHONE, IN_PERSON)  # how something reaches staff from someone who is not online


def _label(user) -> str:
    if user is None:
        return "system"
    person = getattr(user, "person", None)
    name = person.name if person is not None else ""
    return f"{name} <{user.get_username()}>" if name else user.get_username()


def record(
    actor,
    action: str,
    obj: models.Model | None = None,
    *,
    organisation: Organisation | None = None,
    on_behalf_of: Person | None = None,
    channel: str = Channel.WEB,
    details: dict | None = None,
) -> AuditEntry:
    """Write one audit entry. Call inside the service's transaction so both land or neither."""
    if channel not in Channel.ALL:
        raise ValueError(f"unknown channel {channel!r}")
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        actor_label=_label(actor),
        on_behalf_of=on_behalf_of,
        channel=channel,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_label=str(obj)[:200] if obj is not None else "",
        organisation=organisation,
        details=details or {},
    )
