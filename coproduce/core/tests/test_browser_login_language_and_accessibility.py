"""In a real browser (Debian's chromium, headless): log in, switch to German, and scan every public
page and the main logged-in pages with axe-core (no serious or critical WCAG 2.2 AA violations)."""

import pytest

from coproduce.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC_PAGES = ["/", "/organisations/", "/organisations/council/", "/topics/", "/topics/housing/", "/areas/",
                "/accounts/login/", "/accounts/signup/", "/accounts/password/reset/", "/no-such-page/"]


def test_public_pages_pass_axe_in_english_and_german(page, personas, axe_check):
    for url in PUBLIC_PAGES:
        page.goto(url)
        assert page.locator("main").count() == 1, url
        axe_check(page)
    page.goto("/")
    page.get_by_label("Language").select_option("de")
    page.get_by_role("button", name="Change language").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "de"
    for url in PUBLIC_PAGES:
        page.goto(url)
        axe_check(page)


def test_staff_logs_in_and_the_main_pages_pass_axe(page, personas, axe_check):
    browser_login(page, "sam@example.org")
    assert page.get_by_role("link", name="My profile").is_visible()
    carla = personas["citizen"].person
    for url in ["/", "/people/", "/organisations/social-care/", "/organisations/social-care/members/",
                "/organisations/social-care/register/", f"/people/{personas['staff'].person.pk}/",
                f"/people/{personas['staff'].person.pk}/edit/", "/me/tokens/"]:
        page.goto(url)
        assert page.url.endswith(url), (url, page.url)
        axe_check(page)
    # a form with errors is accessible too: submit the registration without consent
    page.goto("/organisations/social-care/register/")
    page.get_by_label("Name", exact=False).first.fill("Nell Offline")
    page.get_by_role("button", name="Register").click()
    assert page.get_by_text("Record the person's consent").is_visible()
    axe_check(page)
    assert carla.pk  # the citizen exists but is not visible to this staff member
    page.goto(f"/people/{carla.pk}/")
    assert "not allowed" in page.content()


def test_administrator_logs_in_with_two_factor_and_reads_the_audit_log_in_german(page, personas, axe_check):
    from allauth.mfa.models import Authenticator

    admin = personas["org_admin"]
    secret = Authenticator.objects.get(user=admin, type="totp").wrap().instance.data["secret"]
    from allauth.mfa.utils import decrypt

    browser_login(page, "ada@example.org", totp_secret=decrypt(secret))
    page.get_by_label("Language").select_option("de")
    page.get_by_role("button", name="Change language").click()
    page.goto("/audit/")
    from django.utils import translation

    with translation.override("de"):
        german = translation.gettext("Audit log")
    assert german != "Audit log", "German translation missing"
    assert page.locator("h1").inner_text() == german
    axe_check(page)
