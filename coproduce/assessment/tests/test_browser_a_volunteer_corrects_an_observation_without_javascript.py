"""In a real browser with JavaScript turned off, a volunteer opens "my observations", follows "Correct",
enters a bad pH (refused next to the field, nothing saved), then a good one; the page passes axe-core."""

from datetime import timedelta

import pytest
from django.utils import timezone

from coproduce.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_correct_an_observation_without_javascript(browser, live_server, personas, river, axe_check):
    from coproduce.assessment import monitoring_services as monitoring
    from coproduce.assessment.models import Observation

    observation = monitoring.record_observation(
        personas["citizen"], river.campaign, values={river.ph.field: "7", river.temp.field: "9",
                                                      river.turbidity.field: "0"},
        observed_at=timezone.now() - timedelta(hours=2), location="Mill weir", minutes_spent=15)
    context = browser.new_context(base_url=live_server.url, locale="en-GB", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        browser_login(page, "carla@example.org")
        page.goto(f"/services/campaigns/{river.campaign.slug}/mine/")
        page.get_by_role("link", name="Correct").click()
        assert page.get_by_role("heading", name="Correct an observation").is_visible()
        assert page.get_by_label("Where?").input_value() == "Mill weir"
        page.get_by_label("pH").fill("15")
        page.get_by_label("Where?").fill("Footbridge")
        page.get_by_role("button", name="Save the correction").click()
        assert page.get_by_text("Enter a number from 0 to 14.").is_visible()
        assert Observation.objects.get(pk=observation.pk).location == "Mill weir"
        page.get_by_label("pH").fill("7.1")
        page.get_by_role("button", name="Save the correction").click()
        assert page.get_by_text("The observation is corrected.").is_visible()
        observation.refresh_from_db()
        assert observation.location == "Footbridge"
        assert observation.values.get(measure=river.ph).value == "7.1"
    finally:
        context.close()
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        browser_login(page, "carla@example.org")
        page.goto(f"/services/campaigns/observations/{observation.pk}/correct/")
        axe_check(page)
    finally:
        context.close()
