"""Filters and the follow button are plain forms enhanced by htmx: they update in place with
JavaScript, and work as ordinary page loads without it."""

import pytest

from coproduce.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def card_names(page):
    return page.locator("#results .card h2").all_inner_texts()


def test_organisation_search_filters_in_place_with_javascript(page, personas):
    page.goto("/organisations/")
    assert len(card_names(page)) == 4
    page.evaluate("window.__marker = 'same page'")
    page.get_by_label("Search").fill("Fernside")
    page.wait_for_function("document.querySelectorAll('#results .card').length === 1")
    assert card_names(page) == ["Fernside Residents"]
    assert page.evaluate("window.__marker") == "same page", "htmx should not reload the page"
    assert "q=Fernside" in page.url, "the filtered URL is kept so it can be shared or bookmarked"


def test_organisation_search_works_without_javascript(browser, live_server, personas):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/organisations/")
    page.get_by_label("Search").fill("Timebank")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_load_state()
    assert card_names(page) == ["Millbrook Timebank"]
    context.close()


def test_following_a_topic_toggles_in_place(page, personas):
    browser_login(page, "carla@example.org")
    page.goto("/topics/housing/")
    page.get_by_role("button", name="Follow this topic").click()
    page.get_by_role("button", name="Stop following").wait_for()
    assert personas["citizen"].person.interests.filter(slug="housing").exists()
    page.get_by_role("button", name="Stop following").click()
    page.get_by_role("button", name="Follow this topic").wait_for()
    assert not personas["citizen"].person.interests.filter(slug="housing").exists()
