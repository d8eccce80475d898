"""A refused statement, seed statement or question shows the same page again (400) with the error next to
its field and what the person typed still in the box, and writes nothing."""

import pytest

from coproduce.design.models import Question, Statement

LONG = "Respite " * 70  # 560 characters


@pytest.fixture
def base(lab, conversation):
    return f"/labs/{lab.slug}/conversations/{conversation.pk}"


def _count(conversation):
    return Statement.objects.filter(conversation=conversation).count()


def test_a_too_long_statement_keeps_its_text_and_says_why(base, conversation, personas, client_as):
    before = _count(conversation)
    response = client_as(personas["citizen"]).post(f"{base}/statements/", {"text": LONG})
    assert response.status_code == 400
    form = response.context["statement_form"]
    assert "text" in form.errors and form["text"].value() == LONG
    html = response.content.decode()
    assert 'id="id_text_error"' in html and LONG.strip() in html
    assert _count(conversation) == before


def test_a_duplicate_statement_is_refused_on_its_field(base, conversation, personas, client_as):
    before = _count(conversation)
    response = client_as(personas["citizen"]).post(f"{base}/statements/", {"text": "groups are the best support."})
    assert response.status_code == 400
    assert response.context["statement_form"].errors["text"] == ["This statement is already in the conversation."]
    assert _count(conversation) == before


def test_a_duplicate_seed_keeps_its_text_on_the_settings_page(base, conversation, personas, client_as):
    before = _count(conversation)
    response = client_as(personas["staff"]).post(f"{base}/seed/", {"seed-text": "I want help at home.",
                                                                    "seed-is_meta": "on"})
    assert response.status_code == 400
    form = response.context["seed_form"]
    assert form.errors["text"] == ["This statement is already in the conversation."]
    assert form["text"].value() == "I want help at home." and form["is_meta"].value() is True
    assert 'id="id_seed-text_error"' in response.content.decode()
    assert _count(conversation) == before


def test_a_question_with_one_answer_names_the_answers_field(base, conversation, personas, client_as):
    response = client_as(personas["staff"]).post(f"{base}/question/", {"question-text": "How old are you?",
                                                                        "question-choices": "Under 18"})
    assert response.status_code == 400
    form = response.context["question_form"]
    assert form.errors["choices"] == ["Give at least two answers to choose from."]
    assert form["text"].value() == "How old are you?" and form["choices"].value() == "Under 18"
    assert 'id="id_question-choices_error"' in response.content.decode()
    assert not Question.objects.filter(conversation=conversation).exists()


def test_a_question_without_text_names_the_question_field(base, conversation, personas, client_as):
    response = client_as(personas["staff"]).post(f"{base}/question/", {"question-text": "",
                                                                        "question-choices": "Yes\nNo"})
    assert response.status_code == 400
    assert "text" in response.context["question_form"].errors
    assert response.context["question_form"]["choices"].value() == "Yes\nNo"
    assert not Question.objects.filter(conversation=conversation).exists()


def test_good_input_still_redirects(base, conversation, personas, client_as):
    response = client_as(personas["staff"]).post(f"{base}/question/", {"question-text": "Do you care for someone?",
                                                                        "question-choices": "Yes\nNo"})
    assert response.status_code == 302
    assert Question.objects.get(conversation=conversation).choices == ["Yes", "No"]


def test_an_answer_without_a_choice_is_refused_in_that_questions_box(base, conversation, personas, client_as):
    from coproduce.design import services
    from coproduce.design.models import Answer

    question = services.add_question(personas["staff"], conversation, "Do you care for someone?", ["Yes", "No"])
    response = client_as(personas["citizen"]).post(f"{base}/questions/{question.pk}/", {"choice": "7"})
    assert response.status_code == 400
    html = response.content.decode()
    assert f'aria-describedby="q{question.pk}-error"' in html
    assert f'<p class="error" id="q{question.pk}-error">Choose one of the answers.</p>' in html
    assert not Answer.objects.filter(question=question).exists()


def test_an_answer_after_gathering_ended_says_why_at_the_top(lab, base, conversation, personas, client_as):
    from coproduce.design import services
    from coproduce.design.models import Answer

    question = services.add_question(personas["staff"], conversation, "Do you care for someone?", ["Yes", "No"])
    services.set_stage(personas["staff"], lab, "synthesise")
    response = client_as(personas["citizen"]).post(f"{base}/questions/{question.pk}/", {"choice": "0"})
    assert response.status_code == 400
    assert "finished gathering views" in response.content.decode()
    assert not Answer.objects.filter(question=question).exists()
