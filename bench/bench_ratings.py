"""Benchmark: a service's ratings page with 1,000,000 ratings in the system (PostgreSQL).

    python bench/bench_ratings.py [--ratings 1000000] [--services 50] [--people 100000] [--runs 200]

Creates a scratch database next to DATABASE_URL (default postgres://postgres@127.0.0.1:5432/), migrates
it, bulk-loads people and ratings (COPY), builds the per-service summaries and month buckets once in SQL
(as `rebuild_rating_summary` would), checks one against a recount, then times the ratings page of the
busiest service (page 1 and a deep page) and of a small one through the real view, plus the write path
(`rate_service`, which keeps the aggregates up to date in its transaction). Target: p95 <= 100 ms.
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
    parser.add_argument("--ratings", type=int, default=1_000_000)
    parser.add_argument("--services", type=int, default=50)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    with scratch_database("ratings") as url:
        return run(args, url)


def run(args, url) -> int:
    setup_django(url)
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    from coproduce.assessment import services
    from coproduce.assessment.models import Rating, RatingSummary, Service
    from coproduce.core.models import Organisation, Person, User

    org = Organisation.objects.create(name="Bench Council", slug="bench", kind="council")
    svcs = Service.objects.bulk_create([
        Service(organisation=org, name=f"Service {i}", slug=f"service-{i}",
                rating_dimensions=["Kindness", "Waiting time"]) for i in range(args.services)])
    rng = random.Random(2)
    now = datetime.now(UTC)
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        people = io.StringIO()
        for i in range(args.people):
            people.write(f"Person {i}\t\t\t\t\\N\t\\N\ten\tf\tf\t\\N\t\\N\t\t{now.isoformat()}\t\\N\t\\N\n")
        with cursor.cursor.copy(
            "COPY core_person (name, email, phone, postal_address, birth_date, home_area_id, preferred_language, "
            "contact_about_interests, is_assisted, registered_by_id, consent_recorded_at, access_needs, created_at, "
            "erased_at, user_id) FROM STDIN") as copy:
            copy.write(people.getvalue())
        cursor.execute("SELECT min(id) FROM core_person")
        first_person = cursor.fetchone()[0]
        # The busiest service is rated by everyone; the rest share the remaining ratings.
        pairs = [(0, p) for p in range(min(args.people, args.ratings))]
        remaining = args.ratings - len(pairs)
        per_service = remaining // max(args.services - 1, 1)
        for s in range(1, args.services):
            start = rng.randrange(args.people)
            pairs += [(s, (start + k) % args.people) for k in range(min(per_service, args.people))]
        ratings = io.StringIO()
        for s, p in pairs:
            overall = min(5, max(1, int(rng.gauss(3.6, 1.1))))
            rated = now - timedelta(seconds=rng.randint(0, 3 * 365 * 86400))
            status = "hidden" if rng.random() < 0.01 else "visible"
            ratings.write(f"{svcs[s].pk}\t{first_person + p}\t{overall}\t"
                          f'{{"Kindness": {min(5, overall + 1)}}}\t'
                          f"{'Good service, friendly staff' if overall > 3 else ''}\t{status}\t\t\t\\N\tweb\t"
                          f"{rated.isoformat()}\t{rated.isoformat()}\n")
        with cursor.cursor.copy(
            "COPY assessment_rating (service_id, person_id, overall, dimensions, comment, status, moderation_note, "
            "reply, replied_at, channel, rated_at, created_at) FROM STDIN") as copy:
            copy.write(ratings.getvalue())
        print(f"loaded {args.people:,} people and {len(pairs):,} ratings in {time.perf_counter() - t0:.1f} s")
        t0 = time.perf_counter()
        cursor.execute("""
            INSERT INTO assessment_ratingsummary (service_id, count, total, star_1, star_2, star_3, star_4, star_5,
                                                  dimensions)
            SELECT service_id, count(*), sum(overall), count(*) FILTER (WHERE overall = 1),
                   count(*) FILTER (WHERE overall = 2), count(*) FILTER (WHERE overall = 3),
                   count(*) FILTER (WHERE overall = 4), count(*) FILTER (WHERE overall = 5),
                   jsonb_build_object('Kindness', jsonb_build_array(count(*), sum((dimensions->>'Kindness')::int)))
            FROM assessment_rating WHERE status = 'visible' GROUP BY service_id""")
        cursor.execute("""
            INSERT INTO assessment_ratingmonth (service_id, month, count, total)
            SELECT service_id, date_trunc('month', rated_at AT TIME ZONE %s)::date, count(*), sum(overall)
            FROM assessment_rating WHERE status = 'visible' GROUP BY 1, 2""", ["Europe/London"])
        cursor.execute("ANALYZE")
    print(f"built the summaries once in {time.perf_counter() - t0:.1f} s (pages never recount)")
    busy, small = svcs[0], svcs[-1]
    summary = RatingSummary.objects.get(service=busy)
    fresh = services.recount_ratings(busy)
    assert (summary.count, summary.total) == (fresh["count"], fresh["total"]), "summary differs from a recount"
    print(f"busiest service: {summary.count:,} visible ratings; total ratings stored: {Rating.objects.count():,}")

    client = Client()
    worst = 0.0

    def ok(response):
        assert response.status_code == 200

    with override_settings(ALLOWED_HOSTS=["testserver"]):
        for label, path in [("busiest service, page 1", f"/services/{busy.slug}/ratings/"),
                            ("busiest service, page 50", f"/services/{busy.slug}/ratings/?page=50"),
                            ("small service, page 1", f"/services/{small.slug}/ratings/"),
                            ("(floor: the plain /areas/ page)", "/areas/")]:
            samples = timed(lambda path=path: client.get(path), args.runs, check=ok)
            worst = max(worst, percentiles(samples).p95) if "floor" not in label else worst
            print(figure(label, samples, width=28))
        # the write path: a person changes their rating (summary and month buckets in the same transaction)
        user = User.objects.create_user(username="bench", email="bench@example.org", password="x" * 12)
        Person.objects.filter(pk=first_person).update(user=user)
        change = iter(range(args.runs))

        def rate():
            i = next(change)
            services.rate_service(user, busy, overall=1 + i % 5, dimensions={"Kindness": 1 + (i * 3) % 5})

        print(figure("rate_service (change)", timed(rate, args.runs // 2, warmup=0), width=28))
    summary = RatingSummary.objects.get(service=busy)
    fresh = services.recount_ratings(busy)
    assert (summary.count, summary.total) == (fresh["count"], fresh["total"]), "summary drifted from a recount"
    print(verdict("ratings pages", worst, 100))
    return 0 if worst <= 100 else 1


if __name__ == "__main__":
    sys.exit(main())
