"""The public CSV of a survey's published results holds what the public results page shows: the
answers to the closed questions, responses numbered 1, 2, …, and no free text, no submission time and
no channel. The survey's team (and platform administrators) download everything, free text included."""

import csv
import io

import pytest
from django.contrib.auth.models import AnonymousUser

from coproduce.assessment import survey_services as surveys


@pytest.fixture
def survey(personas, world):
    staff = personas["staff"]
    s = surveys.create_survey(staff, world.service, title="Anonymous views", is_anonymous=True)
    pick = surveys.add_question(staff, s, kind="single", text="Pick", options=["red", "blue"])
    surveys.add_question(staff, s, kind="number", text="How many", required=False)
    note = surveys.add_question(staff, s, kind="text", text="Say", required=False)
    surveys.set_survey_status(staff, s, "open")
    surveys.submit_response(AnonymousUser(), s, {pick.field: 1, note.field: "My secret story"}, ip="192.0.2.1")
    surveys.submit_response(staff, s, {pick.field: 0, note.field: "Told on paper"}, channel="paper")
    surveys.set_survey_status(staff, s, "closed")
    surveys.publish_results(staff, s)
    return s


def table(client, survey):
    response = client.get(f"/services/surveys/{survey.slug}/results.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.content.decode()
    return text, list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize("persona", ["anonymous", "citizen", "other_org", "broker"])
def test_the_public_gets_the_closed_answers_without_free_text_times_or_channel(survey, personas, client_as, persona):
    text, rows = table(client_as(personas[persona]), survey)
    header = rows[0]
    assert header[0] == "response" and not any("Say" in h for h in header)
    assert "submitted_at" not in header and "channel" not in header
    assert [h.split(" ", 1)[1] for h in header[1:]] == ["Pick", "How many"]
    assert rows[1:] == [["1", "blue", ""], ["2", "red", ""]]
    assert "My secret story" not in text and "Told on paper" not in text and "paper" not in text
    page = client_as(personas[persona]).get(f"/services/surveys/{survey.slug}/results/").content.decode()
    assert "My secret story" not in page
    assert "Download the responses without free-text answers (CSV)" in page


@pytest.mark.parametrize("persona", ["staff", "org_admin", "platform_admin"])
def test_the_surveys_team_gets_every_answer_with_time_and_channel(survey, personas, client_as, persona):
    text, rows = table(client_as(personas[persona]), survey)
    header = rows[0]
    assert header[:3] == ["response", "submitted_at", "channel"]
    assert "person_name" not in header  # an anonymous survey names nobody, even to its team
    answers = [dict(zip(header, row, strict=True)) for row in rows[1:]]
    say = next(h for h in header if h.endswith("Say"))
    assert [(a["channel"], a[say]) for a in answers] == [("web", "My secret story"), ("paper", "Told on paper")]
    assert all("T" in a["submitted_at"] for a in answers)  # the exact time, to the team only
    page = client_as(personas[persona]).get(f"/services/surveys/{survey.slug}/results/").content.decode()
    assert "Download all responses (CSV)" in page


def test_nobody_outside_the_team_gets_a_csv_before_the_results_are_published(personas, world, client_as):
    staff = personas["staff"]
    s = surveys.create_survey(staff, world.service, title="Not yet")
    surveys.add_question(staff, s, kind="text", text="Say")
    surveys.set_survey_status(staff, s, "open")
    for persona in ("anonymous", "citizen", "other_org", "broker"):
        response = client_as(personas[persona]).get(f"/services/surveys/{s.slug}/results.csv")
        assert response.status_code in (302, 403), persona
    assert client_as(staff).get(f"/services/surveys/{s.slug}/results.csv").status_code == 200
