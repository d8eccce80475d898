"""The asset map's matching indexes, cached in the process and kept fresh by version counters.

Why a cache and not a narrower query: the engine needs every capability's category, keywords,
neighbourhood and weekly times, so even a `values_list` of only those columns over 22,000
capabilities, plus building the engine's index from them, costs seconds per request. Filtering by
category in SQL would not help much either: related categories and shared keywords also make a
match. So each process keeps the engine's indexes and updates them from what changed, the way the
timebank's matching does (`timebank.suggestions`), with the same counters:

- scope `assets:capabilities`: every service changing a capability (add, edit, visibility, remove,
  erasure) calls `capabilities_changed(person_ids)` in its transaction. The version moves and the
  person is logged (`MatchingChange`), so a process re-reads only those people's capabilities and
  applies them with the engine's `upsert`/`remove`.
- scope `assets:needs`: likewise for needs (`needs_changed(need_ids)`), keyed by need.

Each request reads the version (one indexed one-row query); the adjacency of areas and the shared
category groups are re-read at most once a minute. If the version moved, or areas or groups differ
from what the index was built with, if more than `INCREMENTAL_LIMIT` keys changed, a change names no key, or the index is
older than `MAX_AGE` (which also picks up a person's changed home area), it is rebuilt.

Visibility differs per viewer and per capability, so there are two people indexes: one of all
capabilities and one of public capabilities only. A viewer is matched against the first for the
people they may see in full and against the second for everyone else (see `matching.py`). Who a
viewer supports (the people of their organisations) is cached too, checked per request by one
aggregate query over those memberships (`supported_people`). A cache
with no version row yet (nothing ever changed through the services) is never reused.
"""

import threading
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

import numpy as np
from django.db.models import Count, Max
from django.utils import timezone

from coproduce.core.models import Area, Membership
from coproduce.timebank import matching as engine
from coproduce.timebank.models import Category, MatchingChange
from coproduce.timebank.suggestions import _version, bump_scope

from .models import Capability, Need

CAPABILITIES = "assets:capabilities"
NEEDS = "assets:needs"
INCREMENTAL_LIMIT = 500
MAX_AGE = timedelta(hours=1)

_lock = threading.Lock()
_cache: dict[str, "Cached"] = {}


def capabilities_changed(person_ids) -> None:
    """The capabilities of these people (objects or ids) changed; call inside the transaction."""
    bump_scope(CAPABILITIES, person_ids)


def needs_changed(need_ids) -> None:
    """These needs (objects or ids) changed; call inside the transaction."""
    bump_scope(NEEDS, need_ids)


def warm() -> list[str]:
    """Build now the indexes a request would build, where they can be cached (a scope with no version
    row yet is never cached, see `_get`); the scopes warmed. Registered with `core.warmup`, so each
    `coproduce serve` worker runs it in the background as it starts (a cold build takes seconds)."""
    warmed = []
    for scope, build in ((CAPABILITIES, people), (NEEDS, open_needs)):
        if _version(scope)[0]:
            build()
            warmed.append(scope)
    return warmed


def clear_cache() -> None:
    with _lock:
        _cache.clear()
        _shape.clear()
        _supported.clear()


SHAPE_MAX_AGE = timedelta(minutes=1)
_shape: list = []  # [read at, (adjacency, category groups)]


def shape() -> tuple[dict, dict]:
    """What every index depends on besides its rows: the adjacency of areas and the category groups.
    Both change rarely (an administrator's edit), so they are re-read at most once a minute."""
    now = timezone.now()
    if _shape and now - _shape[0] < SHAPE_MAX_AGE:
        return _shape[1]
    current = _read_shape()
    _shape[:] = [now, current]
    return current


def _read_shape() -> tuple[dict, dict]:
    adjacency: dict[int, list[int]] = defaultdict(list)
    for a, b in Area.adjacent.through.objects.values_list("from_area_id", "to_area_id").order_by("pk"):
        adjacency[a].append(b)
    groups: dict[str, int] = {}
    category_groups = {}
    rows = Category.objects.filter(timebank__isnull=True).order_by("pk").values_list("pk", "group")
    for pk, group in rows:
        category_groups[pk] = groups.setdefault(group, len(groups))
    return dict(adjacency), category_groups


@dataclass
class Cached:
    token: str
    version: int
    built_at: object
    shape: tuple
    data: object


def _get(scope: str, build, update):
    """The cached data of `scope`, rebuilt with `build(shape)` or updated with `update(data, keys)`."""
    token, version = _version(scope)
    current = shape()
    now = timezone.now()
    with _lock:
        cached = _cache.get(scope)
        fresh = (cached is not None and token and cached.token == token and cached.shape == current
                 and now - cached.built_at < MAX_AGE and cached.version <= version)
        if fresh and cached.version == version:
            return cached.data
        if fresh:
            keys = set(MatchingChange.objects.filter(scope=scope, version__gt=cached.version, version__lte=version)
                       .values_list("member_id", flat=True))
            if keys and None not in keys and len(keys) <= INCREMENTAL_LIMIT:
                update(cached.data, keys)
                cached.version = version
                return cached.data
        data = build(current)
        if token:
            _cache[scope] = Cached(token, version, now, current, data)
        return data


# --- people and their capabilities ----------------------------------------------------------------


@dataclass
class People:
    """Engine indexes of everyone's capabilities (`full`) and of public capabilities only (`public`)."""

    full: engine.MemberIndex
    public: engine.MemberIndex


def _rows(person_ids=None):
    from .matching import CAP_COLUMNS, CapRow

    qs = Capability.objects.filter(person__erased_at__isnull=True).order_by()
    if person_ids is not None:
        qs = qs.filter(person_id__in=person_ids)
    full, public = [], []
    for row in qs.values_list(*CAP_COLUMNS, "windows", "visibility"):
        cap = CapRow(*row[:-2], tuple(tuple(w) for w in row[-2]))
        full.append(cap)
        if row[-1] == Capability.Visibility.PUBLIC:
            public.append(cap)
    return full, public


def _build_people(current) -> People:
    from .matching import candidates

    full, public = _rows()
    adjacency, groups = current
    return People(engine.MemberIndex.build(candidates(full), adjacency, groups),
                  engine.MemberIndex.build(candidates(public), adjacency, groups))


def _update_people(people: People, person_ids: set[int]) -> None:
    from .matching import candidates

    full, public = _rows(person_ids)
    for index, rows in ((people.full, full), (people.public, public)):
        found = candidates(rows)
        index.upsert(found)
        index.remove(person_ids - {c.member_id for c in found})


def people() -> People:
    return _get(CAPABILITIES, _build_people, _update_people)


# --- open needs -----------------------------------------------------------------------------------


NEED_COLUMNS = ("pk", "person_id", "organisation_id", "category_id", "category__sensitive", "neighbourhood_id",
                "keywords", "regular", "windows", "home_visit", "involves_children", "involves_vulnerable_adults")


@dataclass(frozen=True)
class NeedRow:
    """The columns of an open need the engine and the visibility filter need."""

    pk: int
    person_id: int | None
    organisation_id: int
    category_id: int
    sensitive: bool
    neighbourhood_id: int
    keywords: str
    regular: bool
    windows: list
    home_visit: bool
    involves_children: bool
    involves_vulnerable_adults: bool


@dataclass
class OpenNeeds:
    index: engine.NeedIndex
    rows: dict  # need id -> NeedRow


def _need_rows(need_ids=None) -> list[NeedRow]:
    qs = Need.objects.filter(status=Need.Status.OPEN).order_by()
    if need_ids is not None:
        qs = qs.filter(pk__in=need_ids)
    return [NeedRow(*row) for row in qs.values_list(*NEED_COLUMNS)]


def _requests(rows):
    from .matching import _now, request_for

    now = _now()
    return [request_for(row, now) for row in rows]


def _build_needs(current) -> OpenNeeds:
    rows = _need_rows()
    adjacency, groups = current
    return OpenNeeds(engine.NeedIndex.build(_requests(rows), adjacency, groups), {r.pk: r for r in rows})


def _update_needs(needs: OpenNeeds, need_ids: set[int]) -> None:
    rows = _need_rows(need_ids)
    needs.index.upsert(_requests(rows))
    gone = need_ids - {r.pk for r in rows}
    needs.index.remove(gone)
    for pk in gone:
        needs.rows.pop(pk, None)
    needs.rows.update({r.pk: r for r in rows})


def open_needs() -> OpenNeeds:
    return _get(NEEDS, _build_needs, _update_needs)


# --- who a viewer supports --------------------------------------------------------------------------

_supported: dict[frozenset, tuple] = {}  # organisations -> (fingerprint, sorted person ids)


def supported_people(orgs) -> np.ndarray:
    """Sorted ids of the people with a membership of one of `orgs`, cached per set of organisations
    and checked with one aggregate query (count and highest id of those memberships: any membership
    added or removed changes it)."""
    key = frozenset(orgs)
    if not key:
        return np.zeros(0, dtype=np.int64)
    memberships = Membership.objects.filter(organisation_id__in=key).order_by()
    fingerprint = tuple(memberships.aggregate(n=Count("pk"), last=Max("pk")).values())
    cached = _supported.get(key)
    if cached is not None and cached[0] == fingerprint:
        return cached[1]
    people = np.unique(np.fromiter(memberships.values_list("person_id", flat=True), dtype=np.int64))
    with _lock:
        if len(_supported) > 1000:
            _supported.clear()
        _supported[key] = (fingerprint, people)
    return people
