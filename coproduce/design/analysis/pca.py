"""Two-component PCA with Polis's sparsity-aware projection.

Polis fills every missing vote with the statement's mean vote, centres the
columns, and finds the leading components by power iteration (with deflation).
Filling with the column mean and then centring makes every missing cell exactly
zero, so the centred matrix is as sparse as the votes.  We keep it sparse and
take the top eigenvectors of its Gram matrix (statements x statements) exactly:
with a dense symmetric eigensolver for up to ``DENSE_LIMIT`` statements, else
with Lanczos (ARPACK) from a fixed start vector.  Both give what the power
iteration converges to.

Each participant is projected using only the statements they voted on, and the
projection is scaled by ``sqrt(n_statements / max(n_votes, 1))`` so that people
who voted on few statements are not all piled up near the centre.  As in
Polis, moderated-out statements count as (pass) votes of everybody.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.linalg
import scipy.sparse
import scipy.sparse.linalg

from .matrix import VoteMatrix

DENSE_LIMIT = 400


@dataclass(eq=False)
class PCAResult:
    center: np.ndarray  # mean vote per statement (agree = +1)
    components: np.ndarray  # (2, n_statements), unit rows (zero rows when there is no variance)
    eigenvalues: np.ndarray
    projections: np.ndarray  # (n_participants, 2), sparsity-aware
    comment_extremity: np.ndarray  # per statement, as Polis's comment projection length


def centred_sparse(votes: np.ndarray, voted: np.ndarray) -> tuple[scipy.sparse.csr_matrix, np.ndarray]:
    """Column means over the votes cast, and the centred matrix (zero where nobody voted)."""
    counts = voted.sum(axis=0)
    sums = votes.sum(axis=0, dtype=np.float64)  # votes are 0 where not voted
    center = np.divide(sums, counts, out=np.zeros(votes.shape[1]), where=counts > 0)
    rows, cols = np.nonzero(voted)
    vals = votes[rows, cols] - center[cols]
    keep = vals != 0
    x = scipy.sparse.csr_matrix((vals[keep], (rows[keep], cols[keep])), shape=votes.shape)
    return x, center


def _top_eigen(x: scipy.sparse.csr_matrix, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Largest ``k`` eigenpairs of x.T @ x, largest first."""
    n_s = x.shape[1]
    if n_s <= DENSE_LIMIT:
        gram = (x.T @ x).toarray()
        vals, vecs = scipy.linalg.eigh(gram, subset_by_index=[n_s - k, n_s - 1])
    else:
        xt = x.T.tocsr()
        op = scipy.sparse.linalg.LinearOperator((n_s, n_s), matvec=lambda v: xt @ (x @ v), dtype=np.float64)
        v0 = np.full(n_s, 1 / np.sqrt(n_s))
        vals, vecs = scipy.sparse.linalg.eigsh(op, k=k, which="LA", v0=v0, tol=0)
        order = np.argsort(vals)
        vals, vecs = vals[order], vecs[:, order]
    return vals[::-1], vecs[:, ::-1].T


def _fix_sign(component: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """Choose the sign of a component canonically (independent of row/column order)."""
    cubes = scores.astype(np.float64) ** 3
    skew, scale = float(np.sum(cubes)), float(np.sum(np.abs(cubes)))
    if abs(skew) > 1e-6 * max(scale, 1e-300):
        return component if skew > 0 else -component
    j = int(np.argmax(np.abs(np.round(component, 9))))
    return component if component[j] >= 0 else -component


def pca(matrix: VoteMatrix, n_components: int = 2) -> PCAResult:
    votes, voted = matrix.rating()
    n_p, n_s = votes.shape
    x, center = centred_sparse(votes, voted)
    comps = np.zeros((n_components, n_s))
    eigenvalues = np.zeros(n_components)
    k = min(n_components, n_s)
    if n_p and k and x.nnz:
        vals, vecs = _top_eigen(x, min(k + 1, n_s))
        for i in range(k):
            # a direction without variance is not a component (and would be arbitrary)
            if vals[i] > 1e-10 * max(vals[0], 1e-300):
                comps[i] = _fix_sign(vecs[i], x @ vecs[i])
                eigenvalues[i] = vals[i]
    raw = np.asarray(x @ comps.T) if n_p else np.zeros((0, n_components))
    n_votes = voted.sum(axis=1)
    scale = np.sqrt(n_s / np.maximum(n_votes, 1))
    projections = raw * scale[:, None]
    # Polis projects a statement as a lone "agree" vote; its length is the extremity
    extremity = np.sqrt(n_s) * np.abs(1.0 - center) * np.sqrt((comps**2).sum(axis=0))
    return PCAResult(center, comps, eigenvalues, projections, extremity)
