"""Survey results are computed from every answer once and then served from the cache until the answers
change: a new response (online, on paper, or through the API) and the erasure of a respondent's free
text both show in the very next results, on the page, in the JSON and for other groupings."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coproduce.assessment import survey_services as surveys
from coproduce.assessment.models import SurveyAnswer
from coproduce.core.services import erase_person


@pytest.fixture
def survey(personas, world):
    staff = personas["staff"]
    s = surveys.create_survey(staff, world.service, title="Buses", is_anonymous=False)
    q = {"often": surveys.add_question(staff, s, kind="single", text="How often?", options=["daily", "weekly"]),
         "say": surveys.add_question(staff, s, kind="text", text="Anything else?", required=False),
         "spend": surveys.add_question(staff, s, kind="allocation", text="Spend", options=["routes", "fares"])}
    surveys.set_survey_status(staff, s, "open")
    surveys.submit_response(personas["citizen"], s, {q["often"].field: 0, q["say"].field: "More night buses",
                                                     q["spend"].field: [70, 30]})
    return s, q


def _answer_reads(call):
    with CaptureQueriesContext(connection) as queries:
        result = call()
    return result, sum(1 for query in queries if "assessment_surveyanswer" in query["sql"])


def by_kind(results, kind):
    return next(r for r in results if r["question"]["kind"] == kind)


def test_results_are_read_from_the_answers_once_until_a_new_response(personas, survey, client_as):
    s, q = survey
    first, reads = _answer_reads(lambda: surveys.results(s))
    assert reads == 1 and by_kind(first, "single")["answered"] == 1
    again, reads = _answer_reads(lambda: surveys.results(s))
    assert reads == 0 and again == first  # served from the cache
    surveys.submit_response(personas["staff"], s, {q["often"].field: 1, q["spend"].field: [10, 90]},
                            channel="paper", on_behalf_of=personas["broker"].person)
    after, reads = _answer_reads(lambda: surveys.results(s))
    assert reads == 1
    assert [o["count"] for o in by_kind(after, "single")["options"]] == [1, 1]
    assert by_kind(after, "allocation")["overall"] == [40, 60]
    page = client_as(personas["staff"]).get(f"/services/surveys/{s.slug}/results/").content.decode()
    assert "2 answers." in page and "40" in page


def test_a_response_through_the_api_shows_in_the_next_results(personas, survey, api_as):
    s, q = survey
    client = api_as(personas["staff"])
    assert client.get(f"/api/v1/assessment/surveys/{s.slug}/results").json()["questions"][0]["answered"] == 1
    posted = client.post(f"/api/v1/assessment/surveys/{s.slug}/responses", content_type="application/json",
                         data={"answers": {q["often"].field: 1, q["spend"].field: [50, 50]}, "channel": "paper",
                               "on_behalf_of": personas["broker"].person.pk})
    assert posted.status_code == 201, posted.content
    body = client.get(f"/api/v1/assessment/surveys/{s.slug}/results").json()
    assert body["questions"][0]["answered"] == 2 and body["responses"] == 2


def test_erasing_a_respondent_removes_their_words_from_the_cached_results(personas, survey):
    s, q = survey
    assert by_kind(surveys.results(s), "text")["texts"] == ["More night buses"]
    erase_person(personas["platform_admin"], personas["citizen"].person)
    assert SurveyAnswer.objects.get(question=q["say"]).value == ""
    assert by_kind(surveys.results(s), "text")["texts"] == []
    assert by_kind(surveys.results(s), "single")["answered"] == 1  # the other answers keep counting


def test_each_grouping_is_cached_on_its_own(personas, survey):
    s, q = survey
    grouped = by_kind(surveys.results(s, q["often"].pk), "allocation")
    plain = by_kind(surveys.results(s), "allocation")
    assert [g["label"] for g in grouped["groups"]] == ["daily"] and plain["groups"] == []
