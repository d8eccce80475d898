"""Benchmark of vote ingestion through the web API on PostgreSQL.

Creates a scratch database, migrates it, sets up a design lab with one conversation, its statements and
N voters with API tokens, starts `coproduce serve` (gunicorn) on a free port against it, and lets N
client threads (one keep-alive connection and one token each, `bench/keepalive.py`) POST votes to
`/api/v1/design/conversations/{id}/votes` as fast as they can. Each voter goes round the statements
several times, so the run mixes first votes (inserts) with changed votes (upserts); every vote also
writes the history row and an audit entry. A voter's first vote creates their participant (the ORM path,
`services.cast_vote`); every later vote is one prepared SQL statement (`coproduce/design/fastpath.py`). Prints votes/s and latencies, checks the database holds
exactly what was sent, then stops the server and drops the scratch database.

    python bench/bench_votes.py [--voters 16] [--votes 250] [--statements 60] [--workers 4]
                                [--threads 4] [--database-url postgres://postgres@127.0.0.1:5432/postgres]

Target: at least 500 votes/s with 16 concurrent voters.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
from keepalive import KeepAlive  # noqa: E402

COPRODUCE = [sys.executable, "-m", "coproduce.cli"]  # the interpreter running the benchmark (its venv)
PYTHON = sys.executable
TARGET_VOTES_PER_S = 500

SETUP = r"""
import json, os, sys
import django
django.setup()
from coproduce.core import services as core
from coproduce.core.models import Organisation, Person, User
from coproduce.design import services
n_voters, n_statements = int(sys.argv[1]), int(sys.argv[2])
admin = User.objects.create_superuser("bench-admin", "bench-admin@example.org", "bench password 123")
Person.objects.create(user=admin, name="Bench Admin", email=admin.email)
org = core.create_organisation(admin, name="Bench Council", kind="council", channel="cli")
lab = services.create_lab(admin, org, title="Bench lab", channel="cli")
conversation = services.create_conversation(admin, lab, title="Bench conversation", moderation="post",
                                            channel="cli")
for i in range(n_statements):
    services.add_seed_statement(admin, conversation, f"Statement number {i}", channel="cli")
tokens = []
for i in range(n_voters):
    user = User.objects.create_user(f"voter{i}", f"voter{i}@example.org", "bench password 123")
    Person.objects.create(user=user, name=f"Voter {i}", email=user.email)
    tokens.append(core.create_api_token(user, user, "bench", channel="cli")[1])
print(json.dumps({"conversation": conversation.pk, "tokens": tokens}))
"""

CHECK = r"""
import json, sys
import django
django.setup()
from coproduce.core.models import AuditEntry
from coproduce.design.models import Vote, VoteEvent
c = int(sys.argv[1])
print(json.dumps({"votes": Vote.objects.filter(conversation_id=c).count(),
                  "events": VoteEvent.objects.filter(conversation_id=c).count(),
                  "audit": AuditEntry.objects.filter(action="vote.cast").count()}))
"""


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of one process (Linux /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


def backend_pids(url: str, name: str) -> list[int]:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        return [row[0] for row in conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [name])]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def with_db(url: str, name: str) -> str:
    parts = urlparse(url)
    return urlunparse(parts._replace(path=f"/{name}"))


def admin_sql(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql)


def run(cmd, env, **kwargs) -> str:
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"failed: {' '.join(map(str, cmd))}")
    return result.stdout


def wait_for(port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("the server did not come up")


def voter(port, token, conversation, statements, n_votes, barrier, latencies, errors, offset):
    conn = KeepAlive("127.0.0.1", port)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    path = f"/api/v1/design/conversations/{conversation}/votes"
    mine = []
    barrier.wait()
    for i in range(n_votes):
        body = json.dumps({"statement": (offset + i) % statements, "vote": (i % 3) - 1}).encode()
        started = time.perf_counter()
        try:
            status, _ = conn.post(path, body, headers)
            if status != 200:
                errors.append(status)
        except OSError as exc:
            errors.append(repr(exc))
            conn.close()
        mine.append(time.perf_counter() - started)
    conn.close()
    latencies.extend(mine)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--voters", type=int, default=16)
    parser.add_argument("--votes", type=int, default=250, help="votes per voter")
    parser.add_argument("--statements", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL",
                                                                  "postgres://postgres@127.0.0.1:5432/postgres"))
    args = parser.parse_args()

    name = f"coproduce_bench_votes_{os.getpid()}"
    admin_url = args.database_url
    db_url = with_db(admin_url, name)
    env = dict(os.environ, DATABASE_URL=db_url, DJANGO_SETTINGS_MODULE="coproduce.settings",
               SECRET_KEY="bench-" + "x" * 50, ALLOWED_HOSTS="127.0.0.1,localhost", DEBUG="0",
               CONN_MAX_AGE="600", THREADS=str(args.threads), LOG_LEVEL="ERROR", COPRODUCE_TESTING="0",
               PYTHONPATH=str(REPO))
    env.pop("TASKS_IMMEDIATE", None)
    print(f"scratch database {name}")
    admin_sql(admin_url, f'CREATE DATABASE "{name}"')
    server = None
    try:
        run([*COPRODUCE, "migrate", "--noinput", "-v0"], env, cwd=REPO)
        setup = json.loads(run([str(PYTHON), "-c", SETUP, str(args.voters), str(args.statements)], env, cwd=REPO))
        port = free_port()
        server = subprocess.Popen(
            [*COPRODUCE, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(args.workers),
             "--no-collectstatic"], env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wait_for(port)
        conversation = setup["conversation"]
        # warm up: every worker connects to the database and imports everything
        warm_lat, warm_err = [], []
        warm_threads = [threading.Thread(target=voter, args=(port, token, conversation, args.statements, 5,
                                                                threading.Barrier(1), warm_lat, warm_err, i))
                        for i, token in enumerate(setup["tokens"])]
        for t in warm_threads:
            t.start()
        for t in warm_threads:
            t.join()
        if warm_err:
            raise SystemExit(f"warm-up failed: {warm_err[:5]}")

        server_pids = [server.pid, *children(server.pid)]
        pg_pids = backend_pids(admin_url, name)
        cpu_before = (sum(map(cpu_seconds, server_pids)), sum(map(cpu_seconds, pg_pids)), time.process_time())
        latencies: list[float] = []
        errors: list = []
        barrier = threading.Barrier(args.voters + 1)
        threads = [threading.Thread(target=voter, args=(port, token, conversation, args.statements, args.votes,
                                                        barrier, latencies, errors, 7 * i))
                   for i, token in enumerate(setup["tokens"])]
        for t in threads:
            t.start()
        barrier.wait()
        started = time.perf_counter()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
        cpu_after = (sum(map(cpu_seconds, server_pids)), sum(map(cpu_seconds, pg_pids)), time.process_time())

        total = args.voters * args.votes
        check = json.loads(run([str(PYTHON), "-c", CHECK, str(conversation)], env, cwd=REPO))
        latencies.sort()

        def pct(p):
            return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1000

        rate = (total - len(errors)) / elapsed
        print(f"voters: {args.voters}, votes each: {args.votes}, statements: {args.statements}, "
              f"gunicorn: {args.workers} workers x {args.threads} threads, cores: {os.cpu_count()}")
        print(f"votes: {total} in {elapsed:.2f} s -> {rate:.0f} votes/s (target >= {TARGET_VOTES_PER_S})")
        print(f"latency ms: p50 {pct(50):.1f}, p95 {pct(95):.1f}, p99 {pct(99):.1f}, "
              f"mean {statistics.mean(latencies) * 1000:.1f}, max {latencies[-1] * 1000:.1f}")
        web, pg, client = ((after - before) * 1000 / total for before, after in zip(cpu_before, cpu_after))
        cores = os.cpu_count() or 1
        print(f"CPU per vote ms: web server {web:.2f}, PostgreSQL {pg:.2f}, load generator {client:.2f}; "
              f"capacity of {cores} idle cores: {cores * 1000 / (web + pg + client):.0f} votes/s "
              f"({cores * 1000 / (web + pg):.0f} without the load generator)")
        try:
            load = os.getloadavg()
            print(f"machine load average during the run: {load[0]:.1f} (other work competes for the cores)")
        except OSError:
            pass
        warm_total = len(warm_lat)
        print(f"errors: {len(errors)}{' ' + str(errors[:5]) if errors else ''}")
        print(f"database: {check['events']} vote events (expected {total + warm_total}), {check['votes']} current "
              f"votes (at most {args.voters * args.statements}), {check['audit']} audit entries")
        ok = (not errors and check["events"] == total + warm_total and check["audit"] == total + warm_total
              and rate >= TARGET_VOTES_PER_S)
        print("OK" if ok else "BELOW TARGET OR INCONSISTENT")
        return 0 if ok else 1
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        admin_sql(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        print(f"dropped {name}")


if __name__ == "__main__":
    raise SystemExit(main())
