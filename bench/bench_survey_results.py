"""Benchmark: a survey's results page, results JSON and CSV export with many responses (PostgreSQL).

    python bench/bench_survey_results.py [--responses 10000] [--runs 30]

Creates a scratch database next to DATABASE_URL (default postgres://postgres@127.0.0.1:5432/), migrates
it, builds a survey with one question of each kind (an allocation grouped by a single-choice question),
bulk-loads responses with valid answers, then times submitting one response through the service and the
results page, the results JSON and the CSV export through the real views. Results are computed from the
answers per request (one query for the answers); this measures what that costs.
"""

import argparse
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.common import figure, scratch_database, setup_django, timed  # noqa: E402


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
        submit = timed(lambda: surveys.submit_response(admin, s, {k.field: v for k, v in zip(
            q.values(), answers().values(), strict=True)}, channel="paper"), runs=args.runs)
        print(figure("submit one response (service)", submit))
        for label, path in [("results page", f"/services/surveys/{s.slug}/results/"),
                            ("results JSON", f"/api/v1/assessment/surveys/{s.slug}/results"),
                            ("CSV export", f"/services/surveys/{s.slug}/results.csv")]:
            def check(response):
                assert response.status_code == 200, response.status_code

            samples = timed(lambda path=path: client.get(path), runs=args.runs, warmup=2, check=check)
            print(figure(f"{label} ({args.responses} responses)", samples))
    return 0


if __name__ == "__main__":
    sys.exit(main())
