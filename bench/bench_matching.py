"""Benchmark of the timebank matching engine (no Django).

    python bench/bench_matching.py [--members 100000] [--offers-per-member 3]
                                   [--requests 200] [--needs 20000] [--seed 1]
                                   [--networks 4] [--sharing 0.7]

Worst case: ``--networks 1 --sharing 1`` (every member reachable from every request).

Builds a synthetic world (4 networks x 10 banks x 10 neighbourhoods, 300
categories in 30 groups with skewed popularity, 3,000 tags), then prints
index build times and p50/p95/p99 latency of:
  * suggest_helpers (top 20) for random requests   target: p95 <= 50 ms
  * the same with explain_exclusions=True
  * suggest_needs (reverse: open needs for a helper's offers)
  * an index upsert of one changed member
each with wall-clock percentiles, CPU time and the time spent waiting for a
core (on a shared machine the gap between wall and CPU is that wait).
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from datetime import date, datetime, timedelta

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from coproduce.timebank.matching import (  # noqa: E402
    Candidate,
    MemberIndex,
    NeedIndex,
    Offer,
    OptOut,
    References,
    Request,
    SafeguardingCheck,
    suggest_helpers,
    suggest_needs,
)

NOW = datetime(2030, 6, 1, 9, 0)
N_NETWORKS, BANKS_PER_NETWORK, NBS_PER_BANK = 4, 10, 10  # --networks overrides N_NETWORKS
SHARING = 0.7  # share of banks allowing cross-bank exchange (--sharing)
N_CATEGORIES, GROUP_SIZE, N_TAGS = 300, 10, 3000


def zipf_choice(rng, n, size, s=0.9):
    w = 1.0 / np.arange(1, n + 1) ** s
    return rng.choice(n, size=size, p=w / w.sum())


def world(rng, n_members, offers_per_member):
    n_banks = N_NETWORKS * BANKS_PER_NETWORK
    n_nbs = n_banks * NBS_PER_BANK
    adjacency = {
        nb: [x for x in (nb - 1, nb + 1, nb + NBS_PER_BANK) if 0 <= x < n_nbs] for nb in range(n_nbs)
    }
    groups = {c: c // GROUP_SIZE for c in range(N_CATEGORIES)}
    tags = [f"tag{i}" for i in range(N_TAGS)]
    allows = rng.random(n_banks) < SHARING

    nb = rng.integers(0, n_nbs, n_members)
    n_off = rng.poisson(offers_per_member - 1, n_members) + 1
    cats = zipf_choice(rng, N_CATEGORIES, int(n_off.sum()))
    tag_draw = zipf_choice(rng, N_TAGS, int(n_off.sum()) * 3)
    n_tags = rng.integers(0, 4, int(n_off.sum()))
    members = []
    k = 0
    for i in range(n_members):
        offers = []
        for _ in range(n_off[i]):
            offers.append(
                Offer(k, int(cats[k]), frozenset(tags[t] for t in tag_draw[3 * k : 3 * k + n_tags[k]]))
            )
            k += 1
        windows = []
        for _ in range(rng.integers(0, 4)):
            day = int(rng.integers(0, 7))
            start = day * 1440 + int(rng.integers(8, 18)) * 60
            windows.append((start, start + int(rng.integers(1, 6)) * 60))
        opt_outs = ()
        if rng.random() < 0.1:
            s = NOW + timedelta(days=int(rng.integers(0, 60)))
            opt_outs = (OptOut(s, s + timedelta(days=int(rng.integers(3, 21)))),)
        checks = ()
        if rng.random() < 0.15:
            issued = date(2028, 1, 1) + timedelta(days=int(rng.integers(0, 900)))
            checks = (
                SafeguardingCheck(
                    "enhanced",
                    issued,
                    issued + timedelta(days=3 * 365),
                    bool(rng.random() < 0.8),
                    bool(rng.random() < 0.8),
                ),
            )
        n_refs = int(rng.integers(0, 4))
        refs = References(n_refs, *(float(rng.random() ** 0.3) for _ in range(4))) if n_refs else References()
        bank = int(nb[i]) // NBS_PER_BANK
        members.append(
            Candidate(
                member_id=i + 1,
                bank_id=bank,
                network_id=bank // BANKS_PER_NETWORK,
                neighbourhood_id=int(nb[i]),
                offers=tuple(offers),
                windows=tuple(windows),
                opt_outs=opt_outs,
                references=refs,
                checks=checks,
                completed_exchanges=int(rng.poisson(4)),
                cancellations=int(rng.poisson(0.5)),
                last_asked=None if rng.random() < 0.3 else NOW - timedelta(days=int(rng.integers(0, 120))),
                balance_minutes=int(rng.integers(-600, 3000)),
                bank_allows_cross_bank=bool(allows[bank]),
            )
        )
    return members, adjacency, groups, tags, allows


def random_request(rng, rid, n_members, tags, allows):
    n_nbs = N_NETWORKS * BANKS_PER_NETWORK * NBS_PER_BANK
    nb = int(rng.integers(0, n_nbs))
    bank = nb // NBS_PER_BANK
    start = NOW + timedelta(days=int(rng.integers(1, 30)), hours=int(rng.integers(8, 18)))
    regular = bool(rng.random() < 0.3)
    weekly = ()
    if regular and rng.random() < 0.5:
        weekly = tuple((d * 1440 + 600, d * 1440 + 720) for d in rng.choice(7, 2, replace=False))
    return Request(
        request_id=rid,
        requester_id=int(rng.integers(1, n_members + 1)),
        bank_id=bank,
        network_id=bank // BANKS_PER_NETWORK,
        neighbourhood_id=nb,
        category_id=int(zipf_choice(rng, N_CATEGORIES, 1)[0]),
        start=start,
        end=start + timedelta(hours=2),
        regular=regular,
        weekly=weekly,
        until=(start + timedelta(days=180)).date() if regular else None,
        tags=frozenset(tags[t] for t in zipf_choice(rng, N_TAGS, int(rng.integers(0, 3)))),
        home_visit=bool(rng.random() < 0.3),
        involves_children=bool(rng.random() < 0.1),
        involves_vulnerable_adults=bool(rng.random() < 0.1),
        sensitive=bool(rng.random() < 0.1),
        helpers_needed=2 if rng.random() < 0.1 else 1,
        bank_allows_cross_bank=bool(allows[bank]),
        now=NOW,
    )


def percentiles(samples):
    """Wall-clock percentiles, the p95 of the process's CPU time (which a busy
    shared machine inflates much less than wall-clock time) and the p95 of the
    time the thread was ready to run but waited for a core (Linux schedstat):
    wall = CPU + that wait (+ page faults and I/O, which this engine has none of)."""
    wall = np.array([w for w, _, _ in samples])
    cpu = np.array([c for _, c, _ in samples])
    p50, p95, p99 = np.percentile(wall, [50, 95, 99])
    text = (
        f"p50 {p50:6.2f} ms  p95 {p95:6.2f} ms  p99 {p99:6.2f} ms  max {wall.max():6.2f} ms"
        f"  | cpu p95 {np.percentile(cpu, 95):6.2f} ms"
    )
    if samples[0][2] is not None:
        waited = np.array([q for _, _, q in samples])
        text += f"  | waiting for a core p95 {np.percentile(waited, 95):6.2f} ms"
    return text


def runqueue_ms():
    """Milliseconds this thread has so far spent runnable but not running (None off Linux)."""
    try:
        with open("/proc/thread-self/schedstat") as f:
            return int(f.read().split()[1]) / 1e6
    except OSError:
        return None


def timed(fn, items):
    out, results = [], []
    for item in items:
        q, c, t = runqueue_ms(), time.process_time(), time.perf_counter()
        results.append(fn(item))
        wall, cpu, q2 = (time.perf_counter() - t) * 1000, (time.process_time() - c) * 1000, runqueue_ms()
        out.append((wall, cpu, None if q is None else q2 - q))
    return out, results


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--members", type=int, default=100_000)
    ap.add_argument("--offers-per-member", type=float, default=3.0)
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--needs", type=int, default=20_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--networks", type=int, default=4)
    ap.add_argument("--sharing", type=float, default=0.7)
    args = ap.parse_args()
    globals().update(N_NETWORKS=args.networks, SHARING=args.sharing)
    print(
        f"{N_NETWORKS} network(s) x {BANKS_PER_NETWORK} banks x {NBS_PER_BANK} neighbourhoods; "
        f"{SHARING:.0%} of banks share members"
    )
    rng = np.random.default_rng(args.seed)

    t = time.perf_counter()
    members, adjacency, groups, tags, allows = world(rng, args.members, args.offers_per_member)
    n_offers = sum(len(c.offers) for c in members)
    print(f"generated {len(members):,} members, {n_offers:,} offers in {time.perf_counter() - t:.1f} s")

    t = time.perf_counter()
    index = MemberIndex.build(members, adjacency, groups)
    print(f"member index build: {time.perf_counter() - t:.2f} s (load average {os.getloadavg()[0]:.1f})")
    # A long-lived index is millions of objects: move them out of the cyclic GC's
    # way, as the app should after building (gc.freeze()); otherwise a full
    # collection now and then adds a few hundred ms to an unlucky query.
    gc.collect()
    gc.freeze()

    requests = [random_request(rng, i + 1, args.members, tags, allows) for i in range(args.requests)]
    for r in requests[:5]:
        suggest_helpers(index, r)  # warm-up
    ms, results = timed(lambda r: suggest_helpers(index, r, top=20), requests)
    considered = np.array([r.considered for r in results])
    print(f"suggest_helpers top 20, {len(requests)} requests: {percentiles(ms)}")
    print(
        f"  members considered per request: median {int(np.median(considered)):,}, max {considered.max():,};"
        f" empty results {sum(1 for r in results if not r.suggestions)}"
    )
    ms, _ = timed(lambda r: suggest_helpers(index, r, top=20, explain_exclusions=50), requests)
    print(f"suggest_helpers + 50 exclusions explained: {percentiles(ms)}")
    ms, _ = timed(lambda r: suggest_helpers(index, r, top=20, explain_exclusions=True), requests)
    print(f"suggest_helpers + all exclusions explained: {percentiles(ms)}")

    needs = [random_request(rng, 10_000_000 + i, args.members, tags, allows) for i in range(args.needs)]
    t = time.perf_counter()
    need_index = NeedIndex.build(needs, adjacency, groups)
    print(f"need index build ({len(needs):,} open needs): {time.perf_counter() - t:.2f} s")
    helpers = [members[int(i)] for i in rng.integers(0, len(members), args.requests)]
    for h in helpers[:5]:
        suggest_needs(need_index, h, now=NOW)
    ms, results = timed(lambda h: suggest_needs(need_index, h, top=20, now=NOW), helpers)
    print(f"suggest_needs (all offers) top 20:        {percentiles(ms)}")
    ms, _ = timed(lambda h: suggest_needs(need_index, h, h.offers[0], top=20, now=NOW), helpers)
    print(f"suggest_needs (one new offer) top 20:     {percentiles(ms)}")

    changed = [members[int(i)] for i in rng.integers(0, len(members), 50)]
    ms, _ = timed(lambda c: index.upsert([c]), changed)
    print(f"index.upsert one member:                  {percentiles(ms)}")
    ms, _ = timed(lambda c: index.touch(c.member_id, last_asked=NOW), changed)
    print(f"index.touch one member:                   {percentiles(ms)}")


if __name__ == "__main__":
    main()
