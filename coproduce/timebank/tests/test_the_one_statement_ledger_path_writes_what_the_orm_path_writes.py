"""On PostgreSQL an exchange is posted by one SQL statement (`timebank.fastpath`); what it writes is what
the ORM path and `core.audit.record` write: the same transfer rows (and the returned object matches
them) and audit entries equal in content to the ones `record` writes. Outside a transaction a
refusal still writes nothing, a connection that lost its prepared statement prepares it again, and
text the database cannot hold is refused whole.
On SQLite these tests check the ORM path against the same expectations."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import DataError, connection

from coproduce.core import audit
from coproduce.core.models import AuditEntry
from coproduce.timebank import ledger as books
from coproduce.timebank import services
from coproduce.timebank.models import Account, Transfer
from coproduce.timebank.tests.conftest import balance

CONTENT = ["actor_id", "actor_label", "on_behalf_of_id", "channel", "action", "object_type", "object_id",
           "object_label", "organisation_id", "details"]


def content(entry: AuditEntry) -> dict:
    entry = AuditEntry.objects.get(pk=entry.pk)  # as stored
    return {name: getattr(entry, name) for name in CONTENT}


def assert_matches_its_row(posted: Transfer) -> None:
    stored = Transfer.objects.get(pk=posted.pk)
    for field in Transfer._meta.concrete_fields:
        assert getattr(posted, field.attname) == getattr(stored, field.attname), field.name


def test_an_exchange_writes_the_audit_entry_record_would_write(ledger, personas):
    bea = personas["broker"]
    posted = services.transfer(bea, ledger.dan, ledger.carla, 30, "Shopping", channel="phone")
    assert_matches_its_row(posted)
    assert posted.created_by == bea and posted.on_behalf_of == ledger.dan.person and posted.linked is None
    written = AuditEntry.objects.get(action="timebank.transfer", object_id=str(posted.pk))
    reference = audit.record(bea, "timebank.transfer", posted, organisation=ledger.bank.organisation,
                             on_behalf_of=ledger.dan.person, channel="phone",
                             details={"minutes": 30, "kind": Transfer.Kind.EXCHANGE})
    assert content(written) == content(reference)
    if connection.vendor == "postgresql":  # one statement, one moment
        assert written.at == posted.created_at
    else:
        assert abs(written.at - posted.created_at) < timedelta(seconds=5)


def test_a_member_paying_themself_is_audited_as_record_would(ledger, personas):
    citizen = personas["citizen"]
    posted = services.transfer(citizen, ledger.carla, ledger.cafe, 15, "Coffee morning help")
    written = AuditEntry.objects.get(action="timebank.transfer", object_id=str(posted.pk))
    reference = audit.record(citizen, "timebank.transfer", posted, organisation=ledger.bank.organisation,
                             on_behalf_of=None, channel="web", details={"minutes": 15, "kind": "exchange"})
    assert content(written) == content(reference) and written.on_behalf_of is None


def test_a_cross_bank_exchange_writes_both_legs_and_both_entries_as_record_would(ledger, personas):
    bea = personas["broker"]
    ours = services.transfer(bea, ledger.dan, ledger.fay, 45, "Bike repair", channel="paper")
    theirs = Transfer.objects.get(linked=ours)
    assert_matches_its_row(ours)
    assert ours.linked_id is None and theirs.linked_id == ours.pk
    assert ours.to_account.kind == theirs.from_account.kind == Account.Kind.CLEARING
    details = {"minutes": 45, "kind": Transfer.Kind.CROSS_BANK, "legs": [ours.pk, theirs.pk],
               "payer_timebank": "millbrook", "payee_timebank": "fernside"}
    for leg, bank in ((ours, ledger.bank), (theirs, ledger.other_bank)):
        written = AuditEntry.objects.get(action="timebank.transfer", object_id=str(leg.pk))
        reference = audit.record(bea, "timebank.transfer", leg, organisation=bank.organisation,
                                 on_behalf_of=ledger.dan.person, channel="paper", details=details)
        assert content(written) == content(reference)
    assert books.verify().ok


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_a_refusal_writes_nothing_and_lost_statements_are_prepared_again(ledger, personas):
    bea = personas["broker"]
    assert not connection.in_atomic_block  # autocommit: the statement is its own transaction
    services.set_member_limits(bea, ledger.dan, overdraft_limit_minutes=30)

    def snapshot():
        return (Transfer.objects.count(), AuditEntry.objects.count(),
                sorted(Account.objects.values_list("pk", "balance_minutes")))

    before = snapshot()
    with pytest.raises(ValidationError) as info:
        services.transfer(bea, ledger.dan, ledger.fay, 31, "Too much, across banks")
    assert "overdraft" in info.value.message_dict["payer"][0]
    with pytest.raises(ValidationError) as info:
        services.transfer(bea, ledger.dan, ledger.carla, 31, "Too much")
    assert info.value.message_dict == {"payer": [
        "This would take the account to -31 minutes, past its overdraft limit of 30 minutes."]}
    assert snapshot() == before
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")  # what a pooler's session reset does
    services.transfer(bea, ledger.dan, ledger.carla, 20, "Within the limit")
    services.transfer(bea, ledger.dan, ledger.fay, 10, "Up to the limit, across banks")
    assert (balance(ledger.dan), balance(ledger.carla), balance(ledger.fay)) == (-30, 20, 10)
    assert Transfer.objects.count() == before[0] + 3 and AuditEntry.objects.count() > before[1]
    assert books.verify().ok


@pytest.mark.postgres
def test_text_the_database_cannot_hold_is_refused_whole_never_cut_short(ledger, personas):
    """The statement's parameters go to the server as C strings: a NUL byte is refused (as the driver
    refuses it on every other path), never silently cut off, and nothing is written."""
    before = (Transfer.objects.count(), balance(ledger.dan))
    with pytest.raises(DataError):
        services.transfer(personas["broker"], ledger.dan, ledger.carla, 5, "Tea\x00 and cake")
    assert (Transfer.objects.count(), balance(ledger.dan)) == before
    services.transfer(personas["broker"], ledger.dan, ledger.carla, 5, "Tea and cake")  # the connection is fine
    assert balance(ledger.dan) == before[1] - 5
