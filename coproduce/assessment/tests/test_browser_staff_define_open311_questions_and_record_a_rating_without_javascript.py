"""In a real browser with JavaScript turned off, a service's staff member adds an Open311 question
(a one-choice list forgotten its values first: refused next to the field, nothing saved), then records
a rating someone gave by phone. Both pages pass axe-core in English and German."""

import json

import pytest

from coproduce.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_define_a_question_and_record_a_rating_without_javascript(browser, live_server, personas, world, care,
                                                                  client, axe_check):
    from coproduce.assessment.models import Rating, ServiceAttribute
    from coproduce.core import services as core_services

    staff = personas["staff"]
    core_services.register_person(staff, world.service, consent=True, name="Nell Offline", phone="01632 960123")
    context = browser.new_context(base_url=live_server.url, locale="en-GB", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        browser_login(page, "sam@example.org")
        page.goto("/services/home-care/")
        page.get_by_role("link", name="Questions asked through Open311").click()
        page.locator("#id_attributes-0-code").fill("SIZE")
        page.locator("#id_attributes-0-description").fill("How big is it?")
        page.locator("#id_attributes-0-datatype").select_option("singlevaluelist")
        page.get_by_role("button", name="Save").click()
        assert page.get_by_text("A list attribute needs values.").is_visible()
        assert not ServiceAttribute.objects.exists()
        page.locator("#id_attributes-0-values").fill("small = Small\nbig = Big")
        page.get_by_role("button", name="Save").click()
        assert page.get_by_text("Saved.").is_visible()
        assert page.locator("#id_attributes-0-code").input_value() == "SIZE"
        attributes = json.loads(client.get("/open311/v2/services/CARE.json").content)["attributes"]
        assert [(a["code"], [v["key"] for v in a["values"]]) for a in attributes] == [("SIZE", ["small", "big"])]

        page.goto("/services/home-care/")
        page.get_by_role("link", name="Record a rating for someone").click()
        page.get_by_label("On behalf of").select_option(label="Nell Offline")
        page.get_by_label("How did they give it?").select_option("phone")
        page.get_by_label("5 of 5").first.check()
        page.get_by_role("button", name="Save their rating").click()
        assert page.get_by_text("Ask them, and record that they agreed, before recording it.").is_visible()
        assert not Rating.objects.exists()
        page.get_by_label("They agreed to this rating being recorded in their name.").check()
        page.get_by_role("button", name="Save their rating").click()
        assert page.get_by_text("Their rating is recorded.").is_visible()
        rating = Rating.objects.get()
        assert (rating.person.name, rating.channel, rating.overall) == ("Nell Offline", "phone", 5)
    finally:
        context.close()
    context = browser.new_context(base_url=live_server.url, locale="en-GB")  # axe-core needs JavaScript
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        browser_login(page, "sam@example.org")
        pages = {"en": [("/services/home-care/open311/", "Open311 questions of Home Care"),
                        ("/services/home-care/rate/on-behalf/", "Record a rating of Home Care for someone")],
                 "de": [("/services/home-care/open311/", "Open311-Fragen von Home Care"),
                        ("/services/home-care/rate/on-behalf/", "Bewertung von Home Care für eine Person erfassen")]}
        for language, visits in pages.items():
            context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
            for url, heading in visits:
                page.goto(url)
                assert page.get_by_role("heading", name=heading).is_visible()
                axe_check(page)
    finally:
        context.close()
