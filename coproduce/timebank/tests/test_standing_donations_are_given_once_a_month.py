"""A member gives 60 minutes a month to the community pot and 30 to a group: the command gives each
once per month however often it runs; a refused month is recorded; a stopped donation stops."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from coproduce.timebank import ledger as books
from coproduce.timebank import services, standing
from coproduce.timebank.models import Account, StandingDonationRun, Transfer

from .conftest import balance


def test_monthly_and_idempotent(personas, ledger):
    bea, carla = personas["broker"], personas["citizen"]
    services.transfer(bea, ledger.dan, ledger.carla, 300, "Earned")
    to_pot = standing.set_up(carla, ledger.carla, 60)
    to_group = standing.set_up(bea, ledger.carla, 30, to=ledger.cafe, reason="For the café's lunch club")
    with pytest.raises(PermissionDenied):
        standing.set_up(personas["other_org"], ledger.carla, 10)
    call_command("timebank", "standing-donations")
    call_command("timebank", "standing-donations")
    assert standing.run_due()["given"] == 0
    assert balance(ledger.carla) == 300 - 90 and balance(ledger.cafe) == 30
    pot = Account.objects.get(timebank=ledger.bank, kind=Account.Kind.COMMUNITY_POT)
    assert pot.balance_minutes == 60
    assert Transfer.objects.filter(kind=Transfer.Kind.DONATION).count() == 2
    # Next month, once more; a stopped donation is not given.
    standing.stop(carla, to_group)
    next_month = date(2099, 1, 15)
    assert standing.run_due(next_month) == {"given": 1, "refused": 0, "already": 0}
    assert standing.run_due(next_month)["given"] == 0
    assert StandingDonationRun.objects.filter(donation=to_pot).count() == 2
    assert books.verify().ok


def test_a_refused_month_is_recorded(personas, ledger):
    bea = personas["broker"]
    services.set_member_limits(bea, ledger.dan, overdraft_limit_minutes=0)
    donation = standing.set_up(bea, ledger.dan, 60)
    assert standing.run_due() == {"given": 0, "refused": 1, "already": 0}
    run = StandingDonationRun.objects.get(donation=donation)
    assert run.transfer is None and "overdraft" in run.error
    assert not Transfer.objects.filter(kind=Transfer.Kind.DONATION).exists()
