"""The participant x statement vote matrix (pure numpy).

Votes arrive as plain rows ``(participant, statement, vote, timestamp)`` with
vote 1 = agree, -1 = disagree, 0 = pass.  A participant may vote on the same
statement several times; the latest vote (largest timestamp, and among equal
timestamps the one given last) is the one that counts.

Like Polis, the matrix only has a column for statements that received at least
one vote, and the statements that are moderated out (or meta) are kept as
columns but "zeroed": in the *rating* matrix every participant counts as having
passed on them.  The *raw* matrix keeps the votes as cast; Polis uses the raw
matrix to decide who is "in the conversation" and to count group votes, and the
zeroed one for PCA and representativeness.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

AGREE, PASS, DISAGREE = 1, 0, -1
MODERATED_OUT, UNMODERATED, MODERATED_IN = -1, 0, 1


@dataclass(eq=False)
class VoteMatrix:
    """Votes of ``participants`` (rows) on ``statements`` (columns).

    ``votes`` holds -1/0/1 (int8, 0 where there is no vote) and ``voted`` says
    where a vote exists.  ``mod_out`` marks columns that are moderated out or
    meta (zeroed in :meth:`rating`).
    """

    participants: np.ndarray
    statements: np.ndarray
    votes: np.ndarray
    voted: np.ndarray
    mod_out: np.ndarray
    meta: np.ndarray = field(default=None)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        if self.meta is None:
            self.meta = np.zeros(len(self.statements), dtype=bool)

    @property
    def shape(self) -> tuple[int, int]:
        return self.votes.shape

    def rating(self) -> tuple[np.ndarray, np.ndarray]:
        """Votes and mask with moderated-out columns zeroed (everyone "voted" 0)."""
        if not self.mod_out.any():
            return self.votes, self.voted
        votes = self.votes.copy()
        voted = self.voted.copy()
        votes[:, self.mod_out] = 0
        voted[:, self.mod_out] = True
        return votes, voted

    def vote_counts(self) -> np.ndarray:
        """Number of raw votes (of any kind) per participant."""
        return self.voted.sum(axis=1)

    def row_of(self, participant) -> int:
        return _index_of(self.participants, participant)

    def column_of(self, statement) -> int:
        return _index_of(self.statements, statement)


def _index_of(ids: np.ndarray, key) -> int:
    i = int(np.searchsorted(ids, key))
    if i >= len(ids) or ids[i] != key:
        raise KeyError(key)
    return i


def _as_columns(votes) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Accept a sequence of 4-tuples, or a 4-tuple/mapping of equal-length arrays."""
    if isinstance(votes, Mapping):
        cols = [votes[k] for k in ("participant", "statement", "vote", "timestamp")]
    elif isinstance(votes, tuple) and len(votes) == 4 and all(isinstance(c, np.ndarray) for c in votes):
        cols = list(votes)
    else:
        rows = list(votes)
        if not rows:
            cols = [np.zeros(0, dtype=np.int64)] * 4
        else:
            cols = [list(c) for c in zip(*rows, strict=True)]
    p, s, v, t = (np.asarray(c) for c in cols)
    if not (len(p) == len(s) == len(v) == len(t)):
        raise ValueError("vote columns have different lengths")
    return p, s, v, t


def _ids(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted distinct ids and the index of each value among them."""
    if values.dtype.kind in "iu" and len(values):
        lo, hi = int(values.min()), int(values.max())
        if hi - lo <= 4 * len(values) + 1_000_000:  # compact integer ids: no sort needed
            present = np.zeros(hi - lo + 1, dtype=bool)
            present[values - lo] = True
            ids = np.flatnonzero(present)
            index = np.cumsum(present) - 1
            return ids + lo, index[values - lo]
    return np.unique(values, return_inverse=True)


def build_matrix(
    votes,
    moderation: Mapping | None = None,
    meta: Iterable | None = None,
) -> VoteMatrix:
    """Build the matrix from plain vote rows.

    ``votes``: iterable of ``(participant, statement, vote, timestamp)`` (or a
    tuple of four numpy arrays).  ``moderation``: statement -> -1/0/1 (missing
    means 0).  ``meta``: statements marked meta (treated as moderated out, as
    Polis does).  Ids must be mutually comparable (ints or strings).
    """
    p, s, v, t = _as_columns(votes)
    if len(v) and not np.isin(v, (-1, 0, 1)).all():
        bad = v[~np.isin(v, (-1, 0, 1))][0]
        raise ValueError(f"vote must be -1, 0 or 1, got {bad!r}")
    participants, p_idx = _ids(p)
    statements, s_idx = _ids(s)
    n_p, n_s = len(participants), len(statements)
    key = p_idx.astype(np.int64) * max(n_s, 1) + s_idx
    # order by cell, then time, then input order; the last of each cell wins
    if len(t) and np.all(t[1:] >= t[:-1]):
        rank = np.arange(len(t), dtype=np.int64)
    else:
        rank = np.empty(len(t), dtype=np.int64)
        rank[np.argsort(t, kind="stable")] = np.arange(len(t))
    if len(t) and (n_p * n_s) * len(t) < 2**62:
        order = np.argsort(key * len(t) + rank)
    else:
        order = np.lexsort((rank, key))
    key_sorted = key[order]
    last = np.ones(len(order), dtype=bool)
    last[:-1] = key_sorted[1:] != key_sorted[:-1]
    winners = order[last]
    matrix = np.zeros((n_p, n_s), dtype=np.int8)
    voted = np.zeros((n_p, n_s), dtype=bool)
    matrix.reshape(-1)[key[winners]] = v[winners].astype(np.int8)
    voted.reshape(-1)[key[winners]] = True

    moderation = moderation or {}
    meta_set = set(meta or ())
    mod_out = np.zeros(n_s, dtype=bool)
    is_meta = np.zeros(n_s, dtype=bool)
    for j, sid in enumerate(statements.tolist()):
        if sid in meta_set:
            is_meta[j] = True
            mod_out[j] = True
        elif moderation.get(sid, UNMODERATED) == MODERATED_OUT:
            mod_out[j] = True
    return VoteMatrix(participants, statements, matrix, voted, mod_out, is_meta)


def in_conversation(matrix: VoteMatrix, greedy_n: int = 15) -> np.ndarray:
    """Participants counted in the conversation (Polis's "in-conv").

    A participant is in once they voted (raw votes, any kind) on at least
    ``min(7, number of statements)`` statements.  If that leaves fewer than
    ``greedy_n`` participants, Polis tops up with the most active remaining
    voters; we do the same but include everyone tied at the cut-off count so the
    result does not depend on participant numbering.
    """
    n_p, n_s = matrix.shape
    counts = matrix.vote_counts()
    inside = counts >= min(7, n_s)
    n_in = int(inside.sum())
    if n_in < greedy_n and n_p > n_in:
        rest = np.flatnonzero(~inside & (counts > 0))
        if len(rest):
            need = min(greedy_n - n_in, len(rest))
            ranked = np.sort(counts[rest])[::-1]
            cutoff = ranked[need - 1]
            inside[rest[counts[rest] >= cutoff]] = True
    return inside
