"""Members give credits away: to a friend in the same bank or to the community pot, which a broker
can pass on to someone who needs it. The pot never goes below zero."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coproduce.timebank import services
from coproduce.timebank.models import Account, Transfer
from coproduce.timebank.tests.conftest import balance


def pot(bank):
    return Account.objects.get(timebank=bank, kind="community_pot").balance_minutes


def test_donations(ledger, personas):
    bea, carla = personas["broker"], personas["citizen"]
    services.transfer(bea, ledger.dan, ledger.carla, 120, "Gardening")
    services.donate(carla, ledger.carla, 30, to=ledger.cafe)
    gift = services.donate(carla, ledger.carla, 45, "For the pot")
    assert gift.kind == Transfer.Kind.DONATION and pot(ledger.bank) == 45 and balance(ledger.carla) == 45
    services.give_from_pot(bea, ledger.dan, 40, "Help for Dan")
    assert pot(ledger.bank) == 5 and balance(ledger.dan) == -80
    with pytest.raises(ValidationError):
        services.give_from_pot(bea, ledger.dan, 6, "More than the pot holds")
    with pytest.raises(PermissionDenied):
        services.give_from_pot(carla, ledger.carla, 5, "Helping myself")
    with pytest.raises(PermissionDenied):
        services.donate(carla, ledger.dan, 5)
    with pytest.raises(ValidationError):
        services.donate(carla, ledger.carla, 5, to=ledger.fay)  # another bank: not a donation
    assert pot(ledger.bank) == 5


def test_opening_balances_come_from_the_pot(ledger, personas):
    bea = personas["broker"]
    services.record_opening_balance(bea, ledger.dan, 300, "From the paper ledger")
    services.record_opening_balance(bea, ledger.cafe, -30, "Owed on paper")
    assert balance(ledger.dan) == 300 and balance(ledger.cafe) == -30 and pot(ledger.bank) == -270
    with pytest.raises(ValidationError):
        services.record_opening_balance(bea, ledger.dan, 60)
    from coproduce.timebank import ledger as books

    assert books.verify().ok
