"""Outcome indicators may take a survey question's result (the share choosing the headline answers,
from enough answers in the period); the platform metric `assessment.survey_responses` counts
responses to an organisation's surveys."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from coproduce.assessment import survey_services as surveys
from coproduce.outcomes import metrics
from coproduce.outcomes import services as outcome_services


@pytest.fixture
def lonely(personas, world):
    staff = personas["staff"]
    s = surveys.create_survey(staff, world.service, title="Loneliness", is_anonymous=True)
    q = surveys.add_question(staff, s, kind="single", text="How often do you feel lonely?",
                             options=["never", "sometimes", "often", "always"], headline=[2, 3])
    surveys.set_survey_status(staff, s, "open")
    for answer in [0, 1, 2, 3, 3, 1, 0, 2]:  # 4 of 8 often or always
        surveys.submit_response(staff, s, {q.field: answer}, channel="paper")
    return s, q


def test_the_provider_gives_the_headline_share_for_the_period(lonely):
    _s, q = lonely
    today = timezone.localdate()
    assert outcome_services._survey_result_provider is surveys.question_result_for_period
    assert surveys.question_result_for_period(q.pk, today, today + timedelta(days=1)) == Decimal("50.0")
    assert surveys.question_result_for_period(q.pk, date(2000, 1, 1), date(2000, 2, 1)) is None  # too few


def test_a_survey_fed_indicator_gets_a_reading(lonely, personas, world):
    from coproduce.outcomes.models import Indicator, Reading

    _s, q = lonely
    admin = personas["org_admin"]
    framework = outcome_services.create_framework(admin, world.council, title="Wellbeing")
    goal = outcome_services.add_goal(admin, framework, title="Connected people")
    outcome = outcome_services.add_outcome(admin, goal, title="Fewer lonely people")
    indicator = outcome_services.create_indicator(admin, outcome, title="Often or always lonely", unit="%",
                                               source=Indicator.Source.SURVEY, survey_question_id=q.pk)
    outcome_services.refresh_metric_readings(admin, month=timezone.localdate(), indicators=[indicator])
    assert Reading.objects.get(indicator=indicator).value == Decimal("50.0")


def test_the_survey_responses_metric_counts_real_rows(lonely, world):
    today = timezone.localdate()
    assert metrics.compute("assessment.survey_responses", world.council, today, today + timedelta(days=1)) == 8
    assert metrics.compute("assessment.survey_responses", world.group, today, today + timedelta(days=1)) == 0
