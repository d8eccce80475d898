"""In a real browser, Bea (who runs the campaign) follows "Change" next to a measure, renames it, then tries
to delete a measure that already has values and reads why it stays; the pages pass axe-core."""

from datetime import timedelta

import pytest
from django.utils import timezone

from coproduce.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_change_a_measure_and_read_the_refusal(browser, live_server, personas, river, axe_check):
    from coproduce.assessment import monitoring_services as monitoring
    from coproduce.assessment.models import Measure

    monitoring.record_observation(personas["citizen"], river.campaign, values={
        river.ph.field: "7", river.temp.field: "9", river.turbidity.field: "0"},
        observed_at=timezone.now() - timedelta(hours=1), location="Weir")
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        browser_login(page, "bea@example.org")
        page.goto(river.campaign.get_absolute_url())
        page.get_by_role("link", name="Change: Notes").click()
        axe_check(page)
        page.get_by_label("What is observed").fill("Remarks")
        page.get_by_role("button", name="Save").click()
        assert Measure.objects.get(pk=river.notes.pk).name == "Remarks"
        page.goto(river.campaign.get_absolute_url())
        page.get_by_role("link", name="Delete: pH").click()
        page.get_by_role("button", name="Delete the measure").click()
        assert page.get_by_role("alert").get_by_text("cannot be changed any more").is_visible()
        axe_check(page)
        assert Measure.objects.filter(pk=river.ph.pk).exists()
    finally:
        context.close()
