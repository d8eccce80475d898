"""Benchmark: a monitoring campaign at street-champion scale (PostgreSQL).

    python bench/bench_monitoring.py [--volunteers 200] [--observations 50000] [--runs 30]

Creates a scratch database next to DATABASE_URL (default postgres://postgres@127.0.0.1:5432/), migrates
it, builds through the services a river-watch campaign with five measures (two numbers, a count-free
choice, yes/no and free text), bulk-loads 200 enrolled volunteers and 50,000 recorded observations over
a year with valid values, then times through the real views (Django test client, in process):

- recording one observation through the phone form (a volunteer's POST, redirect on success),
- the campaign page with its results and charts (public, and as the coordinator),
- the aggregates JSON of the API,
- the CSV export (public: nobody named; coordinator: with identities),
- the campaign page right after a new observation (results computed afresh, not from the cache).

Prints p50/p95/p99 wall-clock and the CPU per request of this process and of its PostgreSQL backend (which
works out the campaign's totals since the results are grouped in SQL).
"""

import argparse
import os
import random
import sys
import time
from datetime import timedelta

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.common import (  # noqa: E402
    backend_cpu_seconds,
    cpu_per_call,
    cpu_text,
    figure,
    load,
    scratch_database,
    setup_django,
    timed,
)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--volunteers", type=int, default=200)
    parser.add_argument("--observations", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    with scratch_database("monitoring") as url:
        return run(args, url)


def build(args):
    from django.db import connection
    from django.utils import timezone

    from coproduce.assessment import monitoring_services as monitoring
    from coproduce.assessment.monitoring_models import Campaign, Observation, ObservationValue, Volunteer
    from coproduce.core.models import Membership, Organisation, Person, User

    org = Organisation.objects.create(name="Bench Rivers Trust", slug="bench", kind="group")
    coordinator = User.objects.create_user("coordinator", "c@example.org", "x")
    Membership.objects.create(person=Person.objects.create(user=coordinator, name="Bench Coordinator"),
                              organisation=org, role="staff")
    today = timezone.localdate()
    campaign = monitoring.create_campaign(coordinator, org, title="Bench river watch",
                                          starts_on=today - timedelta(days=365), method="Dip the strip.")
    measures = [
        monitoring.add_measure(coordinator, campaign, name="pH", kind="number", min_value="0", max_value="14"),
        monitoring.add_measure(coordinator, campaign, name="Temperature", kind="number", unit="°C",
                               min_value="-5", max_value="40"),
        monitoring.add_measure(coordinator, campaign, name="Turbidity", kind="choice",
                               choices=["clear", "cloudy", "murky"]),
        monitoring.add_measure(coordinator, campaign, name="Litter seen", kind="yes_no", required=False),
        monitoring.add_measure(coordinator, campaign, name="Notes", kind="text", required=False),
    ]
    monitoring.set_campaign_status(coordinator, campaign, "open")
    users = User.objects.bulk_create([User(username=f"v{i}", email=f"v{i}@example.org")
                                      for i in range(args.volunteers)])
    people = Person.objects.bulk_create([Person(user=u, name=f"Volunteer {i}") for i, u in enumerate(users)])
    volunteers = Volunteer.objects.bulk_create([Volunteer(campaign=campaign, person=p) for p in people])
    rng = random.Random(7)
    places = [f"Weir {i}" for i in range(40)] + [f"Footbridge {i}" for i in range(20)]
    now = timezone.now()
    batch = 5000
    for start in range(0, args.observations, batch):
        rows = Observation.objects.bulk_create([
            Observation(campaign=campaign, volunteer=rng.choice(volunteers), location=rng.choice(places),
                        observed_at=now - timedelta(minutes=rng.randrange(364 * 24 * 60)),
                        minutes_spent=rng.choice([15, 20, 30, 45]), channel="web")
            for _ in range(min(batch, args.observations - start))])
        values = []
        for o in rows:
            values += [ObservationValue(observation=o, measure=measures[0], value=f"{rng.uniform(6, 8.5):.2f}"),
                       ObservationValue(observation=o, measure=measures[1], value=f"{rng.uniform(2, 22):.1f}"),
                       ObservationValue(observation=o, measure=measures[2], value=rng.randrange(3)),
                       ObservationValue(observation=o, measure=measures[3], value=rng.random() < 0.3)]
            if rng.random() < 0.1:
                values.append(ObservationValue(observation=o, measure=measures[4], value="Foam by the outfall"))
        ObservationValue.objects.bulk_create(values)
    Campaign.objects.filter(pk=campaign.pk).update(observation_count=args.observations)
    with connection.cursor() as cursor:  # as autovacuum would after a bulk load: plans need row counts
        cursor.execute("ANALYZE")
    print(f"loaded {args.volunteers} volunteers, {args.observations} observations, "
          f"{ObservationValue.objects.count()} values")
    return campaign, measures, coordinator, users[0]


def run(args, url) -> int:
    setup_django(url)
    from django.test import Client
    from django.test.utils import override_settings
    from django.utils import timezone

    campaign, measures, coordinator, volunteer = build(args)
    public, staff, phone = Client(), Client(), Client()
    staff.force_login(coordinator)
    phone.force_login(volunteer)
    rng = random.Random(11)

    def record():
        response = phone.post(f"/services/campaigns/{campaign.slug}/record/", {
            "observed_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "location": "Weir 3",
            "minutes_spent": "20", measures[0].field: f"{rng.uniform(6, 8.5):.2f}",
            measures[1].field: f"{rng.uniform(2, 22):.1f}", measures[2].field: str(rng.randrange(3)),
            measures[3].field: "no", measures[4].field: ""})
        assert response.status_code == 302, response.content[:2000]
        return response

    with override_settings(ALLOWED_HOSTS=["*"]):
        print(load())
        samples = timed(record, runs=args.runs * 3)
        cpu, db = cpu_per_call(record, args.runs)
        print(figure("record one observation (phone form POST)", samples, width=48, note=cpu_text(cpu, db)))
        for label, client, path in [
            ("campaign page with results (public)", public, f"/services/campaigns/{campaign.slug}/"),
            ("campaign page with results (coordinator)", staff, f"/services/campaigns/{campaign.slug}/"),
            ("aggregates JSON (API)", public, f"/api/v1/assessment/campaigns/{campaign.slug}/aggregates"),
            ("CSV export (public, nobody named)", public, f"/services/campaigns/{campaign.slug}/observations.csv"),
            ("CSV export (coordinator, identities)", staff, f"/services/campaigns/{campaign.slug}/observations.csv"),
        ]:
            def get(client=client, path=path):
                response = client.get(path)
                assert response.status_code == 200, (path, response.status_code)
                return response

            samples = timed(get, runs=args.runs, warmup=2)
            cpu, db = cpu_per_call(get, max(5, args.runs // 3))
            print(figure(label, samples, width=48, note=cpu_text(cpu, db)))
        fresh, fresh_cpu, fresh_db = [], [], 0.0
        for _ in range(max(5, args.runs // 3)):
            record()  # a new observation: the next page computes the results afresh
            db0, cpu0, started = backend_cpu_seconds(), time.process_time(), time.perf_counter()
            assert public.get(f"/services/campaigns/{campaign.slug}/").status_code == 200
            fresh.append(time.perf_counter() - started)
            fresh_cpu.append(time.process_time() - cpu0)
            fresh_db += (backend_cpu_seconds() or 0) - (db0 or 0)
        print(figure("campaign page right after a new observation", fresh, width=48,
                     note=cpu_text(sum(fresh_cpu) / len(fresh_cpu) * 1000, fresh_db / len(fresh) * 1000)))
        print(load())
    return 0


if __name__ == "__main__":
    sys.exit(main())
