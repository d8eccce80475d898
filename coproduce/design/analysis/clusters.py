"""Two-tier k-means as Polis does it: ~100 base clusters, then 2-5 groups.

Polis first compresses the participants in the conversation into (up to) 100
base clusters in the 2-D projection, then clusters the base-cluster centres
(weighted by their sizes) into k groups for every k from 2 to
``min(5, 2 + n_base // 12)`` and keeps the k with the best silhouette
(computed over the base-cluster centres, unweighted).

Polis warm-starts every run from the previous one, so its groups depend on the
history of the conversation.  We run the two tiers in one batch,
deterministically and independent of how participants are numbered:

* points are rounded and put in canonical (sorted) order, duplicates merged;
* base clusters: seeded k-means++ on the distinct points (each distinct point is
  its own base cluster when there are at most ``base_k`` of them);
* groups, for each k: weighted Lloyd iterations from several deterministic
  starts (k equal-weight slices along the first axis, and seeded k-means++
  starts); among the results we keep the one with the best silhouette that has
  no group smaller than ``min_group`` participants, then pick k by silhouette,
  as Polis does.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from sklearn.cluster import KMeans

BASE_K = 100
MAX_K = 5
DECIMALS = 8
N_STARTS = 10
MIN_GROUP_FRACTION = 0.05


@dataclass(eq=False)
class Clustering:
    base_labels: np.ndarray  # per clustered participant, index into base_centers
    base_centers: np.ndarray  # (n_base, 2)
    base_sizes: np.ndarray
    group_of_base: np.ndarray  # per base cluster, group index
    labels: np.ndarray  # per clustered participant, group index
    k: int
    silhouettes: dict[int, float] = field(default_factory=dict)


def _canonical_unique(points: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct rounded points sorted lexicographically, inverse index, and counts."""
    rounded = np.round(points.astype(np.float64), DECIMALS) + 0.0  # +0.0 folds -0.0
    uniq, inverse, counts = np.unique(rounded, axis=0, return_inverse=True, return_counts=True)
    return uniq, inverse.reshape(-1), counts


def _sq_dists(points: np.ndarray, centers: np.ndarray) -> np.ndarray:
    return ((points[:, None, :] - centers[None, :, :]) ** 2).sum(axis=2)


def _centers(points: np.ndarray, weights: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    w = np.bincount(labels, weights=weights, minlength=k)
    return np.stack(
        [np.bincount(labels, weights=weights * points[:, d], minlength=k) for d in range(points.shape[1])], axis=1
    ) / np.maximum(w, 1e-300)[:, None]


def lloyd(points: np.ndarray, weights: np.ndarray, centers: np.ndarray, max_iter: int = 100) -> np.ndarray:
    """Weighted Lloyd iterations from ``centers``; returns compact labels (empty clusters dropped)."""
    labels = np.argmin(_sq_dists(points, centers), axis=1)
    for _ in range(max_iter):
        used, labels = np.unique(labels, return_inverse=True)
        centers = _centers(points, weights, labels, len(used))
        new = np.argmin(_sq_dists(points, centers), axis=1)
        if np.array_equal(new, labels):
            break
        labels = new
    return np.unique(labels, return_inverse=True)[1]


def slice_start(points: np.ndarray, weights: np.ndarray, k: int) -> np.ndarray:
    """Centres of k slices of equal weight along the first axis (points in canonical order)."""
    order = np.lexsort((points[:, 1], points[:, 0]))
    w = weights[order] / weights.sum()
    mid = np.cumsum(w) - w / 2
    slice_of = np.minimum((mid * k).astype(int), k - 1)
    return _centers(points[order], w, slice_of, k)[np.unique(slice_of)]


def kmeanspp_start(points: np.ndarray, weights: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """Greedy weighted k-means++ seeding: D^2 sampling, best of a few trials per centre."""
    trials = 2 + int(math.log(k))
    chosen = [int(rng.choice(len(points), p=weights / weights.sum()))]
    d2 = _sq_dists(points, points[chosen])[:, 0]
    for _ in range(1, k):
        q = weights * d2
        if q.sum() <= 0:
            break
        cand = rng.choice(len(points), size=trials, p=q / q.sum())
        cand_d2 = np.minimum(d2[None, :], _sq_dists(points[cand], points))
        best = int(np.argmin((cand_d2 * weights[None, :]).sum(axis=1)))
        chosen.append(int(cand[best]))
        d2 = cand_d2[best]
    return points[chosen]


def silhouette(dist: np.ndarray, labels: np.ndarray) -> float:
    """Mean silhouette over points (0 for members of singleton clusters), as Polis computes it."""
    k = labels.max() + 1
    if k < 2:
        return 0.0
    onehot = np.eye(k)[labels]
    counts = onehot.sum(axis=0)
    sums = dist @ onehot  # sum of distances from each point to each cluster
    own = counts[labels]
    a = sums[np.arange(len(labels)), labels] / np.maximum(own - 1, 1)
    mean_other = sums / np.maximum(counts, 1)
    mean_other[np.arange(len(labels)), labels] = np.inf
    b = mean_other.min(axis=1)
    s = np.where(own > 1, (b - a) / np.maximum(np.maximum(a, b), 1e-300), 0.0)
    return float(s.mean())


def base_clusters(points: np.ndarray, k: int = BASE_K, seed: int = 0):
    """Base clusters: labels per point, centres, sizes (canonical numbering)."""
    uniq, inverse, counts = _canonical_unique(points)
    if len(uniq) <= k:
        labels_u = np.arange(len(uniq))
    else:
        km = KMeans(n_clusters=k, init="k-means++", n_init=1, random_state=seed, algorithm="lloyd")
        raw = km.fit(uniq, sample_weight=counts.astype(np.float64)).labels_
        # renumber in order of first appearance along the canonical order
        _, first = np.unique(raw, return_index=True)
        remap = np.empty(raw.max() + 1, dtype=np.int64)
        remap[raw[np.sort(first)]] = np.arange(len(first))
        labels_u = remap[raw]
    n_base = int(labels_u.max()) + 1 if len(labels_u) else 0
    sizes = np.bincount(labels_u, weights=counts, minlength=n_base)
    centers = _centers(uniq, counts.astype(np.float64), labels_u, n_base)
    return labels_u[inverse], centers, sizes.astype(np.int64)


def max_groups(n_base: int, max_k: int = MAX_K) -> int:
    return min(max_k, 2 + n_base // 12)


def _relabel_groups(group_of_base: np.ndarray, sizes: np.ndarray, centers: np.ndarray) -> np.ndarray:
    """Number groups by size (largest first), ties by centre coordinates."""
    k = int(group_of_base.max()) + 1
    gsize = np.bincount(group_of_base, weights=sizes, minlength=k)
    gcenter = _centers(centers, sizes.astype(np.float64), group_of_base, k)
    order = sorted(range(k), key=lambda g: (-gsize[g], round(gcenter[g, 0], 6), round(gcenter[g, 1], 6)))
    remap = np.empty(k, dtype=np.int64)
    remap[order] = np.arange(k)
    return remap[group_of_base]


def _partition_key(labels: np.ndarray) -> tuple:
    """Labels renumbered by first appearance, so equal partitions compare equal."""
    _, first = np.unique(labels, return_index=True)
    remap = np.empty(labels.max() + 1, dtype=np.int64)
    remap[labels[np.sort(first)]] = np.arange(len(first))
    return tuple(remap[labels].tolist())


def group_candidates(points: np.ndarray, weights: np.ndarray, k: int, seed: int, n_starts: int = N_STARTS):
    """Distinct Lloyd results for k from the deterministic starts."""
    rng = np.random.default_rng(seed)
    starts = [slice_start(points, weights, k)]
    starts += [kmeanspp_start(points, weights, k, rng) for _ in range(n_starts)]
    seen, out = set(), []
    for start in starts:
        labels = lloyd(points, weights, start)
        key = _partition_key(labels)
        if key not in seen:
            seen.add(key)
            out.append(labels)
    return out


def cluster(points: np.ndarray, seed: int = 0, base_k: int = BASE_K, max_k: int = MAX_K,
            min_group_fraction: float = MIN_GROUP_FRACTION) -> Clustering:
    """Cluster participants' 2-D projections into base clusters and groups."""
    n = len(points)
    if n == 0:
        empty = np.zeros(0, dtype=np.int64)
        return Clustering(empty, np.zeros((0, 2)), empty, empty, empty, 0, {})
    base_labels, centers, sizes = base_clusters(points, base_k, seed)
    n_base = len(centers)
    weights = sizes.astype(np.float64)
    dist = np.sqrt(_sq_dists(centers, centers))
    min_group = max(2, math.ceil(min_group_fraction * n))
    silhouettes: dict[int, float] = {}
    best: tuple[float, int, np.ndarray] | None = None  # (silhouette, k, labels), guard satisfied
    fallback: tuple[float, int, np.ndarray] | None = None  # ignoring the guard
    for k in range(2, max_groups(n_base, max_k) + 1):
        if k > n_base:
            break
        best_k = None
        for labels in group_candidates(centers, weights, k, seed):
            if labels.max() + 1 < k:
                continue
            s = silhouette(dist, labels)
            ok = np.bincount(labels, weights=weights).min() >= min_group
            if fallback is None or s > fallback[0] + 1e-12:
                fallback = (s, k, labels)
            if ok and (best_k is None or s > best_k[0] + 1e-12):
                best_k = (s, k, labels)
        if best_k is not None:
            silhouettes[k] = best_k[0]
            if best is None or best_k[0] > best[0] + 1e-12:
                best = best_k
    chosen = best or fallback
    if chosen is None:  # a single distinct position: one group
        group_of_base = np.zeros(n_base, dtype=np.int64)
        k = 1
    else:
        _, k, group_of_base = chosen
        group_of_base = _relabel_groups(group_of_base, sizes, centers)
    return Clustering(base_labels, centers, sizes, group_of_base, group_of_base[base_labels], k, silhouettes)
