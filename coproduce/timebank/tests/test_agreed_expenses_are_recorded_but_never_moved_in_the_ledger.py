"""An expense (a bus fare) agreed before the exchange is recorded as a Decimal; crediting moves only
the minutes."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from coproduce.timebank import exchanges
from coproduce.timebank.models import Expense, Transfer

from .codelivery import ask, offer, to_done
from .conftest import balance


def test_expense(personas, ledger):
    bea = personas["broker"]
    offer(bea, ledger.dan)
    exchange = exchanges.match(bea, ask(personas["citizen"], ledger.carla, duration_minutes=45), [ledger.dan])
    expense = exchanges.add_expense(personas["citizen"], exchange, what="Bus fare", estimated_amount="3.40",
                                    agreed_by="Carla and Dan")
    assert expense.estimated_amount == Decimal("3.40") and expense.currency == "GBP"
    for bad in ("-1", "abc", 1.5, "1.234"):
        with pytest.raises(ValidationError):
            exchanges.add_expense(bea, exchange, what="Taxi", estimated_amount=bad, agreed_by="Bea")
    assert Expense.objects.count() == 1
    to_done(bea, exchange)
    exchanges.confirm(bea, exchange, member=ledger.dan)
    exchanges.confirm(bea, exchange, member=ledger.carla)
    [transfer] = Transfer.objects.all()
    assert transfer.minutes == 45
    assert balance(ledger.carla) == -45 and balance(ledger.dan) == 45
