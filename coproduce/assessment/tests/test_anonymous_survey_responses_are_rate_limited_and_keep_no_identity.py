"""Anonymous surveys take answers without a login, keep no link to the person, and are rate-limited
per address like the app's other anonymous submissions."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import override_settings

from coproduce.assessment import survey_services as surveys
from coproduce.assessment.models import SurveyResponse
from coproduce.assessment.services import RateLimited


@pytest.fixture
def survey(personas, world):
    staff = personas["staff"]
    s = surveys.create_survey(staff, world.service, title="Anonymous", is_anonymous=True)
    q = surveys.add_question(staff, s, kind="single", text="Pick", options=["a", "b"])
    surveys.set_survey_status(staff, s, "open")
    return s, q


@override_settings(SURVEY_RATE_PER_IP_PER_MINUTE=3)
def test_the_fourth_response_from_one_address_in_a_minute_is_refused(survey, client_as):
    s, q = survey
    client = client_as(None)
    for _ in range(3):
        assert client.post(f"/services/surveys/{s.slug}/answer/", {q.field: "0"}).status_code == 302
    page = client.post(f"/services/surveys/{s.slug}/answer/", {q.field: "1"})
    assert page.status_code == 200 and b"Too many requests" in page.content
    assert SurveyResponse.objects.filter(survey=s).count() == 3
    with pytest.raises(RateLimited):
        surveys.submit_response(AnonymousUser(), s, {q.field: 1}, ip="127.0.0.1")
    surveys.submit_response(AnonymousUser(), s, {q.field: 1}, ip="10.0.0.9")  # another address is fine
    assert SurveyResponse.objects.filter(survey=s).count() == 4


def test_a_logged_in_answer_to_an_anonymous_survey_keeps_no_person(survey, personas, client_as):
    s, q = survey
    client_as(personas["citizen"]).post(f"/services/surveys/{s.slug}/answer/", {q.field: "1"})
    response = SurveyResponse.objects.get(survey=s)
    assert response.person is None
    csv_text = surveys.responses_csv(s, with_identity=True, with_detail=True)
    assert "person_name" not in csv_text and "Carla" not in csv_text


@override_settings(SURVEY_RATE_PER_IP_PER_MINUTE=1)
def test_the_api_answers_429_when_rate_limited(survey, client_as):
    s, q = survey
    client = client_as(None)
    url = f"/api/v1/assessment/surveys/{s.slug}/responses"
    first = client.post(url, {"answers": {q.field: 0}}, content_type="application/json")
    assert first.status_code == 201
    second = client.post(url, {"answers": {q.field: 0}}, content_type="application/json")
    assert second.status_code == 429 and second.json()["error"]["code"] == "rate_limited"
    assert SurveyResponse.objects.count() == 1
