"""Free-text answers go to a design lab as survey comments (what the lab's theme engine groups) and,
when a conversation is chosen, as seed statements; each answer is sent once, without names."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coproduce.assessment import survey_services as surveys
from coproduce.design import services as design_services
from coproduce.design.models import Feedback, Statement


@pytest.fixture
def setup(personas, world):
    staff = personas["staff"]
    s = surveys.create_survey(staff, world.service, title="Ideas")
    text = surveys.add_question(staff, s, kind="text", text="Ideas?", required=False)
    pick = surveys.add_question(staff, s, kind="single", text="Pick", options=["a", "b"], required=False)
    surveys.set_survey_status(staff, s, "open")
    for person, idea in [("citizen", "More evening visits"), ("broker", "More evening visits"),
                         ("other_org", ""), ("org_admin", "A named carer for everyone")]:
        surveys.submit_response(personas[person], s, {text.field: idea})
    lab = design_services.create_lab(staff, world.service, title="Care lab")
    conversation = design_services.create_conversation(staff, lab, title="What matters")
    return s, text, pick, lab, conversation


def test_answers_become_feedback_and_seed_statements_once(setup, personas):
    s, text, _pick, lab, conversation = setup
    done = surveys.send_texts_to_design(personas["staff"], text, lab, conversation=conversation)
    assert done == {"sent": 3, "seeded": 2}  # the repeated idea is one statement
    feedback = Feedback.objects.filter(lab=lab)
    assert sorted(feedback.values_list("text", flat=True)) == [
        "A named carer for everyone", "More evening visits", "More evening visits"]
    assert set(feedback.values_list("kind", flat=True)) == {"survey"}
    assert not feedback.filter(person__isnull=False).exists()
    assert Statement.objects.filter(conversation=conversation, is_seed=True).count() == 2
    again = surveys.send_texts_to_design(personas["staff"], text, lab)
    assert again == {"sent": 0, "seeded": 0} and feedback.count() == 3


def test_only_text_questions_and_only_people_running_both_may_send(setup, personas, world):
    s, text, pick, lab, _conversation = setup
    with pytest.raises(ValidationError):
        surveys.send_texts_to_design(personas["staff"], pick, lab)
    for persona in ("citizen", "broker", "other_org"):
        with pytest.raises(PermissionDenied):
            surveys.send_texts_to_design(personas[persona], text, lab)
    other_lab = design_services.create_lab(personas["platform_admin"], world.other_group, title="Elsewhere")
    with pytest.raises(PermissionDenied):
        surveys.send_texts_to_design(personas["staff"], text, other_lab)
    assert not Feedback.objects.exists()


def test_the_send_page_sends_to_the_chosen_lab(setup, personas, client_as):
    s, text, _pick, lab, _conversation = setup
    page = client_as(personas["staff"]).post(f"/services/surveys/{s.slug}/questions/{text.pk}/send/",
                                             {"lab": str(lab.pk), "conversation": ""})
    assert page.status_code == 302
    assert Feedback.objects.filter(lab=lab).count() == 3
