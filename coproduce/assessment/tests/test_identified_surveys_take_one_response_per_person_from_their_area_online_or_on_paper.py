"""Identified surveys keep one response per person; a survey targeted at an area takes answers only
from people living in it (by the area's materialised path, so a district includes its
neighbourhoods). Staff enter paper responses on a person's behalf, recorded as channel paper."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coproduce.assessment import survey_services as surveys
from coproduce.assessment.models import SurveyResponse
from coproduce.core.models import AuditEntry, Person


@pytest.fixture
def district_survey(personas, world):
    staff = personas["staff"]
    s = surveys.create_survey(staff, world.service, title="North only", area=world.district)
    q = surveys.add_question(staff, s, kind="likert", text="Happy?")
    surveys.set_survey_status(staff, s, "open")
    return s, q


def test_one_response_per_person(personas, world, district_survey):
    s, q = district_survey
    carla = personas["citizen"]
    Person.objects.filter(pk=carla.person.pk).update(home_area=world.hood)  # Millbrook is in North
    carla.person.refresh_from_db()
    surveys.submit_response(carla, s, {q.field: 4})
    with pytest.raises(ValidationError) as caught:
        surveys.submit_response(carla, s, {q.field: 5})
    assert "already answered" in str(caught.value)
    assert SurveyResponse.objects.filter(survey=s).count() == 1


def test_people_outside_the_area_or_without_a_home_area_are_refused(personas, world, district_survey):
    s, q = district_survey
    carla = personas["citizen"]
    with pytest.raises(PermissionDenied):
        surveys.submit_response(carla, s, {q.field: 4})  # no home area
    carla.person.home_area = world.other_hood
    carla.person.save()
    with pytest.raises(PermissionDenied):
        surveys.submit_response(carla, s, {q.field: 4})
    assert not SurveyResponse.objects.exists()


def test_staff_enter_a_paper_response_for_someone_in_the_area(personas, world, district_survey):
    s, q = district_survey
    staff = personas["staff"]
    aunt = Person.objects.create(name="Agnes Assisted", is_assisted=True, home_area=world.hood)
    outsider = Person.objects.create(name="Olive Outside", is_assisted=True, home_area=world.other_hood)
    with pytest.raises(ValidationError) as caught:
        surveys.submit_response(staff, s, {q.field: 3}, channel="paper")
    assert "person" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        surveys.submit_response(staff, s, {q.field: 3}, on_behalf_of=outsider, channel="paper")
    assert "person" in caught.value.message_dict
    response = surveys.submit_response(staff, s, {q.field: 3}, on_behalf_of=aunt, channel="paper")
    assert response.person == aunt and response.channel == "paper" and response.entered_by == staff
    entry = AuditEntry.objects.get(action="survey.respond")
    assert entry.on_behalf_of == aunt and entry.channel == "paper"
    with pytest.raises(ValidationError):
        surveys.submit_response(staff, s, {q.field: 5}, on_behalf_of=aunt, channel="paper")
    with pytest.raises(PermissionDenied):
        surveys.submit_response(personas["broker"], s, {q.field: 3}, on_behalf_of=aunt, channel="paper")
    assert SurveyResponse.objects.count() == 1


def test_the_paper_page_records_the_response_for_the_chosen_person(personas, world, client_as, district_survey):
    from coproduce.core import services as core_services

    s, q = district_survey
    staff = personas["staff"]
    aunt = core_services.register_person(staff, world.service, consent=True, name="Agnes Assisted",
                                         home_area=world.hood)
    page = client_as(staff).post(f"/services/surveys/{s.slug}/paper/", {"person": aunt.pk, q.field: "2"})
    assert page.status_code == 302
    assert SurveyResponse.objects.get(survey=s).person == aunt


def test_surveys_answer_only_while_open_and_questions_change_only_in_draft(personas, world):
    staff = personas["staff"]
    s = surveys.create_survey(staff, world.service, title="Lifecycle")
    with pytest.raises(ValidationError):
        surveys.set_survey_status(staff, s, "open")  # no questions yet
    q = surveys.add_question(staff, s, kind="single", text="Pick", options=["a", "b"])
    with pytest.raises(PermissionDenied):
        surveys.submit_response(personas["citizen"], s, {q.field: 0})  # a draft takes no answers
    surveys.set_survey_status(staff, s, "open")
    with pytest.raises(ValidationError):
        surveys.add_question(staff, s, kind="text", text="Late")
    with pytest.raises(ValidationError):
        surveys.update_survey(staff, s, is_anonymous=True)
    with pytest.raises(ValidationError):
        surveys.publish_results(staff, s)  # not closed yet
    surveys.submit_response(personas["citizen"], s, {q.field: 0})
    surveys.set_survey_status(staff, s, "closed")
    with pytest.raises(PermissionDenied):
        surveys.submit_response(personas["broker"], s, {q.field: 1})
    with pytest.raises(ValidationError):
        surveys.set_survey_status(staff, s, "open")
    assert s.response_count == 1 and s.status == "closed"
