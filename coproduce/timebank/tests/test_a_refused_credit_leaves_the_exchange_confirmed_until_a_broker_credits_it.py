"""When the ledger refuses the credit (the payer's overdraft limit), the last confirmation still
stands, the exchange stays confirmed with the reason, nothing is moved; once the broker raises the
limit, crediting writes the transfer in the same transaction as the state change."""

from coproduce.timebank import exchanges, services
from coproduce.timebank import ledger as books
from coproduce.timebank.models import Exchange, Transfer

from .codelivery import ask, offer, to_done
from .conftest import balance


def test_refused_then_credited(personas, ledger):
    bea = personas["broker"]
    services.set_member_limits(bea, ledger.carla, overdraft_limit_minutes=30)
    offer(bea, ledger.dan)
    exchange = exchanges.match(bea, ask(personas["citizen"], ledger.carla, duration_minutes=60), [ledger.dan])
    to_done(bea, exchange)
    exchanges.confirm(bea, exchange, member=ledger.dan)
    exchanges.confirm(personas["citizen"], exchange)
    exchange = Exchange.objects.get(pk=exchange.pk)
    assert exchange.state == Exchange.State.CONFIRMED
    assert "overdraft" in exchange.credit_error
    assert not Transfer.objects.exists() and balance(ledger.carla) == 0
    assert exchange.participants.filter(confirmed_at__isnull=True).count() == 0
    services.set_member_limits(bea, ledger.carla, overdraft_limit_minutes=120)
    exchanges.credit(bea, exchange)
    exchange.refresh_from_db()
    assert exchange.state == Exchange.State.CREDITED and exchange.credit_error == ""
    assert balance(ledger.carla) == -60 and balance(ledger.dan) == 60
    assert books.verify().ok
