"""Method of Equal Shares (MES) and its completions.

The rule (equalshares.net, "Explanation"; Peters, Pierczyński & Skowron 2021):

1. the budget is split equally: every voter starts with ``b0 = budget / n`` (or the per-voter
   amount the completion tries);
2. for every remaining project p with cost c, find the smallest ``rho`` such that its supporters can
   pay for it when each supporter i pays ``min(budget_i, rho * u_i(p))``:
   ``sum_i min(budget_i, rho * u_i(p)) = c``.  A project whose supporters hold less than c in total
   is *unaffordable* and leaves the race for good (budgets only shrink);
3. the project with the smallest rho wins (exact ties: the tie-breaking order), its supporters pay,
   and we repeat until no project is affordable.

Utilities ``u_i(p)``: with ``utility="cost"`` (equalshares.net's default) ``u_i(p) = w_i(p) * c(p)``;
with ``utility="approval"`` ``u_i(p) = w_i(p)``, where ``w_i(p)`` is 1 for approval ballots and
the voter's points for cumulative / scoring ballots (see :mod:`.profile`).  For approval ballots with
cost utilities ``1/rho`` is exactly equalshares.net's *effective vote count* (cost divided by the
largest payment asked of one supporter); we report ``cost / (rho * u)`` for a one-point supporter in
every case.

Implementation.  Voters are grouped (identical ballots -> one group with a multiplicity) and groups
are further pooled into *budget classes*: all voters holding exactly the same remaining budget.
Classes are created only when a project is bought (a class of supporters splits by weight), so there
are few of them, and their budgets are kept **exactly** (``gmpy2.mpq``).  Evaluating a project is one
integer ``bincount`` over its supporters (how many voters of each class and weight support it)
followed by a walk over those few (class, weight) cells sorted by ``budget / utility``.  As in
pabutools and the equalshares.net tool, a project's rho from an earlier round is a lower bound for
its current rho, so each round only re-evaluates projects whose bound can still beat the best.

Exact and float modes.  The money held by every class is exact in both modes.  In float mode the
per-project walk (and the comparisons between projects) use floats; whenever two candidates are
within a relative 1e-9 of each other, or a project's money is within 1e-9 of its cost, the decision
is re-taken with exact rationals, and the winner's rho is always recomputed exactly before anybody
pays.  Hence both modes produce identical outcomes (tested on every instance and rule).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
from gmpy2 import mpq

from .profile import Profile

TOL = 1e-9


def F(x) -> Fraction:
    """mpq -> Fraction."""
    return Fraction(int(x.numerator), int(x.denominator))


@dataclass
class MESRun:
    """One run of MES with a fixed per-voter budget."""

    per_voter: mpq
    selected: list[int]
    rhos: list[mpq | None]  # None for free projects
    spent: mpq
    rounds: list[dict] = field(default_factory=list)  # explain mode only
    dropped: dict[int, dict] = field(default_factory=dict)  # explain mode only: p -> {round, money}
    class_budgets: tuple | None = None  # explain mode only: (class of each group, exact class budgets)


class MESCore:
    """Everything about an election that does not depend on the per-voter budget."""

    def __init__(self, profile: Profile, costs: list[Fraction], utility: str, rank: np.ndarray):
        if utility not in ("cost", "approval"):
            raise ValueError(f"unknown utility {utility!r} (cost or approval)")
        self.profile = profile
        self.utility = utility
        self.rank = rank
        P = profile.n_projects
        self.P = P
        self.K = len(profile.wvals)
        self.cost_q = [mpq(c.numerator, c.denominator) for c in costs]
        self.cost_f = [float(c) for c in costs]
        wq = [mpq(w.numerator, w.denominator) for w in profile.wvals]
        wf = np.array([float(w) for w in profile.wvals])
        self.unit_q = [self.cost_q[p] if utility == "cost" else mpq(1) for p in range(P)]
        self.u_q = [[w * self.unit_q[p] for w in wq] for p in range(P)]
        self.u_f = [wf * float(self.unit_q[p]) for p in range(P)]
        pptr, pgrp, pcode = profile.pptr, profile.pgrp, profile.pcode
        mf = profile.m.astype(np.float64)
        self.sup_grp = [pgrp[pptr[p] : pptr[p + 1]] for p in range(P)]
        self.sup_code = [pcode[pptr[p] : pptr[p + 1]] for p in range(P)]
        self.sup_m = [mf[g] for g in self.sup_grp]
        self.voters = [int(profile.m[g].sum()) for g in self.sup_grp]  # supporters per project
        # exact total utility per project -> initial lower bound cost / total utility
        self.total_u_q = []
        for p in range(P):
            cnt = np.bincount(self.sup_code[p], weights=self.sup_m[p], minlength=self.K)
            self.total_u_q.append(sum((mpq(int(c)) * self.u_q[p][k] for k, c in enumerate(cnt) if c), mpq(0)))
        self.candidates = [p for p in range(P) if self.voters[p] > 0 and self.cost_q[p] > 0]
        self.free = sorted(
            (p for p in range(P) if self.voters[p] > 0 and self.cost_q[p] == 0), key=lambda p: rank[p]
        )
        self.lb0_q = {p: self.cost_q[p] / self.total_u_q[p] for p in self.candidates}
        self.lb0_f = {p: float(v) for p, v in self.lb0_q.items()}
        self.n_voters = profile.n_voters
        self.G = profile.n_groups
        self._zeros = np.zeros(4096, dtype=np.int64)
        self.u_f_list = [u.tolist() for u in self.u_f]

    # ------------------------------------------------------------------------------------------
    def run(self, per_voter: mpq, exact: bool = False, explain: bool = False) -> MESRun:
        """One MES run.  Float mode without explanations takes the fast path (same outcome)."""
        if not exact:
            return self._run_fast(mpq(per_voter), explain)
        return self._run_exact(mpq(per_voter), exact, explain)

    def _run_exact(self, per_voter: mpq, exact: bool, explain: bool) -> MESRun:
        K = self.K
        cls = np.ones(self.G, dtype=np.int64)  # class 1: untouched voters; class 0: no money left
        cb_q: list[mpq] = [mpq(0), mpq(per_voter)]
        cb_f = np.zeros(64)
        cb_f[1] = float(per_voter)
        n_cls = 2
        lb = dict(self.lb0_q) if exact else dict(self.lb0_f)
        remaining = list(self.candidates)
        selected = list(self.free)
        rhos: list[mpq | None] = [None] * len(selected)
        spent = mpq(0)
        run = MESRun(mpq(per_voter), selected, rhos, spent)
        rank = self.rank
        rnd = 0
        if explain:
            self._sweep_drops(run, 0, cls, cb_q, cb_f, remaining)
        while remaining:
            rnd += 1
            remaining.sort(key=lb.__getitem__)
            best = None
            evaluated: dict[int, object] = {}
            gone: set[int] = set()
            for p in remaining:
                if best is not None and (lb[p] > best if exact else lb[p] > best * (1 + TOL)):
                    break
                agg = self._aggregate(p, cls)
                if exact:
                    r = self._rho_q(p, agg, cb_q, cb_f)
                else:
                    r = self._rho_f(p, agg, cb_f, cb_q)
                    r = None if r is None else r[0]
                if r is None:
                    gone.add(p)
                    if explain:
                        run.dropped.setdefault(p, {"round": rnd, "money": self._money_q(agg, cb_q)})
                    continue
                lb[p] = r
                evaluated[p] = (r, agg)
                if best is None or r < best:
                    best = r
            if gone:
                remaining = [p for p in remaining if p not in gone]
            if best is None:
                break
            if exact:
                near = [p for p, (r, _) in evaluated.items() if r == best]
                rq = {p: evaluated[p][0] for p in near}
            else:
                near = [p for p, (r, _) in evaluated.items() if r <= best * (1 + TOL)]
                rq = {p: self._rho_q(p, evaluated[p][1], cb_q, cb_f) for p in near}
                if len(near) > 1:
                    mq = min(rq.values())
                    near = [p for p in near if rq[p] == mq]
            win = min(near, key=rank.__getitem__)
            rho = rq[win]
            if exact:
                lb[win] = rho
            agg = evaluated[win][1]
            if explain:
                run.rounds.append(self._round_info(rnd, win, rho, agg, cb_q, near, evaluated, exact))
            # supporters pay: split their classes by weight, exactly
            grp, code = self.sup_grp[win], self.sup_code[win]
            key = cls[grp] * K + code
            present = np.flatnonzero(np.bincount(key))
            mapping = np.zeros(int(present[-1]) + 1, dtype=np.int64)
            uq = self.u_q[win]
            for kk in present.tolist():
                c, k = divmod(kk, K)
                if c == 0:
                    continue
                b = cb_q[c]
                pay = rho * uq[k]
                if b <= pay:
                    mapping[kk] = 0
                else:
                    nb = b - pay
                    if n_cls >= len(cb_f):
                        cb_f = np.concatenate([cb_f, np.zeros(len(cb_f))])
                    cb_q.append(nb)
                    cb_f[n_cls] = float(nb)
                    mapping[kk] = n_cls
                    n_cls += 1
            cls[grp] = mapping[key]
            selected.append(win)
            rhos.append(rho)
            spent += self.cost_q[win]
            remaining.remove(win)
            del lb[win]
            if explain:
                self._sweep_drops(run, rnd, cls, cb_q, cb_f, remaining)
        run.spent = spent + sum((self.cost_q[p] for p in self.free), mpq(0))
        if explain:
            run.class_budgets = (cls, cb_q)
        return run

    # ------------------------------------------------------------------------------------------
    def _run_fast(self, per_voter: mpq, explain: bool = False) -> MESRun:
        """Float walks, vectorised class updates; exact values computed lazily only when a
        decision is too close to call in floating point (see module docstring)."""
        K = self.K
        G = self.G
        cls = np.ones(G, dtype=np.int64)
        cap = 256
        cb_f = np.zeros(cap)
        cb_f[1] = float(per_voter)
        parent = np.zeros(cap, dtype=np.int64)
        born = np.zeros(cap, dtype=np.int64)  # index into hist of the purchase that created it
        bcode = np.zeros(cap, dtype=np.int64)
        n_cls = 2
        known: dict[int, mpq] = {0: mpq(0), 1: per_voter}
        hist: list[tuple[int, tuple]] = []
        rho_memo: dict[int, mpq] = {}
        core = self

        class Exact:
            """Lazy exact class budgets: b(c) = b(parent) - rho(purchase) * u(code)."""

            def __getitem__(self, c: int) -> mpq:
                chain = []
                while c not in known:
                    chain.append(c)
                    c = int(parent[c])
                for c2 in reversed(chain):
                    i = int(born[c2])
                    win = hist[i][0]
                    known[c2] = known[int(parent[c2])] - rho_of(i) * core.u_q[win][int(bcode[c2])]
                return known[chain[0]] if chain else known[c]

        BQ = Exact()

        def rho_of(i: int) -> mpq:
            if i not in rho_memo:
                win, agg = hist[i]
                rho_memo[i] = core._rho_q(win, agg, BQ, cb_f)
            return rho_memo[i]

        lb = dict(self.lb0_f)
        remaining = list(self.candidates)
        selected = list(self.free)
        rank = self.rank
        out = MESRun(per_voter, selected, [None] * len(selected), mpq(0))
        if explain:
            self._sweep_drops(out, 0, cls, BQ, cb_f, remaining)
        while remaining:
            remaining.sort(key=lb.__getitem__)
            best_hi = None
            evaluated: dict[int, tuple] = {}
            gone = None
            for p in remaining:
                if best_hi is not None and lb[p] > best_hi:
                    break
                agg = self._aggregate(p, cls)
                res = self._rho_f(p, agg, cb_f, BQ)
                if res is None:
                    if gone is None:
                        gone = set()
                    gone.add(p)
                    continue
                r, err = res
                lb[p] = r - err
                evaluated[p] = (r, err, agg)
                if best_hi is None or r + err < best_hi:
                    best_hi = r + err
            if gone:
                remaining = [p for p in remaining if p not in gone]
            if best_hi is None:
                break
            near = [p for p, (r, err, _) in evaluated.items() if r - err <= best_hi]
            if len(near) > 1:
                rq = {p: self._rho_q(p, evaluated[p][2], BQ, cb_f) for p in near}
                mq = min(rq.values())
                near = [p for p in near if rq[p] == mq]
            win = min(near, key=rank.__getitem__) if len(near) > 1 else near[0]
            r_f, _, agg = evaluated[win]
            i = len(hist)
            hist.append((win, agg))
            if len(near) > 1:
                rho_memo[i] = mq
            if explain:
                rho_i = rho_of(i)
                out.rhos.append(rho_i)
                out.rounds.append(self._round_info_fast(i + 1, win, rho_i, agg, cb_f, near, evaluated))
            # supporters pay (vectorised): cells (class, code) -> new classes
            grp = self.sup_grp[win]
            key = cls[grp] * K + self.sup_code[win] if K > 1 else cls[grp]
            present = np.flatnonzero(np.bincount(key))
            present = present[present >= K]
            c = present // K if K > 1 else present
            k = present % K if K > 1 else np.zeros(len(present), dtype=np.int64)
            b = cb_f[c]
            pay = r_f * self.u_f[win][k]
            nb = b - pay
            positive = nb > 1e-9 * b
            unsure = np.flatnonzero(np.abs(nb) <= 1e-9 * b)
            if len(unsure):
                rq_i = rho_of(i)
                uq = self.u_q[win]
                for j in unsure.tolist():
                    positive[j] = BQ[int(c[j])] > rq_i * uq[int(k[j])]
            npos = int(positive.sum())
            if n_cls + npos > cap:
                while n_cls + npos > cap:
                    cap *= 2
                cb_f = np.resize(cb_f, cap)
                parent = np.resize(parent, cap)
                born = np.resize(born, cap)
                bcode = np.resize(bcode, cap)
            new_ids = np.zeros(len(present), dtype=np.int64)
            ids = np.arange(n_cls, n_cls + npos)
            new_ids[positive] = ids
            cb_f[ids] = nb[positive]
            parent[ids] = c[positive]
            born[ids] = i
            bcode[ids] = k[positive]
            n_cls += npos
            mapping = np.zeros(int(present[-1]) + 1 if len(present) else 1, dtype=np.int64)
            mapping[present] = new_ids
            cls[grp] = mapping[key] if len(present) else 0
            selected.append(win)
            remaining.remove(win)
            del lb[win]
            if explain:
                self._sweep_drops(out, i + 1, cls, BQ, cb_f, remaining)
        out.spent = sum((self.cost_q[p] for p in selected), mpq(0))
        if not explain:
            out.rhos = [None] * len(selected)
        return out

    def _round_info_fast(self, rnd, win, rho, agg, cb_f, near, evaluated) -> dict:
        from .explain import approx
        from .explain import exact as ex

        cost = self.cost_q[win]
        pay_unit = rho * self.unit_q[win]
        c, k, n = agg
        rho_f = float(rho)
        capped = int(n[cb_f[c] < rho_f * self.u_f[win][k]].sum())
        return {
            "round": rnd,
            "project": win,
            "rho": ex(F(rho)),
            "rho_float": rho_f,
            "effective_vote_count": approx(F(cost / pay_unit)),
            "max_payment": ex(F(pay_unit)),
            "supporters": self.voters[win],
            "supporters_paying_all_they_had": capped,
            "tied_with": sorted(p for p in near if p != win),
            "contenders": sorted(
                ({"project": p, "rho_float": float(v[0])} for p, v in evaluated.items()),
                key=lambda d: d["rho_float"],
            )[:5],
        }

    def _aggregate(self, p: int, cls: np.ndarray):
        """(class, weight code, voters) cells of p's supporters that still have money."""
        K = self.K
        if K == 1:
            cnt = np.bincount(cls[self.sup_grp[p]], weights=self.sup_m[p])
            cnt[0] = 0.0  # class 0 (no money) is dropped
            nz = cnt.nonzero()[0]
            return (
                nz,
                self._zeros[: len(nz)] if len(nz) <= len(self._zeros) else np.zeros(len(nz), np.int64),
                cnt[nz],
            )
        key = cls[self.sup_grp[p]] * K + self.sup_code[p]
        cnt = np.bincount(key, weights=self.sup_m[p])
        nz = cnt[K:].nonzero()[0] + K  # class 0 (no money) is dropped
        return nz // K, nz % K, cnt[nz]

    def _money_q(self, agg, cb_q) -> mpq:
        c, k, n = agg
        return sum((mpq(int(v)) * cb_q[ci] for ci, v in zip(c.tolist(), n.tolist())), mpq(0))

    def _rho_q(self, p: int, agg, cb_q, cb_f=None):
        """Exact rho of p, or None if its supporters cannot afford it.

        With float budgets ``cb_f`` the float walk first locates which cells pay everything they
        have (the "poor" ones); if no cell's budget/utility ratio lies within 1e-9 of the float rho
        that partition is certain and rho = (cost - money of the poor) / (utility of the others) is
        computed exactly from it.  Otherwise (or without ``cb_f``) the exact walk over all cells is
        used.  Both give the same exact value."""
        c, k, n = agg
        cost = self.cost_q[p]
        uq = self.u_q[p]
        if cb_f is not None and len(c) > 1:
            b = cb_f[c]
            u = self.u_f[p][k]
            ratio = b / u
            money_f = float(n @ b)
            cost_f = self.cost_f[p]
            if money_f > cost_f * (1 + TOL):
                o = np.argsort(ratio)
                M, U = (n * b)[o], (n * u)[o]
                before = np.cumsum(M) - M
                rem_u = np.cumsum(U[::-1])[::-1]
                ok = (cost_f - before) <= ratio[o] * rem_u
                if ok.any():
                    j = int(np.argmax(ok))
                    r_f = (cost_f - before[j]) / rem_u[j]
                    if not (np.abs(ratio - r_f) <= 1e-9 * r_f).any():
                        poor = ratio < r_f
                        cl, nl, kl = c[poor].tolist(), n[poor].tolist(), k[poor].tolist()
                        paid = sum((cb_q[ci] * int(v) for ci, v in zip(cl, nl)), mpq(0))
                        rich_n = np.bincount(k[~poor], weights=n[~poor], minlength=self.K)
                        rem = sum((uq[kk] * int(v) for kk, v in enumerate(rich_n.tolist()) if v), mpq(0))
                        rho = (cost - paid) / rem
                        # check exactly that the boundary cells are on the right side of rho
                        rich = np.flatnonzero(~poor)
                        jr = int(rich[np.argmin(ratio[rich])])
                        good = cb_q[int(c[jr])] >= rho * uq[int(k[jr])]
                        if good and cl:
                            jp = int(np.argmax(ratio[poor]))
                            good = cb_q[cl[jp]] <= rho * uq[kl[jp]]
                        if good:
                            return rho
        cells = [
            (cb_q[ci] / uq[ki], cb_q[ci], uq[ki], int(v))
            for ci, ki, v in zip(c.tolist(), k.tolist(), n.tolist())
        ]
        money = sum((b * v for _, b, _, v in cells), mpq(0))
        if money < cost:
            return None
        cells.sort(key=lambda t: t[0])
        rem_u = sum((u * v for _, _, u, v in cells), mpq(0))
        paid = mpq(0)
        for ratio, b, u, v in cells:
            # everyone from here on pays rho*u; does the poorest of them afford it?
            if cost - paid <= ratio * rem_u:
                return (cost - paid) / rem_u
            paid += b * v
            rem_u -= u * v
        return None  # pragma: no cover - money >= cost guarantees a return above

    def _rho_f(self, p: int, agg, cb_f, cb_q):
        c, k, n = agg
        if len(c) <= 12:
            return self._rho_f_small(p, agg, cb_f, cb_q)
        cost = self.cost_f[p]
        b = cb_f[c]
        u = self.u_f[p][k]
        M = n * b
        money = M.sum()
        if money < cost * (1 + TOL):
            if money < cost * (1 - TOL) or self._money_q(agg, cb_q) < self.cost_q[p]:
                return None
        if len(b) == 1:
            r = cost / (n[0] * u[0])
            return r, 1e-12 * r
        ratio = b / u
        o = np.argsort(ratio)
        ratio, M, U = ratio[o], M[o], (n * u)[o]
        before = np.cumsum(M) - M
        rem_u = np.cumsum(U[::-1])[::-1]
        ok = (cost - before) <= ratio * rem_u
        j = int(np.argmax(ok)) if ok.any() else len(ok) - 1
        r = (cost - before[j]) / rem_u[j]
        # generous bound on the floating-point error (cancellation in cost - before included)
        return r, 1e-11 * (cost + before[j]) / rem_u[j] + 1e-12 * r

    def _rho_f_small(self, p: int, agg, cb_f, cb_q):
        """Same as :meth:`_rho_f` in plain Python floats (faster for a handful of cells)."""
        c, k, n = agg
        cost = self.cost_f[p]
        uf = self.u_f_list[p]
        cells = sorted(
            (cb_f[ci] / uf[ki], cb_f[ci], uf[ki], v) for ci, ki, v in zip(c.tolist(), k.tolist(), n.tolist())
        )
        money = sum(b * v for _, b, _, v in cells)
        if money < cost * (1 + TOL):
            if money < cost * (1 - TOL) or self._money_q(agg, cb_q) < self.cost_q[p]:
                return None
        rem_u = sum(u * v for _, _, u, v in cells)
        before = 0.0
        for ratio, b, u, v in cells:
            if cost - before <= ratio * rem_u:
                break
            before += b * v
            rem_u -= u * v
        else:  # float rounding at the very end: use the last cell
            before -= b * v
            rem_u += u * v
        r = (cost - before) / rem_u
        return r, 1e-11 * (cost + before) / rem_u + 1e-12 * r

    def _round_info(self, rnd, win, rho, agg, cb_q, near, evaluated, exact) -> dict:
        from .explain import approx
        from .explain import exact as ex

        cost = self.cost_q[win]
        pay_unit = rho * self.unit_q[win]  # payment asked of a one-point supporter
        eff = cost / pay_unit
        c, k, n = agg
        capped = sum(
            int(v)
            for ci, ki, v in zip(c.tolist(), k.tolist(), n.tolist())
            if cb_q[ci] < rho * self.u_q[win][ki]
        )
        return {
            "round": rnd,
            "project": win,
            "rho": ex(F(rho)),
            "rho_float": float(rho),
            "effective_vote_count": approx(F(eff)),
            "max_payment": ex(F(pay_unit)),
            "supporters": self.voters[win],
            "supporters_paying_all_they_had": capped,
            "tied_with": sorted(p for p in near if p != win),
            "contenders": sorted(
                ({"project": p, "rho_float": float(r)} for p, (r, _) in evaluated.items()),
                key=lambda d: d["rho_float"],
            )[:5],
        }

    def _sweep_drops(self, run: MESRun, rnd: int, cls, cb_q, cb_f, remaining) -> None:
        """Explain mode: find every remaining project that just became unaffordable."""
        prof = self.profile
        per_entry = cb_f[cls[prof.pgrp]] * prof.m[prof.pgrp]
        nonempty = np.diff(prof.pptr) > 0
        money = np.zeros(self.P)
        idx = np.flatnonzero(nonempty)
        if len(idx):
            money[idx] = np.add.reduceat(per_entry, prof.pptr[idx])
        for p in remaining:
            if p in run.dropped or money[p] >= self.cost_f[p] * (1 + TOL):
                continue
            mq = self._money_q(self._aggregate(p, cls), cb_q)
            if mq < self.cost_q[p]:
                run.dropped[p] = {"round": rnd + 1, "money": mq}


# ----------------------------------------------------------------------------------------------
# completions
# ----------------------------------------------------------------------------------------------
def is_exhaustive(spent: mpq, selected: set[int], pool: list[int], cost_q: list[mpq], budget: mpq) -> bool:
    """No project of ``pool`` outside ``selected`` still fits in the budget."""
    return all(p in selected or spent + cost_q[p] > budget for p in pool)


def add1_pabutools(core: MESCore, budget: mpq, exact: bool) -> tuple[MESRun, list[dict]]:
    """pabutools' iterated MES (``voter_budget_increment=1``).

    Start with ``budget / n`` per voter; after each run, stop if the outcome overspends (return the
    previous run), or if it is exhaustive with respect to the projects MES can buy (supported,
    positive cost); otherwise give every voter one more currency unit and run again.
    """
    n = core.n_voters
    b = budget / n
    prev = None
    steps = []
    while True:
        r = core.run(b, exact=exact)
        steps.append({"per_voter": _ex(b), "spent": _ex(r.spent), "selected": len(r.selected)})
        if r.spent > budget:
            steps[-1]["result"] = "overspends: keep the previous run"
            if prev is None:  # pragma: no cover - MES with budget/n never overspends
                prev = core.run(b, exact=exact)
            return prev, steps
        if is_exhaustive(r.spent, set(r.selected), core.candidates, core.cost_q, budget):
            steps[-1]["result"] = "exhaustive: stop"
            return r, steps
        prev = r
        b = b + 1


def add1_equalshares(
    core: MESCore,
    budget: mpq,
    exact: bool,
    exhaustive: bool = True,
    integral: bool = True,
    increment: int = 1,
) -> tuple[MESRun, list[dict]]:
    """equalshares.net's Add1 completion.

    Start with ``budget / n`` per voter (``integral``: rounded down to a whole currency unit); while
    the current outcome is not exhaustive (``exhaustive`` option; all projects count) try the
    per-voter amount plus ``increment``; accept it if its outcome stays within the budget, otherwise
    stop.  If every project together fits in the budget, plain MES is used (as the tool does).
    Deviation: without the ``exhaustive`` option the tool could loop forever once MES already buys
    every supported project; we stop there.
    """
    n = core.n_voters
    steps: list[dict] = []
    all_projects = list(range(core.P))
    if sum(core.cost_q, mpq(0)) <= budget:
        r = core.run(budget / n, exact=exact)
        steps.append(
            {"per_voter": _ex(budget / n), "spent": _ex(r.spent), "result": "everything fits: no Add1"}
        )
        return r, steps
    b = mpq(int(budget // n)) if integral else budget / n
    r = core.run(b, exact=exact)
    steps.append({"per_voter": _ex(b), "spent": _ex(r.spent), "selected": len(r.selected)})
    every = set(core.candidates) | set(core.free)
    while True:
        if exhaustive and is_exhaustive(r.spent, set(r.selected), all_projects, core.cost_q, budget):
            steps[-1]["result"] = "exhaustive: stop"
            break
        if set(r.selected) >= every:
            steps[-1]["result"] = "every supported project bought: stop"
            break
        nxt = core.run(b + increment, exact=exact)
        steps.append(
            {"per_voter": _ex(b + increment), "spent": _ex(nxt.spent), "selected": len(nxt.selected)}
        )
        if nxt.spent <= budget:
            b, r = b + increment, nxt
        else:
            steps[-1]["result"] = "overspends: keep the previous per-voter amount"
            break
    return r, steps


def _ex(x):
    from .explain import exact as ex

    return ex(F(x))
