"""Matching engine for timebanks and the asset map (pure Python + numpy, no Django).

Typical use from the app::

    from coproduce.timebank import matching as m

    index = m.MemberIndex.build(candidates, adjacency, category_groups)  # once; keep it
    gc.freeze()  # optional: keeps the cyclic GC from walking the index
    result = m.suggest_helpers(index, request, top=20, explain_exclusions=50)
    for s in result.suggestions:
        s.member_id, s.score, s.offer_ids, s.components, s.reasons, s.flags
    result.pairs, result.needs_second_helper, result.notes, result.exclusions
    m.explain_member(index, request, member_id)  # "why not Alice?"
    index.upsert([changed_candidate]); index.remove([member_id])
    index.touch(member_id, last_asked=now)       # cheap counter update

    needs = m.NeedIndex.build(open_requests, adjacency, category_groups)
    m.suggest_needs(needs, helper, offer, top=20, now=now)  # reverse direction

    m.members_to_nudge(index, now)  # members who give but never ask
    m.render(reason)                # English; the app maps reason.code to gettext

Only members of the requester's bank, and of the other banks of its network
when both banks allow cross-bank exchange, are searched ("considered");
others get their reason through :func:`explain_member`.

Weights and thresholds: :mod:`.policy`.  Hard constraints: :mod:`.constraints`.
Reason codes and their English text: :mod:`.reasons`.  Test builders: :mod:`.testing`.
"""

from .constraints import violations
from .index import MemberIndex, NeedIndex
from .match import explain_member, suggest_helpers
from .model import (
    BUSINESS,
    COMMUNITY_GROUP,
    CONNECTION,
    INDIVIDUAL,
    KNOWLEDGE,
    PLACE,
    SKILL,
    SPARE_TIME,
    THING_TO_LEND,
    Candidate,
    MatchResult,
    Offer,
    OptOut,
    Pair,
    References,
    Request,
    SafeguardingCheck,
    Suggestion,
)
from .nudge import members_to_nudge
from .policy import DEFAULT_POLICY, Policy
from .reasons import ENGLISH, Reason, render, render_all
from .reverse import suggest_needs

__all__ = [
    "BUSINESS",
    "COMMUNITY_GROUP",
    "CONNECTION",
    "INDIVIDUAL",
    "KNOWLEDGE",
    "PLACE",
    "SKILL",
    "SPARE_TIME",
    "THING_TO_LEND",
    "DEFAULT_POLICY",
    "ENGLISH",
    "Candidate",
    "MatchResult",
    "MemberIndex",
    "NeedIndex",
    "Offer",
    "OptOut",
    "Pair",
    "Policy",
    "Reason",
    "References",
    "Request",
    "SafeguardingCheck",
    "Suggestion",
    "explain_member",
    "members_to_nudge",
    "render",
    "render_all",
    "suggest_helpers",
    "suggest_needs",
    "violations",
]
