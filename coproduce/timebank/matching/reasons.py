"""Plain-language reasons, as ``(code, params)`` pairs.

The app translates a reason by mapping ``code`` to a gettext string and
formatting it with ``params`` (``_(TEMPLATE) % params`` or ``.format``).
Params are JSON-friendly: ints, strings, ISO dates, lists of strings.
:func:`render` gives the English text, using :data:`ENGLISH`.
"""

from __future__ import annotations

from typing import Any, NamedTuple


class Reason(NamedTuple):
    code: str
    params: dict[str, Any] = {}

    def render(self) -> str:
        return render(self)


def reason(code: str, **params: Any) -> Reason:
    if code not in ENGLISH:
        raise KeyError(f"unknown reason code {code!r}")
    return Reason(code, params)


ENGLISH: dict[str, str] = {
    # why this helper (or need) was suggested
    "same_category": "Offers exactly this kind of help",
    "related_category": "Offers a related kind of help",
    "shared_tags": "Mentions {tags}",
    "same_neighbourhood": "Lives in the same neighbourhood",
    "adjacent_neighbourhood": "Lives in a neighbouring area",
    "same_bank": "Belongs to the same timebank",
    "other_bank_in_network": "Belongs to another timebank in the network, and both banks share members",
    "available": "Is usually free at the requested time",
    "partly_available": "Is usually free for {percent}% of the requested time",
    "not_usually_available": "Is not usually free at the requested time — worth asking",
    "availability_not_recorded": "Has not said when they are usually free",
    "has_references": "Has {count} reference(s)",
    "no_references_yet": "Has no references yet",
    "completed_exchanges": "Has completed {count} exchange(s)",
    "first_exchange": "Has not completed an exchange yet",
    "some_cancellations": "Has cancelled {cancellations} of {total} arranged exchange(s)",
    "never_asked": "Has not been asked to help before",
    "not_asked_recently": "Was last asked {days} days ago",
    "asked_recently": "Was asked {days} days ago",
    "safeguarding_check_valid": "Has a safeguarding check valid until {expires}",
    "safeguarding_check_no_expiry": "Has a safeguarding check with no expiry date",
    # flags for the broker
    "nudge_to_ask": "Has {hours} hours of unspent credit — encourage them to ask for help too",
    "check_expires_during_arrangement": "Their safeguarding check expires on {expires}, during the arrangement",
    "needs_two_helpers": "This request needs two helpers",
    "free_together": "Both are usually free for {percent}% of the requested time",
    # why someone was not suggested
    "is_requester": "Made this request",
    "other_network": "Belongs to a timebank outside this network",
    "cross_bank_not_allowed_by_requesting_bank": "The requester's timebank does not share members with other banks",
    "cross_bank_not_allowed_by_helpers_bank": "Their timebank does not share members with other banks",
    "opted_out": "Has asked not to be contacted from {start} to {end}",
    "no_safeguarding_check": "Has no safeguarding check for work with {group}",
    "safeguarding_check_expired": "Their safeguarding check for work with {group} expires on {expires}, "
    "before {date}",
    "safeguarding_check_not_yet_issued": "Their safeguarding check for work with {group} is only "
    "issued on {issued}",
    "no_references": "Has no references, which this task needs",
    "unreliable": "Has cancelled {cancellations} of {total} arranged exchanges, too many for this task",
    "low_reliability_references": "References do not vouch for their reliability, which this task needs",
    # notes about the request as a whole
    "needs_second_helper": "Needs a second helper: no two suggested helpers can go together",
    "no_suitable_helpers": "Nobody suitable was found",
    "no_suitable_needs": "No open need suits this offer",
    # explaining one member
    "no_matching_offer": "Offers nothing that fits this request",
    "ranked": "Is number {rank} of {eligible} suitable helpers",
}

GROUP_WORDS = {
    "children": "children",
    "vulnerable_adults": "vulnerable adults",
}


def _fmt(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    if isinstance(value, str) and value in GROUP_WORDS:
        return GROUP_WORDS[value]
    return value


def render(r: Reason | tuple) -> str:
    code, params = r[0], (r[1] if len(r) > 1 else {})
    template = ENGLISH[code]
    return template.format(**{k: _fmt(v) for k, v in params.items()})


def render_all(rs) -> list[str]:
    return [render(r) for r in rs]
