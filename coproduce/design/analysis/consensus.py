"""Group-informed consensus and consensus statements.

Group-informed consensus (Polis's ``group-aware-consensus``) of a statement is
the product over groups of the add-one-smoothed agree rate of the group:
``prod_g (agrees_g + 1) / (votes_g + 2)``, where votes are the raw votes (agree,
disagree or pass) cast by the group's members.  It is high only when every
group tends to agree.  The disagree analogue uses disagrees.

Consensus statements follow Polis's selection over all participants: a
statement is a consensus-agree candidate when pa = (na + 1) / (n + 2) > 1/2 and
its z statistic against 1/2 is significant at 90 %; the top 5 by pa * z are
kept (likewise for disagree).  We also list the statements a majority of every
group agrees (disagrees) with, ranked by group-informed consensus.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from .repness import MAX_REP, prop_test, vote_counts, z_sig_90


def group_informed_consensus(votes: np.ndarray, voted: np.ndarray, labels: np.ndarray, n_groups: int):
    """(agree, disagree) consensus per statement, from raw votes of grouped participants."""
    na, nd, ns = vote_counts(votes, voted, labels, n_groups)
    if n_groups == 0:
        ones = np.ones(votes.shape[1])
        return ones, ones.copy()
    agree = np.prod((na + 1.0) / (ns + 2.0), axis=0)
    disagree = np.prod((nd + 1.0) / (ns + 2.0), axis=0)
    return agree, disagree


@dataclass
class ConsensusStatement:
    statement: object
    direction: str
    n_success: int
    n_trials: int
    p_success: float
    p_test: float

    def to_dict(self) -> dict:
        d = asdict(self)
        d["comment_id"] = d.pop("statement")
        return d


def select_consensus(votes: np.ndarray, voted: np.ndarray, statements, excluded: np.ndarray) -> dict:
    """Polis's consensus statements over all participants: {"agree": [...], "disagree": [...]}."""
    na = (voted & (votes == 1)).sum(axis=0)
    nd = (voted & (votes == -1)).sum(axis=0)
    ns = voted.sum(axis=0)
    out = {}
    for direction, n in (("agree", na), ("disagree", nd)):
        p = (n + 1) / (ns + 2)
        z = prop_test(n, ns)
        keep = [j for j in range(len(statements)) if not excluded[j] and p[j] > 0.5 and z_sig_90(z[j])]
        keep.sort(key=lambda j: -(p[j] * z[j]))  # stable: ties stay in statement order
        out[direction] = [
            ConsensusStatement(statements[j], direction, int(n[j]), int(ns[j]), float(p[j]), float(z[j]))
            for j in keep[:MAX_REP]
        ]
    return out


def select_group_consensus(gic_agree, gic_disagree, pa, pd, statements, excluded, limit: int = MAX_REP) -> dict:
    """Statements a majority of every group agrees (disagrees) with, by group-informed consensus."""
    out = {}
    for direction, gic, p in (("agree", gic_agree, pa), ("disagree", gic_disagree, pd)):
        if p.shape[0] == 0:
            out[direction] = []
            continue
        keep = [j for j in range(len(statements)) if not excluded[j] and (p[:, j] > 0.5).all()]
        keep.sort(key=lambda j: -gic[j])
        out[direction] = [{"comment_id": statements[j], "group_informed_consensus": float(gic[j])}
                          for j in keep[:limit]]
    return out
