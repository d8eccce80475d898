"""From ballots to the compact, grouped form every rule works on.

*Weights.*  Each (voter, listed project) pair carries a weight:

* ``"support"``: 1 for every listed project (approval ballots, and the "approval of the listed
  projects" reading of cumulative / ordinal ballots that pabutools' ``Cost_Sat`` and
  ``Cardinality_Sat`` use);
* ``"points"``: the points of cumulative / scoring ballots; for ordinal ballots positional
  (Borda-like) points: on a ballot listing ``k`` projects the first gets ``k``, the second ``k-1``,
  ..., the last 1 (a full 5-project ranking scores 5-4-3-2-1, a 3-project ranking 3-2-1).  This is
  the convention of the ``score`` column of Pabulib's ordinal files (checked by a test on Rochester
  2019 and Zurich S5R, where the alternative "max_length minus position" does not match).  For
  approval ballots "points" equals "support".

*Groups.*  Voters with identical (project, weight) sets are merged into one group with a
multiplicity.  Lodz 2022 shrinks from 90,494 voters to 23,571 groups.  Grouping is done with a
vectorised 128-bit multiset hash and then *verified* entry by entry (on the astronomically unlikely
hash collision it falls back to exact grouping), so it never changes an outcome.

The result, :class:`Profile`, holds group-major and project-major CSR arrays.  Weights are coded:
``wvals`` lists the distinct weight values exactly (``Fraction``), ``*_code`` arrays index into it.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from .model import Election

_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)


def _mix(x: np.ndarray, seed: int) -> np.ndarray:
    """splitmix64 finaliser, vectorised (wrapping uint64 arithmetic)."""
    with np.errstate(over="ignore"):
        z = x.astype(np.uint64) + np.uint64(seed)
        z = (z ^ (z >> np.uint64(30))) * _M1
        z = (z ^ (z >> np.uint64(27))) * _M2
        return z ^ (z >> np.uint64(31))


@dataclass
class Profile:
    n_voters: int
    n_projects: int
    m: np.ndarray  # (G,) int64 multiplicity of each group
    gptr: np.ndarray  # (G+1,) group-major CSR
    gidx: np.ndarray  # project index of each entry (sorted within a group)
    gcode: np.ndarray  # weight code of each entry
    pptr: np.ndarray  # (P+1,) project-major CSR
    pgrp: np.ndarray  # group of each entry
    pcode: np.ndarray  # weight code of each entry
    wvals: list[Fraction]  # exact distinct weight values (code -> value), all > 0
    weights: str  # "support" or "points"

    @property
    def n_groups(self) -> int:
        return len(self.m)

    def supporters(self) -> np.ndarray:
        """Number of voters listing each project (with a positive weight)."""
        return np.add.reduceat(np.r_[self.m[self.pgrp], 0], self.pptr[:-1]) * (np.diff(self.pptr) > 0)

    def scores(self) -> list[Fraction]:
        """Exact total weight per project (votes for "support", points for "points")."""
        out = []
        wv = self.wvals
        for p in range(self.n_projects):
            s, e = self.pptr[p], self.pptr[p + 1]
            if s == e:
                out.append(Fraction(0))
                continue
            cnt = np.bincount(
                self.pcode[s:e], weights=self.m[self.pgrp[s:e]].astype(np.float64), minlength=len(wv)
            )
            # counts are integers < 2**53: exact in float64
            out.append(sum((Fraction(int(c)) * wv[k] for k, c in enumerate(cnt) if c), Fraction(0)))
        return out


def entry_weights(election: Election, weights: str) -> tuple[np.ndarray, list[Fraction]]:
    """Weight code of every ballot entry, and the exact value of each code."""
    nnz = len(election.ballot_idx)
    if weights == "support" or election.vote_type in ("approval", "choose-1"):
        return np.zeros(nnz, dtype=np.int64), [Fraction(1)]
    if weights != "points":
        raise ValueError(f"unknown weights {weights!r}")
    if election.vote_type == "ordinal":
        ptr = election.ballot_ptr
        lengths = np.diff(ptr)
        owner = np.repeat(np.arange(len(lengths)), lengths)
        pos = np.arange(nnz) - ptr[owner]
        vals = (lengths[owner] - pos).astype(np.int64)
    else:
        pts = election.ballot_points
        if pts.dtype == object:
            uniq = sorted(set(pts.tolist()))
            code_of = {v: k for k, v in enumerate(uniq)}
            return np.array([code_of[v] for v in pts.tolist()], dtype=np.int64), [Fraction(v) for v in uniq]
        vals = pts.astype(np.int64)
    uniq, codes = np.unique(vals, return_inverse=True)
    return codes.astype(np.int64), [Fraction(int(v)) for v in uniq]


def build_profile(election: Election, weights: str = "support") -> Profile:
    """Group identical ballots and build both CSR layouts."""
    P = election.n_projects
    ptr = election.ballot_ptr
    idx = election.ballot_idx.astype(np.int64)
    codes, wvals = entry_weights(election, weights)
    n = election.n_voters
    lengths = np.diff(ptr)
    owner = np.repeat(np.arange(n, dtype=np.int64), lengths)
    # drop zero weights (a cumulative ballot may list a project with 0 points: no support)
    keep = np.ones(len(idx), dtype=bool)
    zero_codes = [k for k, v in enumerate(wvals) if v == 0]
    neg = [k for k, v in enumerate(wvals) if v < 0]
    if neg:
        raise ValueError(
            "negative weights (scoring ballots with negative scores) are not supported by these rules"
        )
    if zero_codes:
        keep = ~np.isin(codes, zero_codes)
    if not keep.all():
        idx, codes, owner = idx[keep], codes[keep], owner[keep]
        lengths = np.bincount(owner, minlength=n)
    # canonical order inside each ballot: by project index (entries are already grouped by ballot)
    K = len(wvals)
    key = idx * K + codes
    if len(key):
        order = np.argsort(owner * (max(P, 1) * K) + key, kind="stable")
        key, idx, codes, owner = key[order], idx[order], codes[order], owner[order]
    bptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lengths, out=bptr[1:])
    # multiset hash per ballot (length mixed in); collisions are caught by the verification below
    h = _mix(lengths, 0x632BE59BD9B4E019)
    nonempty = np.flatnonzero(lengths)
    if len(nonempty):
        with np.errstate(over="ignore"):
            h[nonempty] += np.add.reduceat(_mix(key, 0x9E3779B97F4A7C15), bptr[nonempty])
    _, first, inverse, counts = np.unique(h, return_index=True, return_inverse=True, return_counts=True)
    inverse = inverse.ravel()
    # verify: every ballot equals its group's representative, entry by entry
    rep = first[inverse]
    rep_entry = bptr[rep][owner] + (np.arange(len(idx)) - bptr[owner])
    if len(idx) and not np.array_equal(key, key[rep_entry]):
        return _build_profile_exact(election, weights, idx, codes, owner, lengths, wvals)
    if not np.array_equal(lengths, lengths[rep]):  # pragma: no cover - collision on empty ballots
        return _build_profile_exact(election, weights, idx, codes, owner, lengths, wvals)
    G = len(first)
    m = counts.astype(np.int64)
    glen = lengths[first]
    gptr = np.zeros(G + 1, dtype=np.int64)
    np.cumsum(glen, out=gptr[1:])
    sel = np.arange(int(gptr[-1]), dtype=np.int64) + np.repeat(bptr[first] - gptr[:-1], glen)
    gidx = idx[sel]
    gcode = codes[sel]
    return _finish(election, weights, m, gptr, gidx, gcode, wvals)


def _build_profile_exact(
    election, weights, idx, codes, owner, lengths, wvals
):  # pragma: no cover - collision
    groups: dict[tuple, int] = {}
    members: list[tuple] = []
    mult: list[int] = []
    bptr = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=bptr[1:])
    il, cl = idx.tolist(), codes.tolist()
    for b in range(len(lengths)):
        s, e = bptr[b], bptr[b + 1]
        t = tuple(zip(il[s:e], cl[s:e]))
        g = groups.get(t)
        if g is None:
            groups[t] = len(members)
            members.append(t)
            mult.append(1)
        else:
            mult[g] += 1
    gptr = np.zeros(len(members) + 1, dtype=np.int64)
    np.cumsum([len(t) for t in members], out=gptr[1:])
    gidx = np.array([p for t in members for p, _ in t], dtype=np.int64)
    gcode = np.array([c for t in members for _, c in t], dtype=np.int64)
    return _finish(election, weights, np.array(mult, dtype=np.int64), gptr, gidx, gcode, wvals)


def _finish(election, weights, m, gptr, gidx, gcode, wvals) -> Profile:
    P = election.n_projects
    G = len(m)
    gowner = np.repeat(np.arange(G, dtype=np.int64), np.diff(gptr))
    order = np.argsort(gidx, kind="stable")
    pgrp = gowner[order]
    pcode = gcode[order]
    pptr = np.zeros(P + 1, dtype=np.int64)
    np.cumsum(np.bincount(gidx, minlength=P), out=pptr[1:])
    return Profile(
        n_voters=election.n_voters,
        n_projects=P,
        m=m,
        gptr=gptr,
        gidx=gidx,
        gcode=gcode,
        pptr=pptr,
        pgrp=pgrp,
        pcode=pcode,
        wvals=wvals,
        weights=weights,
    )
