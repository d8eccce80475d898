"""Property tests: the analysis depends only on the final vote matrix."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.metrics import adjusted_rand_score

from coproduce.design.analysis import analyse

pytestmark = pytest.mark.pure


@st.composite
def conversations(draw):
    """A conversation with a few latent opinion groups, some missing votes and some repeated votes."""
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    n_p = draw(st.integers(20, 70))
    n_s = draw(st.integers(8, 25))
    k = draw(st.integers(1, 3))
    stance = rng.choice([-1, 0, 1], size=(k, n_s), p=[0.4, 0.2, 0.4])
    member = rng.integers(0, k, n_p)
    noise = draw(st.floats(0.0, 0.4))
    density = draw(st.floats(0.5, 1.0))
    votes = []
    t = 0
    for p in range(n_p):
        for s in range(n_s):
            if rng.random() > density:
                continue
            v = int(stance[member[p], s])
            if rng.random() < noise:
                v = int(rng.choice([-1, 0, 1]))
            if rng.random() < 0.1:  # an earlier, overridden vote
                t += 1
                votes.append((p, s, int(rng.choice([-1, 0, 1])), t))
            t += 1
            votes.append((p, s, v, t))
    moderation = {s: -1 for s in range(n_s) if rng.random() < 0.1}
    return votes, moderation, n_p, n_s, draw(st.integers(0, 2**32 - 1))


def _same_partition(a: dict, b: dict) -> bool:
    keys = sorted(a)
    return sorted(b) == keys and adjusted_rand_score([a[p] for p in keys], [b[p] for p in keys]) == 1.0


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(conversations())
def test_invariant_to_the_order_of_votes(conv):
    votes, moderation, _, _, perm_seed = conv
    rng = np.random.default_rng(perm_seed)
    shuffled = [votes[i] for i in rng.permutation(len(votes))]
    a = analyse(votes, moderation)
    b = analyse(shuffled, moderation)
    assert a.groups == b.groups
    assert a.consensus == b.consensus
    assert a.priorities == b.priorities


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(conversations())
def test_invariant_to_renumbering_participants_and_statements(conv):
    votes, moderation, n_p, n_s, perm_seed = conv
    rng = np.random.default_rng(perm_seed)
    p_map = {p: int(x) for p, x in zip(range(n_p), rng.permutation(n_p) * 7 + 1000, strict=True)}
    s_map = {s: int(x) for s, x in zip(range(n_s), rng.permutation(n_s) * 3 + 50, strict=True)}
    renumbered = [(p_map[p], s_map[s], v, t) for p, s, v, t in votes]
    a = analyse(votes, moderation)
    b = analyse(renumbered, {s_map[s]: m for s, m in moderation.items()})
    # groups equal up to relabelling
    assert _same_partition({p_map[p]: g for p, g in a.groups.items()}, b.groups)
    assert a.k == b.k
    # consensus per statement equal
    for s, value in a.consensus.items():
        assert b.consensus[s_map[s]] == pytest.approx(value, rel=1e-9, abs=1e-12)
    for s, value in a.priorities.items():
        assert b.priorities[s_map[s]] == pytest.approx(value, rel=1e-6, abs=1e-9)


def test_same_input_same_result():
    rng = np.random.default_rng(3)
    votes = [(p, s, int(rng.choice([-1, 0, 1])), p * 100 + s) for p in range(40) for s in range(12)]
    a, b = analyse(votes), analyse(votes)
    assert a.to_json() == b.to_json()
