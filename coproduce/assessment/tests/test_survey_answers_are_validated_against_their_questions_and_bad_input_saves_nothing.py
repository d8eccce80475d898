"""Every answer is checked against its question in the service: allocations are whole numbers of 0 or
more adding up to exactly 100, rankings are a permutation of the options, choices are among the options,
Likert points within the scale, matrices complete, numbers in range. Errors name the question's field;
a response with any error saves nothing."""

import pytest
from django.core.exceptions import ValidationError

from coproduce.assessment import survey_services as surveys
from coproduce.assessment.models import SurveyAnswer, SurveyResponse


@pytest.fixture
def survey(personas, world):
    admin = personas["org_admin"]
    s = surveys.create_survey(admin, world.council, title="Everything")
    q = {
        "single": surveys.add_question(admin, s, kind="single", text="One", options=["a", "b", "c"]),
        "multiple": surveys.add_question(admin, s, kind="multiple", text="Many", options=["a", "b", "c"],
                                         required=False),
        "likert": surveys.add_question(admin, s, kind="likert", text="Agree?"),
        "number": surveys.add_question(admin, s, kind="number", text="How many", min_value=0, max_value=10),
        "text": surveys.add_question(admin, s, kind="text", text="Say", required=False),
        "ranking": surveys.add_question(admin, s, kind="ranking", text="Order", options=["x", "y", "z"]),
        "matrix": surveys.add_question(admin, s, kind="matrix", text="Grid", options=["r1", "r2"],
                                       scale=["bad", "ok", "good"]),
        "allocation": surveys.add_question(admin, s, kind="allocation", text="Spend", options=["p", "q", "r"]),
    }
    surveys.set_survey_status(admin, s, "open")
    return s, q


def good(q):
    return {q["single"].field: 1, q["multiple"].field: [0, 2], q["likert"].field: 5, q["number"].field: "7.5",
            q["text"].field: "Fine", q["ranking"].field: [2, 0, 1], q["matrix"].field: [1, 3],
            q["allocation"].field: [50, 25, 25]}


def test_a_good_response_is_stored_in_canonical_form(survey, personas):
    s, q = survey
    response = surveys.submit_response(personas["citizen"], s, good(q))
    stored = {a.question_id: a.value for a in response.answers.all()}
    assert stored[q["single"].pk] == 1 and stored[q["multiple"].pk] == [0, 2]
    assert stored[q["number"].pk] == "7.5" and stored[q["ranking"].pk] == [2, 0, 1]
    assert stored[q["allocation"].pk] == [50, 25, 25]
    s.refresh_from_db()
    assert s.response_count == 1


@pytest.mark.parametrize("kind,value,message", [
    ("allocation", [50, 25, 24], "add up to exactly 100; they add up to 99"),
    ("allocation", [50, 30, 30], "they add up to 110"),
    ("allocation", [110, -10, 0], "whole numbers of 0 or more"),
    ("allocation", [50.5, 24.5, 25], "whole numbers"),
    ("allocation", ["50", "fifty", "50"], "whole numbers"),
    ("allocation", [50, 50], "every option"),
    ("ranking", [0, 0, 1], "Rank every option once"),
    ("ranking", [0, 1], "Rank every option once"),
    ("ranking", [0, 1, 3], "Rank every option once"),
    ("single", 3, "Choose one of the options"),
    ("single", "b", "Choose one of the options"),
    ("multiple", [0, 0], "each at most once"),
    ("multiple", [5], "Choose among the options"),
    ("likert", 6, "from 1 to 5"),
    ("likert", 0, "from 1 to 5"),
    ("matrix", [1, None], "Answer every row"),
    ("matrix", [1], "Answer every row"),
    ("matrix", [1, 4], "from 1 to 3"),
    ("number", "11", "from 0 to 10"),
    ("number", "-1", "from 0 to 10"),
    ("number", "many", "Enter a number"),
    ("text", "x" * 5001, "under 5000"),
])
def test_a_bad_answer_is_refused_with_its_field_named_and_nothing_saved(survey, personas, kind, value, message):
    s, q = survey
    answers = good(q)
    answers[q[kind].field] = value
    with pytest.raises(ValidationError) as caught:
        surveys.submit_response(personas["citizen"], s, answers)
    errors = caught.value.message_dict
    assert list(errors) == [q[kind].field]
    assert message in " ".join(errors[q[kind].field])
    assert not SurveyResponse.objects.exists() and not SurveyAnswer.objects.exists()
    s.refresh_from_db()
    assert s.response_count == 0


def test_required_questions_need_answers_and_unknown_questions_are_refused(survey, personas):
    s, q = survey
    answers = good(q)
    del answers[q["likert"].field]
    answers[q["multiple"].field] = []  # optional: an empty answer is fine
    answers["q999999"] = "extra"
    with pytest.raises(ValidationError) as caught:
        surveys.submit_response(personas["citizen"], s, answers)
    assert set(caught.value.message_dict) == {q["likert"].field, "q999999"}
    assert not SurveyResponse.objects.exists()


def test_the_answer_form_shows_the_error_next_to_the_question_and_keeps_what_was_typed(survey, personas, client_as):
    s, q = survey
    post = {q["single"].field: "1", q["likert"].field: "4", q["number"].field: "3",
            f"{q['ranking'].field}_0": "1", f"{q['ranking'].field}_1": "2", f"{q['ranking'].field}_2": "3",
            f"{q['matrix'].field}_0": "1", f"{q['matrix'].field}_1": "2",
            f"{q['allocation'].field}_0": "60", f"{q['allocation'].field}_1": "30", f"{q['allocation'].field}_2": "5"}
    page = client_as(personas["citizen"]).post(f"/services/surveys/{s.slug}/answer/", post)
    html = page.content.decode()
    assert page.status_code == 200
    assert f'id="{q["allocation"].field}_error"' in html and "they add up to 95" in html
    assert 'value="60"' in html and not SurveyResponse.objects.exists()
    post[f"{q['allocation'].field}_2"] = "10"
    post[f"{q['ranking'].field}_2"] = "2"  # two options ranked second
    page = client_as(personas["citizen"]).post(f"/services/surveys/{s.slug}/answer/", post)
    assert "Rank every option once" in page.content.decode() and not SurveyResponse.objects.exists()
    post[f"{q['ranking'].field}_2"] = "3"
    page = client_as(personas["citizen"]).post(f"/services/surveys/{s.slug}/answer/", post)
    assert page.status_code == 302
    answer = SurveyAnswer.objects.get(question=q["ranking"])
    assert answer.value == [0, 1, 2]


@pytest.mark.parametrize("kind,fields,field", [
    ("single", {"options": ["only one"]}, "options"),
    ("allocation", {"options": ["a", "A"]}, "options"),
    ("matrix", {"options": []}, "options"),
    ("likert", {"scale": ["one"]}, "scale"),
    ("number", {"min_value": 10, "max_value": 1}, "max_value"),
    ("sideways", {}, "kind"),
])
def test_questions_are_checked_when_they_are_built(personas, world, kind, fields, field):
    admin = personas["org_admin"]
    s = surveys.create_survey(admin, world.council, title="Builder")
    with pytest.raises(ValidationError) as caught:
        surveys.add_question(admin, s, kind=kind, text="Q", **fields)
    assert field in caught.value.message_dict
    assert not s.questions.exists()
