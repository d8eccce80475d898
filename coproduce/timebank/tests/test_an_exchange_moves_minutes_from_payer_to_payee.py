"""An exchange moves minutes from the member who was helped to the member who helped, and is audited."""

from django.db import connection

from coproduce.core.models import AuditEntry
from coproduce.timebank import services
from coproduce.timebank.models import Transfer
from coproduce.timebank.tests.conftest import balance


def test_a_member_pays_for_help_received(ledger, personas):
    posted = services.transfer(personas["citizen"], ledger.carla, ledger.dan, 90, "Gardening")
    assert (balance(ledger.carla), balance(ledger.dan)) == (-90, 90)
    assert posted.kind == Transfer.Kind.EXCHANGE and posted.created_by == personas["citizen"]
    entry = AuditEntry.objects.get(action="timebank.transfer")
    assert entry.object_id == str(posted.pk) and entry.on_behalf_of is None and entry.organisation == ledger.bank.organisation


def test_a_broker_records_an_exchange_on_behalf_of_an_assisted_member(ledger, personas):
    posted = services.transfer(personas["broker"], ledger.dan, ledger.carla, 60, "Lift to the surgery",
                               channel="paper")
    assert posted.on_behalf_of == ledger.dan.person and posted.channel == "paper"
    entry = AuditEntry.objects.get(action="timebank.transfer")
    assert entry.on_behalf_of == ledger.dan.person and entry.channel == "paper"
    assert (balance(ledger.dan), balance(ledger.carla)) == (-60, 60)


def test_the_service_path_is_lean(ledger, personas, django_assert_num_queries):
    bea = personas["broker"]
    services.transfer(bea, ledger.dan, ledger.carla, 1, "warm the caches")  # also prepares the statement
    if connection.vendor == "postgresql":
        # one statement: lock both accounts, check the limits, update both balances, insert the transfer
        # and the audit entry (+ savepoint bookkeeping, as the test runs in a transaction)
        expected = 3
    else:
        # lock both accounts, one balance update, the transfer, the audit entry (+ savepoint bookkeeping)
        expected = 6
    with django_assert_num_queries(expected):
        services.transfer(bea, ledger.dan, ledger.carla, 30, "Shopping")
    assert (balance(ledger.dan), balance(ledger.carla)) == (-31, 31)
