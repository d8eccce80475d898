"""Staff enter the answers to a conversation's demographic questions from a paper form, for the
participant of that form (its ballot label): recorded as entered on their behalf (channel, who entered
them, audit), checked like online answers (an error per question, nothing written), correctable until
the lab stops gathering, and counted per opinion group with small counts suppressed. Two desks typing
the same form at once still give one participant with one answer per question."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from coproduce.core.models import AuditEntry
from coproduce.design import services
from coproduce.design.models import Analysis, Answer, Conversation, Participant
from coproduce.testing import at_once


@pytest.fixture
def carer(conversation, personas):
    return services.add_question(personas["staff"], conversation, "Are you a carer?", ["Yes", "No"])


@pytest.fixture
def age(conversation, personas):
    return services.add_question(personas["staff"], conversation, "How old are you?", ["Under 40", "40 or over"])


def _answers(participant):
    return dict(Answer.objects.filter(participant=participant).values_list("question_id", "choice"))


def test_answers_of_a_paper_form_are_recorded_on_its_participants_behalf(conversation, personas, carer, age):
    staff = personas["staff"]
    ballot = services.record_votes(staff, conversation, {0: 1}, label="Workshop 3, form 12")
    same = services.record_answers(staff, conversation, {carer.pk: 0, age.pk: 1}, label=" Workshop 3,  form 12")
    assert same.pk == ballot.pk and _answers(ballot) == {carer.pk: 0, age.pk: 1}
    answer = Answer.objects.get(participant=ballot, question=carer)
    assert answer.channel == "paper" and answer.entered_by == staff
    entry = AuditEntry.objects.get(action="question.answer_on_paper")
    assert entry.actor == staff and entry.channel == "paper"
    assert entry.details == {"participant": ballot.number, "answers": {str(carer.pk): 0, str(age.pk): 1}}


def test_staff_correct_and_remove_answers_until_the_lab_stops_gathering(conversation, personas, carer, age):
    staff = personas["staff"]
    ballot = services.record_answers(staff, conversation, {carer.pk: 0, age.pk: 0}, label="Form 4",
                                     channel="in_person")
    services.record_answers(staff, conversation, {carer.pk: 1, age.pk: None}, label="Form 4")
    assert _answers(ballot) == {carer.pk: 1}
    assert services.paper_answers(conversation, label="Form 4") == {carer.pk: 1}
    services.update_conversation(staff, conversation, is_open=False)  # closed to votes: answers still open
    services.record_answers(staff, conversation, {age.pk: 1}, label="Form 4")
    services.set_stage(staff, conversation.lab, "synthesise")
    conversation.lab.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.record_answers(staff, conversation, {carer.pk: 0}, label="Form 4")
    assert "finished gathering" in exc.value.message_dict["conversation"][0]
    assert _answers(ballot) == {carer.pk: 1, age.pk: 1}


def test_bad_answers_name_the_question_and_write_nothing(conversation, personas, carer, age):
    staff = personas["staff"]
    cases = [({carer.pk: 0, age.pk: 2}, f"q{age.pk}"), ({carer.pk: True}, f"q{carer.pk}"),
             ({carer.pk: "1"}, f"q{carer.pk}"), ({carer.pk: -1}, f"q{carer.pk}"), ({99999: 0}, "answers"),
             ({carer.pk: None}, "answers")]
    for answers, field in cases:
        with pytest.raises(ValidationError) as exc:
            services.record_answers(staff, conversation, answers, label="Form 5")
        assert field in exc.value.message_dict, (answers, exc.value.message_dict)
    with pytest.raises(ValidationError) as exc:
        services.record_answers(staff, conversation, {carer.pk: 0})
    assert "label" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.record_answers(staff, conversation, {carer.pk: 0}, label="Form 5", channel="web")
    assert "channel" in exc.value.message_dict
    assert not Participant.objects.filter(label="Form 5").exists() and not Answer.objects.exists()
    assert not AuditEntry.objects.filter(action="question.answer_on_paper").exists()


def test_the_page_shows_errors_by_the_question_and_keeps_the_answers_to_correct(conversation, personas, carer,
                                                                               client_as):
    client = client_as(personas["staff"])
    url = f"/labs/{conversation.lab.slug}/conversations/{conversation.pk}/paper/answers/"
    response = client.post(url, {"person": "", "label": "", "channel": "paper", f"q{carer.pk}": "0"})
    assert response.status_code == 200 and "give the ballot a label" in response.content.decode()
    assert not Answer.objects.exists()
    response = client.post(url, {"person": "", "label": "Form 9", "channel": "paper", f"q{carer.pk}": "1"})
    assert response.status_code == 302 and response["Location"].endswith("?label=Form+9")
    page = client.get(response["Location"]).content.decode()
    checked = re.findall(r'<input type="radio" name="q\d+" value="(\d*)"[^>]*checked', page)
    assert checked == ["1"] and 'value="Form 9"' in page  # the form's answer, ready to correct
    assert _answers(Participant.objects.get(label="Form 9")) == {carer.pk: 1}


def test_paper_answers_count_in_the_groups_with_small_counts_suppressed(conversation, personas, carer):
    staff = personas["staff"]
    groups = {}
    for i in range(8):  # group A: 6 carers and 2 not; group B: 3 carers
        ballot = services.record_answers(staff, conversation, {carer.pk: 0 if i < 6 else 1}, label=f"A{i}")
        groups[str(ballot.number)] = 0
    for i in range(3):
        groups[str(services.record_answers(staff, conversation, {carer.pk: 0}, label=f"B{i}").number)] = 1
    Analysis.objects.update_or_create(conversation=conversation, defaults={"result": {"groups": groups}})
    data = Client().get(f"/api/v1/design/conversations/{conversation.pk}/demographics").json()
    yes, no = data["questions"][0]["choices"]
    assert [c["display"] for c in yes["groups"]] == ["6 (75%)", "fewer than 5"]
    assert all(c["suppressed"] for c in no["groups"])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_desks_entering_the_same_form_at_once_make_one_participant(personas, world):
    staff = personas["staff"]
    lab = services.create_lab(staff, world.service, title="Race for answers")
    conversation = services.create_conversation(staff, lab, title="Race", moderation="post")
    questions = [services.add_question(staff, conversation, f"Question {i}", ["Yes", "No"]) for i in range(2)]
    conversation = Conversation.objects.get(pk=conversation.pk)
    at_once(lambda i: services.record_answers(staff, conversation, {q.pk: i % 2 for q in questions},
                                              label="Form 99"), 6)
    participant = Participant.objects.get(conversation=conversation, label="Form 99")
    answers = list(Answer.objects.filter(participant=participant).values_list("question_id", "choice"))
    assert len(answers) == 2 and len({choice for _q, choice in answers}) == 1  # one desk's form, whole
    assert AuditEntry.objects.filter(action="question.answer_on_paper").count() == 6
