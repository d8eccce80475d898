"""Helpers for a request, and "why was this member not suggested?".

The reverse direction (needs for an offer) is in :mod:`.reverse` and shares
the helpers below."""

from __future__ import annotations

from datetime import date, datetime
from types import SimpleNamespace

import numpy as np

from . import constraints as hard
from . import scoring
from .constraints import NO_EXPIRY, safeguarding_groups, violations
from .explain import match_reasons, norm_tags
from .index import _I, MemberIndex
from .model import Candidate, MatchResult, Pair, Request, Suggestion
from .policy import Policy
from .reasons import Reason, reason
from .weekly import (
    abs_minutes,
    day_number,
    minute_of_week,
    normalise,
    overlap_with,
    request_slots,
    request_span,
    weekly_clash,
)

_EMPTY = np.zeros(0, dtype=_I)

# ------------------------------------------------------------------ shared


def _k(bank: int, k: int) -> int:
    return (int(bank) << 32) + int(k)


def _rank(score: np.ndarray, ids: np.ndarray, top: int) -> np.ndarray:
    """Positions of the ``top`` best, best first; ties by ascending id."""
    if len(score) == 0 or top <= 0:
        return _EMPTY
    if top < len(score):
        kth = np.partition(score, len(score) - top)[len(score) - top]
        keep = np.flatnonzero(score >= kth)
    else:
        keep = np.arange(len(score))
    order = np.lexsort((ids[keep], -score[keep]))
    return keep[order[:top]]


def _components(fit, tier, avail, reliability, last_asked, balance_penalty, now_abs, p: Policy) -> dict:
    return {
        "fit": fit,
        "distance": scoring.distance(tier, p),
        "availability": avail,
        "reliability": reliability,
        "recency": scoring.recency((now_abs - last_asked) / 1440.0, p),
        "balance": balance_penalty,
    }


def _score(comps: dict, n: int, p: Policy):
    comps = {k: np.broadcast_to(np.asarray(v, dtype=float), (n,)) for k, v in comps.items()}
    return comps, np.round(scoring.total(comps, p), p.score_decimals)


def _ref_mean(refs) -> float:
    vals = [v for v in (refs.honesty, refs.reliability, refs.team_working, refs.getting_on) if v is not None]
    return sum(vals) / len(vals) if vals else 0.0


def _day_iso(day: int) -> str:
    return date.fromordinal(int(day)).isoformat()


def _ranked_offers(cand: Candidate, request: Request, index) -> tuple[int, ...]:
    """The member's fitting offers, best first (fit desc, then offer id)."""
    p = index.policy
    rg = index.group_of(request.category_id)
    req_tags = norm_tags(request.tags)
    scored = []
    for o in cand.offers:
        if o.category_id == request.category_id:
            base = p.fit_exact
        elif rg >= 0 and index.group_of(o.category_id) == rg:
            base = p.fit_related
        else:
            base = 0.0
        share = len(req_tags & norm_tags(o.tags)) / len(req_tags) if req_tags else 0.0
        f = base + p.fit_tags * share  # same order as scoring.fit, before its common divisor
        if f > 0:
            scored.append((-f, o.offer_id))
    return tuple(oid for _, oid in sorted(scored))


# ------------------------------------------------------------------ forward


def _forward(index: MemberIndex, request: Request, p: Policy, allowed=None) -> SimpleNamespace:
    """Find members with a fitting offer and apply the hard constraints.  ``allowed`` (member ids ->
    boolean mask) narrows the fitting members before anything else, e.g. to those a viewer may see."""
    cols = index.cols
    cat = request.category_id
    group = index.group_of(cat)
    req_tags = norm_tags(request.tags)
    tag_ids = [index.tag_ids[t] for t in sorted(req_tags) if t in index.tag_ids]
    cats = [cat] + ([c for c in index.group_members[group] if c != cat] if group >= 0 else [])
    banks = index.reach(request.bank_id, request.network_id, request.bank_allows_cross_bank)
    tag_lists = [index.by_tag[k] for b in banks for t in tag_ids if (k := _k(b, t)) in index.by_tag]

    # mark offers: 1 = shares a tag, 2 = related category, 3 = same category (fit tier + 1)
    n_off = len(index.offer_id)
    mark = np.zeros(n_off, dtype=np.int8)
    if tag_lists:
        tagged = np.concatenate(tag_lists)
        mark[tagged] = 1
    related = [index.by_category[k] for b in banks for c in cats[1:] if (k := _k(b, c)) in index.by_category]
    exact = [index.by_category[k] for b in banks if (k := _k(b, cat)) in index.by_category]
    if related:
        mark[np.concatenate(related)] = 2
    if exact:
        mark[np.concatenate(exact)] = 3
    offers = np.flatnonzero(mark)
    if len(index.row_of) != len(index.alive):  # some rows are dead
        offers = offers[index.alive[index.offer_member[offers]]]
    if tag_lists and len(offers):
        shared = np.bincount(tagged, minlength=n_off)[offers]
    else:
        shared = np.zeros(len(offers), dtype=_I)
    ofit = scoring.fit_from_tier(mark[offers] - 1, shared, len(req_tags), p)
    # offer rows are grouped by member (rows are appended member by member)
    om = index.offer_member[offers]
    if len(om):
        starts = np.flatnonzero(np.r_[True, om[1:] != om[:-1]])
        members, fit = om[starts], np.maximum.reduceat(ofit, starts)
    else:
        members, fit = _EMPTY, np.zeros(0)
    if allowed is not None and len(members):
        keep = np.asarray(allowed(cols["id"][members]), dtype=bool)
        members, fit = members[keep], fit[keep]
    n = len(members)

    f = SimpleNamespace(members=members, fit=fit, n=n)
    f.is_requester = (
        (cols["id"][members] == request.requester_id)
        if request.requester_id is not None
        else np.zeros(n, dtype=bool)
    )
    f.other_network = cols["network"][members] != request.network_id
    other_bank = ~f.other_network & (cols["bank"][members] != request.bank_id)
    f.no_share_requesting = other_bank & (not request.bank_allows_cross_bank)
    f.no_share_helper = other_bank & ~cols["allows"][members]

    # opt-outs
    span = request_span(request, p)
    slots = request_slots(request)
    owner, items = index.opt_outs.gather(members)
    oo = index.opt_outs.data
    o_start, o_end = oo["start"][items], oo["end"][items]
    hit = hard.overlaps(o_start, o_end, span[0], span[1])
    if request.regular and hit.any():
        h = np.flatnonzero(hit)
        if slots:
            cs, ce = np.maximum(o_start[h], span[0]), np.minimum(o_end[h], span[1])
            mow = np.where(cs == o_start[h], oo["mow"][items[h]], minute_of_week(request.start))
            s = np.asarray(slots, dtype=_I)
            ow = np.repeat(np.arange(len(h)), len(s))
            hit[h] = weekly_clash(
                mow, ce - cs, ow, np.tile(s[:, 0], len(h)), np.tile(s[:, 1], len(h)), len(h)
            )
        else:
            hit[h] = False
    f.opted_out = np.bincount(owner[hit], minlength=n) > 0
    f.opt_owner, f.opt_items = owner[hit], items[hit]

    # safeguarding
    f.groups = safeguarding_groups(request)
    f.start_day = day_number(request.start)
    f.lacks_check = {}
    if f.groups:
        owner, items = index.checks.gather(members)
        ch = index.checks.data
        valid = hard.check_valid(ch["issued"][items], ch["expires"][items], f.start_day)
        f.check_owner, f.check_items = owner, items
        for g in f.groups:
            covered = valid & ch["children" if g == "children" else "adults"][items]
            f.lacks_check[g] = np.bincount(owner[covered], minlength=n) == 0

    # sensitive tasks
    if request.sensitive:
        rc, rr = cols["ref_count"][members], cols["ref_rel"][members]
        done, cancelled = cols["completed"][members], cols["cancelled"][members]
        f.no_references = rc < p.sensitive_min_references
        f.unreliable = hard.unreliable(0, np.nan, done, cancelled, p)
        f.low_reliability = hard.unreliable(rc, rr, 0, 0, p)
    else:
        f.no_references = f.unreliable = f.low_reliability = np.zeros(n, dtype=bool)

    bad = f.is_requester | f.other_network | f.no_share_requesting | f.no_share_helper | f.opted_out
    bad |= f.no_references | f.unreliable | f.low_reliability
    for g in f.groups:
        bad |= f.lacks_check[g]
    f.ok = ~bad
    f.slots, f.span = slots, span
    return f


def _score_forward(index: MemberIndex, request: Request, f: SimpleNamespace, now: datetime, p: Policy):
    cols = index.cols
    pos = np.flatnonzero(f.ok)
    rows = f.members[pos]
    adjacent = np.isin(cols["nb"][rows], index.neighbours(request.neighbourhood_id))
    tier = scoring.distance_tier(
        cols["nb"][rows], cols["bank"][rows], request.neighbourhood_id, request.bank_id, adjacent
    )
    req_minutes = sum(e - s for s, e in f.slots)
    owner, items = index.windows.gather(rows)
    w = index.windows.data
    minutes = np.bincount(
        owner, weights=overlap_with(w["start"][items], w["end"][items], f.slots), minlength=len(rows)
    )
    avail = scoring.availability(minutes, req_minutes, index.windows.counts(rows) > 0, p)
    if p is index.policy:  # kept per member by the index
        reliability, balance_penalty = cols["reliability"][rows], cols["balance_penalty"][rows]
    else:
        reliability = scoring.reliability(
            cols["ref_count"][rows],
            cols["ref_mean"][rows],
            cols["completed"][rows],
            cols["cancelled"][rows],
            p,
        )
        balance_penalty = scoring.balance(cols["balance"][rows], p)
    comps = _components(
        f.fit[pos], tier, avail, reliability, cols["last_asked"][rows], balance_penalty, abs_minutes(now), p
    )
    comps, score = _score(comps, len(rows), p)
    return pos, rows, tier, comps, score, req_minutes


def suggest_helpers(
    index: MemberIndex,
    request: Request,
    top: int = 20,
    *,
    now: datetime | None = None,
    explain_exclusions: bool | int = False,
    policy: Policy | None = None,
    allowed=None,
) -> MatchResult:
    """Rank members (and their offers) for ``request``.

    Members considered: those of the requester's bank, and of the other banks
    of the network when both banks allow cross-bank exchange, who have an
    offer that fits (same category, related category, or a shared tag).
    Every hard constraint (:mod:`.constraints`) is applied; the rest are
    scored (:mod:`.policy`) and the ``top`` best returned, ties broken by
    ascending member id.  ``explain_exclusions=True`` adds, for every
    considered but excluded member, why; an int N limits that to the N
    excluded members with the best fit and distance.  For anyone else use
    :func:`explain_member`.  ``allowed``, a function from an array of member
    ids to a boolean mask, limits who is considered at all (members it
    refuses are neither suggested, counted nor explained).
    """
    p = policy or index.policy
    now = now or request.now or request.start
    f = _forward(index, request, p, allowed)
    pos, rows, tier, comps, score, req_minutes = _score_forward(index, request, f, now, p)
    ids = index.cols["id"][rows]

    want = max(top, p.pair_pool if request.helpers_needed >= 2 else 0)
    suggestions = []
    for k in _rank(score, ids, want):
        cand = index.records[int(ids[k])]
        offer_ids = _ranked_offers(cand, request, index)
        best = next((o for o in cand.offers if o.offer_id == offer_ids[0]), None) if offer_ids else None
        c = {name: float(v[k]) for name, v in comps.items()}
        rs, flags = match_reasons(cand, request, c, int(tier[k]), best, index.group_of, now, p)
        suggestions.append(Suggestion(cand.member_id, float(score[k]), offer_ids, c, rs, flags))

    pairs: tuple[Pair, ...] = ()
    needs_second = False
    notes: list[Reason] = []
    if request.helpers_needed >= 2:
        pairs = _pairs(index, suggestions[: p.pair_pool], f.slots, req_minutes, p)
        needs_second = not pairs
        if needs_second:
            notes.append(reason("needs_second_helper"))
    suggestions = suggestions[:top]
    if not suggestions:
        notes.append(reason("no_suitable_helpers"))
    exclusions = None
    if explain_exclusions:
        limit = None if explain_exclusions is True else int(explain_exclusions)
        exclusions = _exclusions(index, request, f, limit, p)
    return MatchResult(
        tuple(suggestions), pairs, needs_second, tuple(notes), f.n, int(f.ok.sum()), exclusions
    )


def _exclusions(
    index: MemberIndex, request: Request, f: SimpleNamespace, limit: int | None, p: Policy
) -> dict[int, tuple[Reason, ...]]:
    """Why each considered member was excluded, in the order of :func:`constraints.violations`.

    With ``limit``, only the ``limit`` excluded members a broker would most
    expect to see (best ``w_fit * fit + w_distance * distance``, then id)."""
    out_of = np.flatnonzero(~f.ok)
    cols = index.cols
    ids = cols["id"][f.members]
    if limit is not None and limit < len(out_of):
        rows = f.members[out_of]
        adjacent = np.isin(cols["nb"][rows], index.neighbours(request.neighbourhood_id))
        tier = scoring.distance_tier(
            cols["nb"][rows], cols["bank"][rows], request.neighbourhood_id, request.bank_id, adjacent
        )
        pre = np.round(p.w_fit * f.fit[out_of] + p.w_distance * scoring.distance(tier, p), p.score_decimals)
        out_of = out_of[_rank(pre, ids[out_of], limit)]
    out_of = out_of[np.argsort(ids[out_of], kind="stable")]
    n = f.n
    first_opt = np.full(n, -1, dtype=_I)
    if len(f.opt_owner):
        u, i = np.unique(f.opt_owner, return_index=True)
        first_opt[u] = f.opt_items[i]
    detail = {}
    if f.groups:
        ch = index.checks.data
        owner, items = f.check_owner, f.check_items
        issued, expires = ch["issued"][items], ch["expires"][items]
        for g in f.groups:
            cov = ch["children" if g == "children" else "adults"][items]
            has_cov = np.bincount(owner[cov], minlength=n) > 0
            exp = cov & (expires <= f.start_day)
            latest = np.full(n, -1, dtype=_I)
            np.maximum.at(latest, owner[exp], expires[exp])
            later = cov & (issued > f.start_day)
            earliest = np.full(n, NO_EXPIRY, dtype=_I)
            np.minimum.at(earliest, owner[later], issued[later])
            detail[g] = (has_cov.tolist(), latest.tolist(), earliest.tolist(), f.lacks_check[g].tolist())
    flags = [
        a.tolist()
        for a in (
            f.is_requester,
            f.other_network,
            f.no_share_requesting,
            f.no_share_helper,
            f.opted_out,
            f.no_references,
            f.unreliable,
            f.low_reliability,
        )
    ]
    is_req, other_net, no_req, no_help, opted, no_refs, unrel, low_rel = flags
    date_iso = request.start.date().isoformat()
    ptr = index.opt_outs.ptr
    result: dict[int, tuple[Reason, ...]] = {}
    for i in out_of.tolist():
        member_id = int(ids[i])
        rs = []
        if is_req[i]:
            rs.append(reason("is_requester"))
        if other_net[i]:
            rs.append(reason("other_network"))
        if no_req[i]:
            rs.append(reason("cross_bank_not_allowed_by_requesting_bank"))
        if no_help[i]:
            rs.append(reason("cross_bank_not_allowed_by_helpers_bank"))
        if opted[i]:
            cand = index.records[member_id]
            oo = sorted(cand.opt_outs, key=lambda o: (o.start, o.end))[first_opt[i] - ptr[f.members[i]]]
            rs.append(reason("opted_out", start=oo.start.isoformat(), end=oo.end.isoformat()))
        for g in f.groups:
            has_cov, latest, earliest, lacks = detail[g]
            if not lacks[i]:
                continue
            if not has_cov[i]:
                rs.append(reason("no_safeguarding_check", group=g))
            elif latest[i] >= 0:
                rs.append(
                    reason("safeguarding_check_expired", group=g, expires=_day_iso(latest[i]), date=date_iso)
                )
            else:
                rs.append(reason("safeguarding_check_not_yet_issued", group=g, issued=_day_iso(earliest[i])))
        if no_refs[i]:
            rs.append(reason("no_references"))
        if unrel[i]:
            cand = index.records[member_id]
            rs.append(
                reason(
                    "unreliable",
                    cancellations=cand.cancellations,
                    total=cand.completed_exchanges + cand.cancellations,
                )
            )
        if low_rel[i]:
            rs.append(reason("low_reliability_references"))
        result[member_id] = tuple(rs)
    return result


def _pairs(
    index: MemberIndex, pool: list[Suggestion], slots, req_minutes: int, p: Policy
) -> tuple[Pair, ...]:
    """Two helpers who are usually free at the same requested time.

    Pair score = mean of the two scores - w_availability x (1 - together) / 2,
    where ``together`` is the share of the requested time both are free
    (``availability_unknown`` when either has not recorded windows).
    Pairs who are never free together are not offered."""
    windows = {s.member_id: normalise(index.records[s.member_id].windows) for s in pool}
    s_arr = np.array([q[0] for q in slots], dtype=_I)
    e_arr = np.array([q[1] for q in slots], dtype=_I)
    found = []
    for i, a in enumerate(pool):
        for b in pool[i + 1 :]:
            wa, wb = windows[a.member_id], windows[b.member_id]
            if not wa or not wb:
                together = p.availability_unknown
            elif req_minutes <= 0:
                together = 1.0
            else:
                both = [(max(x, u), min(y, v)) for x, y in wa for u, v in wb if max(x, u) < min(y, v)]
                together = float(overlap_with(s_arr, e_arr, both).sum()) / req_minutes
            if together <= 0:
                continue
            score = round((a.score + b.score) / 2 - p.w_availability * (1 - together) / 2, p.score_decimals)
            x, y = sorted((a.member_id, b.member_id))
            found.append((-score, x, y, together))
    found.sort()
    return tuple(
        Pair((x, y), -neg, int(t * 100 + 0.5), (reason("free_together", percent=int(t * 100 + 0.5)),))
        for neg, x, y, t in found[: p.max_pairs]
    )


def explain_member(
    index: MemberIndex,
    request: Request,
    member_id: int,
    *,
    now: datetime | None = None,
    policy: Policy | None = None,
) -> tuple[Reason, ...]:
    """Why was this member (not) suggested?  Hard-constraint reasons, or
    ``no_matching_offer``, or for an eligible member their ``ranked`` place."""
    p = policy or index.policy
    cand = index.records[member_id]
    rs = list(violations(cand, request, p))
    if not _ranked_offers(cand, request, index):
        rs.append(reason("no_matching_offer"))
    if rs:
        return tuple(rs)
    now = now or request.now or request.start
    f = _forward(index, request, p)
    pos, rows, tier, comps, score, _ = _score_forward(index, request, f, now, p)
    ids = index.cols["id"][rows]
    k = int(np.flatnonzero(ids == member_id)[0])
    rank = 1 + int(np.sum((score > score[k]) | ((score == score[k]) & (ids < member_id))))
    return (reason("ranked", rank=rank, eligible=len(rows)),)
