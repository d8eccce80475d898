"""Entering answers from paper is for the lab's staff: a citizen, a participant of the conversation,
staff of another organisation, a broker and anonymous visitors are refused (by the service and by the
page, GET and POST), and staff may name only people they may act for. Refusals write nothing."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import Client

from coproduce.core import services as core_services
from coproduce.design import services
from coproduce.design.models import Answer, Participant

REFUSED = ["citizen", "participant", "other_org", "broker"]


@pytest.fixture
def question(conversation, personas):
    return services.add_question(personas["staff"], conversation, "Are you a carer?", ["Yes", "No"])


@pytest.fixture
def participant(conversation, personas):
    services.cast_vote(personas["citizen"], conversation, 0, 1)  # Carla now takes part in the conversation
    return personas["citizen"]


def _user(name, personas, participant):
    return participant if name == "participant" else personas[name]


@pytest.mark.parametrize("name", REFUSED + ["anonymous"])
def test_the_service_refuses_everyone_but_lab_staff(name, conversation, question, personas, participant):
    user = AnonymousUser() if name == "anonymous" else _user(name, personas, participant)
    with pytest.raises(PermissionDenied):
        services.record_answers(user, conversation, {question.pk: 0}, label="Form 1")
    assert not Participant.objects.filter(label="Form 1").exists() and not Answer.objects.exists()


@pytest.mark.parametrize("name", REFUSED)
def test_the_page_refuses_everyone_but_lab_staff(name, conversation, question, personas, participant, client_as):
    url = f"/labs/{conversation.lab.slug}/conversations/{conversation.pk}/paper/answers/"
    client = client_as(_user(name, personas, participant))
    assert client.get(url).status_code == 403
    response = client.post(url, {"label": "Form 1", "channel": "paper", f"q{question.pk}": "0"})
    assert response.status_code == 403 and not Answer.objects.exists()
    response = Client().post(url, {"label": "Form 1", "channel": "paper", f"q{question.pk}": "0"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Answer.objects.exists()


def test_staff_name_only_people_they_may_act_for(conversation, question, personas, world):
    staff, otto = personas["staff"], personas["other_org"]
    stranger = core_services.register_person(otto, world.other_group, consent=True, name="Someone Else")
    with pytest.raises(PermissionDenied):
        services.record_answers(staff, conversation, {question.pk: 0}, person=stranger)
    nell = core_services.register_person(staff, world.service, consent=True, name="Nell Offline")
    ballot = services.record_answers(staff, conversation, {question.pk: 1}, person=nell)
    assert ballot.person == nell and not Answer.objects.filter(participant__person=stranger).exists()
