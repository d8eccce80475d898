"""Opinion analysis for co-design conversations, after the Polis model.

Pure numpy / scikit-learn, no Django.  :func:`analyse` takes plain vote rows
``(participant, statement, vote, timestamp)`` (vote 1 agree, -1 disagree,
0 pass) and the statements' moderation states, and returns an
:class:`AnalysisResult` with the opinion groups, group-informed consensus,
representative statements, consensus statements and next-statement priorities.
The result is deterministic for a given input and seed, and does not depend on
the order of the votes or on how participants and statements are numbered.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
from threadpoolctl import threadpool_limits

from . import clusters as _clusters
from .consensus import group_informed_consensus, select_consensus, select_group_consensus
from .matrix import MODERATED_OUT, VoteMatrix, build_matrix, in_conversation
from .pca import PCAResult, pca
from .priority import choose_next, priority
from .repness import RepStatement, group_stats, select_representative, vote_counts

__all__ = ["AnalysisResult", "analyse", "build_matrix", "choose_next"]


def _key(x) -> str:
    return str(x)


@dataclass(eq=False)
class AnalysisResult:
    participants: list
    statements: list
    in_conversation: list
    projections: dict  # participant -> (x, y)
    groups: dict  # participant -> group index (participants in the conversation)
    k: int
    silhouettes: dict
    group_sizes: list
    consensus: dict  # statement -> group-informed consensus (agree)
    consensus_disagree: dict  # statement -> group-informed consensus (disagree analogue)
    repness: dict  # group index -> [RepStatement]
    consensus_statements: dict
    priorities: dict  # statement -> priority (statements that may be shown)
    pca_center: dict
    comment_extremity: dict
    groups_source: str = "clustering"
    matrix: VoteMatrix | None = field(default=None, repr=False)
    pca: PCAResult | None = field(default=None, repr=False)

    def next_statement(self, voted: Iterable = (), seed: int | None = 0):
        """Polis-style weighted draw of the next statement for someone who voted on ``voted``."""
        return choose_next(self.priorities, exclude=voted, seed=seed)

    def to_json(self) -> dict:
        """A JSON-able dict (all keys are strings)."""
        return {
            "participants": len(self.participants),
            "statements": len(self.statements),
            "in_conversation": len(self.in_conversation),
            "groups_source": self.groups_source,
            "k": self.k,
            "silhouettes": {_key(k): v for k, v in self.silhouettes.items()},
            "group_sizes": list(self.group_sizes),
            "groups": {_key(p): g for p, g in self.groups.items()},
            "consensus": {_key(s): v for s, v in self.consensus.items()},
            "consensus_disagree": {_key(s): v for s, v in self.consensus_disagree.items()},
            "repness": {_key(g): [r.to_dict() for r in reps] for g, reps in self.repness.items()},
            "consensus_statements": {
                "agree": [c.to_dict() for c in self.consensus_statements["agree"]],
                "disagree": [c.to_dict() for c in self.consensus_statements["disagree"]],
                "group_informed": self.consensus_statements["group_informed"],
            },
            "priorities": {_key(s): v for s, v in self.priorities.items()},
            "projections": {_key(p): list(xy) for p, xy in self.projections.items()},
            "pca_center": {_key(s): v for s, v in self.pca_center.items()},
            "comment_extremity": {_key(s): v for s, v in self.comment_extremity.items()},
        }


def _given_labels(matrix: VoteMatrix, groups: Mapping) -> tuple[np.ndarray, list]:
    names = sorted(set(groups.values()))
    index = {g: i for i, g in enumerate(names)}
    labels = np.full(matrix.shape[0], -1, dtype=np.int64)
    for row, pid in enumerate(matrix.participants.tolist()):
        if pid in groups:
            labels[row] = index[groups[pid]]
    return labels, names


def analyse(
    votes,
    moderation: Mapping | None = None,
    meta: Iterable | None = None,
    *,
    statements: Iterable | None = None,
    groups: Mapping | None = None,
    seed: int = 0,
    threads: int | None = 1,
) -> AnalysisResult:
    """Analyse a conversation.

    ``votes``: ``(participant, statement, vote, timestamp)`` rows (or a tuple of
    four arrays); the latest vote per participant and statement wins.
    ``moderation``: statement -> -1 (moderated out) / 0 / 1.  ``meta``: meta
    statements (left out of the opinion maths like moderated-out ones, but still
    shown with a fixed priority).  ``statements``: optionally every statement id,
    so that statements nobody voted on yet get a priority.  ``groups``: use this
    participant -> group assignment instead of clustering (e.g. Polis's own).
    ``threads``: cap on BLAS/OpenMP threads while analysing (None: no cap); one
    thread is fastest on small, shared machines.
    """
    if threads is None:
        return _analyse(votes, moderation, meta, statements, groups, seed)
    with threadpool_limits(limits=threads):
        return _analyse(votes, moderation, meta, statements, groups, seed)


def _analyse(votes, moderation, meta, statements, groups, seed) -> AnalysisResult:
    moderation = dict(moderation or {})
    meta = set(meta or ())
    m = build_matrix(votes, moderation, meta)
    sids = m.statements.tolist()
    pids = m.participants.tolist()
    n_p, n_s = m.shape
    result_pca = pca(m)
    inside = in_conversation(m)

    if groups is not None:
        labels, names = _given_labels(m, groups)
        n_groups = len(names)
        k, silhouettes, source = n_groups, {}, "given"
    else:
        rows = np.flatnonzero(inside)
        cl = _clusters.cluster(result_pca.projections[rows], seed=seed)
        labels = np.full(n_p, -1, dtype=np.int64)
        labels[rows] = cl.labels
        n_groups = int(cl.labels.max()) + 1 if len(rows) else 0
        k, silhouettes, source = n_groups, cl.silhouettes, "clustering"

    # group-informed consensus and priorities count the raw votes of grouped participants
    gic_a, gic_d = group_informed_consensus(m.votes, m.voted, labels, n_groups)
    raw_na, raw_nd, raw_ns = vote_counts(m.votes, m.voted, labels, n_groups)

    # representativeness uses the rating matrix (moderated-out statements zeroed)
    r_votes, r_voted = m.rating()
    na, nd, ns = vote_counts(r_votes, r_voted, labels, n_groups)
    stats = group_stats(na, nd, ns)
    rep = select_representative(stats, sids, m.mod_out) if n_groups else []
    cons = select_consensus(r_votes, r_voted, sids, m.mod_out)
    cons["group_informed"] = select_group_consensus(gic_a, gic_d, stats.pa, stats.pd, sids, m.mod_out)

    prio = priority(raw_na.sum(axis=0), raw_nd.sum(axis=0), raw_ns.sum(axis=0),
                    result_pca.comment_extremity, m.meta)
    priorities = {s: float(p) for s, p, out in zip(sids, prio, m.mod_out & ~m.meta, strict=True) if not out}
    for s in sorted(set(statements or ()) - set(sids)):
        if moderation.get(s, 0) != MODERATED_OUT:
            priorities[s] = float(priority(0, 0, 0, 0.0, s in meta))

    grouped = np.flatnonzero(labels >= 0)
    return AnalysisResult(
        participants=pids,
        statements=sids,
        in_conversation=[pids[i] for i in np.flatnonzero(inside)],
        projections={pids[i]: (float(x), float(y)) for i, (x, y) in enumerate(result_pca.projections)},
        groups={pids[i]: int(labels[i]) for i in grouped},
        k=k,
        silhouettes=dict(silhouettes),
        group_sizes=np.bincount(labels[grouped], minlength=n_groups).tolist(),
        consensus={s: float(v) for s, v in zip(sids, gic_a, strict=True)},
        consensus_disagree={s: float(v) for s, v in zip(sids, gic_d, strict=True)},
        repness={g: reps for g, reps in enumerate(rep)},
        consensus_statements=cons,
        priorities=priorities,
        pca_center={s: float(c) for s, c in zip(sids, result_pca.center, strict=True)},
        comment_extremity={s: float(e) for s, e in zip(sids, result_pca.comment_extremity, strict=True)},
        groups_source=source,
        matrix=m,
        pca=result_pca,
    )


__all__ += ["RepStatement"]
