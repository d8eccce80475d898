"""The whole lifecycle of a one-to-one exchange: requested -> matched -> scheduled -> done ->
confirmed -> credited, each step audited, the credit written through the ledger and the books
balanced afterwards."""

from django.core import mail
from django.core.management import call_command

from coproduce.core.models import AuditEntry
from coproduce.timebank import exchanges
from coproduce.timebank import ledger as books
from coproduce.timebank.models import Exchange, ExchangeTransfer, Transfer

from .codelivery import offer, past
from .conftest import balance


def test_request_to_credited(personas, ledger):
    bea, carla_user = personas["broker"], personas["citizen"]
    dans_offer = offer(bea, ledger.dan)
    # Carla asks for Dan's offer herself: requested, waiting for Dan.
    exchange = exchanges.ask_for_offer(carla_user, dans_offer, ledger.carla, minutes=90)
    assert exchange.state == Exchange.State.REQUESTED
    # Dan has no login: the broker accepts for him.
    exchange = exchanges.accept(bea, exchange)
    assert exchange.state == Exchange.State.MATCHED and exchange.matched_at
    exchange = exchanges.schedule(carla_user, exchange, starts_at=past(), place="public", place_detail="Library")
    assert exchange.state == Exchange.State.SCHEDULED
    # Carla says it happened: that confirms her part; Dan still has to confirm.
    exchange = exchanges.mark_done(carla_user, exchange)
    assert exchange.state == Exchange.State.DONE
    assert not Transfer.objects.exists()
    exchange = exchanges.confirm(bea, exchange, member=ledger.dan)
    exchange.refresh_from_db()
    assert exchange.state == Exchange.State.CREDITED and exchange.credited_at

    [link] = ExchangeTransfer.objects.filter(exchange=exchange)
    transfer = link.transfer
    assert transfer.minutes == 90
    assert transfer.from_account.member_id == ledger.carla.pk  # the one helped pays
    assert transfer.to_account.member_id == ledger.dan.pk  # the helper earns
    assert balance(ledger.carla) == -90 and balance(ledger.dan) == 90
    assert books.verify().ok
    call_command("timebank", "verify")  # exits non-zero on any difference

    actions = list(AuditEntry.objects.filter(object_type="timebank.exchange", object_id=str(exchange.pk))
                   .values_list("action", flat=True))
    for action in ("ask", "accept", "schedule", "done", "confirm", "confirmed", "credit"):
        assert f"timebank.exchange.{action}" in actions
    assert mail.outbox == [] or all(m.to for m in mail.outbox)
