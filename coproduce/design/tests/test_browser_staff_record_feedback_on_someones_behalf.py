"""In a real browser (Debian's chromium, headless): Sam records what Nell said on the phone in her
name. Without ticking that she agreed it is refused next to the field; with it, the feedback list
shows it as recorded by staff on her behalf. Without JavaScript the same form works. The page passes
axe-core (no serious or critical WCAG 2.2 AA violations), also when showing the error."""

import pytest

from coproduce.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def nell(personas, world):
    from coproduce.core import services as core_services

    return core_services.register_person(personas["staff"], world.service, consent=True, name="Nell Offline")


def record(page, lab, nell, *, agreed):
    page.goto(f"/labs/{lab.slug}/feedback/")
    page.get_by_label("What was said").fill("Booking respite took three weeks.")
    page.get_by_label("Said by").select_option(label="Nell Offline")
    page.get_by_label("How did it reach us?").select_option(label="By phone")
    if agreed:
        page.get_by_label("They agreed to it being recorded in their name").check()
    page.get_by_role("button", name="Record", exact=True).click()
    page.wait_for_load_state()


def test_staff_record_feedback_in_someones_name_with_javascript(page, personas, lab, nell, axe_check):
    from coproduce.design.models import Feedback

    browser_login(page, "sam@example.org")
    record(page, lab, nell, agreed=False)
    page.get_by_text("record that they agreed").wait_for()
    axe_check(page)
    assert not Feedback.objects.exists()
    record(page, lab, nell, agreed=True)
    page.get_by_role("cell", name="recorded by staff on behalf of Nell Offline").wait_for()
    axe_check(page)
    item = Feedback.objects.get()
    assert item.on_behalf and item.person == nell and item.channel == "phone"


def test_staff_record_feedback_in_someones_name_without_javascript(browser, live_server, personas, lab, nell):
    from coproduce.design.models import Feedback

    context = browser.new_context(base_url=live_server.url, locale="en-GB", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        browser_login(page, "sam@example.org")
        record(page, lab, nell, agreed=True)
        page.get_by_role("cell", name="recorded by staff on behalf of Nell Offline").wait_for()
        assert Feedback.objects.get().on_behalf
        # axe-core needs JavaScript: the same page is scanned in the test with JavaScript above
    finally:
        context.close()
