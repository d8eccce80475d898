"""In a real browser: Otto, who administers the organisation behind Fernside (with two-factor), sets the
bank's limits and hourly values (a low value above the high one is refused next to its field first), adds
a category and switches a shared one off, and publishes a new member agreement. Every page passes axe-core,
in English and then in German."""

from decimal import Decimal

import pytest

from coproduce.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_changes_the_banks_settings_categories_and_agreement(page, personas, ledger, axe_check):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import decrypt

    from coproduce.timebank.models import Category, Timebank

    otto = personas["other_org"]
    secret = Authenticator.objects.get(user=otto, type="totp").wrap().instance.data["secret"]
    browser_login(page, "otto@example.org", totp_secret=decrypt(secret))
    page.goto("/timebanks/fernside/")
    page.get_by_role("link", name="Bank settings").click()
    assert page.get_by_role("heading", name="Settings of Fernside Timebank").is_visible()
    axe_check(page)

    page.get_by_label("Overdraft limit (minutes)").fill("300")
    page.get_by_label("Value of an hour given, low estimate (GBP)").fill("20")
    page.get_by_label("Value of an hour given, high estimate (GBP)").fill("10")
    page.get_by_role("button", name="Save settings").click()
    assert "must not be below" in page.locator("#id_hourly_value_high_error").inner_text()
    assert Timebank.objects.get(slug="fernside").overdraft_limit_minutes == 600
    axe_check(page)
    page.get_by_label("Value of an hour given, low estimate (GBP)").fill("12.20")
    page.get_by_label("Value of an hour given, high estimate (GBP)").fill("18")
    page.get_by_role("button", name="Save settings").click()
    assert page.get_by_text("The bank's settings are saved.").is_visible()
    bank = Timebank.objects.get(slug="fernside")
    assert (bank.overdraft_limit_minutes, bank.hourly_value_low, bank.hourly_value_high) == (
        300, Decimal("1220"), Decimal("1800"))

    page.get_by_role("link", name="Skills and categories").click()
    axe_check(page)
    page.get_by_label("Name of the category").fill("Chopping logs")
    page.get_by_label("Group", exact=True).select_option("home")
    page.get_by_role("button", name="Add", exact=True).click()
    assert page.get_by_text("Chopping logs is added to the bank's list.").is_visible()
    page.get_by_role("button", name="Switch off Gardening").click()
    assert page.get_by_role("button", name="Use Gardening again").is_visible()
    gardening = Category.objects.get(timebank=None, slug="gardening")
    assert gardening not in Category.objects.for_bank(bank)
    assert Category.objects.filter(timebank=bank, slug="chopping-logs").exists()
    axe_check(page)

    page.goto("/timebanks/fernside/agreement/")
    axe_check(page)
    page.get_by_label("Version", exact=True).fill("1")
    page.get_by_label("Text of the member agreement").fill("No gifts or money. Respect everyone's time.")
    page.get_by_role("button", name="Publish").click()
    assert page.get_by_role("heading", name="Current version: 1").is_visible()
    axe_check(page)

    page.goto("/")
    page.get_by_label("Language").select_option("de")
    page.get_by_role("button", name="Change language").click()
    page.wait_for_load_state()
    for url in ("/timebanks/fernside/settings/", "/timebanks/fernside/categories/", "/timebanks/fernside/agreement/"):
        page.goto(url)
        assert page.locator("html").get_attribute("lang") == "de"
        axe_check(page)
    assert page.get_by_role("heading", name="Mitgliedervereinbarung von Fernside Timebank").is_visible()
