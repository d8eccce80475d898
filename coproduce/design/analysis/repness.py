"""Representative statements per group, following Polis's repness tests.

For every group g and statement, with n = number of votes of the group's members
(agree, disagree or pass), na = agrees and nd = disagrees:

* pa = (na + 1) / (n + 2) and pd = (nd + 1) / (n + 2)  (add-one priors);
* pat, pdt: one-proportion z-statistic ``2 * sqrt(n + 1) * ((na + 1) / (n + 1) - 1/2)``;
* ra = pa / pa_rest and rd = pd / pd_rest, where the rest are all other groups;
* rat, rdt: two-proportion z-test of the group against the rest, with every
  count increased by one.

A statement passes for the group if (rat and pat) or (rdt and pdt) are both
above 1.2816 (90 % one-sided).  Its direction is agree when rat > rdt, else
disagree.  Passing statements are sorted by ``repness * repness_test * p_success
* p_test`` (largest first); the group's "best agree" statement is put at the front;
at most 5 are kept, agrees before disagrees.  When nothing passes, the best agree
statement (or failing that the statement with the best test value) is used.
Moderated-out and meta statements are never representative.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

Z90 = 1.2816
MAX_REP = 5


def z_sig_90(z: float) -> bool:
    return z > Z90


def prop_test(successes, n):
    """One-proportion z statistic against 1/2, with add-one smoothing."""
    successes, n = np.asarray(successes, float) + 1, np.asarray(n, float) + 1
    return 2 * np.sqrt(n) * (successes / n - 0.5)


def two_prop_test(succ_in, succ_out, n_in, n_out):
    """Two-proportion z statistic (group vs rest), every count increased by one."""
    s1, s2 = np.asarray(succ_in, float) + 1, np.asarray(succ_out, float) + 1
    n1, n2 = np.asarray(n_in, float) + 1, np.asarray(n_out, float) + 1
    p1, p2 = s1 / n1, s2 / n2
    pooled = (s1 + s2) / (n1 + n2)
    denom = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (p1 - p2) / denom
    return np.where(pooled == 1, 0.0, z)


@dataclass
class GroupStats:
    """Arrays of shape (n_groups, n_statements)."""

    na: np.ndarray
    nd: np.ndarray
    ns: np.ndarray
    pa: np.ndarray
    pd: np.ndarray
    pat: np.ndarray
    pdt: np.ndarray
    ra: np.ndarray
    rd: np.ndarray
    rat: np.ndarray
    rdt: np.ndarray


def vote_counts(votes: np.ndarray, voted: np.ndarray, labels: np.ndarray, n_groups: int):
    """Agree, disagree and total vote counts per group (rows with label -1 are ignored)."""
    n_s = votes.shape[1]
    na, nd, ns = (np.zeros((n_groups, n_s), dtype=np.int64) for _ in range(3))
    for g in range(n_groups):
        rows = labels == g
        v, m = votes[rows], voted[rows]
        ns[g] = m.sum(axis=0)
        na[g] = (m & (v == 1)).sum(axis=0)
        nd[g] = (m & (v == -1)).sum(axis=0)
    return na, nd, ns


def group_stats(na: np.ndarray, nd: np.ndarray, ns: np.ndarray) -> GroupStats:
    rest_na, rest_nd, rest_ns = (x.sum(axis=0, keepdims=True) - x for x in (na, nd, ns))
    pa, pd = (na + 1) / (ns + 2), (nd + 1) / (ns + 2)
    return GroupStats(
        na=na, nd=nd, ns=ns, pa=pa, pd=pd,
        pat=prop_test(na, ns), pdt=prop_test(nd, ns),
        ra=pa / ((rest_na + 1) / (rest_ns + 2)),
        rd=pd / ((rest_nd + 1) / (rest_ns + 2)),
        rat=two_prop_test(na, rest_na, ns, rest_ns),
        rdt=two_prop_test(nd, rest_nd, ns, rest_ns),
    )


@dataclass
class RepStatement:
    statement: object
    direction: str  # "agree" or "disagree"
    n_success: int
    n_trials: int
    p_success: float
    p_test: float
    repness: float
    repness_test: float
    best_agree: bool = False
    n_agree: int | None = None

    @property
    def metric(self) -> float:
        return self.repness * self.repness_test * self.p_success * self.p_test

    def to_dict(self) -> dict:
        d = asdict(self)
        d["comment_id"] = d.pop("statement")
        return d


def _finalize(sid, st: GroupStats, g: int, j: int) -> RepStatement:
    # Polis stores the test value single-precision; we keep that so orderings match.
    if st.rat[g, j] > st.rdt[g, j]:
        vals = ("agree", st.na, st.pa, st.pat, st.ra, st.rat)
    else:
        vals = ("disagree", st.nd, st.pd, st.pdt, st.rd, st.rdt)
    direction, n, p, pt, r, rt = vals
    return RepStatement(
        sid, direction, int(n[g, j]), int(st.ns[g, j]), float(p[g, j]), float(pt[g, j]), float(r[g, j]),
        float(np.float32(rt[g, j])),
    )


def _beats_best_agree(st: GroupStats, g: int, j: int, best: int | None) -> bool:
    na, nd = st.na[g, j], st.nd[g, j]
    if na == 0 and nd == 0:
        return False
    if best is not None and st.ra[g, best] > 1.0:
        return (st.ra[g, j] * st.rat[g, j] * st.pa[g, j] * st.pat[g, j]
                > st.ra[g, best] * st.rat[g, best] * st.pa[g, best] * st.pat[g, best])
    if best is not None:
        return st.pa[g, j] * st.pat[g, j] > st.pa[g, best] * st.pat[g, best]
    return z_sig_90(st.pat[g, j]) or (st.ra[g, j] > 1.0 and st.pa[g, j] > 0.5)


def select_representative(st: GroupStats, statements, excluded: np.ndarray) -> list[list[RepStatement]]:
    """Polis's selection of up to 5 representative statements per group."""
    n_groups, n_s = st.na.shape
    out = []
    for g in range(n_groups):
        sufficient: list[RepStatement] = []
        best: RepStatement | None = None
        best_agree: int | None = None
        for j in range(n_s):
            if excluded[j]:
                continue
            passes = (z_sig_90(st.rat[g, j]) and z_sig_90(st.pat[g, j])) or (
                z_sig_90(st.rdt[g, j]) and z_sig_90(st.pdt[g, j]))
            if passes:
                sufficient.append(_finalize(statements[j], st, g, j))
            if not sufficient and (best is None or max(st.rat[g, j], st.rdt[g, j]) > best.repness_test):
                best = _finalize(statements[j], st, g, j)
            if _beats_best_agree(st, g, j, best_agree):
                best_agree = j
        head: list[RepStatement] = []
        if best_agree is not None:
            ba = _finalize(statements[best_agree], st, g, best_agree)
            ba.best_agree, ba.n_agree = True, int(st.na[g, best_agree])
            head = [ba]
        elif best is not None:
            head = [best]
        if not sufficient:
            out.append(head)
            continue
        rest = [r for r in sufficient if not (best_agree is not None and r.statement == statements[best_agree])]
        rest.sort(key=lambda r: -r.metric)  # stable, like Polis's sort-by
        chosen = ([head[0]] if best_agree is not None else []) + rest
        chosen = chosen[:MAX_REP]
        out.append([r for r in chosen if r.direction == "agree"] + [r for r in chosen if r.direction == "disagree"])
    return out
