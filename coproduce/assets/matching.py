"""Matching on the asset map, through the timebank's pure engine (`coproduce.timebank.matching`).

The asset map has no banks: everyone is in one pseudo bank and network (id 0), so every mapped
person is considered wherever they live and distance ranks them (same neighbourhood, adjacent, the
rest of the area). People become engine `Candidate`s (their capabilities with a category are
`Offer`s, their weekly times the windows); needs become engine `Request`s. A need about a person
names them as the requester, so the engine never suggests someone for their own need.

The asset map records no references, exchanges or safeguarding checks, so the engine's hard
constraints for sensitive work and regular work with children or vulnerable adults exclude every
mapped person for such needs: the page says so, with the engine's reasons, and the broker turns to
the timebank. Reasons are rendered through gettext here, in the words of the asset map.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import timedelta

import numpy as np
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduce.core.models import Area, Person
from coproduce.core.permissions import person_of
from coproduce.timebank import matching as engine

from . import matchindex, queries
from .models import Capability, Need

AREA_BANK = 0
AREA_NETWORK = 0
WEEK = 7 * 24 * 60

# The engine's reason codes in the words of the asset map (the engine's own English is for banks).
REASONS = {
    "same_category": _("Offers exactly this kind of help"),
    "related_category": _("Offers a related kind of help"),
    "shared_tags": _("Mentions {tags}"),
    "same_neighbourhood": _("Lives in the same neighbourhood"),
    "adjacent_neighbourhood": _("Lives in a neighbouring area"),
    "same_bank": _("Lives elsewhere in the area"),
    "other_bank_in_network": _("Lives elsewhere in the area"),
    "available": _("Is usually free at the requested time"),
    "partly_available": _("Is usually free for {percent}% of the requested time"),
    "not_usually_available": _("Is not usually free at the requested time — worth asking"),
    "availability_not_recorded": _("Has not said when they are usually free"),
    "has_references": _("Has {count} reference(s)"),
    "completed_exchanges": _("Has completed {count} exchange(s)"),
    "some_cancellations": _("Has cancelled {cancellations} of {total} arranged exchange(s)"),
    "not_asked_recently": _("Was last asked {days} days ago"),
    "asked_recently": _("Was asked {days} days ago"),
    "safeguarding_check_valid": _("Has a safeguarding check valid until {expires}"),
    "safeguarding_check_no_expiry": _("Has a safeguarding check with no expiry date"),
    "nudge_to_ask": _("Has {hours} hours of unspent credit — encourage them to ask for help too"),
    "check_expires_during_arrangement": _("Their safeguarding check expires on {expires}, during the arrangement"),
    "needs_two_helpers": _("This need calls for two helpers"),
    "is_requester": _("This need is their own"),
    "opted_out": _("Has asked not to be contacted from {start} to {end}"),
    "no_safeguarding_check": _("Has no safeguarding check for work with {group}"),
    "safeguarding_check_expired": _("Their safeguarding check for work with {group} expires on {expires}, "
                                    "before {date}"),
    "safeguarding_check_not_yet_issued": _("Their safeguarding check for work with {group} is only issued on "
                                           "{issued}"),
    "no_references": _("Has no references, which this kind of help needs"),
    "unreliable": _("Has cancelled {cancellations} of {total} arranged exchanges, too many for this task"),
    "low_reliability_references": _("References do not vouch for their reliability, which this task needs"),
    "no_suitable_helpers": _("Nobody on the asset map suits this need yet."),
    "no_suitable_needs": _("No open need suits this yet."),
    "needs_second_helper": _("Needs a second helper: no two suggested people can go together"),
}
# Facts the asset map never records (references, exchanges, asks): the engine's "none yet" says
# nothing useful here, so it is not shown.
SILENT = {"no_references_yet", "first_exchange", "never_asked", "other_network",
          "cross_bank_not_allowed_by_requesting_bank", "cross_bank_not_allowed_by_helpers_bank"}
GROUPS = {"children": _("children"), "vulnerable_adults": _("vulnerable adults")}


def render(reason) -> str:
    code, params = reason[0], (reason[1] if len(reason) > 1 else {})
    template = REASONS.get(code)
    if template is None:
        return engine.render(reason)
    values = {}
    for key, value in params.items():
        if isinstance(value, list | tuple):
            value = ", ".join(str(v) for v in value)
        elif isinstance(value, str) and value in GROUPS:
            value = GROUPS[value]
        values[key] = value
    return str(template).format(**values)


def render_all(reasons, silent=frozenset()) -> list[str]:
    return [render(r) for r in reasons if r[0] not in SILENT and r[0] not in silent]


# --- plain data for the engine -----------------------------------------------------------------


def _tags(keywords: str) -> frozenset[str]:
    return frozenset(k.strip() for k in keywords.split(",") if k.strip())


def _now():
    return timezone.localtime().replace(second=0, microsecond=0)


@dataclass(frozen=True)
class CapRow:
    """The few columns of a capability the engine needs (read with `values_list`, no model rows)."""

    pk: int
    person_id: int
    category_id: int | None
    keywords: str
    kind: str
    neighbourhood_id: int | None
    home_area_id: int | None
    windows: tuple = ()


CAP_COLUMNS = ("pk", "person_id", "category_id", "keywords", "kind", "neighbourhood_id", "person__home_area_id")


def cap_rows(qs, *, with_windows: bool) -> list[CapRow]:
    qs = qs.order_by()
    if with_windows:
        return [CapRow(*row[:-1], tuple(tuple(w) for w in row[-1]))
                for row in qs.values_list(*CAP_COLUMNS, "windows")]
    return [CapRow(*row) for row in qs.values_list(*CAP_COLUMNS)]


def candidates(rows: list[CapRow]) -> list[engine.Candidate]:
    """One engine candidate per person, from their capabilities."""
    by_person: dict[int, list[CapRow]] = defaultdict(list)
    for c in rows:
        by_person[c.person_id].append(c)
    out = []
    for person_id, caps in by_person.items():
        hoods = Counter(c.neighbourhood_id for c in caps if c.neighbourhood_id)
        home = hoods.most_common(1)[0][0] if hoods else (caps[0].home_area_id or -1)
        offers = tuple(
            engine.Offer(c.pk, c.category_id, _tags(c.keywords), c.kind) for c in caps if c.category_id
        )
        out.append(engine.Candidate(
            member_id=person_id, bank_id=AREA_BANK, network_id=AREA_NETWORK, neighbourhood_id=home,
            offers=offers, windows=tuple(w for c in caps for w in c.windows), bank_allows_cross_bank=True,
        ))
    return out


def request_for(need, now) -> engine.Request:
    """The need (a `Need` or a cached `matchindex.NeedRow`) as an engine request. A one-off need
    with weekly times is the next such occasion; without times it is "now" (and availability is not compared: see `suggest_for_need`)."""
    start, end = now, None
    if need.windows and not need.regular:
        first_start, first_end = need.windows[0]
        mow = now.weekday() * 1440 + now.hour * 60 + now.minute
        start = now + timedelta(minutes=(first_start - mow) % WEEK)
        end = start + timedelta(minutes=first_end - first_start)
    return engine.Request(
        request_id=need.pk, requester_id=need.person_id, bank_id=AREA_BANK, network_id=AREA_NETWORK,
        neighbourhood_id=need.neighbourhood_id, category_id=need.category_id, start=start, end=end,
        regular=need.regular, weekly=tuple(tuple(w) for w in need.windows) if need.regular else (),
        tags=_tags(need.keywords), home_visit=need.home_visit, involves_children=need.involves_children,
        involves_vulnerable_adults=need.involves_vulnerable_adults,
        sensitive=need.sensitive if isinstance(need, matchindex.NeedRow) else need.category.sensitive,
        bank_allows_cross_bank=True, now=now,
    )


# --- what pages show ---------------------------------------------------------------------------


@dataclass
class Shown:
    """One suggestion as a page shows it: the person (named as the viewer may see them) or need."""

    label: str
    neighbourhood: str
    url: str | None
    score: float
    items: list[str]
    reasons: list[str]
    flags: list[str] = field(default_factory=list)


@dataclass
class Suggestions:
    shown: list[Shown]
    notes: list[str]
    considered: int
    eligible: int
    excluded: list[tuple[str, list[str]]] = field(default_factory=list)


def _person_label(person, identified: set[int]) -> tuple[str, str | None]:
    if person.pk in identified:
        return person.name, person.get_absolute_url()
    return queries.first_name(person.name), None


# Availability words that say nothing when the need has no weekly times.
TIMELESS = frozenset({"availability_not_recorded", "available", "partly_available", "not_usually_available"})


def _seen_in_full(user):
    """A function from person ids (array) to "may see all their capabilities" (mask), or None for
    platform administrators, who see everything."""
    orgs = queries.supported_organisations(user)
    if orgs is None:
        return None
    me = person_of(user)
    seen = np.union1d(matchindex.supported_people(orgs), [me.pk if me is not None else -1])
    return lambda ids: np.isin(ids, seen, assume_unique=False)


def suggest_for_need(user, need: Need, top: int = 10) -> Suggestions:
    """People whose capabilities could meet `need`, among the capabilities `user` may see.

    Ranks on the cached indexes (`matchindex`) and reads names only for the people shown: a handful
    of queries and no rebuild per request, whatever the size of the map."""
    now = _now()
    request = request_for(need, now)
    # Without times on the need, availability is not weighed (nor mentioned).
    policy = None if need.windows else replace(engine.DEFAULT_POLICY, w_availability=0.0)
    results = []
    for index, allowed in _runs(user, need.person_id):
        result = engine.suggest_helpers(index, request, top=top, now=now, explain_exclusions=10, allowed=allowed,
                                        policy=policy)
        results.append((index, result))
    ranked = sorted(((s, index) for index, r in results for s in r.suggestions), key=lambda t: (-t[0].score,
                                                                                                 t[0].member_id))
    ranked = ranked[:top]
    exclusions = [(m, rs, index) for index, r in results for m, rs in (r.exclusions or {}).items()][:10]
    person_ids = [s.member_id for s, _ in ranked] + [m for m, _, _ in exclusions]
    people = {p.pk: p for p in Person.objects.filter(pk__in=person_ids).only("pk", "name")}
    identified = queries.identified_person_ids(user, person_ids)
    hoods = {index.records[s.member_id].neighbourhood_id for s, index in ranked}
    hood_names = dict(Area.objects.filter(pk__in=hoods).values_list("pk", "name"))
    offer_ids = [o for s, _ in ranked for o in s.offer_ids]
    descriptions = dict(Capability.objects.filter(pk__in=offer_ids).values_list("pk", "description"))
    quiet = frozenset() if need.windows else TIMELESS
    shown = []
    for s, index in ranked:
        label, url = _person_label(people[s.member_id], identified)
        shown.append(Shown(
            label=label, neighbourhood=hood_names.get(index.records[s.member_id].neighbourhood_id, ""), url=url,
            score=s.score, items=[descriptions[o] for o in s.offer_ids if o in descriptions],
            reasons=render_all(s.reasons, quiet), flags=render_all(s.flags),
        ))
    excluded = [(_person_label(people[m], identified)[0], render_all(rs)) for m, rs, _ in exclusions]
    notes = [] if ranked else [str(REASONS["no_suitable_helpers"])]
    for _index, r in results:
        notes += [n for n in render_all(r.notes) if n not in notes and n != str(REASONS["no_suitable_helpers"])]
    return Suggestions(shown, notes, sum(r.considered for _, r in results), sum(r.eligible for _, r in results),
                       excluded)


def _runs(user, requester_id):
    """(index, allowed) pairs to rank on: the full index for the people the viewer may see in full
    (everyone, for platform administrators), the public one for everybody else; never the person
    the need is about."""
    people = matchindex.people()
    in_full = _seen_in_full(user)
    requester = requester_id or -1
    if in_full is None:
        return [(people.full, lambda ids: ids != requester)]
    return [(people.full, lambda ids: in_full(ids) & (ids != requester)),
            (people.public, lambda ids: ~in_full(ids) & (ids != requester))]


def suggest_for_capability(user, capability: Capability, top: int = 10) -> Suggestions:
    """Open needs (that `user` may see) which `capability` could meet, ranked on the cached index of
    open needs; only the needs shown are read as rows."""
    needs = matchindex.open_needs()
    now = _now()
    own = Capability.objects.filter(person_id=capability.person_id)
    helper = candidates(cap_rows(own, with_windows=True))[0]
    offer = engine.Offer(capability.pk, capability.category_id, _tags(capability.keywords), capability.kind) \
        if capability.category_id else None
    orgs = queries.supported_organisations(user)
    allowed = None
    if orgs is not None:
        me = person_of(user)
        mine, orgs_array = (me.pk if me is not None else -1), np.fromiter(orgs, dtype=np.int64)

        def allowed(ids):
            rows = [needs.rows[int(i)] for i in ids]
            org = np.fromiter((r.organisation_id for r in rows), dtype=np.int64, count=len(rows))
            person = np.fromiter((r.person_id or -1 for r in rows), dtype=np.int64, count=len(rows))
            return np.isin(org, orgs_array) | (person == mine)

    result = engine.suggest_needs(needs.index, helper, offer, top=top, now=now, allowed=allowed)
    ids = [s.request_id for s in result.suggestions]
    by_id = Need.objects.select_related("category", "neighbourhood", "person", "organisation").in_bulk(ids)
    identified = queries.identified_person_ids(user, [n.person_id for n in by_id.values() if n.person_id])
    shown = []
    for s in result.suggestions:
        need = by_id[s.request_id]
        if need.person_id is None:
            label = str(_("Community need"))
        else:
            label = _person_label(need.person, identified)[0]
        shown.append(Shown(
            label=f"{label}: {need.description[:80]}", neighbourhood=need.neighbourhood.name,
            url=need_url(need), score=s.score, items=[need.category.label, need.organisation.name],
            reasons=render_all(s.reasons), flags=render_all(s.flags),
        ))
    return Suggestions(shown, render_all(result.notes), result.considered, result.eligible)


def need_url(need: Need) -> str:
    from django.urls import reverse

    return reverse("assets:need", args=[need.pk])
