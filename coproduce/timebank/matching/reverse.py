"""The reverse direction: which open needs/requests could a helper's offer meet."""

from __future__ import annotations

from datetime import datetime

import numpy as np

from . import constraints as hard
from . import scoring
from .constraints import NO_EXPIRY, violations
from .explain import match_reasons
from .index import _I, NeedIndex
from .match import _EMPTY, _components, _k, _rank, _ranked_offers, _ref_mean, _score
from .model import Candidate, MatchResult, Offer, Suggestion
from .policy import Policy
from .reasons import reason
from .weekly import abs_minutes, day_number, minute_of_week, normalise, overlap_with, weekly_clash


def suggest_needs(
    index: NeedIndex,
    helper: Candidate,
    offer: Offer | None = None,
    top: int = 20,
    *,
    now: datetime,
    explain_exclusions: bool = False,
    policy: Policy | None = None,
    allowed=None,
) -> MatchResult:
    """Rank open needs/requests that ``helper`` could meet with ``offer``
    (default: with any of their offers).  Same scoring and hard constraints
    as :func:`suggest_helpers`; ties broken by ascending request id.
    ``allowed`` (an array of request ids -> boolean mask) limits which
    requests are considered at all, e.g. to those a viewer may see."""
    p = policy or index.policy
    cols = index.cols
    offers = [offer] if offer is not None else list(helper.offers)
    banks = index.reach(helper.bank_id, helper.network_id, helper.bank_allows_cross_bank)

    rows_l, fit_l, oid_l = [], [], []
    for o in offers:
        group = index.group_of(o.category_id)
        cats = [o.category_id] + (
            [c for c in index.group_members[group] if c != o.category_id] if group >= 0 else []
        )
        tag_ids = index.tag_id_list(o.tags, False)
        cat_lists = [
            index.by_category[k] for b in banks for c in cats if (k := _k(b, c)) in index.by_category
        ]
        tag_lists = [index.by_tag[k] for b in banks for t in tag_ids if (k := _k(b, t)) in index.by_tag]
        if not cat_lists and not tag_lists:
            continue
        rows = np.unique(np.concatenate(cat_lists + tag_lists))
        rows = rows[index.alive[rows]]
        if tag_lists:
            hits, counts = np.unique(np.concatenate(tag_lists), return_counts=True)
            at = np.minimum(np.searchsorted(hits, rows), len(hits) - 1)
            shared = np.where(hits[at] == rows, counts[at], 0)
        else:
            shared = np.zeros(len(rows), dtype=_I)
        rows_l.append(rows)
        fit_l.append(
            scoring.fit(
                o.category_id,
                group,
                cols["cat"][rows],
                cols["group"][rows],
                shared,
                cols["tag_count"][rows],
                p,
            )
        )
        oid_l.append(np.full(len(rows), o.offer_id, dtype=_I))
    if rows_l:
        all_rows, all_fit, all_oid = np.concatenate(rows_l), np.concatenate(fit_l), np.concatenate(oid_l)
    else:
        all_rows, all_fit, all_oid = _EMPTY, np.zeros(0), _EMPTY
    order = np.lexsort((all_oid, -all_fit, all_rows))
    reqs, first = np.unique(all_rows[order], return_index=True)
    fit = all_fit[order][first]
    if allowed is not None and len(reqs):
        keep = np.asarray(allowed(cols["id"][reqs]), dtype=bool)
        reqs, fit = reqs[keep], fit[keep]
    n = len(reqs)

    ok = cols["requester"][reqs] != helper.member_id
    ok &= cols["network"][reqs] == helper.network_id
    ok &= hard.cross_bank_ok(
        helper.bank_id, cols["bank"][reqs], helper.bank_allows_cross_bank, cols["allows"][reqs]
    )
    span_a, span_b = cols["span_a"][reqs], cols["span_b"][reqs]
    for oo in helper.opt_outs:
        a, b = abs_minutes(oo.start), abs_minutes(oo.end)
        hit = hard.overlaps(a, b, span_a, span_b)
        h = np.flatnonzero(hit & cols["regular"][reqs])
        if len(h):
            cs, ce = np.maximum(a, span_a[h]), np.minimum(b, span_b[h])
            mow = np.where(cs == a, minute_of_week(oo.start), cols["start_mow"][reqs[h]])
            owner, items = index.slots.gather(reqs[h])
            s = index.slots.data
            hit[h] = weekly_clash(mow, ce - cs, owner, s["start"][items], s["end"][items], len(h))
        ok &= ~hit
    start_day = cols["start_day"][reqs]
    for column, covers in (("children", "covers_children"), ("adults", "covers_vulnerable_adults")):
        needed = cols[column][reqs]
        if needed.any():
            have = np.zeros(n, dtype=bool)
            for c in helper.checks:
                if getattr(c, covers):
                    have |= hard.check_valid(
                        day_number(c.issued),
                        NO_EXPIRY if c.expires is None else day_number(c.expires),
                        start_day,
                    )
            ok &= ~needed | have
    refs = helper.references
    ref_rel = np.nan if refs.reliability is None else refs.reliability
    if not bool(
        hard.fit_for_sensitive(refs.count, ref_rel, helper.completed_exchanges, helper.cancellations, p)
    ):
        ok &= ~cols["sensitive"][reqs]

    pos = np.flatnonzero(ok)
    rows = reqs[pos]
    adjacent = np.isin(cols["nb"][rows], index.neighbours(helper.neighbourhood_id))
    tier = scoring.distance_tier(
        helper.neighbourhood_id, helper.bank_id, cols["nb"][rows], cols["bank"][rows], adjacent
    )
    windows = normalise(helper.windows)
    owner, items = index.slots.gather(rows)
    s = index.slots.data
    minutes = np.bincount(
        owner, weights=overlap_with(s["start"][items], s["end"][items], windows), minlength=len(rows)
    )
    avail = scoring.availability(minutes, cols["minutes"][rows], bool(windows), p)
    last = -np.inf if helper.last_asked is None else abs_minutes(helper.last_asked)
    reliability = scoring.reliability(
        refs.count, _ref_mean(refs), helper.completed_exchanges, helper.cancellations, p
    )
    comps = _components(
        fit[pos],
        tier,
        avail,
        reliability,
        last,
        scoring.balance(helper.balance_minutes, p),
        abs_minutes(now),
        p,
    )
    comps, score = _score(comps, len(rows), p)
    ids = cols["id"][rows]

    suggestions = []
    by_id = {o.offer_id: o for o in offers}
    for k in _rank(score, ids, top):
        request = index.records[int(ids[k])]
        offer_ids = tuple(oid for oid in _ranked_offers(helper, request, index) if oid in by_id)
        c = {name: float(v[k]) for name, v in comps.items()}
        rs, flags = match_reasons(
            helper,
            request,
            c,
            int(tier[k]),
            by_id.get(offer_ids[0]) if offer_ids else None,
            index.group_of,
            now,
            p,
        )
        suggestions.append(Suggestion(request.request_id, float(score[k]), offer_ids, c, rs, flags))

    exclusions = None
    if explain_exclusions:
        exclusions = {}
        for k in np.flatnonzero(~ok)[np.argsort(cols["id"][reqs[~ok]], kind="stable")]:
            request = index.records[int(cols["id"][reqs[k]])]
            exclusions[request.request_id] = tuple(violations(helper, request, p))
    notes = () if suggestions else (reason("no_suitable_needs"),)
    return MatchResult(tuple(suggestions), (), False, notes, n, int(ok.sum()), exclusions)
