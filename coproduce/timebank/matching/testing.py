"""Small builders with sensible defaults, for tests (here and in the app).

Defaults: network 1, bank 1, neighbourhood 1, category 10 (group 1 with 11;
12 is in group 2), Monday 3 June 2030 10:00-11:00 as the requested time.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from .index import MemberIndex, NeedIndex
from .model import Candidate, Offer, OptOut, References, Request, SafeguardingCheck

NOW = datetime(2030, 6, 1, 9, 0)  # a Saturday
MONDAY_10 = datetime(2030, 6, 3, 10, 0)
CATEGORY_GROUPS = {10: 1, 11: 1, 12: 2, 13: 2}
ADJACENCY = {1: [2], 2: [3]}

ALL_WEEK = ((0, 7 * 1440),)


def member(member_id: int, *, offers=None, category: int = 10, tags=(), **kw) -> Candidate:
    if offers is None:
        offers = (Offer(member_id * 10, category, frozenset(tags)),)
    defaults = dict(
        bank_id=1,
        network_id=1,
        neighbourhood_id=1,
        windows=ALL_WEEK,
        references=References(count=2, honesty=1.0, reliability=1.0, team_working=1.0, getting_on=1.0),
        completed_exchanges=5,
        bank_allows_cross_bank=True,
    )
    defaults.update(kw)
    return Candidate(member_id=member_id, offers=tuple(offers), **defaults)


def request(request_id: int = 1, **kw) -> Request:
    defaults = dict(
        requester_id=999,
        bank_id=1,
        network_id=1,
        neighbourhood_id=1,
        category_id=10,
        start=MONDAY_10,
        end=MONDAY_10 + timedelta(hours=1),
        now=NOW,
        bank_allows_cross_bank=True,
    )
    defaults.update(kw)
    return Request(request_id=request_id, **defaults)


def check(expires: date | None, *, issued: date = date(2028, 1, 1), children=True, adults=True):
    return SafeguardingCheck("enhanced", issued, expires, children, adults)


def holiday(start: datetime, days: int = 7) -> OptOut:
    return OptOut(start, start + timedelta(days=days))


def index(*candidates: Candidate, **kw) -> MemberIndex:
    kw.setdefault("adjacency", ADJACENCY)
    kw.setdefault("category_groups", CATEGORY_GROUPS)
    return MemberIndex.build(candidates, **kw)


def needs(*requests: Request, **kw) -> NeedIndex:
    kw.setdefault("adjacency", ADJACENCY)
    kw.setdefault("category_groups", CATEGORY_GROUPS)
    return NeedIndex.build(requests, **kw)
