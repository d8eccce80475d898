"""Sequential Phragmén for participatory budgeting.

Voters earn virtual money ("load") continuously; a project is bought as soon as its supporters
together could pay its cost, and then all of them have spent everything they had (their load
becomes the project's new maximal load ``(sum of supporters' loads + cost) / number of supporters``).
Each round buys the project with the smallest such load (exact ties: the tie-breaking order).  As in
pabutools' ``sequential_phragmen``, the rule **stops** (it does not skip) as soon as a project with
the smallest load -- any of them, when several are tied -- no longer fits in the budget; projects
that cost more than the whole budget are never candidates; a project nobody supports has an
infinite load and can only come after all supported ones.

Ballots are read as approval of the listed projects (for cumulative / ordinal ballots too: every
listed project counts as one approval; pabutools only accepts approval profiles, see the reference
fixture notes).
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from gmpy2 import mpq

from .explain import Explanation, Outcome, approx, exact, money
from .model import Election
from .profile import build_profile
from .ties import describe, tie_rank

TOL = 1e-9


def _F(x) -> Fraction:
    return Fraction(int(x.numerator), int(x.denominator))


def phragmen(election: Election, tie_break: str = "default", exact_mode: bool = False) -> Outcome:
    prof = build_profile(election, "support")
    P = prof.n_projects
    ids = [p.id for p in election.projects]
    costs = election.costs()
    cost_q = [mpq(c.numerator, c.denominator) for c in costs]
    cost_f = np.array([float(c) for c in costs])
    votes = np.asarray(prof.supporters(), dtype=np.int64)
    rank = tie_rank(tie_break, ids, costs, votes)
    B = mpq(election.budget.numerator, election.budget.denominator)
    G = prof.n_groups
    pptr, pgrp = prof.pptr, prof.pgrp
    mf = prof.m.astype(np.float64)
    entry_m = mf[pgrp]
    nonempty = np.flatnonzero(np.diff(pptr) > 0)
    lcls = np.full(G, P, dtype=np.int64)  # load class = last project bought that the group supports; P = none
    loads_q: list[mpq] = [mpq(0)] * (P + 1)
    loads_f = np.zeros(P + 1)
    remaining = [p for p in range(P) if cost_q[p] <= B]
    spent = mpq(0)
    selected: list[int] = []
    info: dict[int, dict] = {}
    log: list[dict] = [
        {"step": "start", "rule": "phragmen", "budget": exact(election.budget), "tie_break": tie_break}
    ]
    stop_reason = None

    def exact_load(p: int) -> mpq | None:
        if votes[p] == 0:
            return None  # infinite
        s, e = pptr[p], pptr[p + 1]
        cnt = np.bincount(lcls[pgrp[s:e]], weights=entry_m[s:e], minlength=P + 1)
        tot = sum((mpq(int(cnt[c])) * loads_q[c] for c in np.flatnonzero(cnt).tolist()), mpq(0))
        return (tot + cost_q[p]) / int(votes[p])

    rnd = 0
    while remaining:
        rnd += 1
        per_entry = loads_f[lcls[pgrp]] * entry_m
        sums = np.zeros(P)
        if len(nonempty):
            sums[nonempty] = np.add.reduceat(per_entry, pptr[nonempty])
        with np.errstate(divide="ignore", invalid="ignore"):
            new_f = np.where(votes > 0, (sums + cost_f) / np.maximum(votes, 1), np.inf)
        rem = np.array(remaining)
        vals = new_f[rem]
        best = vals.min()
        if np.isinf(best):
            tied = remaining[:]  # only unsupported projects are left: all "infinitely" tied
            best_q = None
        else:
            if exact_mode:
                cand = remaining
            else:
                cand = [p for p, v in zip(remaining, vals.tolist()) if v <= best * (1 + TOL)]
            ex = {p: exact_load(p) for p in cand}
            ex = {p: v for p, v in ex.items() if v is not None}
            best_q = min(ex.values())
            tied = [p for p, v in ex.items() if v == best_q]
        too_big = [p for p in tied if spent + cost_q[p] > B]
        if too_big:
            stop_reason = min(too_big, key=rank.__getitem__)
            log.append(
                {
                    "step": "stop",
                    "round": rnd,
                    "project": ids[stop_reason],
                    "load": None if best_q is None else exact(_F(best_q)),
                    "cost": exact(costs[stop_reason]),
                    "left": exact(_F(B - spent)),
                }
            )
            break
        win = min(tied, key=rank.__getitem__)
        s, e = pptr[win], pptr[win + 1]
        lcls[pgrp[s:e]] = win
        if best_q is not None:
            loads_q[win] = best_q
            loads_f[win] = float(best_q)
        spent += cost_q[win]
        selected.append(win)
        remaining.remove(win)
        info[win] = {
            "round": rnd,
            "load": None if best_q is None else _F(best_q),
            "left_after": _F(B - spent),
        }
        log.append(
            {
                "step": "buy",
                "round": rnd,
                "project": ids[win],
                "load": None if best_q is None else exact(_F(best_q)),
                "load_float": None if best_q is None else float(best_q),
                "supporters": int(votes[win]),
                "tied_with": sorted(ids[p] for p in tied if p != win),
                "spent": exact(_F(spent)),
            }
        )
    expl = []
    for p in range(P):
        if p in info:
            d = info[p]
            nums = {"round": d["round"], "cost": exact(costs[p]), "supporters": int(votes[p])}
            if d["load"] is not None:
                nums["load"] = exact(d["load"])
                sentence = (
                    f"Funded in round {d['round']}: its {int(votes[p])} supporters could share its cost "
                    f"{money(costs[p])} with a maximal load of {approx(d['load']):.6g} per voter, the lowest at that point."
                )
            else:
                sentence = f"Funded in round {d['round']}: nobody voted for it but money was left and the rule had not stopped."
            expl.append(Explanation(ids[p], True, "selected", nums, sentence))
        elif costs[p] > election.budget:
            expl.append(
                Explanation(
                    ids[p],
                    False,
                    "did_not_fit",
                    {"cost": exact(costs[p]), "budget": exact(election.budget)},
                    f"Not funded: its cost {money(costs[p])} exceeds the whole budget {money(election.budget)}.",
                )
            )
        else:
            nums = {"cost": exact(costs[p]), "supporters": int(votes[p]), "rounds": rnd}
            if stop_reason is not None:
                nums["stopped_at"] = ids[stop_reason]
                if p == stop_reason:
                    sentence = (
                        f"Not funded: it was next in line (round {rnd}) but its cost {money(costs[p])} did not fit "
                        f"in the {money(_F(B - spent))} left, so the rule stopped."
                    )
                    code = "did_not_fit"
                else:
                    sentence = (
                        f"Not funded: the rule stopped in round {rnd} when project {ids[stop_reason]} did not fit, "
                        f"before this project's supporters had earned enough."
                    )
                    code = "not_reached"
            else:
                code, sentence = "not_reached", "Not funded."
            expl.append(Explanation(ids[p], False, code, nums, sentence))
    log.append({"step": "end", "spent": exact(_F(spent)), "tie_break_rule": describe(tie_break)})
    return Outcome(
        rule="phragmen",
        selected=[ids[p] for p in selected],
        spent=_F(spent),
        budget=election.budget,
        explanations=expl,
        log=log,
    )
