"""In a real browser (Debian's chromium, headless), with JavaScript and without: Carla reports a problem
with Home Care, is invited to help, first forgets to accept the agreement of the bank she is not a member
of (refused next to the field, nothing saved), then offers her time through her own timebank; the offer
is on her page in the timebank. Every page passes axe-core (checked with JavaScript on, as axe needs it)."""

import pytest

from coproduce.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def report_and_offer(page, axe_check):
    from coproduce.assessment.models import HelpOffer
    from coproduce.timebank.models import Offer

    browser_login(page, "carla@example.org")
    page.goto("/services/home-care/")
    page.get_by_role("link", name="Report a problem or complain").click()
    page.get_by_label("What happened?").fill("The carer came two hours late on Monday.")
    page.get_by_role("button", name="Send").click()
    assert page.get_by_role("heading", name="Would you like to help fix this or improve this service?").is_visible()
    axe_check(page)
    page.get_by_label("Offer my time through a timebank").check()
    page.get_by_label("Timebank (optional)", exact=True).select_option(label="Council Timebank")
    page.get_by_role("button", name="I would like to help").click()
    assert page.get_by_text("The member agreement (version 1) must be accepted.").is_visible()
    assert not HelpOffer.objects.exists() and not Offer.objects.exists()
    axe_check(page)
    page.get_by_label("Offer my time through a timebank").check()
    page.get_by_label("Timebank (optional)", exact=True).select_option(label="Millbrook Timebank")
    page.get_by_label("Kind of help in the timebank (optional)").select_option(label="Befriending and visiting")
    page.get_by_label("In your own words (optional)").fill("I could visit people who wait alone.")
    page.get_by_role("button", name="I would like to help").click()
    assert page.get_by_text("Thank you: your offer of time is in Millbrook Timebank.").is_visible()
    assert page.get_by_text("Offer of time posted in Millbrook Timebank.").is_visible()
    axe_check(page)
    offer = Offer.objects.get()
    assert HelpOffer.objects.get().timebank_offer == offer and offer.category.slug == "befriending"
    page.goto("/timebanks/millbrook/mine/")
    assert page.get_by_text("To help improve Home Care: I could visit people who wait alone.").is_visible()
    axe_check(page)


def test_with_javascript(page, personas, care, helping, axe_check):
    report_and_offer(page, axe_check)


def test_without_javascript(browser, live_server, personas, care, helping):
    """axe-core needs JavaScript: the pages were checked in the first test."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        report_and_offer(page, lambda page: None)
    finally:
        context.close()
