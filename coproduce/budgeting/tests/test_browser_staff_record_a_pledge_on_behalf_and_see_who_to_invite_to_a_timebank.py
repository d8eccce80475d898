"""In a real browser: Ada, who runs the council's process (with two-factor), records an offer of time
Nell made by phone (a missing person is refused next to its field), and, after the count, settles
the pledges and sees Nell listed to invite to a timebank. She also opens the staff image form.
Every page passes axe-core."""

import pytest

from coproduce.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_record_a_pledge_and_settle(page, personas, pb, world, axe_check):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import decrypt

    from coproduce.budgeting import services
    from coproduce.budgeting.models import Pledge
    from coproduce.core import services as core_services
    from coproduce.core.models import AuditEntry

    admin = personas["org_admin"]
    nell = core_services.register_person(admin, world.council, consent=True, name="Nell Offline")
    skate = pb.proposals["Skate park"]
    secret = Authenticator.objects.get(user=admin, type="totp").wrap().instance.data["secret"]
    browser_login(page, "ada@example.org", totp_secret=decrypt(secret))
    page.goto(skate.get_absolute_url())
    page.get_by_role("link", name="Record an offer made on paper, by phone or in person").click()
    axe_check(page)

    page.get_by_label("By phone").check()
    page.get_by_label("Time").check()
    page.get_by_label("Hours").fill("3")
    page.get_by_role("button", name="Record the offer").click()
    assert page.get_by_text("This field is required.").is_visible()
    assert not Pledge.objects.exists()
    axe_check(page)

    page.get_by_label("Who makes the offer?").select_option(str(nell.pk))
    page.get_by_label("By phone").check()
    page.get_by_label("Time").check()
    page.get_by_label("Hours").fill("3")
    page.get_by_role("button", name="Record the offer").click()
    assert page.get_by_text("The offer is recorded.").is_visible()
    pledge = Pledge.objects.get()
    assert pledge.person == nell and pledge.channel == "phone" and pledge.minutes == 180
    assert AuditEntry.objects.get(action="pledge.make").on_behalf_of == nell

    page.get_by_role("link", name="Add an image").click()
    assert page.get_by_label("Mine, as staff (for example from a site visit)").is_checked()
    axe_check(page)

    from coproduce.budgeting.tests.conftest import set_phase

    set_phase(pb.process, "vote")
    services.cast_ballot(personas["citizen"], pb.city, choices=[skate.pk])
    services.set_phase(admin, pb.process, "results")
    page.goto(f"/budgeting/{pb.process.slug}/")
    page.get_by_role("link", name="Pledges of time handed over to a timebank, and pledgers to invite").click()
    axe_check(page)
    page.get_by_role("button", name="Settle pledges (collect for funded projects)").click()
    assert page.get_by_text("1 pledges to collect, 0 released.").is_visible()
    assert page.get_by_role("row", name="Nell Offline").is_visible()
    axe_check(page)
