"""In a real browser (Debian's chromium, headless): Bea, who brokers Millbrook, registers someone
without internet, records an exchange on their behalf and prints their statement. Every page visited
passes axe-core (no serious or critical WCAG 2.2 AA violations), the form with errors included."""

import pytest

from coproduce.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_broker_registers_an_offline_member_records_an_exchange_and_prints_the_statement(
    page, personas, ledger, axe_check
):
    from coproduce.core.models import AuditEntry
    from coproduce.timebank.models import Account, TimebankMember, Transfer

    browser_login(page, "bea@example.org")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Timebanks").click()
    assert page.url.endswith("/timebanks/")
    axe_check(page)
    page.get_by_role("link", name="Millbrook Timebank").first.click()
    assert page.get_by_role("heading", name="Broker dashboard").is_visible()
    axe_check(page)

    # register someone without internet, on their behalf (first without consent: refused)
    page.get_by_role("link", name="Register someone without internet").click()
    axe_check(page)
    page.get_by_label("Name").fill("Olive Offline")
    page.get_by_label("Phone").fill("01632 960099")
    page.get_by_label("Postal address").fill("3 Mill Lane\nMillbrook")
    page.get_by_label("How did they reach us?").select_option("phone")
    page.get_by_label("The person accepted the member agreement", exact=False).check()
    page.get_by_role("button", name="Register").click()
    assert page.get_by_text("Record the person's consent").is_visible()
    axe_check(page)
    page.get_by_label("The person agreed to be registered", exact=False).check()
    page.get_by_label("The person accepted the member agreement", exact=False).check()
    page.get_by_role("button", name="Register").click()
    assert page.get_by_text("Olive Offline is now a member.").is_visible()
    olive = TimebankMember.objects.get(person__name="Olive Offline")
    assert olive.is_active and olive.agreement_version is not None
    assert olive.person.phone == "01632 960099" and olive.person.is_assisted
    assert page.url.endswith(f"/timebanks/millbrook/members/{olive.pk}/")
    axe_check(page)

    # record an exchange: Olive received an hour and a half of gardening from Dan
    page.get_by_role("link", name="Record an exchange").click()
    axe_check(page)
    page.get_by_label("Who received help").select_option(label="Olive Offline")
    page.get_by_label("Who gave help").select_option(label="Dan Offline")
    page.get_by_label("Category").select_option(index=1)
    page.get_by_label("Hours").fill("1")
    page.get_by_label("Minutes").fill("30")
    page.get_by_label("What for").fill("")
    page.get_by_label("How did they tell us?").select_option("phone")
    page.get_by_role("button", name="Record the exchange").click()
    assert page.locator("#id_reason_error").inner_text().strip() == "This field is required."
    assert not Transfer.objects.exists()
    axe_check(page)
    page.get_by_label("What for").fill("Gardening")
    page.get_by_role("button", name="Record the exchange").click()
    assert page.get_by_text("recorded.").is_visible()
    axe_check(page)
    transfer = Transfer.objects.get()
    assert (transfer.minutes, transfer.channel, transfer.on_behalf_of_id) == (90, "phone", olive.person_id)
    assert Account.objects.get(member=olive).balance_minutes == -90
    assert AuditEntry.objects.filter(action="timebank.transfer", on_behalf_of=olive.person).exists()

    # Olive's statement, then the print version
    page.get_by_role("link", name="Olive Offline", exact=True).click()
    table = page.get_by_role("table")
    assert "Gardening" in table.inner_text() and "-90" in table.inner_text()
    axe_check(page)
    page.get_by_role("link", name="Print").click()
    assert page.url.endswith(f"/timebanks/millbrook/members/{olive.pk}/print/")
    assert "Gardening" in page.get_by_role("table").inner_text()
    axe_check(page)
    page.emulate_media(media="print")
    assert not page.get_by_role("navigation", name="Main").is_visible()
    assert page.get_by_role("table").is_visible()
