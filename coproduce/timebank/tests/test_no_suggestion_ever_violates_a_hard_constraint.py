"""Property: no suggestion breaks a hard constraint, and nobody eligible is
left out.  The constraints are re-derived here independently of the engine
(opt-outs against the actual weekly occasions, day by day)."""

import os
from datetime import date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coproduce.timebank.matching import (
    Candidate,
    MemberIndex,
    NeedIndex,
    Offer,
    OptOut,
    References,
    Request,
    SafeguardingCheck,
    suggest_helpers,
    suggest_needs,
    violations,
)

pytestmark = pytest.mark.pure

# MATCHING_EXAMPLES=3000 for a longer hunt
EXAMPLES = int(os.environ.get("MATCHING_EXAMPLES", "150"))

BASE = datetime(2030, 6, 3, 0, 0)  # a Monday
GROUPS = {10: 1, 11: 1, 12: 2, 13: 2}
ADJACENCY = {1: [2], 2: [3], 4: [5]}
NETWORK_OF_BANK = {1: 1, 2: 1, 3: 2}
HORIZON = timedelta(days=28)
TAGS = st.frozensets(st.sampled_from(["a", "b", "c"]), max_size=2)


def hours(lo, hi):
    return st.integers(lo, hi).map(lambda h: timedelta(hours=h))


windows = st.lists(
    st.tuples(st.integers(0, 10079), st.integers(1, 3000)).map(lambda w: (w[0], w[0] + w[1])), max_size=3
).map(tuple)
opt_outs = st.lists(
    st.tuples(hours(-24 * 10, 24 * 45), hours(1, 24 * 12)).map(
        lambda x: OptOut(BASE + x[0], BASE + x[0] + x[1])
    ),
    max_size=2,
).map(tuple)
# requests start on one of a few days; check dates sit on and next to them, to hit the boundaries
START_DAYS = [0, 1, 7, 14]
NEAR = [date(2030, 6, 3) + timedelta(days=d) for d in (0, 1, 7, 8, 14, 15)]
checks = st.lists(
    st.builds(
        SafeguardingCheck,
        st.just("dbs"),
        st.sampled_from([date(2029, 1, 1)] + NEAR),
        st.sampled_from([None, date(2031, 1, 1)] + NEAR),
        st.booleans(),
        st.booleans(),
    ),
    max_size=2,
).map(tuple)
references = st.builds(
    References,
    st.integers(0, 3),
    st.none(),
    st.sampled_from([None, 0.2, 0.5, 0.9, 1.0]),
    st.none(),
    st.none(),
)


@st.composite
def worlds(draw):
    allows = {b: draw(st.booleans()) for b in (1, 2, 3)}
    n = draw(st.integers(1, 14))
    members = []
    offer_id = 0
    for member_id in range(1, n + 1):
        bank = draw(st.sampled_from([1, 2, 3]))
        offers = []
        for _ in range(draw(st.integers(0, 3))):
            offer_id += 1
            offers.append(Offer(offer_id, draw(st.sampled_from([10, 11, 12, 13])), draw(TAGS)))
        members.append(
            Candidate(
                member_id=member_id,
                bank_id=bank,
                network_id=NETWORK_OF_BANK[bank],
                neighbourhood_id=draw(st.integers(1, 6)),
                offers=tuple(offers),
                windows=draw(windows),
                opt_outs=draw(opt_outs),
                references=draw(references),
                checks=draw(checks),
                completed_exchanges=draw(st.integers(0, 8)),
                cancellations=draw(st.integers(0, 4)),
                last_asked=draw(st.one_of(st.none(), hours(-24 * 60, 0).map(lambda d: BASE + d))),
                balance_minutes=draw(st.integers(-600, 4000)),
                bank_allows_cross_bank=allows[bank],
            )
        )
    return allows, members


@st.composite
def requests(draw, allows, n_members, request_id=1):
    bank = draw(st.sampled_from([1, 2, 3]))
    start = BASE + timedelta(
        days=draw(st.sampled_from(START_DAYS)),
        hours=draw(st.integers(0, 23)),
        minutes=draw(st.sampled_from([0, 30])),
    )
    regular = draw(st.booleans())
    return Request(
        request_id=request_id,
        requester_id=draw(st.one_of(st.none(), st.integers(1, max(1, n_members)))),
        bank_id=bank,
        network_id=NETWORK_OF_BANK[bank],
        neighbourhood_id=draw(st.integers(1, 6)),
        category_id=draw(st.sampled_from([10, 11, 12, 13])),
        start=start,
        end=start + timedelta(minutes=draw(st.integers(30, 300))),
        regular=regular,
        weekly=draw(windows) if regular else (),
        until=draw(st.one_of(st.none(), st.integers(0, 60).map(lambda d: start.date() + timedelta(days=d)))),
        tags=draw(TAGS),
        involves_children=draw(st.booleans()),
        involves_vulnerable_adults=draw(st.booleans()),
        sensitive=draw(st.sampled_from([False, False, True])),
        helpers_needed=draw(st.sampled_from([1, 2])),
        bank_allows_cross_bank=allows[bank],
        now=BASE,
    )


# ----------------------------------------------------------- reference rules


def occasions(r: Request):
    """Actual (start, end) datetimes the request asks for, within the opt-out span."""
    if not r.regular:
        return [(r.start, r.end)]
    span_end = r.start + HORIZON
    if r.until is not None:
        span_end = min(span_end, datetime.combine(r.until, datetime.min.time()) + timedelta(days=1))
    monday = datetime.combine(r.start.date() - timedelta(days=r.start.weekday()), datetime.min.time())
    if r.weekly:
        pattern = [(timedelta(minutes=s), timedelta(minutes=e if e > s else e + 10080)) for s, e in r.weekly]
    else:
        pattern = [(r.start - monday, r.end - monday)]
    out = []
    for week in range(-2, 7):
        base = monday + timedelta(weeks=week)
        for s, e in pattern:
            a, b = max(base + s, r.start), min(base + e, span_end)
            if a < b:
                out.append((a, b))
    return out


def fits(c: Candidate, r: Request) -> bool:
    g = GROUPS.get(r.category_id, -1)
    return any(
        o.category_id == r.category_id or GROUPS.get(o.category_id) == g or (o.tags & r.tags)
        for o in c.offers
    )


def eligible(c: Candidate, r: Request) -> bool:
    if c.member_id == r.requester_id or c.network_id != r.network_id:
        return False
    if c.bank_id != r.bank_id and not (c.bank_allows_cross_bank and r.bank_allows_cross_bank):
        return False
    for o in c.opt_outs:
        if any(o.start < b and a < o.end for a, b in occasions(r)):
            return False
    day = r.start.date()
    if r.regular:
        for needed, covers in (
            (r.involves_children, "covers_children"),
            (r.involves_vulnerable_adults, "covers_vulnerable_adults"),
        ):
            if needed and not any(
                getattr(k, covers) and k.issued <= day and (k.expires is None or day < k.expires)
                for k in c.checks
            ):
                return False
    if r.sensitive:
        refs = c.references
        total = c.completed_exchanges + c.cancellations
        if refs.count < 1:
            return False
        if c.cancellations >= 2 and c.cancellations / total >= 0.25:
            return False
        if refs.reliability is not None and refs.reliability < 0.5:
            return False
    return True


# ----------------------------------------------------------------- properties


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_no_suggestion_ever_violates_a_hard_constraint(data):
    allows, members = data.draw(worlds())
    request = data.draw(requests(allows, len(members)))
    index = MemberIndex.build(members, ADJACENCY, GROUPS)
    result = suggest_helpers(index, request, top=100, explain_exclusions=True)
    by_id = {m.member_id: m for m in members}

    suggested = [s.member_id for s in result.suggestions]
    for member_id in suggested:
        assert eligible(by_id[member_id], request), member_id
        assert violations(by_id[member_id], request, index.policy) == []
    # nobody eligible with a fitting offer is left out
    assert sorted(suggested) == sorted(
        m.member_id for m in members if fits(m, request) and eligible(m, request)
    )
    # every exclusion is explained, exactly as the one-member rules say
    for member_id, reasons in result.exclusions.items():
        assert not eligible(by_id[member_id], request)
        assert reasons and list(reasons) == violations(by_id[member_id], request, index.policy)
    for pair in result.pairs:
        assert set(pair.member_ids) <= set(suggested)
    assert result.needs_second_helper == (request.helpers_needed >= 2 and not result.pairs)


@settings(max_examples=max(1, EXAMPLES * 2 // 3), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_no_suggested_need_violates_a_hard_constraint(data):
    allows, members = data.draw(worlds())
    reqs = [
        data.draw(requests(allows, len(members), request_id=i))
        for i in range(1, data.draw(st.integers(1, 8)))
    ]
    helper = data.draw(st.sampled_from(members))
    needs = NeedIndex.build(reqs, ADJACENCY, GROUPS)
    result = suggest_needs(needs, helper, top=100, now=BASE, explain_exclusions=True)
    got = sorted(s.request_id for s in result.suggestions)
    assert got == sorted(r.request_id for r in reqs if fits(helper, r) and eligible(helper, r))
    by_id = {r.request_id: r for r in reqs}
    for request_id, reasons in result.exclusions.items():
        assert reasons and not eligible(helper, by_id[request_id])
