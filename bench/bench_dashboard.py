"""Benchmark of the outcomes dashboard: 50 indicators with 10 years of monthly readings.

    .venv/bin/python bench/bench_dashboard.py [--requests 200] [--indicators 50] [--years 10] [--sqlite]

Builds a scratch database – on PostgreSQL when DATABASE_URL points at one (a database
`<name>_bench_dashboard_<pid>`, dropped at the end; the named database is never touched), otherwise
(or with --sqlite) a SQLite file in a temporary folder – migrates it, and creates through the services
an organisation with a published framework of `--indicators` indicators (baseline, two targets,
`--years` × 12 monthly readings each, imported through the CSV import service).

Then it times repeated GETs with the Django test client (in-process: server time, no network) of:
the public dashboard (the page under test), the same dashboard as staff, the framework page and the
API list of indicators; plus one indicator's page with its 120-reading chart. Prints p50, p95 and max
per page. Target: dashboard p95 <= 100 ms; exits 1 when it is missed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from urllib.parse import urlparse, urlunparse

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

TARGET_MS = 100.0


def admin_sql(url: str, sql: str) -> None:
    import psycopg

    parts = urlparse(url)
    with psycopg.connect(host=parts.hostname or "127.0.0.1", port=parts.port or 5432,
                         user=parts.username or "postgres", password=parts.password, dbname="postgres",
                         autocommit=True) as conn:
        conn.execute(sql)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def build(n_indicators: int, years: int):
    from datetime import date
    from decimal import Decimal

    from coproduce.core import services as core
    from coproduce.core.models import Area, Organisation, User
    from coproduce.outcomes import services

    admin = User.objects.create_superuser(username="bench", email="bench@example.org", password="x" * 12)
    core.person_for_new_user(admin, name="Bench Admin")
    city = core.create_area(admin, name="Benchville", kind=Area.Kind.CITY)
    org = core.create_organisation(admin, name="Benchville Council", kind=Organisation.Kind.COUNCIL, area=city,
                                   slug="benchville")
    staff = User.objects.create_user(username="staff", email="staff@example.org", password="x" * 12)
    core.person_for_new_user(staff, name="Bench Staff")
    core.add_membership(admin, staff.person, org, "staff")
    fw = services.create_framework(admin, org, title="A thriving Benchville")
    today = date.today()
    first_year = today.year - years
    per_outcome = 5
    outcomes = []
    for g in range((n_indicators + per_outcome * 2 - 1) // (per_outcome * 2)):
        goal = services.add_goal(admin, fw, title=f"Goal {g + 1}")
        for o in range(2):
            outcomes.append(services.add_outcome(admin, goal, title=f"Outcome {g + 1}.{o + 1}"))
    started = time.perf_counter()
    for i in range(n_indicators):
        better = "up" if i % 3 else "down"
        indicator = services.create_indicator(
            admin, outcomes[i // per_outcome], title=f"Indicator {i + 1}", unit="people", better=better,
            baseline_value=Decimal(100), baseline_date=date(first_year, 1, 1))
        services.set_target(admin, indicator, due=date(today.year + 1, 1, 1),
                            value=Decimal(150 if better == "up" else 60))
        services.set_target(admin, indicator, due=date(today.year + 4, 1, 1),
                            value=Decimal(200 if better == "up" else 40))
        lines = ["date,value"]
        for month in range(years * 12):
            year, m = first_year + month // 12, month % 12 + 1
            if date(year, m, 28) > today:
                break
            step = (month * (i % 7 + 1)) % 23
            lines.append(f"{date(year, m, 28).isoformat()},{100 + (step if better == 'up' else -step) + month // 6}")
        services.import_readings_csv(admin, indicator, "\n".join(lines) + "\n", dry_run=False)
        if (i + 1) % 10 == 0:
            print(f"  built {i + 1}/{n_indicators} indicators ({time.perf_counter() - started:.1f} s)", flush=True)
    services.set_framework_published(admin, fw, True)
    return org, fw, staff


def measure(client, url: str, n: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds per request (CPU time shows the cost on a busy machine)."""
    for _ in range(5):  # warm up: templates compiled, connection open
        assert client.get(url).status_code == 200, url
    wall, cpu = [], []
    for _ in range(n):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200, url
    return wall, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--indicators", type=int, default=50)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--sqlite", action="store_true", help="use a scratch SQLite file even if DATABASE_URL is set")
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL", "")
    scratch = tempfile.mkdtemp(prefix="bench-dashboard-")
    os.environ["COPRODUCE_VAR_DIR"] = scratch
    os.environ["ALLOWED_HOSTS"] = "testserver,localhost"
    os.environ.setdefault("SECRET_KEY", "bench-dashboard-not-secret")
    os.environ["DEBUG"] = ""
    os.environ["COPRODUCE_TESTING"] = "1"  # plain static storage (no collectstatic manifest), tasks run inline
    db_name = None
    if url.startswith("postgres") and not args.sqlite:
        db_name = f"{(urlparse(url).path.strip('/') or 'coproduce')}_bench_dashboard_{os.getpid()}"
        admin_sql(url, f'DROP DATABASE IF EXISTS "{db_name}"')
        admin_sql(url, f'CREATE DATABASE "{db_name}"')
        os.environ["DATABASE_URL"] = urlunparse(urlparse(url)._replace(path=f"/{db_name}"))
        backend = f"PostgreSQL (scratch database {db_name})"
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch}/bench.sqlite3"
        backend = f"SQLite ({scratch}/bench.sqlite3)"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coproduce.settings")
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client

        print(f"Database: {backend}")
        call_command("migrate", verbosity=0)
        t0 = time.perf_counter()
        org, fw, staff = build(args.indicators, args.years)
        from coproduce.outcomes.models import Indicator, Reading

        n_readings = Reading.objects.filter(indicator__framework=fw).count()
        print(f"Built {Indicator.objects.filter(framework=fw).count()} indicators with {n_readings} readings "
              f"in {time.perf_counter() - t0:.1f} s")
        anonymous, staff_client = Client(), Client()
        staff_client.force_login(staff)
        one = Indicator.objects.filter(framework=fw).first()
        pages = [
            ("dashboard (public)", anonymous, f"/outcomes/organisations/{org.slug}/", args.requests),
            ("dashboard (staff)", staff_client, f"/outcomes/organisations/{org.slug}/", args.requests),
            ("framework page", anonymous, f"/outcomes/frameworks/{fw.slug}/", args.requests),
            ("API indicator list", anonymous, "/api/v1/outcomes/indicators?limit=50", args.requests),
            ("indicator page (120 readings)", anonymous, f"/outcomes/indicators/{one.pk}/", max(20, args.requests // 4)),
        ]
        results = {}
        print(f"\nLoad average before measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        print(f"\n{'page':32} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'cpu p50':>8} {'cpu p95':>8}")
        for name, client, page_url, n in pages:
            times, cpu = measure(client, page_url, n)
            results[name] = percentile(times, 0.95)
            print(f"{name:32} {n:5d} {statistics.median(times):8.1f} {percentile(times, 0.95):8.1f} {max(times):8.1f}"
                  f" {statistics.median(cpu):8.1f} {percentile(cpu, 0.95):8.1f}", flush=True)
        connection.close()
        p95 = results["dashboard (public)"]
        ok = p95 <= TARGET_MS
        print(f"\nDashboard p95 {p95:.1f} ms (target <= {TARGET_MS:.0f} ms): {'OK' if ok else 'MISSED'}")
        return 0 if ok else 1
    finally:
        if db_name:
            from django.db import connections

            connections.close_all()
            admin_sql(url, f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')


if __name__ == "__main__":
    sys.exit(main())
