"""Editing a capability on the asset map (what it says, who may see it), by the person or by a
broker or staff member who supports them, in conversation and on their behalf. Same rules as
`assets.services`: permission, validation naming the field (nothing written), one transaction, audit."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core import audit
from coproduce.core.models import Area
from coproduce.core.permissions import require
from coproduce.core.validation import full_clean
from coproduce.timebank.models import Category

from . import matchindex
from .models import Capability, Channel
from .services import _category, _channel, _neighbourhood, _on_behalf, _text, _windows


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
) -> Capability:
    """Edit what a capability says (its kind stays). The person edits their own; a broker or staff
    member who supports them does it in conversation (`channel` in person, by phone or on paper, with
    their agreement), recorded as on their behalf. The audit entry lists the fields changed."""
    require(actor, "assets.change_capability", capability)
    person = capability.person
    kind = capability.kind
    errors: dict = {}
    description = _text(description, errors, "description", required=True, limit=1000)
    keywords = _text(keywords, errors, "keywords", required=False, limit=200)
    category = _category(category, errors, required=kind != Capability.Kind.SPARE_TIME)
    neighbourhood = _neighbourhood(neighbourhood, errors, required=False)
    windows = _windows(windows, errors, "windows")
    if kind == Capability.Kind.SPARE_TIME and not windows and "windows" not in errors:
        errors["windows"] = [_("Say when in the week you are usually free.")]
    if visibility not in Capability.Visibility.values:
        errors["visibility"] = [_("Choose who may see this.")]
    _channel(channel, errors)
    on_behalf = _on_behalf(actor, person)
    if on_behalf is not None and channel == Channel.WEB:
        errors["channel"] = [_("Say how you heard it from them: in person, by phone or on paper.")]
    if on_behalf is not None and consent is not True:
        errors["consent"] = [_("Ask them, and record that they agreed, before recording it.")]
    if person.erased_at is not None:
        errors["person"] = [_("This person's data has been erased.")]
    if errors:
        raise ValidationError(errors)
    if neighbourhood is None and person.home_area_id is not None:
        neighbourhood = person.home_area
    values = {"description": description, "category": category, "keywords": keywords,
              "neighbourhood": neighbourhood, "windows": windows, "visibility": visibility}
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
