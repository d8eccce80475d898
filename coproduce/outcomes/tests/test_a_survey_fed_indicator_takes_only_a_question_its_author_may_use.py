"""A survey-fed indicator takes a question that exists, has a headline figure, and belongs to a survey of
an organisation the author works for – or to one whose results are published. Staff choose it from a
list (grouped by survey), never by typing a number; a refused choice names the field and writes nothing."""

import pytest
from django.core.exceptions import ValidationError

from coproduce.assessment import survey_services as surveys
from coproduce.core.models import AuditEntry
from coproduce.outcomes import services
from coproduce.outcomes.models import Indicator

FIELD = "survey_question_id"


@pytest.fixture
def care_survey(personas, world):
    """Social Care's unpublished survey (Sam is its staff): a choice question and a free-text one."""
    sam = personas["staff"]
    survey = surveys.create_survey(sam, world.service, title="Care at home", is_anonymous=True)
    choice = surveys.add_question(sam, survey, kind="single", text="Do you feel safe at home?",
                                  options=["yes", "no"], headline=[0])
    text = surveys.add_question(sam, survey, kind="text", text="Anything else?")
    return survey, choice, text


@pytest.fixture
def fernside_outcome(personas, world):
    otto = personas["other_org"]
    framework = services.create_framework(otto, world.other_group, title="Fernside")
    return services.add_outcome(otto, services.add_goal(otto, framework, title="g"), title="o")


def _create(actor, outcome, question_id):
    return services.create_indicator(actor, outcome, title="Feel safe", unit="%", source=Indicator.Source.SURVEY,
                                     survey_question_id=question_id)


def test_another_organisations_unpublished_question_and_unknown_ids_are_refused(personas, care_survey,
                                                                                fernside_outcome):
    _survey, choice, text = care_survey
    before = (AuditEntry.objects.count(), Indicator.objects.count())
    for question_id in (choice.pk, 987654321, text.pk):
        with pytest.raises(ValidationError) as excinfo:
            _create(personas["other_org"], fernside_outcome, question_id)
        assert set(excinfo.value.message_dict) == {FIELD}, question_id
    assert (AuditEntry.objects.count(), Indicator.objects.count()) == before


def test_a_question_of_the_authors_own_organisation_is_accepted_but_not_free_text(personas, world, care_survey):
    _survey, choice, text = care_survey
    ada = personas["org_admin"]  # administers the council, of which Social Care is a part
    framework = services.create_framework(ada, world.council, title="Council")
    outcome = services.add_outcome(ada, services.add_goal(ada, framework, title="g"), title="o")
    assert _create(ada, outcome, choice.pk).survey_question_id == choice.pk
    with pytest.raises(ValidationError) as excinfo:
        _create(ada, outcome, text.pk)
    assert FIELD in excinfo.value.message_dict


def test_published_results_may_feed_anyones_indicator(personas, care_survey, fernside_outcome):
    survey, choice, _text = care_survey
    sam = personas["staff"]
    surveys.set_survey_status(sam, survey, "open")
    surveys.set_survey_status(sam, survey, "closed")
    surveys.publish_results(sam, survey)
    assert _create(personas["other_org"], fernside_outcome, choice.pk).pk


def test_changing_an_indicator_to_a_forbidden_question_is_refused(personas, care_survey, fernside_outcome):
    _survey, choice, _text = care_survey
    otto = personas["other_org"]
    indicator = services.create_indicator(otto, fernside_outcome, title="Manual", unit="%")
    with pytest.raises(ValidationError) as excinfo:
        services.update_indicator(otto, indicator, source=Indicator.Source.SURVEY, survey_question_id=choice.pk)
    assert FIELD in excinfo.value.message_dict
    assert Indicator.objects.get(pk=indicator.pk).source == Indicator.Source.MANUAL
    with pytest.raises(ValidationError) as excinfo:  # a manual indicator names no question
        services.update_indicator(otto, indicator, survey_question_id=choice.pk)
    assert FIELD in excinfo.value.message_dict


def test_the_form_offers_a_list_of_the_questions_the_author_may_use(personas, care_survey, fernside_outcome,
                                                                    client_as, world):
    _survey, choice, text = care_survey
    ada = personas["org_admin"]
    framework = services.create_framework(ada, world.council, title="Council")
    outcome = services.add_outcome(ada, services.add_goal(ada, framework, title="g"), title="o")
    html = client_as(ada).get(f"/outcomes/outcomes/{outcome.pk}/indicators/new/").content.decode()
    assert f'<select name="{FIELD}"' in html
    assert '<optgroup label="Care at home (Social Care)">' in html and f'value="{choice.pk}"' in html
    assert f'value="{text.pk}"' not in html
    otto_page = client_as(personas["other_org"]).get(f"/outcomes/outcomes/{fernside_outcome.pk}/indicators/new/")
    assert f'value="{choice.pk}"' not in otto_page.content.decode()
    # Posting a question that is not offered is refused next to the field, and nothing is written.
    response = client_as(personas["other_org"]).post(
        f"/outcomes/outcomes/{fernside_outcome.pk}/indicators/new/",
        {"title": "Peek", "unit": "%", "better": "up", "source": "survey", FIELD: choice.pk})
    assert response.status_code == 200 and FIELD in response.context["form"].errors
    assert not Indicator.objects.filter(title="Peek").exists()
    response = client_as(ada).post(f"/outcomes/outcomes/{outcome.pk}/indicators/new/",
                                   {"title": "Safe", "unit": "%", "better": "up", "source": "survey", FIELD: choice.pk})
    assert response.status_code == 302
    assert Indicator.objects.get(title="Safe").survey_question_id == choice.pk
