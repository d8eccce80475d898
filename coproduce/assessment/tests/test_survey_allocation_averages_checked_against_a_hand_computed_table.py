"""Allocation questions are reported as the average share per option, overall and per respondent group
(the answer to a single-choice question of the same survey). The expected figures below were worked
out by hand from this table:

    response  I am a …        Staffing  Buildings  Training
    1         staff              50        30         20
    2         staff              70        10         20
    3         service user       20        40         40
    4         service user       10        60         30
    5         service user       30        30         40
    6         carer              40        40         20
    7         (no answer)       100         0          0

Overall (7 respondents):  Staffing 320/7 = 45 5/7, Buildings 210/7 = 30, Training 170/7 = 24 2/7.
Staff (2):                60, 20, 20.      Service users (3): 20, 130/3 = 43 1/3, 110/3 = 36 2/3.
Carers (1):               40, 40, 20.      No answer (1):     100, 0, 0.
"""

from decimal import Decimal
from fractions import Fraction

import pytest

from coproduce.assessment import survey_services as surveys
from coproduce.assessment.models import SurveyResponse

TABLE = [
    ("staff", [50, 30, 20]),
    ("staff", [70, 10, 20]),
    ("service user", [20, 40, 40]),
    ("service user", [10, 60, 30]),
    ("service user", [30, 30, 40]),
    ("carer", [40, 40, 20]),
    (None, [100, 0, 0]),
]


@pytest.fixture
def survey(personas, world):
    admin = personas["org_admin"]
    survey = surveys.create_survey(admin, world.council, title="Budget increase", is_anonymous=True)
    role = surveys.add_question(admin, survey, kind="single", text="I am a", required=False,
                                options=["staff", "service user", "carer"])
    spend = surveys.add_question(admin, survey, kind="allocation", text="How would you spend it?",
                                 options=["Staffing", "Buildings", "Training"])
    surveys.update_survey(admin, survey, group_question=role)
    surveys.set_survey_status(admin, survey, "open")
    labels = role.options
    for group, points in TABLE:
        answers = {spend.field: points}
        if group is not None:
            answers[role.field] = labels.index(group)
        surveys.submit_response(admin, survey, answers, channel="paper")
    return survey, role, spend


def test_the_average_share_per_option_overall_and_per_group_equals_the_hand_computed_table(survey):
    survey, role, spend = survey
    result = next(r for r in surveys.results(survey) if r["question"]["id"] == spend.pk)
    assert result["answered"] == 7
    assert result["overall"] == [Fraction(320, 7), Fraction(30), Fraction(170, 7)]
    groups = {g["label"]: (g["respondents"], g["average"]) for g in result["groups"]}
    assert groups == {
        "staff": (2, [60, 20, 20]),
        "service user": (3, [20, Fraction(130, 3), Fraction(110, 3)]),
        "carer": (1, [40, 40, 20]),
        None: (1, [100, 0, 0]),
    }
    # Shown rounded to one decimal; each average row still adds up to 100 exactly.
    from coproduce.assessment.survey_results import rounded

    assert [rounded(v) for v in result["overall"]] == [Decimal("45.7"), Decimal("30.0"), Decimal("24.3")]
    assert all(sum(avg) == 100 for _n, avg in groups.values())
    # The per-respondent table lists every response with its group.
    assert [row["points"] for row in result["respondents"]] == [points for _g, points in TABLE]
    assert [row["group"] for row in result["respondents"]] == [0, 0, 1, 1, 1, 2, None]


def test_the_results_page_and_the_json_show_the_same_averages(survey, personas, client_as):
    survey, role, spend = survey
    page = client_as(personas["org_admin"]).get(f"/services/surveys/{survey.slug}/results/")
    assert page.status_code == 200
    html = page.content.decode()
    for figure in ("45.7", "30.0", "24.3", "43.3", "36.7"):
        assert figure in html
    data = client_as(personas["org_admin"]).get(f"/api/v1/assessment/surveys/{survey.slug}/results").json()
    allocation = next(q for q in data["questions"] if q["id"] == spend.pk)
    assert allocation["overall"] == ["45.7", "30.0", "24.3"]
    staff = next(g for g in allocation["groups"] if g["label"] == "staff")
    assert staff["average"] == ["60.0", "20.0", "20.0"]
    assert SurveyResponse.objects.filter(survey=survey).count() == 7
