"""What the benchmark scripts share: a scratch PostgreSQL database, Django set up on it, timing
loops, percentiles and the figure lines they print.

    from bench.common import figure, scratch_database, setup_django, timed

    with scratch_database("open311") as url:
        setup_django(url)
        ...
        samples = timed(lambda: client.get(path), runs=200)
        print(figure("filtered page", samples))

DATABASE_URL only says which server to use (default postgres://postgres@127.0.0.1:5432/); the scratch
database `coproduce_bench_<name>_<pid>` is created next to it and dropped at the end, even on failure.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlparse, urlunparse

DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/coproduce"


def server_url() -> str:
    base = os.environ.get("DATABASE_URL", "")
    return base if base.startswith("postgres") else DEFAULT_SERVER


def scratch(name: str) -> tuple[str, str]:
    """(URL of the server's `postgres` database, URL of the scratch database `name`)."""
    parts = urlparse(server_url())
    return urlunparse(parts._replace(path="/postgres")), urlunparse(parts._replace(path=f"/{name}"))


@contextmanager
def scratch_database(label: str) -> Iterator[str]:
    """Create `coproduce_bench_<label>_<pid>`, yield its URL, and drop it afterwards."""
    import psycopg

    name = f"coproduce_bench_{label}_{os.getpid()}"
    admin_url, url = scratch(name)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url
    finally:
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # Django may not be set up yet
            pass
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        print(f"dropped scratch database {name}")


def setup_django(url: str, *, migrate: bool = True) -> None:
    """Point Django at `url`, set it up and (by default) migrate, printing how long that took."""
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("COPRODUCE_TESTING", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coproduce.settings")
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"migrated in {time.perf_counter() - started:.1f} s")


@dataclass
class Percentiles:
    p50: float  # milliseconds
    p95: float
    p99: float

    def __str__(self) -> str:
        return f"p50 {self.p50:6.1f} ms  p95 {self.p95:6.1f} ms  p99 {self.p99:6.1f} ms"


def percentiles(samples: list[float]) -> Percentiles:
    """Nearest-rank percentiles of durations in seconds, in milliseconds."""
    ordered = sorted(samples)

    def pick(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    return Percentiles(pick(0.5), pick(0.95), pick(0.99))


def timed(call: Callable[[], object], runs: int, *, warmup: int = 5,
          check: Callable[[object], None] | None = None) -> list[float]:
    """Durations (seconds) of `runs` calls after `warmup` untimed ones; `check` sees each result."""
    for _ in range(warmup):
        result = call()
        if check:
            check(result)
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        result = call()
        samples.append(time.perf_counter() - started)
        if check:
            check(result)
    return samples


def figure(label: str, samples: list[float], *, width: int = 40, note: str = "") -> str:
    """One line: the label and its percentiles (and a note)."""
    return f"  {label:{width}s} {percentiles(samples)}{'  ' + note if note else ''}"


def verdict(what: str, worst_p95: float, target_ms: float) -> str:
    ok = worst_p95 <= target_ms
    return f"{what}: worst p95 {worst_p95:.1f} ms (target <= {target_ms:g} ms): {'OK' if ok else 'MISSED'}"


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def backend_cpu_seconds() -> float | None:
    """CPU seconds used so far by the PostgreSQL backend serving Django's connection, when the server
    runs on this machine (read from /proc); None otherwise."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_per_call(call: Callable[[], object], runs: int) -> tuple[float, float | None]:
    """Mean CPU milliseconds per call of this process and of its database backend: figures that other
    work on a shared machine distorts far less than wall-clock time."""
    db0, cpu0 = backend_cpu_seconds(), time.process_time()
    for _ in range(runs):
        call()
    cpu, db1 = time.process_time() - cpu0, backend_cpu_seconds()
    return cpu / runs * 1000, (db1 - db0) / runs * 1000 if db0 is not None and db1 is not None else None


def cpu_text(cpu_ms: float, db_ms: float | None) -> str:
    """`cpu_per_call`'s figures as printed: "cpu 12.3 ms + db 4.5 ms" (no db part where it is unknown)."""
    return f"cpu {cpu_ms:6.1f} ms" + (f" + db {db_ms:6.1f} ms" if db_ms is not None else "")
