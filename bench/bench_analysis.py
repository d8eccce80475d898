"""Benchmark of the opinion-analysis engine (coproduce.design.analysis).

Prints, for every Polis export in the shared data folder: reading time,
analysis time (matrix build included; first call and best of several), the
adjusted Rand index of our groups against Polis's ``group-id``, and for
bg2050-volunteers the largest difference between our group-informed consensus
(with Polis's groups) and Polis's own.  Then a synthetic conversation of
30,000 participants x 1,000 statements (a few latent opinion groups, sparse,
heavy-tailed participation) is analysed in a fresh subprocess that reports its
time and peak RSS.

    python bench/bench_analysis.py [--participants 30000] [--statements 1000] [--skip-real] [--skip-synthetic]

Data: $COPRODUCE_SHARED_DATA/polis/<conversation> (default <repo>/../shared/data).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

CONVERSATIONS = ["15-per-hour-seattle", "bg2050-volunteers", "brexit-consensus", "london.youth.policing",
                 "vtaiwan.uberx"]
TARGET_VTAIWAN_S = 0.5
TARGET_SYNTHETIC_S = 10.0
TARGET_SYNTHETIC_RSS_MB = 2048


def shared_data() -> Path:
    env = os.environ.get("COPRODUCE_SHARED_DATA")
    return Path(env) if env else REPO.parent / "shared" / "data"


def bench_real(repeats: int) -> None:
    from sklearn.metrics import adjusted_rand_score

    from coproduce.design.analysis import analyse
    from coproduce.design.polis_export import read_export

    print("Real Polis exports")
    print(f"{'conversation':24s} {'ptpts':>6s} {'stmts':>5s} {'votes':>6s} {'read s':>7s} {'first s':>8s} "
          f"{'best s':>7s} {'k':>2s} {'polis k':>7s} {'ARI':>6s}")
    for conv in CONVERSATIONS:
        folder = shared_data() / "polis" / conv
        if not folder.exists():
            print(f"{conv:24s} missing at {folder}")
            continue
        t = time.perf_counter()
        export = read_export(folder)
        t_read = time.perf_counter() - t
        rows, moderation, meta = export.vote_rows(), export.moderation(), export.meta_ids()
        times = []
        for _ in range(repeats):
            t = time.perf_counter()
            result = analyse(rows, moderation, meta)
            times.append(time.perf_counter() - t)
        polis = export.groups()
        common = [p for p in result.groups if p in polis]
        ari = adjusted_rand_score([polis[p] for p in common], [result.groups[p] for p in common])
        print(f"{conv:24s} {len(result.participants):6d} {len(result.statements):5d} {len(rows):6d} "
              f"{t_read:7.3f} {times[0]:8.3f} {min(times):7.3f} {result.k:2d} {len(set(polis.values())):7d} "
              f"{ari:6.3f}")
        if conv == "vtaiwan.uberx":
            ok = min(times) <= TARGET_VTAIWAN_S
            print(f"  vtaiwan.uberx analysis best {min(times):.3f} s, first {times[0]:.3f} s "
                  f"(target <= {TARGET_VTAIWAN_S} s: {'OK' if ok else 'MISSED'})")
        if conv == "bg2050-volunteers":
            given = analyse(rows, moderation, meta, groups=polis)
            err = max(abs(given.consensus[c.comment_id] - c.group_informed_consensus) for c in export.comments)
            print(f"  bg2050 group-informed consensus vs Polis export (Polis groups): max abs error {err:.3e} "
                  f"over {len(export.comments)} comments")


def synthetic_votes(n_p: int, n_s: int, seed: int = 0, n_groups: int = 4):
    """Sparse synthetic conversation: latent groups with stances, heavy-tailed participation,
    popular (early) statements seen more often, passes, noise and some re-votes."""
    import numpy as np

    rng = np.random.default_rng(seed)
    group = rng.choice(n_groups, size=n_p, p=np.array([0.4, 0.3, 0.2, 0.1])[:n_groups] / 1.0)
    stance = rng.choice([-1.0, 1.0], size=(n_groups, n_s)) * rng.uniform(0.2, 1.0, size=(n_groups, n_s))
    shared = rng.uniform(-1, 1, size=n_s)  # statements everyone tends to agree/disagree on
    stance = 0.6 * stance + 0.4 * shared
    n_votes = np.clip(rng.lognormal(mean=np.log(40), sigma=1.0, size=n_p), 1, n_s).astype(np.int64)
    popularity = 1.0 / np.arange(1, n_s + 1) ** 0.5
    popularity /= popularity.sum()
    total = int(n_votes.sum())
    pid = np.repeat(np.arange(n_p), n_votes)
    # statements per participant: Gumbel top-k on log popularity (without replacement)
    sid = np.empty(total, dtype=np.int64)
    pos = 0
    logp = np.log(popularity)
    for p in range(n_p):
        k = n_votes[p]
        keys = logp + rng.gumbel(size=n_s)
        sid[pos:pos + k] = np.argpartition(-keys, k - 1)[:k] if k < n_s else np.arange(n_s)
        pos += k
    s = stance[group[pid], sid] + rng.normal(scale=0.5, size=total)
    vote = np.where(s > 0.25, 1, np.where(s < -0.25, -1, 0)).astype(np.int64)
    ts = rng.integers(1_600_000_000_000, 1_700_000_000_000, size=total)
    # 2 % re-votes (earlier timestamps, other values) that must be overridden
    redo = rng.random(total) < 0.02
    pid = np.concatenate([pid, pid[redo]])
    sid = np.concatenate([sid, sid[redo]])
    vote = np.concatenate([vote, rng.integers(-1, 2, size=int(redo.sum()))])
    ts = np.concatenate([ts, ts[redo] - 1000])
    shuffle = rng.permutation(len(pid))  # rows in no particular order, as in real exports
    pid, sid, vote, ts = pid[shuffle], sid[shuffle], vote[shuffle], ts[shuffle]
    moderation = {int(j): -1 for j in rng.choice(n_s, size=n_s // 20, replace=False)}
    return (pid, sid, vote, ts), moderation, group


def synthetic_child(path: str) -> None:
    """Runs in a subprocess: load the arrays, analyse, report time and peak RSS as JSON."""
    import numpy as np

    from coproduce.design.analysis import analyse

    data = np.load(path)
    moderation = json.loads(str(data["moderation"]))
    arrays = (data["pid"], data["sid"], data["vote"], data["ts"])
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t = time.perf_counter()
    result = analyse(arrays, {int(k): v for k, v in moderation.items()})
    elapsed = time.perf_counter() - t
    rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    from sklearn.metrics import adjusted_rand_score

    latent = data["group"]
    pids = list(result.groups)
    ari = adjusted_rand_score(latent[pids], [result.groups[p] for p in pids])
    print(json.dumps({"seconds": elapsed, "rss_before_mb": rss_before, "rss_peak_mb": rss_peak, "k": result.k,
                      "in_conversation": len(result.in_conversation), "participants": len(result.participants),
                      "statements": len(result.statements), "ari_latent": ari}))


def bench_synthetic(n_p: int, n_s: int) -> None:
    import numpy as np

    print(f"\nSynthetic conversation {n_p} participants x {n_s} statements")
    t = time.perf_counter()
    (pid, sid, vote, ts), moderation, group = synthetic_votes(n_p, n_s)
    print(f"  generated {len(pid):,} vote rows in {time.perf_counter() - t:.1f} s "
          f"(mean {len(pid) / n_p:.0f} votes per participant, {len(moderation)} statements moderated out)")
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "synthetic.npz")
        np.savez(path, pid=pid, sid=sid, vote=vote, ts=ts, group=group, moderation=json.dumps(moderation))
        out = subprocess.run([sys.executable, __file__, "--child", path], capture_output=True, text=True, check=True)
    r = json.loads(out.stdout.strip().splitlines()[-1])
    ok_t = r["seconds"] <= TARGET_SYNTHETIC_S
    ok_m = r["rss_peak_mb"] <= TARGET_SYNTHETIC_RSS_MB
    print(f"  analysis {r['seconds']:.2f} s (target <= {TARGET_SYNTHETIC_S:.0f} s: {'OK' if ok_t else 'MISSED'})")
    print(f"  peak RSS {r['rss_peak_mb']:.0f} MB (after loading data {r['rss_before_mb']:.0f} MB; "
          f"target <= {TARGET_SYNTHETIC_RSS_MB} MB: {'OK' if ok_m else 'MISSED'})")
    print(f"  {r['participants']} participants, {r['in_conversation']} in conversation, k = {r['k']}, "
          f"ARI with the latent groups {r['ari_latent']:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=30_000)
    parser.add_argument("--statements", type=int, default=1_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--skip-real", action="store_true")
    parser.add_argument("--skip-synthetic", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        synthetic_child(args.child)
        return
    if not args.skip_real:
        bench_real(args.repeats)
    if not args.skip_synthetic:
        bench_synthetic(args.participants, args.statements)


if __name__ == "__main__":
    main()
