"""In a real browser (Debian's chromium, headless): Sam, who runs the lab, goes from the paper votes
page to the paper answers page, enters a paper form's answers under its ballot label, then finds the
form again by its label and corrects an answer without JavaScript. The page passes axe-core (no
serious or critical WCAG 2.2 AA violations), also when showing an error."""

import pytest

from coproduce.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def carer(conversation, personas):
    from coproduce.design import services

    services.record_votes(personas["staff"], conversation, {0: 1}, label="Form 12")
    return services.add_question(personas["staff"], conversation, "Are you a carer?", ["Yes", "No"])


def answers():
    from coproduce.design.models import Answer

    return list(Answer.objects.values_list("participant__label", "choice", "channel"))


def test_staff_enter_a_forms_answers_with_javascript(page, personas, conversation, carer, axe_check):
    browser_login(page, "sam@example.org")
    page.goto(f"/labs/{conversation.lab.slug}/conversations/{conversation.pk}/paper/")
    page.get_by_role("link", name="Enter the form's answers to the questions about participants").click()
    page.get_by_role("heading", name="Enter answers to the questions about participants from paper").wait_for()
    axe_check(page)
    page.get_by_role("button", name="Record answers").click()  # no label: refused, shown by the field
    page.get_by_text("give the ballot a label").wait_for()
    axe_check(page)
    assert answers() == []
    page.get_by_label("Or a ballot label").fill("Form 12")
    page.get_by_role("group", name="Are you a carer?").get_by_label("Yes").check()
    page.get_by_role("button", name="Record answers").click()
    page.get_by_text("Answers recorded for participant").wait_for()
    assert answers() == [("Form 12", 0, "paper")]
    axe_check(page)


def test_staff_correct_a_forms_answer_without_javascript(browser, live_server, personas, conversation, carer):
    from coproduce.design import services

    services.record_answers(personas["staff"], conversation, {carer.pk: 0}, label="Form 12")
    context = browser.new_context(base_url=live_server.url, locale="en-GB", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        browser_login(page, "sam@example.org")
        page.goto(f"/labs/{conversation.lab.slug}/conversations/{conversation.pk}/paper/answers/")
        page.get_by_label("Ballot label", exact=True).fill("Form 12")
        page.get_by_role("button", name="Show its answers").click()
        page.wait_for_load_state()
        group = page.get_by_role("group", name="Are you a carer?")
        assert group.get_by_label("Yes").is_checked()
        group.get_by_label("No", exact=True).check()
        page.get_by_role("button", name="Record answers").click()
        page.get_by_text("Answers recorded for participant").wait_for()
        assert answers() == [("Form 12", 1, "paper")]
        # axe-core needs JavaScript: the same page is scanned in the test with JavaScript above
    finally:
        context.close()
