"""Staff create the ready-made barriers-to-co-production survey in one action: a role question, an
allocation of a budget increase across the factors that enable co-production (training staff, staff who
enable service users and communities to co-produce, connecting users to communities, ICT, …) and a
free-text question, grouped by role. Its results show every respondent's allocation with the average
row. Others are refused, an unknown template is refused, and neither writes anything."""

from fractions import Fraction

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coproduce.assessment import survey_services as surveys
from coproduce.assessment.models import Survey, SurveyQuestion
from coproduce.core.models import AuditEntry

URL = "/services/surveys/new/social-care/template/"


def test_staff_create_it_in_one_action_from_the_new_survey_page(personas, client_as):
    staff = client_as(personas["staff"])
    page = staff.get("/services/surveys/new/social-care/").content.decode()
    assert f'action="{URL}"' in page and 'value="barriers"' in page
    response = staff.post(URL, {"template": "barriers"})
    survey = Survey.objects.get()
    assert response.status_code == 302 and response["Location"] == survey.get_absolute_url()
    assert survey.status == "draft" and survey.is_anonymous and survey.organisation.slug == "social-care"
    role, spend, text = survey.questions.all()
    assert (role.kind, spend.kind, text.kind) == ("single", "allocation", "text")
    assert survey.group_question == role
    assert spend.unit == "percent" and len(spend.options) == 6
    for factor in ("Training staff", "Staff who enable service users and communities to co-produce",
                   "Connecting service users to communities", "ICT"):
        assert any(option.startswith(factor) for option in spend.options), factor
    assert AuditEntry.objects.filter(action="survey.create_from_template", details__template="barriers").exists()


def test_the_results_show_each_respondent_and_the_average_row(personas, world, client_as):
    sam = personas["staff"]
    survey = surveys.create_survey_from_template(sam, world.service, "barriers")
    role, spend, _text = survey.questions.all()
    surveys.set_survey_status(sam, survey, "open")
    table = [(0, [40, 30, 10, 10, 10, 0]), (1, [10, 50, 30, 0, 10, 0]), (1, [0, 40, 40, 0, 20, 0]),
             (2, [20, 20, 20, 20, 20, 0])]
    for group, points in table:
        surveys.submit_response(sam, survey, {role.field: group, spend.field: points}, channel="paper")
    result = next(r for r in surveys.results(survey) if r["question"]["id"] == spend.pk)
    # By hand: the column sums are 70, 140, 100, 30, 60, 0 over 4 respondents.
    assert result["overall"] == [Fraction(70, 4), 35, 25, Fraction(30, 4), 15, 0]
    assert [row["points"] for row in result["respondents"]] == [p for _g, p in table]
    by_role = {g["label"]: g["average"] for g in result["groups"]}
    assert by_role["Person who uses the services"] == [5, 45, 35, 0, 15, 0]
    html = client_as(sam).get(f"/services/surveys/{survey.slug}/results/").content.decode()
    assert "Allocation per respondent, with the average" in html
    assert '<th scope="row">Average</th><td></td><td>17.5</td><td>35.0</td>' in html


@pytest.mark.parametrize("persona", ["citizen", "other_org", "broker"])
def test_others_are_refused_and_nothing_is_written(personas, world, client_as, persona):
    before = (Survey.objects.count(), SurveyQuestion.objects.count(), AuditEntry.objects.count())
    with pytest.raises(PermissionDenied):
        surveys.create_survey_from_template(personas[persona], world.service, "barriers")
    assert client_as(personas[persona]).post(URL, {"template": "barriers"}).status_code == 403
    assert client_as(None).post(URL, {"template": "barriers"}).status_code == 302  # to the login page
    assert client_as(personas["staff"]).get(URL).status_code == 405  # POST only
    assert (Survey.objects.count(), SurveyQuestion.objects.count(), AuditEntry.objects.count()) == before


def test_an_unknown_template_is_refused_next_to_the_field(personas, world, client_as):
    with pytest.raises(ValidationError) as excinfo:
        surveys.create_survey_from_template(personas["staff"], world.service, "nonsense")
    assert "template" in excinfo.value.message_dict
    response = client_as(personas["staff"]).post(URL, {"template": "nonsense"})
    assert response.status_code == 200 and "template" in response.context["template_form"].errors
    assert not Survey.objects.exists()
