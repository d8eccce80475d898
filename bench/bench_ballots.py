"""Ballot casting through the web endpoint on PostgreSQL: 16 concurrent voters.

    python bench/bench_ballots.py [--voters 4000] [--clients 16] [--seconds 15] [--workers 4] [--threads 4]

Creates a scratch database (dropped at the end), migrates it, sets up a council, a process in its
voting phase with a city-wide budget of 12 projects, and VOTERS citizens each with their own API
token and home area. Starts `coproduce serve` on a free port against it; 16 client threads (each
with its own keep-alive connection, `bench/keepalive.py`, and its own voters) POST ballots to
/api/v1/budgeting/budgets/<id>/ballot as fast as they can (a voter may post again: that changes
their ballot). Prints ballots/s and latency percentiles, then checks there is exactly one ballot
per voter who voted.   Target: >= 500 ballots/s.

DATABASE_URL must point at PostgreSQL (default postgres://postgres@127.0.0.1:5432/coproduce; only
its server is used: the scratch database gets its own name).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))
from keepalive import KeepAlive  # noqa: E402


def scratch_url(base: str, name: str) -> str:
    parsed = urlparse(base)
    return urlunparse(parsed._replace(path=f"/{name}"))


def admin_connect(base: str):
    import psycopg

    parsed = urlparse(base)
    conn = psycopg.connect(host=parsed.hostname or "127.0.0.1", port=parsed.port or 5432,
                           user=parsed.username or "postgres", password=parsed.password or None,
                           dbname="postgres", autocommit=True)
    return conn


def cpu_seconds(pids) -> float:
    """User + system CPU time of these processes (Linux /proc), in seconds."""
    total = 0
    tick = os.sysconf("SC_CLK_TCK")
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / tick


def process_group(pgid: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.getpgid(int(entry.name)) == pgid:
                    pids.append(int(entry.name))
            except OSError:
                pass
    return pids


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SETUP = r'''
import json, sys
import django
django.setup()
from datetime import timedelta
from django.utils import timezone
from coproduce.core.models import ApiToken, Area, Organisation, Person, User, Membership
from coproduce.budgeting import services
from coproduce.budgeting.models import Process

n = int(sys.argv[1])
city = Area.objects.create(name="Benchton", slug="benchton", kind="city"); city.path = f"/{city.pk}/"; city.save()
hood = Area.objects.create(name="Bench Hood", slug="bench-hood", kind="neighbourhood", parent=city)
hood.path = f"{city.path}{hood.pk}/"; hood.save()
council = Organisation.objects.create(name="Benchton Council", slug="benchton", kind="council", area=city)
admin = User.objects.create_superuser(username="benchadmin", email="a@bench.example", password=None)
Person.objects.create(user=admin, name="Bench Admin")
process = services.create_process(admin, council, title="Bench Decides", max_choices=3, channel="cli")
services.set_phase(admin, process, "collect", channel="cli")
budget = services.add_budget(admin, process, name="City", amount=10_000_000, channel="cli")
ids = []
for i in range(12):
    p = services.submit_proposal(None, process, title=f"Project {i}", cost_estimate=500_000 + 10_000 * i, channel="cli")
    services.review_proposal(admin, p, feasible=True, reason="ok", channel="cli")
    ids.append(p.pk)
services.set_phase(admin, process, "vote", channel="cli")
users = User.objects.bulk_create([User(username=f"voter{i}", email=f"v{i}@bench.example", password="!") for i in range(n)])
Person.objects.bulk_create([Person(user=u, name=f"Voter {i}", home_area=hood) for i, u in enumerate(users)])
raws = [ApiToken.new_raw() for _ in users]
ApiToken.objects.bulk_create([ApiToken(user=u, name="bench", key_hash=ApiToken.hash(r), hint=r[:7]) for u, r in zip(users, raws)])
print(json.dumps({"budget": budget.pk, "projects": ids, "tokens": raws}))
'''

COUNT = r'''
import json, sys
import django
django.setup()
from django.db.models import Count
from coproduce.budgeting.models import Ballot
from coproduce.core.models import AuditEntry
dupes = Ballot.objects.values("budget", "voter_key").annotate(n=Count("id")).filter(n__gt=1).count()
print(json.dumps({"ballots": Ballot.objects.count(), "duplicates": dupes,
                  "audit": AuditEntry.objects.filter(action="ballot.cast").count()}))
'''


def run_python(code: str, env: dict, *args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code, *args], env=env, cwd=REPO, capture_output=True, text=True)
    if out.returncode != 0:
        sys.stderr.write(out.stderr)
        raise SystemExit("setup failed")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--voters", type=int, default=4000)
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--seconds", type=float, default=15)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        base = "postgres://postgres@127.0.0.1:5432/coproduce"
    name = f"coproduce_bench_ballots_{secrets.token_hex(4)}"
    admin = admin_connect(base)
    admin.execute(f'CREATE DATABASE "{name}"')
    env = dict(os.environ, DATABASE_URL=scratch_url(base, name), SECRET_KEY="bench-" + secrets.token_hex(16),
               DJANGO_SETTINGS_MODULE="coproduce.settings", COPRODUCE_VAR_DIR=str(REPO / "var" / "bench"),
               CONN_MAX_AGE="600", TASKS_IMMEDIATE="1", LOG_LEVEL="ERROR")
    server = None
    try:
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "coproduce.cli", "migrate", "-v0"], env=env, cwd=REPO, check=True)
        world = run_python(SETUP, env, str(args.voters))
        print(f"setup: scratch database, {args.voters} voters with tokens, 12 projects "
              f"({time.perf_counter() - t0:.1f} s)", flush=True)
        port = free_port()
        server_env = dict(env, THREADS=str(args.threads))
        server = subprocess.Popen(
            [sys.executable, "-m", "coproduce.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
             "--workers", str(args.workers), "--no-collectstatic"],
            env=server_env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise SystemExit("server did not start")

        budget, projects, tokens = world["budget"], world["projects"], world["tokens"]
        per_client = [tokens[i::args.clients] for i in range(args.clients)]
        path = f"/api/v1/budgeting/budgets/{budget}/ballot"
        latencies: list[list[float]] = [[] for _ in range(args.clients)]
        errors = [0] * args.clients
        voted: set[str] = set()
        lock = threading.Lock()
        start_evt = threading.Event()
        stop_at = [0.0]

        def client(k: int) -> None:
            rng = random.Random(k)
            conn = KeepAlive("127.0.0.1", port)
            mine = per_client[k]
            i = 0
            start_evt.wait()
            while time.perf_counter() < stop_at[0]:
                token = mine[i % len(mine)]
                i += 1
                body = json.dumps({"choices": rng.sample(projects, rng.randint(1, 3))}).encode()
                t = time.perf_counter()
                try:
                    status, _ = conn.post(path, body, {"Authorization": f"Bearer {token}",
                                                       "Content-Type": "application/json"})
                except OSError:
                    errors[k] += 1
                    conn.close()
                    continue
                latencies[k].append(time.perf_counter() - t)
                if status != 200:
                    errors[k] += 1
                else:
                    with lock:
                        voted.add(token)

        threads = [threading.Thread(target=client, args=(k,)) for k in range(args.clients)]
        for th in threads:
            th.start()
        # warm-up: a second of traffic not counted
        stop_at[0] = time.perf_counter() + 1.0 + args.seconds
        begun = time.perf_counter()
        start_evt.set()
        time.sleep(1.0)
        warm = sum(len(x) for x in latencies)
        warm_at = time.perf_counter()
        server_pids = process_group(server.pid)
        db_pids = [r[0] for r in admin.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s", [name]).fetchall()]
        cpu_before = (cpu_seconds(server_pids), cpu_seconds(db_pids), time.process_time())
        for th in threads:
            th.join()
        ended = time.perf_counter()
        cpu_after = (cpu_seconds(server_pids), cpu_seconds(db_pids), time.process_time())
        all_lat = sorted(x for lat in latencies for x in lat)
        measured = len(all_lat) - warm
        rate = measured / (ended - warm_at)
        pct = lambda q: all_lat[min(len(all_lat) - 1, int(q * len(all_lat)))] * 1000  # noqa: E731
        counts = run_python(COUNT, env)
        print(f"clients: {args.clients} threads, keep-alive; server: {args.workers} workers x {args.threads} threads")
        print(f"ballots cast: {len(all_lat)} in {ended - begun:.1f} s ({sum(errors)} errors)")
        print(f"throughput: {rate:.0f} ballots/s (target >= 500)")
        print(f"latency: p50 {pct(0.5):.1f} ms, p95 {pct(0.95):.1f} ms, p99 {pct(0.99):.1f} ms")
        server_cpu, db_cpu, client_cpu = (after - before for after, before in zip(cpu_after, cpu_before))
        per = lambda x: 1000 * x / max(measured, 1)  # noqa: E731
        cpu_ms = per(server_cpu) + per(db_cpu) + per(client_cpu)
        print(f"CPU per ballot: server {per(server_cpu):.2f} ms, PostgreSQL {per(db_cpu):.2f} ms, "
              f"clients {per(client_cpu):.2f} ms; total {cpu_ms:.2f} ms -> capacity of {os.cpu_count()} idle cores "
              f"~ {1000 * os.cpu_count() / max(cpu_ms, 1e-9):.0f} ballots/s")
        load = os.getloadavg()[0]
        print(f"machine load average during the run: {load:.1f} on {os.cpu_count()} cores")
        print(f"stored: {counts['ballots']} ballots for {len(voted)} voters who voted, duplicates: "
              f"{counts['duplicates']}, audit entries: {counts['audit']}")
        ok = counts["ballots"] == len(voted) and counts["duplicates"] == 0 and sum(errors) == 0 and rate >= 500
        print("RESULT:", "ok" if ok else "BELOW TARGET OR INCONSISTENT")
        return 0 if ok else 1
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        time.sleep(0.5)
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


if __name__ == "__main__":
    sys.exit(main())
