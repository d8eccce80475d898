"""In a real browser: Sam publishes a decision that rests on a vote Nell gave by phone. Nell has no email,
so publishing takes Sam to the list of people to tell; he phones her and marks her as told. Every page
passes axe-core."""

import pytest

from coproduce.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_publish_then_phone_and_mark_someone_as_told(page, phoned_decision, axe_check):
    from coproduce.design.models import FollowUp

    decision, nell = phoned_decision

    browser_login(page, "sam@example.org")
    page.goto(decision.get_absolute_url())
    page.get_by_role("button", name="Publish and tell the people behind it").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="People to tell by phone, letter or in person").is_visible()
    assert page.get_by_text("01234 567890").is_visible()
    axe_check(page)
    page.get_by_label("How did you tell them?").select_option("phone")
    page.get_by_label("Note").fill("Pleased to hear it")
    page.get_by_role("button", name="Mark as told – Nell Phone").click()
    page.wait_for_load_state()
    row = FollowUp.objects.get(decision=decision, person=nell)
    assert row.told_at is not None and row.channel == "phone" and row.note == "Pleased to hear it"
    assert page.get_by_text("Pleased to hear it").is_visible()
    axe_check(page)
