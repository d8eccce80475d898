"""Turn scores and constraint results into reasons for one (helper, request) pair."""

from __future__ import annotations

from datetime import datetime

from . import scoring
from .constraints import safeguarding_groups
from .index import norm_tag
from .model import Candidate, Offer, Request
from .policy import Policy
from .reasons import Reason, reason
from .weekly import abs_minutes

TIER_CODES = ("same_neighbourhood", "adjacent_neighbourhood", "same_bank", "other_bank_in_network")


def norm_tags(tags) -> set[str]:
    return {t for t in (norm_tag(x) for x in tags) if t}


def _valid_checks(candidate: Candidate, request: Request, group: str):
    start = request.start.date()
    return [
        c
        for c in candidate.checks
        if (c.covers_children if group == "children" else c.covers_vulnerable_adults)
        and c.issued <= start
        and (c.expires is None or start < c.expires)
    ]


def check_flags(candidate: Candidate, request: Request, policy: Policy) -> list[Reason]:
    """Warn when the check that makes someone eligible runs out early."""
    latest = []
    for group in safeguarding_groups(request):
        valid = _valid_checks(candidate, request, group)
        if not valid:
            return []
        if all(c.expires is not None for c in valid):
            latest.append(max(c.expires for c in valid))
    if not latest:
        return []
    expires = min(latest)
    until = request.until.date() if isinstance(request.until, datetime) else request.until
    if until is not None:
        soon = expires <= until
    else:
        soon = (expires - request.start.date()).days <= policy.check_expiry_warning_days
    return [reason("check_expires_during_arrangement", expires=expires.isoformat())] if soon else []


def match_reasons(
    candidate: Candidate,
    request: Request,
    comps: dict[str, float],
    tier: int,
    best_offer: Offer | None,
    group_of,
    now: datetime,
    policy: Policy,
) -> tuple[tuple[Reason, ...], tuple[Reason, ...]]:
    """(reasons, flags) for a suggested pair."""
    rs: list[Reason] = []
    if best_offer is not None:
        if best_offer.category_id == request.category_id:
            rs.append(reason("same_category"))
        elif group_of(best_offer.category_id) >= 0 and group_of(best_offer.category_id) == group_of(
            request.category_id
        ):
            rs.append(reason("related_category"))
        shared = sorted(norm_tags(request.tags) & norm_tags(best_offer.tags))
        if shared:
            rs.append(reason("shared_tags", tags=shared))
    rs.append(reason(TIER_CODES[tier]))
    if tier != scoring.NETWORK and candidate.bank_id != request.bank_id:
        rs.append(reason("other_bank_in_network"))

    if not candidate.windows:
        rs.append(reason("availability_not_recorded"))
    else:
        pct = int(comps["availability"] * 100 + 0.5)
        if comps["availability"] >= 1.0:
            rs.append(reason("available"))
        elif comps["availability"] > 0:
            rs.append(reason("partly_available", percent=max(1, min(99, pct))))
        else:
            rs.append(reason("not_usually_available"))

    refs = candidate.references
    rs.append(reason("has_references", count=refs.count) if refs.count else reason("no_references_yet"))
    done = candidate.completed_exchanges
    rs.append(reason("completed_exchanges", count=done) if done else reason("first_exchange"))
    if candidate.cancellations:
        rs.append(
            reason(
                "some_cancellations",
                cancellations=candidate.cancellations,
                total=done + candidate.cancellations,
            )
        )

    if candidate.last_asked is None:
        rs.append(reason("never_asked"))
    else:
        days = max(0, (abs_minutes(now) - abs_minutes(candidate.last_asked)) // 1440)
        code = "not_asked_recently" if days >= policy.recency_full_days else "asked_recently"
        rs.append(reason(code, days=int(days)))

    for group in safeguarding_groups(request):
        valid = _valid_checks(candidate, request, group)
        if any(c.expires is None for c in valid):
            rs.append(reason("safeguarding_check_no_expiry"))
        elif valid:
            rs.append(reason("safeguarding_check_valid", expires=max(c.expires for c in valid).isoformat()))

    flags: list[Reason] = []
    if candidate.balance_minutes >= policy.nudge_balance_minutes:
        flags.append(reason("nudge_to_ask", hours=candidate.balance_minutes // 60))
    flags.extend(check_flags(candidate, request, policy))
    if request.helpers_needed >= 2:
        flags.append(reason("needs_two_helpers"))
    return tuple(rs), tuple(flags)
