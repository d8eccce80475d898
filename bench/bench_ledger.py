"""Benchmark of the timebank ledger on PostgreSQL, side by side with pgbench.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/coproduce .venv/bin/python bench/bench_ledger.py \
        [--clients 16] [--seconds 10] [--members 500] [--cross-bank 0.05]

DATABASE_URL only says which server to use: the benchmark creates two scratch databases
(`<name>_bench_ledger_<pid>` for the ledger, `<name>_bench_pgbench_<pid>` for pgbench) and drops
them at the end; it never touches the database named in the URL.

1. Migrates the scratch database and builds a network of two banks with `--members` members each
   (overdraft 10 h, maximum 100 h), through the services.
2. Runs `--clients` processes (one database connection each) recording exchanges through
   `timebank.services.transfer` for `--seconds`, between random members, with a share of
   `--cross-bank` exchanges across the two banks; a broker of the payer's bank is the actor, so the
   permission check, the limit check, the row locks and the audit entry are all on the path.
3. Runs `coproduce timebank verify` on the result and checks that no limit was breached.
4. Runs pgbench's TPC-B-like test (`pgbench -i -s 1`, then `-c <clients> -j 2 -T <seconds> -n`).
5. Prints our transfers/s, pgbench's TPS and the ratio. Target: >= 1,000 transfers/s.
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


def worker(args):
    seed, members, brokers_by_bank, seconds, cross_share = args
    from django.core.exceptions import ValidationError
    from django.db import connection

    from coproduce.core.models import User
    from coproduce.timebank import services
    from coproduce.timebank.models import TimebankMember

    connection.close()  # never share the parent's connection
    rng = random.Random(seed)
    loaded = list(TimebankMember.objects.select_related("timebank__organisation", "timebank__network", "person")
                  .filter(pk__in=members))
    by_bank: dict[int, list] = {}
    for member in loaded:
        by_bank.setdefault(member.timebank_id, []).append(member)
    actors = {bank: User.objects.get(pk=user) for bank, user in brokers_by_bank.items()}
    banks = sorted(by_bank)
    ok = refused = 0
    latencies = []
    services.transfer(actors[banks[0]], by_bank[banks[0]][0], by_bank[banks[0]][1], 1, "Warm-up")
    READY.wait()
    start_at = time.time()
    deadline = start_at + seconds
    while True:
        if time.time() >= deadline:
            break
        began = time.perf_counter()
        payer_bank = rng.choice(banks)
        payee_bank = rng.choice([b for b in banks if b != payer_bank]) if rng.random() < cross_share else payer_bank
        payer = rng.choice(by_bank[payer_bank])
        payee = rng.choice(by_bank[payee_bank])
        if payee.pk == payer.pk:
            continue
        try:
            services.transfer(actors[payer_bank], payer, payee, rng.choice((15, 30, 45, 60, 90, 120)), "Bench")
            ok += 1
        except ValidationError:
            refused += 1
        latencies.append(time.perf_counter() - began)
    finished = time.time()
    connection.close()
    return ok, refused, latencies, start_at, finished


def run_ledger(url, clients, seconds, members_per_bank, cross_share):
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coproduce.settings")
    os.environ.setdefault("CONN_MAX_AGE", "600")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from coproduce.timebank import ledger
    from coproduce.timebank.models import Account, Transfer

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    banks, brokers, members = build(members_per_bank)
    print(f"setup: migrated and built 2 banks x {members_per_bank} members in {time.perf_counter() - t0:.1f} s")
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
    p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000  # noqa: E731
    print(f"ledger: {clients} clients, {window:.1f} s window: {ok:,} transfers recorded, "
          f"{refused:,} refused by a limit")
    print(f"ledger: {rate:,.0f} transfers/s; latency p50 {p(0.5):.1f} ms, p95 {p(0.95):.1f} ms, p99 {p(0.99):.1f} ms")

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
    return rate, report.ok and breached == 0


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
    print(f"pgbench: TPC-B-like, scale 1, {clients} clients, 2 threads, {seconds} s: {tps:,.0f} TPS")
    return tps


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--members", type=int, default=500, help="members per bank")
    parser.add_argument("--cross-bank", type=float, default=0.05)
    parser.add_argument("--no-pgbench", action="store_true")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL=postgres://user@host:port/name (only the server is used).")
    base = (urlparse(url).path.strip("/") or "coproduce").replace("-", "_")
    ledger_db, pgbench_db = f"{base}_bench_ledger_{os.getpid()}", f"{base}_bench_pgbench_{os.getpid()}"
    try:
        create_db(url, ledger_db)
        rate, intact = run_ledger(with_db(url, ledger_db), args.clients, args.seconds, args.members, args.cross_bank)
        tps = None
        if not args.no_pgbench:
            create_db(url, pgbench_db)
            tps = run_pgbench(url, pgbench_db, args.clients, args.seconds)
    finally:
        drop_db(url, ledger_db)
        drop_db(url, pgbench_db)
    print()
    print(f"ours    : {rate:,.0f} transfers/s through the service layer ({args.clients} clients)")
    if tps:
        print(f"pgbench : {tps:,.0f} TPS (TPC-B-like)")
        print(f"ratio   : {rate / tps:.2f} of pgbench")
    print(f"target  : >= {TARGET:,} transfers/s: {'met' if rate >= TARGET else 'NOT met'}; "
          f"invariants {'intact' if intact else 'BROKEN'}")
    sys.exit(0 if intact else 1)


if __name__ == "__main__":
    main()
