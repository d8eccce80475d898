"""Benchmark of the timebank ledger on PostgreSQL, side by side with pgbench.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/coproduce .venv/bin/python bench/bench_ledger.py \
        [--clients 16] [--seconds 10] [--members 500] [--cross-bank 0.05] [--cpu-transfers 2000] [--profile]
        [--portable] [--no-pgbench]

DATABASE_URL only says which server to use: the benchmark creates two scratch databases
(`<name>_bench_ledger_<pid>` for the ledger, `<name>_bench_pgbench_<pid>` for pgbench) and drops
them at the end; it never touches the database named in the URL.

1. Migrates the scratch database and builds a network of two banks with `--members` members each
   (overdraft 10 h, maximum 100 h), through the services.
2. One client records `--cpu-transfers` exchanges in a loop (after a warm-up) and reports the Python
   CPU time per transfer (`time.process_time`), which the machine's load distorts far less than
   throughput, and (server on this machine) the CPU time of its server process; `--profile` prints
   where the Python time goes.
3. Runs `--clients` processes (one database connection each) recording exchanges through
   `timebank.services.transfer` for `--seconds`, between random members, with a share of
   `--cross-bank` exchanges across the two banks; a broker of the payer's bank is the actor, so the
   permission check, the limit check, the row locks and the audit entry are all on the path, and
   reports the client and server CPU time per transfer under that load. Each
   client warms up (its connection, caches and the statement paths) before the common start, so
   the window measures steady state only.
4. Runs the checks of `coproduce timebank verify` on the result and checks that no limit was breached.
5. Runs pgbench's TPC-B-like test (`pgbench -i -s 1`, then `-c <clients> -j 2 -T <seconds> -n`).
6. Prints our transfers/s, pgbench's TPS and the ratio, each with the load average at the time
   (other work on the machine shares its cores). Target: >= 1,000 transfers/s.

`--portable` measures the portable ORM path (what SQLite runs) on PostgreSQL instead of the
one-statement path of `timebank.fastpath`, for comparison.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import re
import subprocess
import sys
import time
from urllib.parse import urlparse, urlunparse

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

TARGET = 1000
AMOUNTS = (15, 30, 45, 60, 90, 120)


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def admin_connection(url):
    import psycopg

    parts = urlparse(url)
    return psycopg.connect(
        host=parts.hostname or "127.0.0.1", port=parts.port or 5432, user=parts.username or "postgres",
        password=parts.password, dbname="postgres", autocommit=True,
    )


def create_db(url, name):
    with admin_connection(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_db(url, name):
    with admin_connection(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def with_db(url, name):
    return urlunparse(urlparse(url)._replace(path=f"/{name}"))


# --- the ledger run ----------------------------------------------------------------------------

READY = None  # a fork-inherited barrier: every client starts the clock only when all are ready


def build(members_per_bank):
    from coproduce.core.models import Membership, Person, User
    from coproduce.timebank import services

    admin = User.objects.create_superuser("bench-admin", "admin@bench.example", "bench password 123")
    Person.objects.create(user=admin, name="Bench Admin")
    network = services.create_network(admin, name="Bench network", slug="bench")
    banks, brokers, members = [], [], []
    for slug in ("north", "south"):
        bank = services.create_timebank(admin, name=f"{slug.title()} Timebank", slug=slug, network=network,
                                        allow_cross_bank=True, agreement_text="Everyone's hour is equal.")
        user = User.objects.create_user(f"broker-{slug}", f"{slug}@bench.example", "bench password 123")
        person = Person.objects.create(user=user, name=f"Broker {slug}")
        Membership.objects.create(person=person, organisation=bank.organisation, role="broker")
        banks.append(bank)
        brokers.append(user)
        for n in range(members_per_bank):
            members.append(services.register_member(admin, bank, name=f"{slug} member {n}").pk)
    return [b.pk for b in banks], [u.pk for u in brokers], members


def load_members(members):
    from coproduce.timebank.models import TimebankMember

    loaded = list(TimebankMember.objects.select_related("timebank__organisation", "timebank__network", "person")
                  .filter(pk__in=members))
    by_bank: dict[int, list] = {}
    for member in loaded:
        by_bank.setdefault(member.timebank_id, []).append(member)
    return by_bank


def pick(rng, banks, by_bank, cross_share):
    payer_bank = rng.choice(banks)
    payee_bank = rng.choice([b for b in banks if b != payer_bank]) if rng.random() < cross_share else payer_bank
    return payer_bank, rng.choice(by_bank[payer_bank]), rng.choice(by_bank[payee_bank])


def worker(args):
    seed, members, brokers_by_bank, seconds, cross_share = args
    from django.core.exceptions import ValidationError
    from django.db import connection

    from coproduce.core.models import User
    from coproduce.timebank import services

    connection.close()  # never share the parent's connection
    rng = random.Random(seed)
    by_bank = load_members(members)
    actors = {bank: User.objects.get(pk=user) for bank, user in brokers_by_bank.items()}
    banks = sorted(by_bank)
    ok = refused = 0
    latencies = []
    # Warm-up (not measured): the connection, the permission caches on the actors and both paths.
    for bank in banks:
        other = next(b for b in banks if b != bank)
        for payee in (by_bank[bank][1], by_bank[other][1]):
            try:
                services.transfer(actors[bank], by_bank[bank][0], payee, 1, "Warm-up")
            except ValidationError:
                pass
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        [[backend]] = cursor.fetchall()
    READY.wait()
    start_at = time.time()
    cpu_at, server_at = time.process_time(), server_cpu(backend)
    deadline = start_at + seconds
    while True:
        if time.time() >= deadline:
            break
        began = time.perf_counter()
        payer_bank, payer, payee = pick(rng, banks, by_bank, cross_share)
        if payee.pk == payer.pk:
            continue
        try:
            services.transfer(actors[payer_bank], payer, payee, rng.choice(AMOUNTS), "Bench")
            ok += 1
        except ValidationError:
            refused += 1
        latencies.append(time.perf_counter() - began)
    finished = time.time()
    cpu = time.process_time() - cpu_at
    server = server_cpu(backend)
    server = None if server is None or server_at is None else server - server_at
    connection.close()
    return ok, refused, latencies, start_at, finished, cpu, server


def server_cpu(pid):
    """CPU seconds used so far by the server process `pid`, when the server runs on this machine."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_per_transfer(members, brokers_by_bank, count, cross_share, profile):
    """One client, `count` transfers after a warm-up: Python CPU time (and wall time) per transfer,
    and the CPU time of the client's server process when the server runs on this machine."""
    from django.core.exceptions import ValidationError
    from django.db import connection

    from coproduce.core.models import User
    from coproduce.timebank import services

    rng = random.Random(12345)
    by_bank = load_members(members)
    actors = {bank: User.objects.get(pk=user) for bank, user in brokers_by_bank.items()}
    banks = sorted(by_bank)
    plan = []
    while len(plan) < count + 100:
        payer_bank, payer, payee = pick(rng, banks, by_bank, cross_share)
        if payer.pk != payee.pk:
            plan.append((actors[payer_bank], payer, payee, rng.choice(AMOUNTS)))
    warm, plan = plan[:100], plan[100:]
    refused = 0

    def run(items):
        nonlocal refused
        for actor, payer, payee, minutes in items:
            try:
                services.transfer(actor, payer, payee, minutes, "Bench")
            except ValidationError:
                refused += 1

    run(warm)
    refused = 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        [[backend]] = cursor.fetchall()
    server_at = server_cpu(backend)
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
    cpu, wall = time.process_time(), time.perf_counter()
    run(plan)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    server = server_cpu(backend)
    server = f"{(server - server_at) / count * 1000:.2f} ms" if server is not None and server_at is not None else "n/a"
    if profiler is not None:
        import pstats

        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    print(f"single client: {count:,} transfers ({refused:,} refused by a limit, {cross_share:.0%} cross-bank): "
          f"{cpu / count * 1000:.2f} ms Python CPU, {server} server CPU and {wall / count * 1000:.2f} ms wall "
          f"per transfer "
          f"({'profiled, ' if profile else ''}{load()})")
    return cpu / count


def run_ledger(url, clients, seconds, members_per_bank, cross_share, cpu_transfers=2000, profile=False,
               portable=False):
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coproduce.settings")
    os.environ.setdefault("CONN_MAX_AGE", "600")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from coproduce.timebank import fastpath, ledger
    from coproduce.timebank.models import Account, Transfer

    if portable:
        fastpath.available = lambda: False  # the clients are forked from here and inherit this
    print(f"path: {'portable ORM path' if portable else 'one-statement PostgreSQL path (timebank.fastpath)'}")

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    banks, brokers, members = build(members_per_bank)
    print(f"setup: migrated and built 2 banks x {members_per_bank} members in {time.perf_counter() - t0:.1f} s")
    cpu = None
    if cpu_transfers:
        cpu = cpu_per_transfer(members, dict(zip(banks, brokers)), cpu_transfers, cross_share, profile)
    connections.close_all()
    global READY
    context = multiprocessing.get_context("fork")
    READY = context.Barrier(clients)
    jobs = [(seed, members, dict(zip(banks, brokers)), seconds, cross_share) for seed in range(clients)]
    with context.Pool(clients) as pool:
        results = pool.map(worker, jobs, chunksize=1)
    window = max(r[4] for r in results) - min(r[3] for r in results)
    ok = sum(r[0] for r in results)
    refused = sum(r[1] for r in results)
    latencies = sorted(x for r in results for x in r[2])
    rate = ok / window
    client_cpu = sum(r[5] for r in results) / max(1, ok + refused)
    servers = [r[6] for r in results]
    server_cpu_each = (f"{sum(servers) / max(1, ok + refused) * 1000:.2f} ms server CPU"
                       if None not in servers else "server CPU n/a")
    measured_load = load()
    p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000  # noqa: E731
    print(f"ledger: {clients} clients, {window:.1f} s window: {ok:,} transfers recorded, "
          f"{refused:,} refused by a limit")
    print(f"ledger: {rate:,.0f} transfers/s; latency p50 {p(0.5):.1f} ms, p95 {p(0.95):.1f} ms, p99 {p(0.99):.1f} ms; "
          f"{client_cpu * 1000:.2f} ms client CPU and {server_cpu_each} per transfer ({measured_load})")

    t0 = time.perf_counter()
    report = ledger.verify()
    breached = 0
    for account in Account.objects.filter(kind="member").select_related("member__timebank"):
        ceiling = account.member.effective_max_balance()
        if account.balance_minutes < -account.member.effective_overdraft() or (
            ceiling is not None and account.balance_minutes > ceiling
        ):
            breached += 1
    cross = Transfer.objects.filter(kind="cross_bank").count()
    print(f"verify: {report.accounts} accounts, {report.transfers:,} transfer rows ({cross:,} cross-bank legs), "
          f"bank totals {report.bank_totals}, clearing {report.network_clearing}, "
          f"{len(report.differences)} differences, {breached} limits breached ({time.perf_counter() - t0:.1f} s)")
    for difference in report.differences[:10]:
        print(f"  DIFFERENCE {difference}")
    connections.close_all()
    return rate, measured_load, cpu, report.ok and breached == 0


def run_pgbench(url, name, clients, seconds):
    parts = urlparse(url)
    common = ["-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432), "-U", parts.username or "postgres"]
    env = dict(os.environ)
    if parts.password:
        env["PGPASSWORD"] = parts.password
    subprocess.run(["pgbench", "-i", "-s", "1", "-q", *common, name], check=True, env=env,
                   capture_output=True, text=True)
    result = subprocess.run(["pgbench", "-c", str(clients), "-j", "2", "-T", str(seconds), *common, "-n", name],
                            check=True, env=env, capture_output=True, text=True)
    match = re.search(r"tps = ([\d.]+) \(without initial connection time\)", result.stdout)
    tps = float(match.group(1)) if match else float("nan")
    measured_load = load()
    print(f"pgbench: TPC-B-like, scale 1, {clients} clients, 2 threads, {seconds} s: {tps:,.0f} TPS ({measured_load})")
    return tps, measured_load


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--members", type=int, default=500, help="members per bank")
    parser.add_argument("--cross-bank", type=float, default=0.05)
    parser.add_argument("--cpu-transfers", type=int, default=2000,
                        help="single-client transfers timed for CPU per transfer (0: skip)")
    parser.add_argument("--profile", action="store_true", help="profile the single-client loop")
    parser.add_argument("--no-pgbench", action="store_true")
    parser.add_argument("--portable", action="store_true",
                        help="measure the portable ORM path (what SQLite runs) instead of the PostgreSQL statement")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL=postgres://user@host:port/name (only the server is used).")
    base = (urlparse(url).path.strip("/") or "coproduce").replace("-", "_")
    ledger_db, pgbench_db = f"{base}_bench_ledger_{os.getpid()}", f"{base}_bench_pgbench_{os.getpid()}"
    try:
        create_db(url, ledger_db)
        rate, rate_load, cpu, intact = run_ledger(with_db(url, ledger_db), args.clients, args.seconds, args.members,
                                                  args.cross_bank, args.cpu_transfers, args.profile,
                                                  args.portable)
        tps = None
        if not args.no_pgbench:
            create_db(url, pgbench_db)
            tps, tps_load = run_pgbench(url, pgbench_db, args.clients, args.seconds)
    finally:
        drop_db(url, ledger_db)
        drop_db(url, pgbench_db)
    print()
    if cpu is not None:
        print(f"cpu     : {cpu * 1000:.2f} ms Python CPU per transfer (single client)")
    print(f"ours    : {rate:,.0f} transfers/s through the service layer ({args.clients} clients; {rate_load})")
    if tps:
        print(f"pgbench : {tps:,.0f} TPS (TPC-B-like; {tps_load})")
        print(f"ratio   : {rate / tps:.2f} of pgbench")
    print(f"target  : >= {TARGET:,} transfers/s: {'met' if rate >= TARGET else 'NOT met'}; "
          f"invariants {'intact' if intact else 'BROKEN'}")
    sys.exit(0 if intact else 1)


if __name__ == "__main__":
    main()
