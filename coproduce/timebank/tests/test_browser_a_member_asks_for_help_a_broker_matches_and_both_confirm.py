"""In a real browser: Carla asks for help with her garden on her own page; Bea (broker) sees the
suggestion with its reasons, matches Dan (no login), arranges it, records it done and confirms for
Dan; Carla confirms, and the time is credited. Every co-delivery page passes axe-core."""

from datetime import timedelta

import pytest
from django.utils import timezone

from coproduce.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_asks_broker_matches_both_confirm(page, live_server, personas, ledger, axe_check, browser):
    from coproduce.timebank.models import Exchange

    from .codelivery import offer

    offer(personas["broker"], ledger.dan, description="Weeding and mowing")
    browser_login(page, "carla@example.org")
    page.goto(f"{live_server.url}/timebanks/millbrook/")
    page.get_by_role("link", name="Your offers and requests").click()
    axe_check(page)
    page.get_by_role("link", name="I need… (ask for help)").click()
    axe_check(page)
    page.get_by_label("Category").select_option(label="Home and garden: Gardening")
    page.get_by_label("Description").fill("Help to weed my borders")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("Help to weed my borders").is_visible()
    page.get_by_role("link", name="Who could help").click()
    assert page.get_by_text("Dan", exact=False).is_visible()
    assert page.get_by_text("Offline").count() == 0  # first name only
    axe_check(page)
    page.get_by_role("link", name="Millbrook Timebank").first.click()
    page.get_by_role("link", name="Your offers and requests").click()

    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    broker = context.new_page()
    broker.set_default_timeout(15000)
    browser_login(broker, "bea@example.org")
    broker.goto(f"{live_server.url}/timebanks/millbrook/requests/")
    axe_check(broker)
    broker.get_by_role("link", name="Carla Citizen").click()
    assert broker.get_by_text("Offers exactly this kind of help").first.is_visible()
    axe_check(broker)
    broker.get_by_label("Dan Offline").check()
    broker.get_by_role("button", name="Match the chosen helpers").click()
    axe_check(broker)
    exchange = Exchange.objects.get()
    assert exchange.state == "matched"
    when = (timezone.localtime() - timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    broker.get_by_label("When").fill(when)
    broker.get_by_label("Where", exact=True).select_option("public")
    broker.get_by_role("button", name="Schedule").click()
    broker.get_by_role("button", name="It happened").click()
    broker.get_by_role("button", name="Confirm for Dan Offline").click()
    axe_check(broker)
    exchange.refresh_from_db()
    assert exchange.state == "done"

    page.goto(f"{live_server.url}/timebanks/millbrook/exchanges/{exchange.pk}/")
    page.get_by_role("button", name="I confirm it happened").click()
    exchange.refresh_from_db()
    assert exchange.state == "credited"
    assert page.get_by_text("Credited").first.is_visible()
    axe_check(page)
    page.goto(f"{live_server.url}/timebanks/millbrook/mine/availability/")
    axe_check(page)
    broker.goto(f"{live_server.url}/timebanks/millbrook/members/{ledger.dan.pk}/trust/")
    axe_check(broker)
    context.close()
