"""In a real browser (Debian's chromium, headless): Nora asked to join Millbrook; Bea, its broker,
approves her with the dashboard's Approve button, then suspends her on the member page with why.
The dashboard and the member page pass axe-core, the form with an error included."""

import pytest

from coproduce.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_broker_approves_a_request_to_join_from_the_dashboard(page, personas, ledger, axe_check):
    from coproduce.conftest import make_user
    from coproduce.timebank import services
    from coproduce.timebank.models import TimebankMember

    nora = services.request_to_join(make_user("nora", name="Nora Newcomer"), ledger.bank, accept_agreement=True)
    browser_login(page, "bea@example.org")
    page.goto("/timebanks/millbrook/")
    row = page.get_by_role("row", name="Nora Newcomer", exact=False)
    assert "Asked to join" in row.inner_text()
    axe_check(page)
    row.get_by_role("button", name="Approve").click()
    assert page.get_by_text("Nora Newcomer is now a member.").is_visible()
    assert TimebankMember.objects.get(pk=nora.pk).status == "active"
    axe_check(page)

    page.get_by_label("New status").select_option("suspended")
    page.get_by_role("button", name="Change the status").click()
    assert page.locator("#id_s-note_error").is_visible()
    assert TimebankMember.objects.get(pk=nora.pk).status == "active"
    axe_check(page)
    page.get_by_label("Why?").fill("Asked for a break")
    page.get_by_role("button", name="Change the status").click()
    assert TimebankMember.objects.get(pk=nora.pk).status == "suspended"
