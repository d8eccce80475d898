"""Plain input and output records of the matching engine.

Nothing here knows about Django.  The app turns its rows into these
records (members into :class:`Candidate`, requests and asset-map needs into
:class:`Request`) and turns the results back into whatever it shows.

Conventions
-----------
* Identifiers are integers (primary keys).
* Weekly windows are ``(start, end)`` pairs of *minute of the week*,
  0 = Monday 00:00, 10080 = the next Monday 00:00, end exclusive.
  A window may wrap past the end of the week (``start > end``); it is split.
* Datetimes are read as wall-clock times of the bank: pass either naive local
  times, or aware datetimes already converted to the bank's time zone
  (``django.utils.timezone.localtime``).  Do not mix naive and aware values.
* Safeguarding checks are valid on the days ``issued <= day < expires``: a
  check has expired *on* its expiry date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from .reasons import Reason

Window = tuple[int, int]

INDIVIDUAL = "individual"
COMMUNITY_GROUP = "group"
BUSINESS = "business"

# What an asset-map capability is; the engine only carries it through.
SKILL = "skill"
KNOWLEDGE = "knowledge"
SPARE_TIME = "time"
THING_TO_LEND = "lend"
PLACE = "place"
CONNECTION = "connection"


@dataclass(frozen=True)
class Offer:
    """Something a member can do or give ("I can…") or an asset-map capability."""

    offer_id: int
    category_id: int
    tags: frozenset[str] = frozenset()
    kind: str = SKILL


@dataclass(frozen=True)
class OptOut:
    """A period in which the member does not want to be asked (a holiday)."""

    start: datetime
    end: datetime


@dataclass(frozen=True)
class References:
    """Summary of a member's references.

    ``count`` is the number of referees who returned a reference.  Each
    quality is the share (0..1) of referees who vouched for it, or ``None``
    when no referee answered that question.
    """

    count: int = 0
    honesty: float | None = None
    reliability: float | None = None  # reliability and punctuality
    team_working: float | None = None
    getting_on: float | None = None  # getting on with other people


@dataclass(frozen=True)
class SafeguardingCheck:
    """A disclosure (e.g. DBS) check.  ``expires=None`` means no expiry date is set."""

    kind: str
    issued: date
    expires: date | None
    covers_children: bool = True
    covers_vulnerable_adults: bool = True


@dataclass(frozen=True)
class Candidate:
    """A member who might help: an individual, community group or business."""

    member_id: int
    bank_id: int
    network_id: int
    neighbourhood_id: int
    offers: tuple[Offer, ...] = ()
    windows: tuple[Window, ...] = ()  # weekly availability; empty = not recorded
    opt_outs: tuple[OptOut, ...] = ()
    references: References = field(default_factory=References)
    checks: tuple[SafeguardingCheck, ...] = ()
    completed_exchanges: int = 0
    cancellations: int = 0
    last_asked: datetime | None = None  # last time a broker asked / matched them to help
    last_requested: datetime | None = None  # last time they asked for help themselves
    balance_minutes: int = 0
    bank_allows_cross_bank: bool = False
    kind: str = INDIVIDUAL


@dataclass(frozen=True)
class Request:
    """A request for help ("I need…"), or a need recorded on the asset map.

    Time: a one-off is the occasion ``start``..``end`` (default one hour).
    A regular arrangement starts on ``start`` and repeats every week in the
    ``weekly`` windows (default: the weekly slot of ``start``..``end``) until
    ``until`` (``None`` = open-ended).
    """

    request_id: int
    requester_id: int | None  # None for a need recorded by staff
    bank_id: int
    network_id: int
    neighbourhood_id: int
    category_id: int
    start: datetime
    end: datetime | None = None
    regular: bool = False
    weekly: tuple[Window, ...] = ()
    until: datetime | date | None = None
    tags: frozenset[str] = frozenset()
    home_visit: bool = False
    involves_children: bool = False
    involves_vulnerable_adults: bool = False
    sensitive: bool = False  # e.g. taking someone to hospital
    helpers_needed: int = 1
    bank_allows_cross_bank: bool = False
    now: datetime | None = None


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class Suggestion:
    """One suggested helper for a request (or one suggested need for a helper).

    ``subject_id`` is the member id (helpers) or the request id (needs).
    ``components`` are the 0..1 factor scores that make up ``score``
    (see :mod:`.policy`), ``reasons`` explain the match and ``flags`` are
    things the broker should know or act on (e.g. nudge this member to ask).
    """

    subject_id: int
    score: float
    offer_ids: tuple[int, ...]
    components: dict[str, float]
    reasons: tuple[Reason, ...]
    flags: tuple[Reason, ...] = ()

    @property
    def member_id(self) -> int:
        return self.subject_id

    @property
    def request_id(self) -> int:
        return self.subject_id


@dataclass(frozen=True)
class Pair:
    """Two helpers who can go together (requests needing two helpers)."""

    member_ids: tuple[int, int]
    score: float
    together_percent: int  # share of the requested time both are available
    reasons: tuple[Reason, ...] = ()


@dataclass(frozen=True)
class MatchResult:
    """Ranked suggestions, best first; ties broken by ascending id."""

    suggestions: tuple[Suggestion, ...]
    pairs: tuple[Pair, ...] = ()
    needs_second_helper: bool = False
    notes: tuple[Reason, ...] = ()
    considered: int = 0  # how many had a fitting offer/need before constraints
    eligible: int = 0  # how many passed every hard constraint
    exclusions: dict[int, tuple[Reason, ...]] | None = None  # only when asked for
