"""Hard constraints: who may never be suggested for a request.

1. The requester is never suggested for their own request.
2. Only members of the same network; another bank of the network only when
   *both* banks allow cross-bank exchange.
3. Nobody whose opt-out period overlaps the requested time (for a regular
   arrangement: its occasions in the first ``regular_opt_out_horizon_days``).
4. Regular work with children or vulnerable adults needs a safeguarding
   check covering that group, issued on or before the start date and not
   expired on it (valid on days ``issued <= day < expires``).
5. Sensitive tasks (e.g. hospital transport) need at least
   ``sensitive_min_references`` references and never go to an unreliable
   member: ``cancellations >= unreliable_min_cancellations`` and
   ``cancellations / (completed + cancellations) >= unreliable_cancellation_ratio``,
   or references vouching for reliability below ``unreliable_reference_reliability``.

Two helpers (home visits) are not a per-person constraint: see ``Pair`` and
``needs_second_helper`` in the results.

The vector functions below work element-wise on arrays or scalars, for both
matching directions.  :func:`violations` is the same rules for one
(candidate, request) pair, in plain Python; it writes the exclusion reasons.
"""

from __future__ import annotations

import numpy as np

from .policy import Policy
from .reasons import Reason, reason
from .weekly import abs_minutes, clash_in_weekly, day_number, minute_of_week, request_slots, request_span

NO_EXPIRY = 10**9  # day number used for "never expires"


def cross_bank_ok(helper_bank, request_bank, helper_allows, request_allows):
    same = helper_bank == request_bank
    return same | (np.asarray(helper_allows) & np.asarray(request_allows))


def check_valid(issued_day, expires_day, start_day):
    return (issued_day <= start_day) & (start_day < expires_day)


def unreliable(ref_count, ref_reliability, completed, cancellations, p: Policy):
    total = completed + cancellations
    ratio = cancellations / np.maximum(total, 1)
    by_cancellations = (cancellations >= p.unreliable_min_cancellations) & (
        ratio >= p.unreliable_cancellation_ratio
    )
    by_references = (
        (ref_count > 0)
        & ~np.isnan(ref_reliability)
        & (np.nan_to_num(ref_reliability, nan=1.0) < p.unreliable_reference_reliability)
    )
    return by_cancellations | by_references


def fit_for_sensitive(ref_count, ref_reliability, completed, cancellations, p: Policy):
    return (ref_count >= p.sensitive_min_references) & ~unreliable(
        ref_count, ref_reliability, completed, cancellations, p
    )


def overlaps(a_start, a_end, b_start, b_end):
    return (a_start < b_end) & (b_start < a_end)


def opt_out_clash(oo_start_abs, oo_end_abs, oo_start_mow, span, request_start_mow, slots, regular):
    """Scalar refinement for one opt-out against one request's span.

    One-off: any overlap with the occasion clashes.  Regular: the overlap
    must touch one of the weekly occasions.
    """
    a, b = span
    if not (oo_start_abs < b and a < oo_end_abs):
        return False
    if not regular:
        return True
    clip_start = max(oo_start_abs, a)
    clip_end = min(oo_end_abs, b)
    mow = oo_start_mow if clip_start == oo_start_abs else request_start_mow
    return clash_in_weekly(mow, clip_end - clip_start, slots)


def safeguarding_groups(request) -> tuple[str, ...]:
    if not request.regular:
        return ()
    groups = []
    if request.involves_children:
        groups.append("children")
    if request.involves_vulnerable_adults:
        groups.append("vulnerable_adults")
    return tuple(groups)


def _covers(check, group):
    return check.covers_children if group == "children" else check.covers_vulnerable_adults


def violations(candidate, request, policy: Policy) -> list[Reason]:
    """All hard constraints ``candidate`` breaks for ``request`` (empty = eligible)."""
    out: list[Reason] = []
    if request.requester_id is not None and candidate.member_id == request.requester_id:
        out.append(reason("is_requester"))
    if candidate.network_id != request.network_id:
        out.append(reason("other_network"))
    elif candidate.bank_id != request.bank_id:
        if not request.bank_allows_cross_bank:
            out.append(reason("cross_bank_not_allowed_by_requesting_bank"))
        if not candidate.bank_allows_cross_bank:
            out.append(reason("cross_bank_not_allowed_by_helpers_bank"))

    span = request_span(request, policy)
    slots = request_slots(request)
    start_mow = minute_of_week(request.start)
    for oo in sorted(candidate.opt_outs, key=lambda o: (o.start, o.end)):
        if opt_out_clash(
            abs_minutes(oo.start),
            abs_minutes(oo.end),
            minute_of_week(oo.start),
            span,
            start_mow,
            slots,
            request.regular,
        ):
            out.append(reason("opted_out", start=oo.start.isoformat(), end=oo.end.isoformat()))
            break

    start_day = day_number(request.start)
    for group in safeguarding_groups(request):
        covering = [c for c in candidate.checks if _covers(c, group)]
        valid = [
            c
            for c in covering
            if check_valid(
                day_number(c.issued), NO_EXPIRY if c.expires is None else day_number(c.expires), start_day
            )
        ]
        if valid:
            continue
        if not covering:
            out.append(reason("no_safeguarding_check", group=group))
            continue
        issued_later = [c for c in covering if day_number(c.issued) > start_day]
        expired = [c for c in covering if c.expires is not None and day_number(c.expires) <= start_day]
        if expired:
            latest = max(c.expires for c in expired)
            out.append(
                reason(
                    "safeguarding_check_expired",
                    group=group,
                    expires=latest.isoformat(),
                    date=request.start.date().isoformat(),
                )
            )
        else:
            first = min(c.issued for c in issued_later)
            out.append(reason("safeguarding_check_not_yet_issued", group=group, issued=first.isoformat()))

    if request.sensitive:
        refs = candidate.references
        rel = np.nan if refs.reliability is None else refs.reliability
        if refs.count < policy.sensitive_min_references:
            out.append(reason("no_references"))
        total = candidate.completed_exchanges + candidate.cancellations
        if bool(unreliable(0, np.nan, candidate.completed_exchanges, candidate.cancellations, policy)):
            out.append(reason("unreliable", cancellations=candidate.cancellations, total=total))
        if bool(unreliable(refs.count, rel, 0, 0, policy)):
            out.append(reason("low_reliability_references"))
    return out
