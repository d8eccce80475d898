"""The survey API: list (paginated), one survey with its questions, submit a response (errors in the
JSON error format naming the question field), and results as JSON."""

import pytest

from coproduce.assessment import survey_services as surveys
from coproduce.assessment.models import SurveyResponse


@pytest.fixture
def survey(personas, world):
    staff = personas["staff"]
    s = surveys.create_survey(staff, world.service, title="API survey")
    pick = surveys.add_question(staff, s, kind="single", text="Pick", options=["a", "b"])
    spend = surveys.add_question(staff, s, kind="allocation", text="Spend", options=["x", "y"])
    surveys.set_survey_status(staff, s, "open")
    surveys.create_survey(staff, world.service, title="Hidden draft")
    return s, pick, spend


def test_list_and_get(survey, api_as, personas):
    s, pick, spend = survey
    client = api_as(None)
    listing = client.get("/api/v1/assessment/surveys?limit=10").json()
    assert listing["count"] == 1 and listing["items"][0]["slug"] == s.slug
    detail = client.get(f"/api/v1/assessment/surveys/{s.slug}").json()
    assert [q["field"] for q in detail["questions"]] == [pick.field, spend.field]
    assert detail["questions"][1]["options"] == ["x", "y"] and detail["is_anonymous"] is False


def test_submit_a_response_and_read_the_results(survey, api_as, personas):
    s, pick, spend = survey
    client = api_as(personas["citizen"])
    url = f"/api/v1/assessment/surveys/{s.slug}/responses"
    bad = client.post(url, {"answers": {pick.field: 0, spend.field: [60, 60]}}, content_type="application/json")
    assert bad.status_code == 400
    error = bad.json()["error"]
    assert error["code"] == "invalid" and list(error["fields"]) == [spend.field]
    assert not SurveyResponse.objects.exists()
    ok = client.post(url, {"answers": {pick.field: 1, spend.field: [40, 60]}}, content_type="application/json")
    assert ok.status_code == 201 and ok.json()["channel"] == "api"
    again = client.post(url, {"answers": {pick.field: 1, spend.field: [40, 60]}}, content_type="application/json")
    assert again.status_code == 400
    assert api_as(None).post(url, {"answers": {pick.field: 1}}, content_type="application/json").status_code == 403
    results = api_as(personas["staff"]).get(f"/api/v1/assessment/surveys/{s.slug}/results").json()
    assert results["responses"] == 1
    allocation = next(q for q in results["questions"] if q["field"] == spend.field)
    assert allocation["overall"] == ["40.0", "60.0"]
    assert api_as(personas["citizen"]).get(f"/api/v1/assessment/surveys/{s.slug}/results").status_code == 403
