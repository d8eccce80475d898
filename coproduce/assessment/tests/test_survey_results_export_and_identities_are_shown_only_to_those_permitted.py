"""The CSV export has one row per response and one column per question (per option for multiple
choice, ranking, matrix and allocation). Only the survey's owners see who answered; the public sees
published results of closed surveys, without identities or free text."""

import csv
import io

import pytest

from coproduce.assessment import survey_services as surveys


@pytest.fixture
def survey(personas, world):
    staff = personas["staff"]
    s = surveys.create_survey(staff, world.service, title="Identified")
    one = surveys.add_question(staff, s, kind="single", text="Pick", options=["red", "blue"])
    many = surveys.add_question(staff, s, kind="multiple", text="Which", options=["x", "y"], required=False)
    rank = surveys.add_question(staff, s, kind="ranking", text="Order", options=["first", "second"])
    money = surveys.add_question(staff, s, kind="allocation", text="Spend", options=["a", "b"], unit="percent")
    note = surveys.add_question(staff, s, kind="text", text="Say", required=False)
    surveys.set_survey_status(staff, s, "open")
    surveys.submit_response(personas["citizen"], s, {one.field: 1, many.field: [1], rank.field: [1, 0],
                                                     money.field: [30, 70], note.field: "My secret story"})
    surveys.submit_response(personas["broker"], s, {one.field: 0, rank.field: [0, 1], money.field: [100, 0]})
    return s


def rows(text):
    return list(csv.reader(io.StringIO(text)))


def test_owners_download_every_response_with_who_answered(survey, personas, client_as):
    response = client_as(personas["staff"]).get(f"/services/surveys/{survey.slug}/results.csv")
    table = rows(response.content.decode())
    header = table[0]
    assert header[:5] == ["response", "submitted_at", "channel", "person_id", "person_name"]
    assert len(header) == 5 + 1 + 2 + 2 + 2 + 1 and len(table) == 3
    carla = dict(zip(header, table[1], strict=True))
    assert carla["person_name"] == "Carla Citizen"
    pick = next(h for h in header if h.endswith("Pick"))
    assert carla[pick] == "blue"
    assert [carla[h] for h in header if "Which" in h] == ["0", "1"]
    assert [carla[h] for h in header if "Order" in h] == ["2", "1"]  # "first" ranked 2nd
    assert [carla[h] for h in header if "Spend" in h] == ["30", "70"]
    bea = dict(zip(header, table[2], strict=True))
    assert [bea[h] for h in header if "Which" in h] == ["", ""]


def test_the_public_sees_published_results_without_identities_or_free_text(survey, personas, client_as):
    staff = personas["staff"]
    assert client_as(None).get(f"/services/surveys/{survey.slug}/results/").status_code == 403
    surveys.set_survey_status(staff, survey, "closed")
    assert client_as(None).get(f"/services/surveys/{survey.slug}/results/").status_code == 403
    surveys.publish_results(staff, survey)
    public = client_as(personas["citizen"])
    page = public.get(f"/services/surveys/{survey.slug}/results/").content.decode()
    assert "<svg" in page and "<table>" in page and "Carla" not in page and "My secret story" not in page
    table = rows(public.get(f"/services/surveys/{survey.slug}/results.csv").content.decode())
    assert "person_name" not in table[0] and "Carla Citizen" not in str(table)
    data = public.get(f"/api/v1/assessment/surveys/{survey.slug}/results").json()
    assert next(q for q in data["questions"] if q["kind"] == "text")["texts"] == []
    owner_page = client_as(staff).get(f"/services/surveys/{survey.slug}/results/").content.decode()
    assert "My secret story" in owner_page
