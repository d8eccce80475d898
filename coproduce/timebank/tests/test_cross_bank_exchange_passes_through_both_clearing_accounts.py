"""An exchange across two banks of a network is two linked transfers through the banks' clearing
accounts, written together, so each bank's books balance and the network's clearing sums to zero."""

from django.core.management import call_command

from coproduce.core.models import AuditEntry
from coproduce.timebank import ledger as books
from coproduce.timebank import services
from coproduce.timebank.models import Account, Transfer
from coproduce.timebank.tests.conftest import balance


def test_cross_bank_exchange(ledger, personas):
    ours = services.transfer(personas["broker"], ledger.dan, ledger.fay, 45, "Fay fixed Dan's bike")
    theirs = ours.linked_from
    assert ours.kind == theirs.kind == Transfer.Kind.CROSS_BANK
    assert (ours.timebank, theirs.timebank) == (ledger.bank, ledger.other_bank)
    assert ours.to_account.kind == theirs.from_account.kind == Account.Kind.CLEARING
    assert (balance(ledger.dan), balance(ledger.fay)) == (-45, 45)
    assert books.clearing_positions(ledger.network) == {"millbrook": 45, "fernside": -45}
    report = books.verify()
    assert report.ok and report.bank_totals == {"millbrook": 0, "fernside": 0}
    # each bank's audit log tells its side
    assert set(AuditEntry.objects.filter(action="timebank.transfer").values_list("organisation", flat=True)) == {
        ledger.bank.organisation_id, ledger.other_bank.organisation_id}
    call_command("timebank", "verify")


def test_a_bank_cannot_leave_its_network_with_an_unsettled_position(ledger, personas):
    import pytest
    from django.core.exceptions import ValidationError

    services.transfer(personas["broker"], ledger.dan, ledger.fay, 45, "Bike repair")
    with pytest.raises(ValidationError) as info:
        services.set_network(personas["platform_admin"], ledger.bank, None)
    assert "network" in info.value.message_dict
