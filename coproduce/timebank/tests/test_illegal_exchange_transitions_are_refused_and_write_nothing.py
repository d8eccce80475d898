"""Every transition out of a state that does not allow it is refused with a clear error, and
nothing is written (state, ledger, audit)."""

import pytest
from django.core.exceptions import ValidationError

from coproduce.core.models import AuditEntry
from coproduce.timebank import exchanges
from coproduce.timebank.models import Exchange, Expense, Transfer

from .codelivery import ask, offer, past, to_done


def _matched(personas, ledger):
    bea = personas["broker"]
    offer(bea, ledger.dan)
    request = ask(personas["citizen"], ledger.carla)
    return exchanges.match(bea, request, [ledger.dan])


def _snapshot():
    return (list(Exchange.objects.values_list("pk", "state")), Transfer.objects.count(), AuditEntry.objects.count(),
            Expense.objects.count())


def _refused(call):
    before = _snapshot()
    with pytest.raises(ValidationError) as info:
        call()
    assert "state" in info.value.message_dict
    assert "cannot be" in info.value.message_dict["state"][0]
    assert _snapshot() == before


def test_from_matched(personas, ledger):
    bea = personas["broker"]
    exchange = _matched(personas, ledger)
    _refused(lambda: exchanges.accept(bea, exchange))
    _refused(lambda: exchanges.mark_done(bea, exchange))
    _refused(lambda: exchanges.confirm(bea, exchange, member=ledger.dan))
    _refused(lambda: exchanges.credit(bea, exchange))


def test_from_scheduled_and_done(personas, ledger):
    bea = personas["broker"]
    exchange = _matched(personas, ledger)
    exchanges.schedule(bea, exchange, starts_at=past(), place="public")
    _refused(lambda: exchanges.confirm(bea, exchange, member=ledger.dan))
    _refused(lambda: exchanges.credit(bea, exchange))
    to_done_exchange = exchanges.mark_done(bea, exchange)
    _refused(lambda: exchanges.schedule(bea, to_done_exchange, starts_at=past(), place="public"))
    _refused(lambda: exchanges.mark_done(bea, to_done_exchange))
    _refused(lambda: exchanges.add_expense(bea, to_done_exchange, what="Bus", estimated_amount="2.50",
                                           agreed_by="Both"))


def test_from_credited_and_cancelled(personas, ledger):
    bea = personas["broker"]
    exchange = _matched(personas, ledger)
    to_done(bea, exchange)
    exchanges.confirm(bea, exchange, member=ledger.dan)
    exchanges.confirm(bea, exchange, member=ledger.carla)
    exchange.refresh_from_db()
    assert exchange.state == Exchange.State.CREDITED
    for call in (lambda: exchanges.cancel(bea, exchange, "Too late"),
                 lambda: exchanges.confirm(bea, exchange, member=ledger.dan),
                 lambda: exchanges.credit(bea, exchange),
                 lambda: exchanges.schedule(bea, exchange, starts_at=past(), place="public")):
        _refused(call)
    second = exchanges.match(bea, ask(bea, ledger.carla, description="Again"), [ledger.dan])
    exchanges.cancel(bea, second, "Carla is unwell")
    for call in (lambda: exchanges.cancel(bea, second, "Again"), lambda: exchanges.accept(bea, second),
                 lambda: exchanges.schedule(bea, second, starts_at=past(), place="public")):
        _refused(call)


def test_cancelling_needs_a_reason_and_writes_nothing_without(personas, ledger):
    bea = personas["broker"]
    exchange = _matched(personas, ledger)
    before = _snapshot()
    with pytest.raises(ValidationError) as info:
        exchanges.cancel(bea, exchange, "  ")
    assert "reason" in info.value.message_dict
    assert _snapshot() == before


def test_outside_the_home_refuses_a_home_place(personas, ledger):
    from coproduce.timebank import trust

    bea = personas["broker"]
    offer(bea, ledger.dan)
    request = ask(personas["citizen"], ledger.carla)
    trust.set_requirements(bea, request, outside_home=True)
    exchange = exchanges.match(bea, request, [ledger.dan])
    assert exchange.outside_home
    with pytest.raises(ValidationError) as info:
        exchanges.schedule(bea, exchange, starts_at=past(), place="recipient_home")
    assert "place" in info.value.message_dict
    assert Exchange.objects.get(pk=exchange.pk).state == Exchange.State.MATCHED
    exchanges.schedule(bea, exchange, starts_at=past(), place="public")
