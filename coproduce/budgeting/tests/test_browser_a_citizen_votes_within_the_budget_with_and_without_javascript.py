"""In a real browser (Debian's chromium, headless): Carla logs in, opens the vote on the city budget,
chooses projects (first too many for the budget: refused, next to the choices), then projects within
the budget, submits and sees the confirmation; every page passes axe-core. The same vote works with
JavaScript turned off, and changing it keeps one ballot."""

import pytest

from coproduce.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cost_vote(pb, phase):
    from coproduce.budgeting.models import Process

    Process.objects.filter(pk=pb.process.pk).update(method=Process.Method.COST_APPROVAL, max_choices=None)
    pb.process.refresh_from_db()
    phase(pb.process, "vote")
    return pb


def vote(page, pb, titles):
    page.goto(pb.process.get_absolute_url())
    page.get_by_role("link", name="Vote: Whole city").click()
    assert page.get_by_role("heading", name="Vote: Whole city").is_visible()
    for title in titles:
        page.get_by_label(title, exact=False).check()
    page.get_by_role("button", name="Cast my vote").click()
    page.wait_for_load_state()


def test_a_citizen_votes_within_the_budget(page, personas, cost_vote, axe_check):
    from coproduce.budgeting.models import Ballot

    pb = cost_vote
    browser_login(page, "carla@example.org")
    page.goto(pb.process.get_absolute_url())
    axe_check(page)
    # £500 + £600 is more than the £1,000 budget
    vote(page, pb, ["Skate park", "Library late opening"])
    assert page.get_by_text("Your choices cost more than the budget").is_visible()
    assert not Ballot.objects.exists()
    axe_check(page)
    page.get_by_label("Library late opening", exact=False).uncheck()
    page.get_by_label("Benches by the river", exact=False).check()
    page.get_by_role("button", name="Cast my vote").click()
    assert page.get_by_text("Your vote is saved. You can change it until voting closes.").is_visible()
    axe_check(page)
    ballot = Ballot.objects.get()
    assert sorted(ballot.choices) == sorted([pb.proposals["Skate park"].pk, pb.proposals["Benches by the river"].pk])
    assert ballot.channel == "web"


def test_the_same_vote_works_without_javascript(browser, live_server, personas, cost_vote):
    from coproduce.budgeting.models import Ballot

    pb = cost_vote
    context = browser.new_context(base_url=live_server.url, locale="en-GB", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        browser_login(page, "carla@example.org")
        vote(page, pb, ["Library late opening"])
        assert page.get_by_text("Your vote is saved.", exact=False).is_visible()
        page.get_by_role("link", name="Vote: Whole city").click()
        assert page.get_by_text("You have voted; you can change your vote until voting closes.").is_visible()
        assert page.get_by_label("Library late opening", exact=False).is_checked()
        page.get_by_label("Library late opening", exact=False).uncheck()
        page.get_by_label("Skate park", exact=False).check()
        page.get_by_role("button", name="Cast my vote").click()
        assert page.get_by_text("Your vote is saved.", exact=False).is_visible()
    finally:
        context.close()
    assert list(Ballot.objects.values_list("choices", flat=True)) == [[pb.proposals["Skate park"].pk]]
