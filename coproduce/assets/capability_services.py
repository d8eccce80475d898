"""Editing a capability on the asset map (what it says, who may see it), by the person or by a
broker or staff member who supports them, in conversation and on their behalf. Same rules as
`assets.services`: permission, validation naming the field (nothing written), one transaction, audit."""

from django.db import transaction
from django.utils import timezone

from coproduce.core import audit
from coproduce.core.models import Area
from coproduce.core.permissions import require
from coproduce.core.validation import full_clean
from coproduce.timebank.models import Category

from . import matchindex
from .models import Capability, Channel
from .services import clean_capability


def change_capability(
    actor,
    capability: Capability,
    *,
    description: str,
    category: Category | None = None,
    keywords: str = "",
    neighbourhood: Area | None = None,
    windows=(),
    visibility: str = Capability.Visibility.SUPPORTERS,
    channel: str = Channel.WEB,
    consent: bool = False,
    errors: dict | None = None,
) -> Capability:
    """Edit what a capability says (its kind stays). The person edits their own; a broker or staff
    member who supports them does it in conversation (`channel` in person, by phone or on paper, with
    their agreement), recorded as on their behalf. The audit entry lists the fields changed.
    `errors`: problems the caller already found (e.g. names that match nothing), raised together with
    these checks'."""
    require(actor, "assets.change_capability", capability)
    person = capability.person
    values, on_behalf = clean_capability(
        actor, person, capability.kind, dict(errors or {}), description=description, category=category, keywords=keywords,
        neighbourhood=neighbourhood, windows=windows, visibility=visibility, channel=channel, consent=consent)
    changed = sorted(name for name, value in values.items() if getattr(capability, name) != value)
    if not changed:
        return capability
    with transaction.atomic():
        for name in changed:
            setattr(capability, name, values[name])
        capability.updated_at = timezone.now()
        full_clean(capability, exclude=["recorded_by"])
        capability.save(update_fields=[*changed, "updated_at"])
        matchindex.capabilities_changed([person.pk])
        audit.record(actor, "capability.change", capability, on_behalf_of=on_behalf, channel=channel,
                     details={"fields": changed, "person": person.pk})
    return capability
