"""With the assessment demo loaded, Riverton's framework has an indicator fed by the Adult Social Care
budget survey's trust question, and this month's reading is that question's headline figure."""

from datetime import timedelta

from django.utils import timezone

from coproduce.assessment import demo as assessment_demo
from coproduce.assessment import survey_services as surveys
from coproduce.core import demo as core_demo
from coproduce.outcomes import demo
from coproduce.outcomes.models import Indicator, Reading


def test_a_survey_fed_indicator_reads_the_surveys_headline(db, client):
    town = core_demo.load_core()
    assessment_demo.load(town)
    demo.load(town)
    indicator = Indicator.objects.get(source=Indicator.Source.SURVEY)
    assert indicator.framework.is_published
    today = timezone.localdate()
    expected = surveys.question_result_for_period(indicator.survey_question_id, today.replace(day=1),
                                                  today + timedelta(days=1))
    assert expected is not None
    reading = Reading.objects.get(indicator=indicator, source=Reading.Source.SURVEY)
    assert reading.value == expected
    assert client.get(f"/outcomes/indicators/{indicator.pk}/").status_code == 200
