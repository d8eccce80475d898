"""A mistake is corrected by a reversing transfer; a transfer row can be neither edited nor deleted."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coproduce.core.models import AuditEntry
from coproduce.timebank import ledger as books
from coproduce.timebank import services
from coproduce.timebank.models import Transfer
from coproduce.timebank.tests.conftest import balance


def test_a_correction_reverses_the_original(ledger, personas):
    bea = personas["broker"]
    original = services.transfer(bea, ledger.dan, ledger.carla, 120, "Typed 120 instead of 20")
    correction = services.reverse_transfer(bea, original, "Wrong amount")
    assert correction.reverses == original and correction.kind == Transfer.Kind.CORRECTION
    assert (correction.from_account, correction.to_account) == (original.to_account, original.from_account)
    assert (balance(ledger.dan), balance(ledger.carla)) == (0, 0)
    assert Transfer.objects.count() == 2 and books.verify().ok
    assert AuditEntry.objects.get(action="timebank.reverse").details == {"reverses": original.pk, "minutes": 120}
    with pytest.raises(ValidationError):
        services.reverse_transfer(bea, original, "Twice")
    with pytest.raises(ValidationError):
        services.reverse_transfer(bea, correction, "Undo the undo")


def test_a_cross_bank_exchange_is_reversed_in_both_books(ledger, personas):
    pat = personas["platform_admin"]
    original = services.transfer(personas["broker"], ledger.dan, ledger.fay, 30, "Cross-bank by mistake")
    # each bank's broker manages only their own bank: reversing both legs needs both
    with pytest.raises(PermissionDenied):
        services.reverse_transfer(personas["broker"], original, "Mistake")
    services.reverse_transfer(pat, original.linked_from, "Mistake")
    assert (balance(ledger.dan), balance(ledger.fay)) == (0, 0)
    assert books.clearing_positions(ledger.network) == {"millbrook": 0, "fernside": 0}
    assert Transfer.objects.filter(kind=Transfer.Kind.CORRECTION).count() == 2 and books.verify().ok


def test_members_cannot_correct_transfers(ledger, personas):
    original = services.transfer(personas["citizen"], ledger.carla, ledger.dan, 30, "Tea and a chat")
    with pytest.raises(PermissionDenied):
        services.reverse_transfer(personas["citizen"], original, "Changed my mind")
    assert not Transfer.objects.filter(kind=Transfer.Kind.CORRECTION).exists()


def test_editing_or_deleting_a_transfer_is_refused(ledger, personas):
    original = services.transfer(personas["broker"], ledger.dan, ledger.carla, 20, "Ironing")
    original.minutes = 2000
    with pytest.raises(ValidationError):
        original.save()
    with pytest.raises(ValidationError):
        original.delete()
    with pytest.raises(ValidationError):
        Transfer.objects.filter(pk=original.pk).update(minutes=1)
    with pytest.raises(ValidationError):
        Transfer.objects.filter(pk=original.pk).delete()
    original.refresh_from_db()
    assert original.minutes == 20 and Transfer.objects.count() == 1
