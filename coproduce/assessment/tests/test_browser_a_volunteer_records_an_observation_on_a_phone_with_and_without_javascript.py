"""On a phone-sized screen, in a real browser, a volunteer opens the campaign, records an observation
with a bad pH (refused next to the field, nothing saved, the other entries kept), corrects it and saves
it; the page fits the screen and passes axe-core. The same works with JavaScript turned off."""

import pytest

from coproduce.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def record(page, river, ph):
    page.get_by_label("pH").fill(ph)
    page.get_by_label("Water temperature").fill("11.5")
    page.get_by_label("cloudy").check()
    page.get_by_label("Yes").check()
    page.get_by_label("Where?").fill("Mill weir")
    page.get_by_label("Minutes you spent").fill("25")
    page.get_by_role("button", name="Save the observation").click()


def test_record_on_a_phone_with_javascript(browser, live_server, personas, river, axe_check):
    from coproduce.assessment.models import Observation

    context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport=PHONE, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        browser_login(page, "carla@example.org")
        page.goto(river.campaign.get_absolute_url())
        axe_check(page)
        page.get_by_role("link", name="Record an observation").click()
        axe_check(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        record(page, river, "15")
        assert page.get_by_text("Enter a number from 0 to 14.").is_visible()
        assert not Observation.objects.exists()
        assert page.get_by_label("Where?").input_value() == "Mill weir"
        axe_check(page)
        page.get_by_label("pH").fill("7.2")
        page.get_by_role("button", name="Save the observation").click()
        assert page.get_by_text("Thank you: the observation is recorded.").is_visible()
        observation = Observation.objects.get()
        assert observation.volunteer == river.carla and observation.minutes_spent == 25
        assert {v.measure_id: v.value for v in observation.values.all()} == {
            river.ph.pk: "7.2", river.temp.pk: "11.5", river.turbidity.pk: 1, river.litter.pk: True}
        page.goto(f"/services/campaigns/{river.campaign.slug}/mine/")
        assert page.get_by_role("cell", name="Mill weir").is_visible()
        axe_check(page)
    finally:
        context.close()


def test_record_on_a_phone_without_javascript(browser, live_server, personas, river):
    from coproduce.assessment.models import Observation

    context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport=PHONE,
                                  java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        browser_login(page, "carla@example.org")
        page.goto(f"/services/campaigns/{river.campaign.slug}/record/")
        record(page, river, "seven")
        assert page.get_by_text("Enter a number.").is_visible()
        assert not Observation.objects.exists()
        page.get_by_label("pH").fill("6,8")
        page.get_by_role("button", name="Save the observation").click()
        assert page.get_by_text("Thank you: the observation is recorded.").is_visible()
        assert Observation.objects.get().values.get(measure=river.ph).value == "6.8"
    finally:
        context.close()
