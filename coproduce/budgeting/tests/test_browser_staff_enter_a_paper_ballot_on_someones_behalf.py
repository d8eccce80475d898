"""In a real browser: Ada, who runs the council's process (with two-factor), enters a ballot received on
paper, with the voter's code so they cannot vote twice; a mistyped ballot is refused next to its field
and writes nothing; the ballot counts with its channel. Every page passes axe-core."""

import pytest

from coproduce.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_enter_a_paper_ballot(page, personas, pb, phase, axe_check):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import decrypt

    from coproduce.budgeting import services
    from coproduce.budgeting.models import Ballot, VotingCode
    from coproduce.core.models import AuditEntry

    admin = personas["org_admin"]
    [code] = services.generate_codes(admin, pb.process, count=1)
    phase(pb.process, "vote")
    secret = Authenticator.objects.get(user=admin, type="totp").wrap().instance.data["secret"]
    browser_login(page, "ada@example.org", totp_secret=decrypt(secret))
    page.goto(pb.process.get_absolute_url())
    page.get_by_role("link", name="Paper ballots: Whole city").click()
    assert page.get_by_role("heading", name="Paper ballots: Whole city").is_visible()
    axe_check(page)

    # a ballot typed in with no choice ticked: refused next to the choices, nothing written
    page.get_by_label("Voting code").fill(code)
    page.get_by_role("button", name="Enter the ballot").click()
    assert page.get_by_text("Choose at least 1 project.").is_visible()
    assert not Ballot.objects.exists() and VotingCode.objects.get().used_at is None
    axe_check(page)

    page.get_by_label("Voting code").fill(code)
    page.get_by_label("Skate park", exact=False).check()
    page.get_by_role("button", name="Enter the ballot").click()
    assert page.get_by_text("Paper ballot entered.").is_visible()
    assert page.get_by_role("row", name="Paper 1").is_visible()
    axe_check(page)
    ballot = Ballot.objects.get()
    assert ballot.channel == "paper" and ballot.choices == [pb.proposals["Skate park"].pk]
    assert VotingCode.objects.get().used_at is not None
    entry = AuditEntry.objects.get(action="ballot.enter")
    assert entry.actor == admin and entry.channel == "paper"

    # the same code again: the voter cannot vote twice
    page.get_by_label("Voting code").fill(code)
    page.get_by_label("Benches by the river", exact=False).check()
    page.get_by_role("button", name="Enter the ballot").click()
    page.wait_for_load_state()
    assert "already been used" in page.locator("main").inner_text(), page.locator("main").inner_text()[:1500]
    assert Ballot.objects.count() == 1
