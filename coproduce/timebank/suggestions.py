"""Matching wired to stored data: build the engine's records from the database, keep an index per
network cached in the process, and turn results into what pages show (reasons through gettext).

Cache: one `MemberIndex` per scope (a network, or a bank outside any network). Every service that
changes what matching reads (offers, availability, opt-outs, references, checks, exchanges) calls
`invalidate(bank, members)` in its transaction: the scope's `MatchingVersion` moves and the changed
members are logged (`MatchingChange`). On its next query a process reads the version (one indexed
query); if it moved, it re-reads only the changed members and applies them with the engine's
`upsert`/`remove` (a full rebuild when a change names no member, when more than
`INCREMENTAL_LIMIT` members changed, or when the index is older than `MAX_AGE`, which also
refreshes balances moved by plain transfers). Measured on SQLite with 2 cores under a load of ~6:
a full rebuild (nine queries whatever the size) took 0.21 s for 200 members with 600 offers and
0.44 s for 1,200 with 3,600, growing with the engine's own build (`bench/bench_matching.py`: 1.25 s
for 5,000 members under the same load); an incremental update reads only the changed members with
the same nine queries, so its cost does not grow with the network, and the cache pays off from the
first change. A suggestion page then costs five queries plus the engine's ranking.
"""

import threading
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import Count, F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext  # noqa: F401

from . import matching as engine
from .models import (
    AvailabilityWindow,
    Category,
    Exchange,
    ExchangeParticipant,
    HelpRequest,
    MatchingChange,
    MatchingVersion,
    Offer,
    OptOut,
    Posting,
    Reference,
    SafeguardingCheck,
    Timebank,
    TimebankMember,
    Vouch,
)

KINDS = {
    TimebankMember.Kind.INDIVIDUAL: engine.INDIVIDUAL,
    TimebankMember.Kind.GROUP: engine.COMMUNITY_GROUP,
    TimebankMember.Kind.ORGANISATION: engine.COMMUNITY_GROUP,
    TimebankMember.Kind.BUSINESS: engine.BUSINESS,
}

# The engine's reason codes in words people read, through gettext (same placeholders).
REASONS = {
    "same_category": gettext_lazy("Offers exactly this kind of help"),
    "related_category": gettext_lazy("Offers a related kind of help"),
    "shared_tags": gettext_lazy("Mentions {tags}"),
    "same_neighbourhood": gettext_lazy("Lives in the same neighbourhood"),
    "adjacent_neighbourhood": gettext_lazy("Lives in a neighbouring area"),
    "same_bank": gettext_lazy("Belongs to the same timebank"),
    "other_bank_in_network": gettext_lazy(
        "Belongs to another timebank in the network, and both banks share members"),
    "available": gettext_lazy("Is usually free at the requested time"),
    "partly_available": gettext_lazy("Is usually free for {percent}% of the requested time"),
    "not_usually_available": gettext_lazy("Is not usually free at the requested time — worth asking"),
    "availability_not_recorded": gettext_lazy("Has not said when they are usually free"),
    "has_references": gettext_lazy("Has {count} reference(s)"),
    "no_references_yet": gettext_lazy("Has no references yet"),
    "completed_exchanges": gettext_lazy("Has completed {count} exchange(s)"),
    "first_exchange": gettext_lazy("Has not completed an exchange yet"),
    "some_cancellations": gettext_lazy("Has cancelled {cancellations} of {total} arranged exchange(s)"),
    "never_asked": gettext_lazy("Has not been asked to help before"),
    "not_asked_recently": gettext_lazy("Was last asked {days} days ago"),
    "asked_recently": gettext_lazy("Was asked {days} days ago"),
    "safeguarding_check_valid": gettext_lazy("Has a safeguarding check valid until {expires}"),
    "safeguarding_check_no_expiry": gettext_lazy("Has a safeguarding check with no expiry date"),
    "nudge_to_ask": gettext_lazy("Has {hours} hours of unspent credit — encourage them to ask for help too"),
    "check_expires_during_arrangement": gettext_lazy(
        "Their safeguarding check expires on {expires}, during the arrangement"),
    "needs_two_helpers": gettext_lazy("This request needs two helpers"),
    "free_together": gettext_lazy("Both are usually free for {percent}% of the requested time"),
    "is_requester": gettext_lazy("Made this request"),
    "other_network": gettext_lazy("Belongs to a timebank outside this network"),
    "cross_bank_not_allowed_by_requesting_bank": gettext_lazy(
        "The requester's timebank does not share members with other banks"),
    "cross_bank_not_allowed_by_helpers_bank": gettext_lazy("Their timebank does not share members with other banks"),
    "opted_out": gettext_lazy("Has asked not to be contacted from {start} to {end}"),
    "no_safeguarding_check": gettext_lazy("Has no safeguarding check for work with {group}"),
    "safeguarding_check_expired": gettext_lazy(
        "Their safeguarding check for work with {group} expires on {expires}, before {date}"),
    "safeguarding_check_not_yet_issued": gettext_lazy(
        "Their safeguarding check for work with {group} is only issued on {issued}"),
    "no_references": gettext_lazy("Has no references, which this task needs"),
    "unreliable": gettext_lazy("Has cancelled {cancellations} of {total} arranged exchanges, too many for this task"),
    "low_reliability_references": gettext_lazy(
        "References do not vouch for their reliability, which this task needs"),
    "needs_second_helper": gettext_lazy("Needs a second helper: no two suggested helpers can go together"),
    "no_suitable_helpers": gettext_lazy("Nobody suitable was found"),
    "no_suitable_needs": gettext_lazy("No open need suits this offer"),
    "no_matching_offer": gettext_lazy("Offers nothing that fits this request"),
    "ranked": gettext_lazy("Is number {rank} of {eligible} suitable helpers"),
}
GROUPS = {"children": gettext_lazy("children"), "vulnerable_adults": gettext_lazy("vulnerable adults")}


def say(reason) -> str:
    """One engine reason in the reader's language."""
    code, params = reason[0], (reason[1] if len(reason) > 1 else {})
    template = REASONS.get(code)
    if template is None:
        return engine.render(reason)

    def fmt(value):
        if isinstance(value, list | tuple):
            return ", ".join(str(v) for v in value)
        return str(GROUPS[value]) if isinstance(value, str) and value in GROUPS else value

    return str(template).format(**{key: fmt(value) for key, value in params.items()})


# --- scope and invalidation ----------------------------------------------------------------------


def scope_of(bank: Timebank) -> str:
    return f"network:{bank.network_id}" if bank.network_id else f"bank:{bank.pk}"


INCREMENTAL_LIMIT = 500
MAX_AGE = timedelta(hours=1)


def invalidate(bank: Timebank, members=None) -> None:
    """Matching data of `bank`'s scope changed for `members` (members or ids; None: anything).
    Call inside the changing transaction."""
    bump_scope(scope_of(bank), members)


def bump_scope(scope: str, members=None) -> None:
    """Move `scope`'s version and log which keys changed (objects or ids; None: anything). The asset
    map uses the same counters for its own scopes. Call inside the changing transaction."""
    if not MatchingVersion.objects.filter(scope=scope).update(version=F("version") + 1):
        MatchingVersion.objects.get_or_create(scope=scope, defaults={"version": 1})
    version = _version(scope)[1]
    ids = [None] if members is None else sorted({getattr(m, "pk", m) for m in members})
    MatchingChange.objects.bulk_create([MatchingChange(scope=scope, version=version, member_id=m) for m in ids])
    if version % 1000 == 0:  # keep the log short: processes this far behind rebuild anyway
        MatchingChange.objects.filter(scope=scope, version__lt=version - 1000).delete()


def _version(scope: str) -> tuple[str, int]:
    return MatchingVersion.objects.filter(scope=scope).values_list("token", "version").first() or ("", 0)


def _banks(bank: Timebank) -> list[Timebank]:
    if bank.network_id:
        return list(Timebank.objects.filter(network_id=bank.network_id))
    return [bank]


def wall(dt: datetime) -> datetime:
    """A naive wall-clock time of the site's zone, as the engine expects."""
    if timezone.is_aware(dt):
        return timezone.localtime(dt).replace(tzinfo=None)
    return dt


# --- building the engine's records ---------------------------------------------------------------


def category_groups() -> dict[int, int]:
    groups: dict[str, int] = {}
    result = {}
    for pk, group in Category.objects.order_by("group", "id").values_list("pk", "group"):
        result[pk] = groups.setdefault(group, len(groups))
    return result


def adjacency() -> dict[int, list[int]]:
    from coproduce.core.models import Area

    through = Area.adjacent.through
    pairs = defaultdict(list)
    for a, b in through.objects.values_list("from_area_id", "to_area_id"):
        pairs[a].append(b)
    return dict(pairs)


def _share(yes: int, no: int):
    return None if yes + no == 0 else yes / (yes + no)


def candidates(banks: list[Timebank], *, members=None) -> list[engine.Candidate]:
    """Every active member of `banks` (or just `members`) as the engine's `Candidate`."""
    today = timezone.localdate()
    qs = TimebankMember.objects.filter(timebank__in=banks, status=TimebankMember.Status.ACTIVE)
    if members is not None:
        qs = qs.filter(pk__in=[m.pk if hasattr(m, "pk") else m for m in members])
    rows = list(qs.values_list("pk", "timebank_id", "kind", "person__home_area_id", "account__balance_minutes"))
    ids = [r[0] for r in rows]
    bank_by_id = {b.pk: b for b in banks}
    offers, windows, opt_outs, checks = defaultdict(list), defaultdict(list), defaultdict(list), defaultdict(list)
    offer_area = {}
    for pk, member, category, area in Offer.objects.filter(member_id__in=ids, status=Posting.Status.OPEN).values_list(
            "pk", "member_id", "category_id", "neighbourhood_id").order_by("id"):
        offers[member].append(engine.Offer(pk, category))
        if area and member not in offer_area:
            offer_area[member] = area
    for window in AvailabilityWindow.objects.filter(member_id__in=ids):
        windows[window.member_id].append(window.minutes_of_week())
    for member, start, end in OptOut.objects.filter(member_id__in=ids, ends_on__gte=today).values_list(
            "member_id", "starts_on", "ends_on"):
        opt_outs[member].append(engine.OptOut(datetime.combine(start, time.min),
                                              datetime.combine(end + timedelta(days=1), time.min)))
    for check in SafeguardingCheck.objects.filter(member_id__in=ids):
        checks[check.member_id].append(engine.SafeguardingCheck(
            check.kind, check.issued_on, check.expires_on, check.covers_children, check.covers_vulnerable_adults))
    references = {}
    qualities = {}
    for q in Reference.QUALITIES:
        qualities[f"{q}_yes"] = Count("pk", filter=Q(**{q: Vouch.YES}))
        qualities[f"{q}_no"] = Count("pk", filter=Q(**{q: Vouch.NO}))
    for row in (Reference.objects.filter(member_id__in=ids, received_on__isnull=False).values("member_id")
                .annotate(count=Count("pk"), **qualities)):
        references[row["member_id"]] = engine.References(
            count=row["count"], **{q: _share(row[f"{q}_yes"], row[f"{q}_no"]) for q in Reference.QUALITIES})
    given = {row["member_id"]: row for row in ExchangeParticipant.objects.filter(
        member_id__in=ids, role=ExchangeParticipant.Role.GIVER).values("member_id").annotate(
        completed=Count("pk", filter=Q(exchange__state=Exchange.State.CREDITED)),
        last_asked=Max("exchange__matched_at"))}
    cancelled = dict(Exchange.objects.filter(cancelled_by_member_id__in=ids, cancelled_late_by_helper=True)
                     .values("cancelled_by_member_id").annotate(n=Count("pk")).values_list("cancelled_by_member_id", "n"))
    last_requested = dict(HelpRequest.objects.filter(member_id__in=ids).values("member_id")
                          .annotate(last=Max("created_at")).values_list("member_id", "last"))
    result = []
    for pk, bank_id, kind, home_area, balance in rows:
        bank = bank_by_id[bank_id]
        stats = given.get(pk, {})
        asked, requested = stats.get("last_asked"), last_requested.get(pk)
        result.append(engine.Candidate(
            member_id=pk, bank_id=bank_id, network_id=bank.network_id or 0,
            neighbourhood_id=home_area or offer_area.get(pk) or bank.organisation.area_id or 0,
            offers=tuple(offers[pk]), windows=tuple(windows[pk]), opt_outs=tuple(opt_outs[pk]),
            references=references.get(pk, engine.References()), checks=tuple(checks[pk]),
            completed_exchanges=stats.get("completed", 0), cancellations=cancelled.get(pk, 0),
            last_asked=wall(asked) if asked else None, last_requested=wall(requested) if requested else None,
            balance_minutes=balance or 0, bank_allows_cross_bank=bank.allow_cross_bank, kind=KINDS.get(kind),
        ))
    return result


def engine_request(request: HelpRequest, now: datetime | None = None) -> engine.Request:
    """A stored request as the engine's `Request`. Without a time, tomorrow at 10:00 stands in."""
    return _engine_record(request, request.member, request.starts_at, request.duration_minutes, now,
                          helpers_needed=request.helpers_needed)


def engine_offer_request(offer: Offer, receiver: TimebankMember, *, starts_at: datetime | None = None,
                         minutes: int = 60, now: datetime | None = None) -> engine.Request:
    """`receiver` asking for `offer`, as the engine's `Request` (the offer says whether it is regular,
    in someone's home, with children or vulnerable adults, or sensitive)."""
    return _engine_record(offer, receiver, starts_at, minutes, now)


def _engine_record(posting, member: TimebankMember, starts_at, minutes: int, now, **extra) -> engine.Request:
    bank = member.timebank
    now = wall(now or timezone.now())
    start = wall(starts_at) if starts_at else datetime.combine(now.date() + timedelta(days=1), time(10))
    area = posting.neighbourhood_id or member.person.home_area_id or bank.organisation.area_id or 0
    return engine.Request(
        request_id=posting.pk, requester_id=member.pk, bank_id=bank.pk, network_id=bank.network_id or 0,
        neighbourhood_id=area, category_id=posting.category_id, start=start,
        end=start + timedelta(minutes=minutes), regular=posting.regular, until=posting.until,
        home_visit=posting.home_visit, involves_children=posting.involves_children,
        involves_vulnerable_adults=posting.involves_vulnerable_adults, sensitive=posting.sensitive,
        bank_allows_cross_bank=bank.allow_cross_bank, now=now, **extra,
    )


def violations(helpers, req: engine.Request) -> dict[int, list]:
    """The engine's hard constraints each of `helpers` (active members) breaks for `req`, by member
    id: the same rules that keep them out of suggestions, read from the same stored rows."""
    bank_ids = {h.timebank_id for h in helpers}
    banks = list(Timebank.objects.filter(pk__in=bank_ids).select_related("organisation"))
    found = {c.member_id: c for c in candidates(banks, members=helpers)}
    return {h.pk: list(engine.violations(found[h.pk], req, engine.DEFAULT_POLICY)) if h.pk in found else []
            for h in helpers}


# --- the cached index ----------------------------------------------------------------------------

_lock = threading.Lock()
_cache: dict[str, list] = {}  # scope -> [version, built at, index, token of the version row]


def member_index(bank: Timebank) -> engine.MemberIndex:
    """The scope's index: reused while its version stands, updated member by member when it moved."""
    scope = scope_of(bank)
    token, version = _version(scope)
    now = timezone.now()
    with _lock:
        cached = _cache.get(scope)
        fresh = cached is not None and cached[3] == token and now - cached[1] < MAX_AGE
        if fresh and cached[0] == version:
            return cached[2]
        banks = list(Timebank.objects.filter(pk__in=[b.pk for b in _banks(bank)]).select_related("organisation"))
        if fresh and cached[0] < version:
            changed = set(MatchingChange.objects.filter(scope=scope, version__gt=cached[0], version__lte=version)
                          .values_list("member_id", flat=True))
            if changed and None not in changed and len(changed) <= INCREMENTAL_LIMIT:
                index = cached[2]
                found = candidates(banks, members=changed)
                index.upsert(found)
                index.remove(changed - {c.member_id for c in found})
                cached[0] = version
                return index
        index = engine.MemberIndex.build(candidates(banks), adjacency(), category_groups())
        _cache[scope] = [version, now, index, token]
        return index


def clear_cache() -> None:
    with _lock:
        _cache.clear()


# --- what pages show ----------------------------------------------------------------------------


@dataclass
class Suggested:
    member: TimebankMember
    score: float
    offers: list
    reasons: list[str]
    flags: list[str]


def _members(ids):
    return TimebankMember.objects.select_related("person__home_area", "timebank", "account").in_bulk(ids)


def suggest_for(request: HelpRequest, *, top: int = 10, now: datetime | None = None):
    """(suggestions, pair notes, notes) for a stored request. Members already helping are left out."""
    index = member_index(request.member.timebank)
    req = engine_request(request, now)
    result = engine.suggest_helpers(index, req, top=top + 5)
    busy = set(ExchangeParticipant.objects.filter(
        exchange__request=request, exchange__state__in=[s for s in Exchange.State.values
                                                        if s != Exchange.State.CANCELLED]
    ).values_list("member_id", flat=True))
    chosen = [s for s in result.suggestions if s.member_id not in busy][:top]
    members = _members([s.member_id for s in chosen])
    offers = Offer.objects.select_related("category").in_bulk([o for s in chosen for o in s.offer_ids])
    rows = [Suggested(members[s.member_id], s.score, [offers[o] for o in s.offer_ids if o in offers],
                      [say(r) for r in s.reasons], [say(r) for r in s.flags]) for s in chosen if s.member_id in members]
    pairs = [([members.get(m) for m in p.member_ids], [say(r) for r in p.reasons]) for p in result.pairs
             if all(m in members for m in p.member_ids)]
    return rows, pairs, [say(r) for r in result.notes]


def why_not(request: HelpRequest, member: TimebankMember, *, now: datetime | None = None) -> list[str]:
    """Why was `member` (not) suggested for `request`? In plain words, for brokers."""
    index = member_index(request.member.timebank)
    if member.pk not in index:
        if member.status != TimebankMember.Status.ACTIVE:
            return [_("Is not an active member.")]
        return [say(("other_network", {}))]
    return [say(r) for r in engine.explain_member(index, engine_request(request, now), member.pk)]


def needs_for_offer(offer: Offer, *, top: int = 10, now: datetime | None = None):
    """Open requests `offer` could meet (the reverse direction), best first, with reasons."""
    bank = offer.member.timebank
    banks = _banks(bank)
    open_requests = list(HelpRequest.objects.filter(member__timebank__in=banks, status=Posting.Status.OPEN)
                         .select_related("member__timebank__organisation", "member__person", "category"))
    requests = [engine_request(r, now) for r in open_requests]
    needs = engine.NeedIndex.build(requests, adjacency(), category_groups())
    [helper] = candidates(list(Timebank.objects.filter(pk=bank.pk).select_related("organisation")),
                          members=[offer.member_id]) or [None]
    if helper is None:
        return []
    mine = next((o for o in helper.offers if o.offer_id == offer.pk), None)
    if mine is None:
        return []
    result = engine.suggest_needs(needs, helper, mine, top=top, now=wall(now or timezone.now()))
    by_id = {r.pk: r for r in open_requests}
    return [(by_id[s.request_id], s.score, [say(r) for r in s.reasons]) for s in result.suggestions]
