"""Score components, as element-wise numpy functions.

Each function works on arrays or scalars alike (numpy broadcasting), so the
forward direction (one request, many helpers) and the reverse direction
(one helper, many needs) share exactly the same arithmetic.  Weights and
thresholds: :mod:`.policy`.
"""

from __future__ import annotations

import numpy as np

from .policy import Policy

COMPONENTS = ("fit", "distance", "availability", "reliability", "recency", "balance")

# distance tiers, nearest first
SAME_NEIGHBOURHOOD, ADJACENT, SAME_BANK, NETWORK = 0, 1, 2, 3


# fit tiers of an offer for a request
FIT_NONE, FIT_RELATED, FIT_EXACT = 0, 1, 2


def fit_tier(offer_cat, offer_group, request_cat, request_group):
    exact = offer_cat == request_cat
    related = (offer_group == request_group) & (np.asarray(request_group) >= 0)
    return np.where(exact, FIT_EXACT, np.where(related, FIT_RELATED, FIT_NONE))


def fit_from_tier(tier, shared_tags, request_tag_count, p: Policy):
    share = np.where(request_tag_count > 0, shared_tags / np.maximum(request_tag_count, 1), 0.0)
    raw = np.array([0.0, p.fit_related, p.fit_exact])[tier] + p.fit_tags * share
    return raw / (p.fit_exact + p.fit_tags)


def fit(offer_cat, offer_group, request_cat, request_group, shared_tags, request_tag_count, p: Policy):
    return fit_from_tier(
        fit_tier(offer_cat, offer_group, request_cat, request_group), shared_tags, request_tag_count, p
    )


def distance_tier(helper_nb, helper_bank, request_nb, request_bank, adjacent):
    return np.where(
        helper_nb == request_nb,
        SAME_NEIGHBOURHOOD,
        np.where(adjacent, ADJACENT, np.where(helper_bank == request_bank, SAME_BANK, NETWORK)),
    )


def distance(tier, p: Policy):
    table = np.array(
        [p.distance_same_neighbourhood, p.distance_adjacent, p.distance_same_bank, p.distance_network]
    )
    return table[tier]


def availability(overlap_minutes, requested_minutes, has_windows, p: Policy):
    share = np.where(requested_minutes > 0, overlap_minutes / np.maximum(requested_minutes, 1), 1.0)
    return np.where(has_windows, np.clip(share, 0.0, 1.0), p.availability_unknown)


def references_score(ref_count, ref_mean, p: Policy):
    return np.where(
        ref_count > 0, ref_mean * np.minimum(ref_count, p.references_full) / p.references_full, 0.0
    )


def reliability(ref_count, ref_mean, completed, cancellations, p: Policy):
    experience = completed / (completed + p.experience_half)
    cancel_rate = cancellations / (completed + cancellations + 2.0)
    return (
        p.reliability_references * references_score(ref_count, ref_mean, p)
        + p.reliability_experience * experience
        + p.reliability_cancellations * (1.0 - cancel_rate)
    )


def recency(days_since_asked, p: Policy):
    """``days_since_asked`` is +inf for someone never asked."""
    return np.minimum(np.maximum(np.asarray(days_since_asked, dtype=float) / p.recency_full_days, 0.0), 1.0)


def balance(balance_minutes, p: Policy):
    t = float(p.nudge_balance_minutes)
    return np.clip((balance_minutes - t) / t, 0.0, 1.0)


def total(c: dict, p: Policy):
    return (
        p.w_fit * c["fit"]
        + p.w_distance * c["distance"]
        + p.w_availability * c["availability"]
        + p.w_reliability * c["reliability"]
        + p.w_recency * c["recency"]
        - p.w_balance * c["balance"]
    )
