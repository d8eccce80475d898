"""Benchmark: Open311 `GET requests.json` with 100,000 service requests stored (PostgreSQL).

    python bench/bench_open311.py [--requests 100000] [--services 12] [--runs 200]

Creates a scratch database next to DATABASE_URL (default postgres://postgres@127.0.0.1:5432/), migrates
it, bulk-loads the requests (COPY) spread over two years, then times filtered pages through the real
view (Django test client): p50/p95/p99. Target: p95 <= 100 ms for a filtered page. Drops the database.
"""

import argparse
import io
import os
import random
import sys
import time
from datetime import UTC, datetime, timedelta

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.common import figure, percentiles, scratch_database, setup_django, timed, verdict  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--services", type=int, default=12)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    with scratch_database("open311") as url:
        return run(args, url)


def run(args, url) -> int:
    setup_django(url)
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    from coproduce.assessment.models import Complaint, Open311Client, Service
    from coproduce.core.models import Organisation

    org = Organisation.objects.create(name="Bench Council", slug="bench", kind="council")
    services = Service.objects.bulk_create([
        Service(organisation=org, name=f"Service {i}", slug=f"service-{i}", open311_code=f"S{i}")
        for i in range(args.services)])
    client_row = Open311Client.objects.create(name="bench", key_hash="x" * 64, hint="x")
    rng = random.Random(1)
    now = datetime.now(UTC)
    statuses = ["received", "acknowledged", "in_progress", "resolved", "closed", "referred"]
    started = time.perf_counter()
    buffer = io.StringIO()
    for i in range(args.requests):
        requested = now - timedelta(seconds=rng.randint(0, 730 * 86400))
        status = rng.choices(statuses, weights=[15, 10, 10, 25, 35, 5])[0]
        service = services[min(int(rng.expovariate(0.3)), args.services - 1)]
        public = "t" if rng.random() < 0.95 else "f"
        lat, lon = 51.5 + rng.random() / 10, -0.1 + rng.random() / 10
        buffer.write("\t".join([
            str(service.pk), "report", public, status, "Noted." if status != "received" else "", "",
            "web" if i % 3 else "api", f"{lat:.6f}", f"{lon:.6f}", f"{i} High Street", "", "", "", "", "", "", "",
            "", "{}", "", f"t{i:012d}", str(client_row.pk), "", requested.isoformat(),
            (requested + timedelta(hours=5)).isoformat(), (requested + timedelta(hours=2)).isoformat(),
            "\\N", "\\N", "\\N", f"Pothole number {i} is deep and dangerous for cyclists"]) + "\n")
    columns = ("service_id, kind, is_public, status, status_notes, referred_to, channel, lat, long, address_string, "
               "address_id, zipcode, first_name, last_name, email, phone, device_id, account_id, attributes, "
               "media_url, token, client_id, ip_hash, requested_at, updated_at, acknowledged_at, resolved_at, "
               "closed_at, help_invited_at, description")
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY assessment_complaint ({columns}) FROM STDIN") as copy:
            copy.write(buffer.getvalue())
        cursor.execute("ANALYZE assessment_complaint")
    print(f"loaded {Complaint.objects.count():,} requests in {time.perf_counter() - started:.1f} s")

    client = Client()
    day = timedelta(days=1)
    if os.environ.get("BENCH_EXPLAIN"):
        qs = Complaint.objects.filter(
            is_public=True, requested_at__gte=now - 90 * day, requested_at__lte=now, service_id__in=[services[1].pk]
        ).exclude(status__in=["resolved", "closed", "referred"]).order_by("-requested_at", "-id")
        print(qs.values_list("pk", "status", "description")[:1000].explain(analyze=True))
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        with override_settings(ALLOWED_HOSTS=["testserver"]):
            path = "/open311/v2/requests.json?service_code=S1&status=open"
            client.get(path)
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(5):
                client.get(path)
            profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(18)
    queries = {
        "default (last 90 days, 1000 newest)": lambda r: "/open311/v2/requests.json",
        "service_code + status=open": lambda r: f"/open311/v2/requests.json?service_code=S{r.randint(0, 5)}&status=open",
        "date window (30 days) + service_code": lambda r: (
            "/open311/v2/requests.json?service_code=S{}&start_date={}&end_date={}".format(
                r.randint(0, 3), (now - (k := r.randint(30, 700)) * day).strftime("%Y-%m-%dT%H:%M:%SZ"),
                (now - (k - 30) * day).strftime("%Y-%m-%dT%H:%M:%SZ"))),
        "status=closed, 7-day window": lambda r: (
            "/open311/v2/requests.json?status=closed&start_date={}&end_date={}".format(
                (now - 60 * day).strftime("%Y-%m-%dT%H:%M:%SZ"), (now - 53 * day).strftime("%Y-%m-%dT%H:%M:%SZ"))),
        "20 ids": lambda r: "/open311/v2/requests.json?service_request_id=" + ",".join(
            str(r.randint(1, args.requests)) for _ in range(20)),
    }
    worst = 0.0
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        for label, make in queries.items():
            r = random.Random(label)
            seen = {"rows": 0, "pages": 0}

            def fetch(make=make, r=r):
                return client.get(make(r))

            def check(response, seen=seen):
                assert response.status_code == 200, response.content[:200]
                seen["rows"] += response.content.count(b'"service_request_id"')
                seen["pages"] += 1

            samples = timed(fetch, args.runs, check=check)
            p95 = percentiles(samples).p95
            worst = max(worst, p95) if "default" not in label else worst
            print(figure(label, samples, note=f"({seen['rows'] / seen['pages']:.0f} rows/page)"))
        xml = timed(lambda: client.get("/open311/v2/requests.xml?service_code=S1&status=open"), args.runs // 2,
                    warmup=0)
        print(figure("XML: service_code + status=open", xml))
    print(verdict("filtered pages", worst, 100))
    return 0 if worst <= 100 else 1


if __name__ == "__main__":
    sys.exit(main())
