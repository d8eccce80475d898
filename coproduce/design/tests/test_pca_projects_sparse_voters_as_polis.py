import math

import numpy as np
import pytest

from coproduce.design.analysis.matrix import build_matrix
from coproduce.design.analysis.pca import pca

pytestmark = pytest.mark.pure


def polis_reference(rows: list[list], iters: int = 2000):
    """Polis's recipe, written out plainly: impute column means, centre, power iteration with deflation,
    then project each participant on the statements they voted on and scale by sqrt(n_cols / n_votes)."""
    n_cols = len(rows[0])
    means = []
    for j in range(n_cols):
        col = [r[j] for r in rows if r[j] is not None]
        means.append(sum(col) / len(col))
    data = np.array([[means[j] if r[j] is None else r[j] for j in range(n_cols)] for r in rows], float)
    data -= data.mean(axis=0)
    comps = []
    for _ in range(2):
        v = np.ones(n_cols)
        for _ in range(iters):
            v = data.T @ (data @ v)
            v /= np.linalg.norm(v)
        comps.append(v)
        data = data - np.outer(data @ v, v)
    proj = []
    for r in rows:
        voted = [j for j in range(n_cols) if r[j] is not None]
        p = [sum((r[j] - means[j]) * c[j] for j in voted) for c in comps]
        proj.append([x * math.sqrt(n_cols / max(len(voted), 1)) for x in p])
    return np.array(means), np.array(comps), np.array(proj)


def test_components_and_sparsity_aware_projection_match_polis_recipe():
    rng = np.random.default_rng(7)
    n_p, n_s = 40, 9
    latent = rng.normal(size=(n_p, 2)) @ rng.normal(size=(2, n_s))
    full = np.sign(latent + rng.normal(scale=0.3, size=latent.shape)).astype(int)
    rows = [[int(full[p, s]) if rng.random() < 0.7 or s == 0 else None for s in range(n_s)] for p in range(n_p)]
    votes = [(p, s, v, 0) for p, r in enumerate(rows) for s, v in enumerate(r) if v is not None]
    result = pca(build_matrix(votes))
    means, comps, proj = polis_reference(rows)
    assert result.center == pytest.approx(means)
    for i in range(2):
        sign = np.sign(result.components[i] @ comps[i])
        assert result.components[i] * sign == pytest.approx(comps[i], abs=1e-6)
        assert result.projections[:, i] * sign == pytest.approx(proj[:, i], abs=1e-6)


def test_few_votes_are_scaled_up():
    # participant 2 votes like participant 1 on one statement only: scaled by sqrt(4 / 1) = 2
    votes = [(1, s, 1, 0) for s in range(4)] + [(0, s, -1, 0) for s in range(4)] + [(2, 0, 1, 0)]
    votes += [(3, s, 1 if s % 2 else -1, 0) for s in range(4)]
    r = pca(build_matrix(votes))
    x = build_matrix(votes)
    centred = np.where(x.voted, x.votes - r.center, 0.0)
    raw = centred @ r.components.T
    assert r.projections[2] == pytest.approx(raw[2] * 2.0)
    assert r.projections[1] == pytest.approx(raw[1] * 1.0)


def test_moderated_out_columns_count_as_votes_but_carry_no_variance():
    votes = [(p, s, (1 if (p + s) % 3 else -1), 0) for p in range(12) for s in range(5)]
    r = pca(build_matrix(votes, moderation={4: -1}))
    assert r.components[:, 4] == pytest.approx([0.0, 0.0], abs=1e-12)
    assert r.center[4] == 0.0


def test_comment_extremity_is_length_of_a_lone_agree_vote_projection():
    rng = np.random.default_rng(1)
    votes = [(p, s, int(rng.choice([-1, 0, 1])), 0) for p in range(30) for s in range(6)]
    r = pca(build_matrix(votes))
    for j in range(6):
        expected = math.sqrt(6 / 1) * abs(1 - r.center[j]) * np.linalg.norm(r.components[:, j])
        assert r.comment_extremity[j] == pytest.approx(expected)
