"""Benchmark: a survey's results page, results JSON and CSV export with many responses (PostgreSQL).

    python bench/bench_survey_results.py [--responses 10000] [--runs 30]

Creates a scratch database next to DATABASE_URL (default postgres://postgres@127.0.0.1:5432/), migrates
it, builds a survey with one question of each kind (an allocation grouped by a single-choice question),
bulk-loads responses with valid answers, then times submitting one response through the service and the
results page, the results JSON and the CSV export through the real views. Results are computed from
all the answers once per change (one query for the answers) and cached under the survey's
`results_version`: the figures show a page served from that cache, and a page right after a new
response (computed afresh), with the CPU each costs this process and its PostgreSQL backend.
"""

import argparse
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.common import (  # noqa: E402
    backend_cpu_seconds,
    cpu_per_call,
    cpu_text,
    figure,
    load,
    percentiles,
    scratch_database,
    setup_django,
    timed,
)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--responses", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    with scratch_database("surveys") as url:
        return run(args, url)


def run(args, url) -> int:
    setup_django(url)
    from django.test import Client
    from django.test.utils import override_settings

    from coproduce.assessment import survey_services as surveys
    from coproduce.assessment.models import SurveyAnswer, SurveyResponse
    from coproduce.core.models import Membership, Organisation, Person, User

    org = Organisation.objects.create(name="Bench Council", slug="bench", kind="council")
    admin = User.objects.create_user("bench", "bench@example.org", "x")  # staff (administrators need 2FA)
    Membership.objects.create(person=Person.objects.create(user=admin, name="Bench Staff"), organisation=org,
                              role="staff")
    s = surveys.create_survey(admin, org, title="Bench survey", is_anonymous=True)
    q = {
        "single": surveys.add_question(admin, s, kind="single", text="I am a", options=["a", "b", "c"]),
        "multiple": surveys.add_question(admin, s, kind="multiple", text="Used", options=["x", "y", "z", "w"]),
        "likert": surveys.add_question(admin, s, kind="likert", text="Agree?"),
        "number": surveys.add_question(admin, s, kind="number", text="Hours", min_value=0, max_value=168),
        "ranking": surveys.add_question(admin, s, kind="ranking", text="Order", options=["p", "q", "r", "s"]),
        "matrix": surveys.add_question(admin, s, kind="matrix", text="Grid", options=["r1", "r2", "r3"]),
        "allocation": surveys.add_question(admin, s, kind="allocation", text="Spend",
                                           options=["o1", "o2", "o3", "o4", "o5"]),
        "text": surveys.add_question(admin, s, kind="text", text="Say", required=False),
    }
    surveys.update_survey(admin, s, group_question=q["single"])
    surveys.set_survey_status(admin, s, "open")
    rng = random.Random(7)

    def answers():
        cut = sorted(rng.sample(range(1, 100), 4))
        points = [b - a for a, b in zip([0, *cut], [*cut, 100], strict=True)]
        return {q["single"].pk: rng.randrange(3), q["multiple"].pk: sorted(rng.sample(range(4), 2)),
                q["likert"].pk: rng.randint(1, 5), q["number"].pk: str(rng.randint(0, 168)),
                q["ranking"].pk: rng.sample(range(4), 4), q["matrix"].pk: [rng.randint(1, 5) for _ in range(3)],
                q["allocation"].pk: points, q["text"].pk: rng.choice(["", "more staff", "shorter waits"])}

    batch = 2000
    for start in range(0, args.responses, batch):
        rows = SurveyResponse.objects.bulk_create([SurveyResponse(survey=s, channel="paper")
                                                   for _ in range(min(batch, args.responses - start))])
        SurveyAnswer.objects.bulk_create([SurveyAnswer(response=r, question_id=qid, value=value)
                                          for r in rows for qid, value in answers().items()])
    s.response_count = args.responses
    s.save(update_fields=["response_count"])
    print(f"loaded {args.responses} responses ({args.responses * len(q)} answers)")

    client = Client()
    client.force_login(admin)
    with override_settings(ALLOWED_HOSTS=["*"]):
        print(load())

        def submit_one():
            return surveys.submit_response(admin, s, {k.field: v for k, v in zip(
                q.values(), answers().values(), strict=True)}, channel="paper")

        submit = timed(submit_one, runs=args.runs)
        print(figure("submit one response (service)", submit))
        n, page = args.responses, None
        for label, path in [("results page", f"/services/surveys/{s.slug}/results/"),
                            ("results JSON", f"/api/v1/assessment/surveys/{s.slug}/results"),
                            ("CSV export", f"/services/surveys/{s.slug}/results.csv")]:
            def get(path=path):
                response = client.get(path)
                assert response.status_code == 200, response.status_code
                return response

            samples = timed(get, runs=args.runs, warmup=2)
            cpu, db = cpu_per_call(get, args.runs)
            print(figure(f"{label} ({n} responses)", samples, note=cpu_text(cpu, db)))
            page = page or samples
            if label == "CSV export":
                continue
            fresh, fresh_cpu, fresh_db = [], 0.0, 0.0
            for _ in range(max(5, args.runs // 3)):
                submit_one()
                db0, cpu0, started = backend_cpu_seconds(), time.process_time(), time.perf_counter()
                get()
                fresh.append(time.perf_counter() - started)
                fresh_cpu += time.process_time() - cpu0
                fresh_db += (backend_cpu_seconds() or 0) - (db0 or 0)
            print(figure(f"{label} right after a new response", fresh, note=cpu_text(
                fresh_cpu / len(fresh) * 1000, fresh_db / len(fresh) * 1000)))
        print(f"results page from the cache: p95 {percentiles(page).p95:.1f} ms; {load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
