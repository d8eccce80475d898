"""Every weight and threshold of the matching engine, in one place.

Score of a helper for a request (all components are 0..1)::

    score = 0.30 * fit            skill/category fit
          + 0.20 * distance       how near the helper is
          + 0.20 * availability   share of the requested time they are usually free
          + 0.15 * reliability    references, completed exchanges, few cancellations
          + 0.15 * recency        not asked recently (spreads the asks around)
          - 0.05 * balance        many unspent credits: nudge them to ask instead

fit            exact category 0.60, related category (same group) 0.30, none 0;
               plus 0.25 x the share of the request's tags the offer shares;
               divided by 0.85.  So exact > related > tags only, always.
distance       same neighbourhood 1.0, adjacent neighbourhood 0.7, same bank
               0.4, another bank of the network 0.1 (and only when both banks
               allow cross-bank exchange — that is a hard constraint).
availability   minutes of the requested weekly slot(s) inside the helper's weekly
               windows / requested minutes.  No windows recorded: 0.5.
reliability    0.4 x references + 0.3 x experience + 0.3 x (1 - cancellation rate)
               references  = mean of the recorded qualities x min(count, 2) / 2
               experience  = completed / (completed + 5)
               cancellation rate = cancellations / (completed + cancellations + 2)
recency        days since last asked / 28, at most 1; never asked = 1.
balance        (balance - 20 h) / 20 h, clipped to 0..1: only members holding
               more than ``nudge_balance_minutes`` are (slightly) held back, and
               they are flagged ``nudge_to_ask`` so the broker can encourage
               them to ask for help in return.

Hard constraints (never relaxed by the score): see :mod:`.constraints`.
Thresholds used by them are also here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Policy:
    # weights of the score
    w_fit: float = 0.30
    w_distance: float = 0.20
    w_availability: float = 0.20
    w_reliability: float = 0.15
    w_recency: float = 0.15
    w_balance: float = 0.05  # subtracted

    # fit
    fit_exact: float = 0.60
    fit_related: float = 0.30
    fit_tags: float = 0.25

    # distance tiers
    distance_same_neighbourhood: float = 1.0
    distance_adjacent: float = 0.7
    distance_same_bank: float = 0.4
    distance_network: float = 0.1

    # availability
    availability_unknown: float = 0.5

    # reliability
    reliability_references: float = 0.4
    reliability_experience: float = 0.3
    reliability_cancellations: float = 0.3
    experience_half: float = 5.0  # completed exchanges giving experience 0.5
    references_full: int = 2  # references needed for the full reference score

    # fairness
    recency_full_days: float = 28.0
    nudge_balance_minutes: int = 20 * 60

    # hard-constraint thresholds
    sensitive_min_references: int = 1
    unreliable_min_cancellations: int = 2
    unreliable_cancellation_ratio: float = 0.25  # cancellations / (completed + cancellations)
    unreliable_reference_reliability: float = 0.5  # share vouching for reliability below this
    # Opt-outs are checked against the occasions of a regular arrangement in
    # its first N days (or up to ``until`` if sooner).  None = the whole span
    # (open-ended arrangements then use the horizon anyway).
    regular_opt_out_horizon_days: int | None = 28
    # Flag a safeguarding check that expires this soon after an open-ended
    # regular arrangement starts.
    check_expiry_warning_days: int = 90

    # output
    score_decimals: int = 9  # scores are rounded before ranking so ties are exact
    pair_pool: int = 20  # best suggestions considered for pairing
    max_pairs: int = 5


DEFAULT_POLICY = Policy()
