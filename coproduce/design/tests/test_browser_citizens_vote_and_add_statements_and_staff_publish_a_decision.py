"""In a real browser (Debian's chromium, headless): Carla votes on statements and adds her own, with
JavaScript (htmx swaps the next statement in place) and without it (plain forms and redirects); Sam,
who runs the lab, reads the opinion map and publishes a decision, which tells the people behind it.
Every page visited passes axe-core (no serious or critical WCAG 2.2 AA violations)."""

import re

import pytest

from coproduce.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STATEMENTS = ["Respite should be easy to book.", "Groups are the best support.", "I want help at home.",
              "Evening sessions would help working carers."]


@pytest.fixture
def open_conversation(lab, personas):
    from coproduce.design import services

    conversation = services.create_conversation(personas["staff"], lab, title="What would help?",
                                                moderation="post")
    for text in STATEMENTS:
        services.add_seed_statement(personas["staff"], conversation, text)
    return conversation


def my_votes(conversation, user):
    from coproduce.design.models import Vote

    return dict(Vote.objects.filter(conversation=conversation, participant__person=user.person)
                .values_list("statement__number", "value"))


def test_a_citizen_votes_and_adds_a_statement_with_javascript(page, personas, open_conversation, axe_check):
    from coproduce.design.models import Statement

    carla, conversation = personas["citizen"], open_conversation
    browser_login(page, "carla@example.org")
    page.goto(conversation.get_absolute_url())
    axe_check(page)
    voting = page.locator("#voting")
    first = voting.locator("blockquote").inner_text()
    voting.get_by_role("button", name=re.compile("^Agree")).click()
    page.get_by_text("You have voted on 1 statement.").wait_for()
    assert voting.locator("blockquote").inner_text() != first  # the next statement, swapped in place
    number = Statement.objects.get(conversation=conversation, text=first).number
    assert my_votes(conversation, carla) == {number: 1}
    voting.get_by_role("button", name=re.compile("^Disagree")).click()
    page.get_by_text("You have voted on 2 statements.").wait_for()
    axe_check(page)
    page.get_by_label("Your statement").fill("A phone line for booking respite.")
    page.get_by_role("button", name="Add statement").click()
    page.get_by_text("Your statement is now in the conversation.").wait_for()
    assert Statement.objects.get(text="A phone line for booking respite.").author.person == carla.person
    axe_check(page)


def test_a_citizen_votes_and_adds_a_statement_without_javascript(browser, live_server, personas, open_conversation):
    carla, conversation = personas["citizen"], open_conversation
    context = browser.new_context(base_url=live_server.url, locale="en-GB", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        browser_login(page, "carla@example.org")
        page.goto(conversation.get_absolute_url())
        table = page.get_by_role("table").first
        table.get_by_role("button", name="Disagree – statement 2", exact=True).click()
        page.wait_for_load_state()
        assert my_votes(conversation, carla) == {2: -1}
        pressed = page.get_by_role("table").first.get_by_role("button", name="Disagree – statement 2", exact=True)
        assert pressed.get_attribute("aria-pressed") == "true"
        page.get_by_role("table").first.get_by_role("button", name="Agree – statement 2", exact=True).click()
        page.wait_for_load_state()
        assert my_votes(conversation, carla) == {2: 1}  # changed, not added
        page.get_by_role("button", name="Add statement").click()  # empty: refused, nothing added
        page.wait_for_load_state()
        assert conversation.statements.count() == len(STATEMENTS)
        page.get_by_label("Your statement").fill("Carers' cafés in every town.")
        page.get_by_role("button", name="Add statement").click()
        page.get_by_text("Your statement is now in the conversation.").wait_for()
        assert page.get_by_role("cell", name="Carers' cafés in every town.").is_visible()
        # axe-core needs JavaScript: the same pages are scanned in the test with JavaScript above
    finally:
        context.close()


def test_a_facilitator_reads_the_opinion_map_and_publishes_a_decision(page, personas, lab, open_conversation,
                                                                       axe_check):
    from django.core import mail

    from coproduce.design import services
    from coproduce.design.models import Decision

    conversation, staff = open_conversation, personas["staff"]
    blocs = {"citizen": (1, 1, -1, 1), "broker": (1, 1, -1, 0), "other_org": (-1, -1, 1, -1),
             "org_admin": (-1, -1, 1, -1), "platform_admin": (1, -1, 1, 1)}
    for name, votes in blocs.items():
        for number, value in enumerate(votes):
            services.cast_vote(personas[name], conversation, number, value)
    insight = services.create_insight(staff, lab, title="Booking respite is the first worry",
                                      statements=[conversation.statements.get(number=0)])
    decision = services.create_decision(staff, lab, title="Respite booked within two days", insights=[insight])
    services.set_stage(staff, lab, "decide")
    mail.outbox.clear()

    browser_login(page, "sam@example.org")
    page.goto(conversation.get_absolute_url())
    page.get_by_role("link", name="See the opinion map").click()
    assert page.get_by_role("heading", name="Opinion map").is_visible()
    assert page.locator("svg.opinion-map").is_visible()
    assert page.get_by_role("table").first.get_by_role("rowheader").count() >= 1  # the groups, as a table
    axe_check(page)
    page.goto(decision.get_absolute_url())
    assert page.get_by_text("Draft – not public yet").is_visible()
    axe_check(page)
    page.get_by_role("button", name="Publish and tell the people behind it").click()
    page.wait_for_load_state()
    decision.refresh_from_db()
    assert decision.status == Decision.Status.PUBLISHED
    assert {m.to[0] for m in mail.outbox} >= {"carla@example.org", "bea@example.org"}
    axe_check(page)
    page.goto(f"{lab.get_absolute_url()}trail/")
    assert page.get_by_text("Respite booked within two days").first.is_visible()
    axe_check(page)
