"""Personal data: identified survey responses, inspector training and visit teams are exported;
erasure unlinks the responses (their free text blanked, the other answers keep counting), deletes the
training and takes the person off visit teams."""

from coproduce.assessment import survey_services as surveys
from coproduce.assessment.models import InspectorTraining, SurveyAnswer, SurveyResponse, Visit
from coproduce.core import services as core_services


def test_export_and_erase(personas, world, inspection):
    carla = personas["citizen"]
    staff = personas["staff"]
    s = surveys.create_survey(staff, world.service, title="Named")
    pick = surveys.add_question(staff, s, kind="single", text="Pick", options=["a", "b"])
    note = surveys.add_question(staff, s, kind="text", text="Say", required=False)
    surveys.set_survey_status(staff, s, "open")
    surveys.submit_response(carla, s, {pick.field: 1, note.field: "I live at 3 Mill Lane"})
    section = core_services.export_person_data(carla, carla.person)["assessment"]
    assert section["survey_responses"][0]["answers"] == {"Pick": 1, "Say": "I live at 3 Mill Lane"}
    ivy = inspection.ivy
    exported = core_services.export_person_data(ivy, ivy.person)["assessment"]
    assert exported["inspector_training"][0]["course"] == "Citizen inspector training"
    assert exported["inspection_visits"][0]["service"] == "Home Care"

    core_services.erase_person(personas["platform_admin"], carla.person)
    response = SurveyResponse.objects.get(survey=s)
    assert response.person is None
    assert SurveyAnswer.objects.get(question=note).value == ""
    assert SurveyAnswer.objects.get(question=pick).value == 1
    assert surveys.results(s)[0]["options"][1]["count"] == 1

    core_services.erase_person(personas["platform_admin"], ivy.person)
    assert not InspectorTraining.objects.exists()
    assert not Visit.objects.get(pk=inspection.visit.pk).team.exists()
