"""In a real browser, without logging in: someone answers an anonymous survey with an allocation, a
ranking and a matrix; an allocation that does not add up to 100 is refused next to its question and
saves nothing; the corrected answers are saved. The published results show the charts and tables.
Every page passes axe-core."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_answer_and_read_results(page, personas, world, axe_check):
    from coproduce.assessment import survey_services as surveys
    from coproduce.assessment.models import SurveyResponse

    staff = personas["staff"]
    s = surveys.create_survey(staff, world.service, title="Budget increase", is_anonymous=True)
    surveys.add_question(staff, s, kind="single", text="I am a", options=["Carer", "Service user"])
    surveys.add_question(staff, s, kind="allocation", text="Spread 100 points", options=["Staff", "Buildings"])
    surveys.add_question(staff, s, kind="ranking", text="Order these", options=["Speed", "Kindness"])
    surveys.add_question(staff, s, kind="matrix", text="How good is", options=["Home care", "Day centre"],
                         scale=["Poor", "Good"])
    surveys.set_survey_status(staff, s, "open")

    page.goto(s.get_absolute_url())
    page.get_by_role("link", name="Answer the survey").click()
    axe_check(page)
    page.get_by_label("Carer").check()
    page.get_by_label("Staff").fill("70")
    page.get_by_label("Buildings").fill("20")
    page.get_by_label("Speed").select_option("2")
    page.get_by_label("Kindness").select_option("1")
    page.get_by_label("Home care: Good").check()
    page.get_by_label("Day centre: Poor").check()
    page.get_by_role("button", name="Send my answers").click()
    assert page.get_by_text("The shares must add up to exactly 100; they add up to 90.").is_visible()
    assert not SurveyResponse.objects.exists()
    axe_check(page)
    assert page.get_by_label("Staff").input_value() == "70"
    page.get_by_label("Buildings").fill("30")
    page.get_by_role("button", name="Send my answers").click()
    assert page.get_by_text("Thank you for answering.").is_visible()
    answers = {a.question.kind: a.value for a in SurveyResponse.objects.get().answers.select_related("question")}
    assert answers == {"single": 0, "allocation": [70, 30], "ranking": [1, 0], "matrix": [2, 1]}

    surveys.set_survey_status(staff, s, "closed")
    surveys.publish_results(staff, s)
    page.goto(f"/services/surveys/{s.slug}/results/")
    assert page.get_by_role("heading", name="2. Spread 100 points").is_visible()
    assert page.locator("svg[role=img]").count() >= 3
    axe_check(page)
