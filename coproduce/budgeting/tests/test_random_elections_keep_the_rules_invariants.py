"""Hypothesis property tests on small random elections.

* no rule ever spends more than the budget;
* MES: an independent, naive per-voter implementation (exact fractions) gives the same outcome,
  no voter ever pays more than the share they hold, and every bought project is paid in full by its
  supporters (equal-shares feasibility);
* greedy variants: skip / no-skip / threshold invariants;
* outcomes do not depend on the order of projects or ballots in the file (tie-break determinism).
"""

from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coproduce.budgeting.tally import Election, tally
from coproduce.budgeting.tally.greedy import project_scores

pytestmark = pytest.mark.pure


@st.composite
def elections(draw, vote_type=None):
    vt = vote_type or draw(st.sampled_from(["approval", "cumulative", "ordinal"]))
    n_proj = draw(st.integers(1, 7))
    # few distinct costs -> many exact ties
    costs = [
        draw(st.sampled_from([0, 1, 2, 3, 5, 10, 12, 20]))
        if draw(st.integers(0, 20)) == 0
        else draw(st.sampled_from([1, 2, 3, 5, 10, 12, 20]))
        for _ in range(n_proj)
    ]
    ids = [f"p{i}" for i in range(n_proj)]
    n_vot = draw(st.integers(0, 12))
    ballots = []
    for _ in range(n_vot):
        chosen = draw(st.lists(st.sampled_from(ids), unique=True, max_size=n_proj))
        if vt == "cumulative":
            ballots.append({p: draw(st.integers(1, 4)) for p in chosen})
        else:
            ballots.append(chosen)
    budget = draw(st.integers(0, sum(costs) + 5))
    return Election.from_ballots(list(zip(ids, costs)), ballots, budget, vt)


RULE_CALLS = [
    dict(rule="greedy"),
    dict(rule="greedy-no-skip"),
    dict(rule="greedy-threshold", threshold=2),
    dict(rule="mes", utility="cost"),
    dict(rule="mes", utility="approval"),
    dict(rule="mes", completion="add1"),
    dict(rule="mes", completion="add1-utilitarian"),
    dict(rule="mes", completion="utilitarian"),
    dict(rule="mes-add1"),
    dict(rule="phragmen"),
]

SETTINGS = settings(
    max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)


@SETTINGS
@given(elections(), st.sampled_from(["default", "lexico"]), st.booleans())
def test_budget_is_never_exceeded(e, tb, exact):
    for call in RULE_CALLS:
        out = tally(e, tie_break=tb, exact=exact, **call)
        costs = {p.id: p.cost for p in e.projects}
        assert sum(costs[s] for s in out.selected) == out.spent
        assert out.spent <= e.budget, call
        assert len(set(out.selected)) == len(out.selected)
        assert [x.project_id for x in out.explanations] == [p.id for p in e.projects]
        assert {x.project_id for x in out.explanations if x.selected} == set(out.selected)


def naive_mes(e: Election, utility: str, per_voter: Fraction, rank: dict) -> list[str]:
    """Per-voter MES straight from the definition (equalshares.net), exact fractions."""
    weights = []
    for i in range(e.n_voters):
        ids = e.ballot(i)
        pts = e.ballot_points_of(i) or [1] * len(ids)
        weights.append({p: Fraction(w) for p, w in zip(ids, pts) if w > 0})
    cost = {p.id: p.cost for p in e.projects}
    budget = [per_voter] * e.n_voters
    supporters = {p: [i for i in range(e.n_voters) if p in weights[i]] for p in cost}
    selected = [p for p in sorted(cost, key=rank.get) if cost[p] == 0 and supporters[p]]
    remaining = {p for p in cost if cost[p] > 0 and supporters[p]}

    def u(i, p):
        return weights[i][p] * (cost[p] if utility == "cost" else 1)

    while True:
        best, best_rho = [], None
        for p in list(remaining):
            if sum(budget[i] for i in supporters[p]) < cost[p]:
                remaining.discard(p)
                continue
            sup = sorted(supporters[p], key=lambda i: budget[i] / u(i, p))
            paid, rest = Fraction(0), sum(u(i, p) for i in sup)
            for i in sup:
                rho = (cost[p] - paid) / rest
                if rho * u(i, p) <= budget[i]:
                    break
                paid += budget[i]
                rest -= u(i, p)
            if best_rho is None or rho < best_rho:
                best, best_rho = [p], rho
            elif rho == best_rho:
                best.append(p)
        if not best:
            return selected
        win = min(best, key=rank.get)
        for i in supporters[win]:
            pay = min(budget[i], best_rho * u(i, win))
            assert pay <= budget[i]
            budget[i] -= pay
        assert all(b >= 0 for b in budget)
        selected.append(win)
        remaining.discard(win)


@SETTINGS
@given(elections(), st.sampled_from(["cost", "approval"]), st.sampled_from(["default", "lexico"]))
def test_mes_equals_the_naive_definition_and_is_feasible(e, utility, tb):
    from coproduce.budgeting.tally.ties import tie_order

    _, votes, _ = project_scores(e, "votes")
    order = tie_order(tb, [p.id for p in e.projects], e.costs(), votes)
    rank = {e.projects[p].id: k for k, p in enumerate(order)}
    weights = "points" if e.vote_type == "cumulative" else "support"
    for exact in (False, True):
        out = tally(e, rule="mes", utility=utility, tie_break=tb, exact=exact, weights=weights)
        if e.n_voters:
            expected = naive_mes(e, utility, e.budget / e.n_voters, rank)
            assert out.selected == expected
    # feasibility from the engine's own books: every class budget stays >= 0 and the money that
    # left the voters equals the cost of what MES bought
    if e.n_voters:
        from gmpy2 import mpq

        from coproduce.budgeting.tally.mes import MESCore
        from coproduce.budgeting.tally.profile import build_profile
        from coproduce.budgeting.tally.ties import tie_rank

        prof = build_profile(e, weights)
        core = MESCore(prof, e.costs(), utility, tie_rank(tb, [p.id for p in e.projects], e.costs(), votes))
        b0 = mpq(e.budget.numerator, e.budget.denominator) / e.n_voters
        run = core.run(b0, exact=True, explain=True)
        cls, cb = run.class_budgets
        left = [cb[int(c)] for c in cls]
        assert all(x >= 0 for x in left)
        assert all(x <= b0 for x in left)
        paid = sum((int(m) * (b0 - x) for m, x in zip(prof.m, left)), mpq(0))
        assert paid == run.spent


@SETTINGS
@given(elections(), st.sampled_from(["default", "lexico"]), st.integers(0, 6))
def test_greedy_variants_invariants(e, tb, threshold):
    scores, votes, _ = project_scores(e)
    score = {p.id: s for p, s in zip(e.projects, scores)}
    cost = {p.id: p.cost for p in e.projects}
    skip = tally(e, "greedy", tie_break=tb)
    noskip = tally(e, "greedy-no-skip", tie_break=tb)
    thr = tally(e, "greedy-threshold", threshold=threshold, tie_break=tb)
    order = skip.log[0]["order"]
    assert noskip.log[0]["order"] == order
    # skip: every unfunded project did not fit when its turn came
    left = e.budget
    for pid in order:
        if pid in skip.selected:
            left -= cost[pid]
        else:
            assert cost[pid] > left
            assert skip.explanation(pid).code == "did_not_fit"
    # no-skip: the funded projects are a prefix of the order
    assert noskip.selected == order[: len(noskip.selected)]
    assert skip.selected[: len(noskip.selected)] == noskip.selected
    # threshold: funded projects reach it; it equals greedy on the eligible projects
    assert all(score[p] >= threshold for p in thr.selected)
    for x in thr.explanations:
        if score[x.project_id] < threshold:
            assert x.code == "below_threshold" and not x.selected
    eligible_order = [p for p in order if score[p] >= threshold]
    left = e.budget
    expect = []
    for pid in eligible_order:
        if cost[pid] <= left:
            expect.append(pid)
            left -= cost[pid]
    assert thr.selected == expect


def shuffled(e: Election, seed: int) -> Election:
    import random

    rnd = random.Random(seed)
    projects = e.projects[:]
    rnd.shuffle(projects)
    ballots = []
    for i in range(e.n_voters):
        ids = e.ballot(i)
        pts = e.ballot_points_of(i)
        if e.vote_type == "cumulative":
            items = list(zip(ids, pts))
            rnd.shuffle(items)
            ballots.append(dict(items))
        elif e.vote_type == "ordinal":
            ballots.append(ids)  # preference order is meaningful: keep it
        else:
            ballots.append(rnd.sample(ids, len(ids)))
    rnd.shuffle(ballots)
    return Election.from_ballots(projects, ballots, e.budget, e.vote_type)


@SETTINGS
@given(elections(), st.sampled_from(["default", "lexico"]), st.integers(0, 10**6))
def test_outcomes_do_not_depend_on_file_order(e, tb, seed):
    other = shuffled(e, seed)
    for call in RULE_CALLS:
        a = tally(e, tie_break=tb, **call)
        b = tally(other, tie_break=tb, **call)
        assert a.selected == b.selected, call
        assert tally(e, tie_break=tb, **call).selected == a.selected  # repeatable
