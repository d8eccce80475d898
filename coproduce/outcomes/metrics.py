"""Platform metrics: numbers the platform already knows, which can feed indicators.

A metric is registered once, under a dotted key ("<app label>.<name>"), with a function

    compute(organisation, start, end) -> Decimal | int

that runs real ORM queries over the organisation **and the organisations that are part of it**, for
the half-open period ``start <= day < end`` (dates). It must return an ``int`` or a ``Decimal``
(never a float). Metrics of kind ``hours`` return **integer minutes** (the platform counts time in
minutes) and are what the social value report adds up; other kinds: ``count``, ``percent``,
``money`` (integer minor units), ``number``.

How another app registers its metrics – from its AppConfig's ``ready()``, so they exist wherever the
app is installed, and nothing here imports the app::

    # coproduce/timebank/apps.py
    def ready(self):
        from coproduce.outcomes import metrics
        from . import queries
        metrics.register("timebank.hours_exchanged", _("Hours exchanged"), queries.minutes_exchanged,
                         kind="hours", unit=_("hours"))

Metrics expected from the other apps (added by their owners): ``timebank.hours_exchanged``
(hours), ``timebank.active_members``, ``budgeting.vote_participants``,
``assessment.complaints_resolved_in_time`` (percent), ``assessment.inspection_actions_closed``,
``budgeting.pledges_delivered``. The core's are registered below.

An unknown key fails clearly: ``UnknownMetric`` names the key and lists the known ones. Indicators
fed by a metric get a reading per month from ``coproduce outcomes refresh`` (see
``services.refresh_metric_readings``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

KINDS = ("count", "hours", "percent", "money", "number")


class UnknownMetric(KeyError):
    def __init__(self, key: str):
        known = ", ".join(sorted(_registry)) or "none"
        super().__init__(f"unknown platform metric {key!r}; registered metrics: {known}")
        self.key = key

    def __str__(self) -> str:
        return self.args[0]


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    compute: Callable
    kind: str = "count"
    unit: str = ""
    description: str = ""
    counts_people: bool = False


_registry: dict[str, Metric] = {}


def register(
    key: str,
    label,
    compute: Callable,
    *,
    kind: str = "count",
    unit="",
    description="",
    counts_people: bool = False,
    replace: bool = False,
) -> Metric:
    """Register a metric. Registering a taken key again raises, unless it is the same function
    (AppConfig.ready() may run twice) or `replace=True` (tests)."""
    if "." not in key or not key.replace(".", "").replace("_", "").isalnum():
        raise ValueError(f"metric keys look like 'app.name', not {key!r}")
    if kind not in KINDS:
        raise ValueError(f"metric kind must be one of {KINDS}, not {kind!r}")
    if not callable(compute):
        raise TypeError("compute must be callable: compute(organisation, start, end)")
    existing = _registry.get(key)
    if existing is not None and existing.compute is not compute and not replace:
        raise ValueError(f"platform metric {key!r} is already registered")
    metric = Metric(key, label, compute, kind, unit, description, counts_people)
    _registry[key] = metric
    return metric


def unregister(key: str) -> None:
    _registry.pop(key, None)


def get(key: str) -> Metric:
    try:
        return _registry[key]
    except KeyError:
        raise UnknownMetric(key) from None


def all_metrics() -> list[Metric]:
    return sorted(_registry.values(), key=lambda m: m.key)


def of_kind(kind: str) -> list[Metric]:
    return [m for m in all_metrics() if m.kind == kind]


def choices() -> list[tuple[str, str]]:
    return [(m.key, f"{m.label} ({m.key})") for m in all_metrics()]


def compute(key: str, organisation, start: date, end: date) -> Decimal | int:
    """Compute a metric; checks the period and the type of the result."""
    metric = get(key)
    if end <= start:
        raise ValueError("a metric's period must end after it starts")
    value = metric.compute(organisation, start, end)
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise TypeError(f"metric {key!r} returned {type(value).__name__}; it must return int or Decimal")
    return value


# --- helpers for compute functions --------------------------------------------------------------


def organisation_ids(organisation) -> set[int]:
    """The organisation and every organisation that is part of it (any depth)."""
    from coproduce.core.models import Organisation

    result, frontier = {organisation.pk}, {organisation.pk}
    while frontier:
        frontier = set(Organisation.objects.filter(parent_id__in=frontier).values_list("id", flat=True)) - result
        result |= frontier
    return result


def moment(day: date) -> datetime:
    """Midnight at the start of `day`, in the site's time zone."""
    return datetime.combine(day, time.min, timezone.get_current_timezone())


# --- the core's metrics ------------------------------------------------------------------------


def people_registered_on_behalf(organisation, start: date, end: date) -> int:
    """People registered by staff on their behalf (assisted members) in the period. Counted from the
    audit log, which keeps the registration even when the membership or the person's data goes."""
    from coproduce.core.models import AuditEntry

    return AuditEntry.objects.filter(
        action="person.register", organisation_id__in=organisation_ids(organisation),
        at__gte=moment(start), at__lt=moment(end),
    ).values("object_id").distinct().count()


def active_members(organisation, start: date, end: date) -> int:
    """People who hold the member role in the organisation (or a part of it) at the end of the
    period and whose data has not been erased. (Apps with activity – the timebank – register their
    own, stricter "active" metric.)"""
    from coproduce.core.models import Membership, Role

    return Membership.objects.filter(
        organisation_id__in=organisation_ids(organisation), role=Role.MEMBER, created_at__lt=moment(end),
        person__erased_at__isnull=True,
    ).values("person_id").distinct().count()


def new_memberships(organisation, start: date, end: date) -> int:
    """Member roles granted in the organisation (or a part of it) during the period."""
    from coproduce.core.models import Membership, Role

    return Membership.objects.filter(
        organisation_id__in=organisation_ids(organisation), role=Role.MEMBER,
        created_at__gte=moment(start), created_at__lt=moment(end),
    ).count()


def register_core_metrics() -> None:
    register("core.people_registered_on_behalf", _("People registered on their behalf"),
             people_registered_on_behalf, unit=_("people"), counts_people=True,
             description=_("Assisted members registered by staff in the period."))
    register("core.active_members", _("Members"), active_members, unit=_("people"), counts_people=True,
             description=_("People holding the member role at the end of the period."))
    register("core.new_memberships", _("New members"), new_memberships, unit=_("people"), counts_people=True,
             description=_("Member roles granted in the period."))
