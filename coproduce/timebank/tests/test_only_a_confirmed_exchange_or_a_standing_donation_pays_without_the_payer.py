"""Crediting pays from the receiver's account without their hand only because every participant
confirmed the exchange; any other "authority" (an unconfirmed exchange, one the payer is not in,
someone else's standing donation) is refused with nothing written."""

import pytest
from django.core.exceptions import PermissionDenied

from coproduce.timebank import exchanges, services, standing
from coproduce.timebank.models import Transfer

from .codelivery import ask, offer


def test_forged_authority(personas, ledger):
    bea = personas["broker"]
    offer(bea, ledger.dan)
    exchange = exchanges.match(bea, ask(personas["citizen"], ledger.carla), [ledger.dan])
    stranger = personas["staff"]
    with pytest.raises(PermissionDenied):  # matched, not confirmed
        services.transfer(stranger, ledger.carla, ledger.dan, 60, "x", authorised_by=exchange)
    exchange.state = "confirmed"  # as if confirmed: still refused for a payee outside it
    with pytest.raises(PermissionDenied):
        services.transfer(stranger, ledger.carla, ledger.cafe, 60, "x", authorised_by=exchange)
    with pytest.raises(PermissionDenied):
        services.transfer(stranger, ledger.carla, ledger.dan, 60, "x", authorised_by=object())
    dans = standing.set_up(bea, ledger.dan, 30)
    with pytest.raises(PermissionDenied):
        services.donate(stranger, ledger.carla, 30, authorised_by=dans)
    assert not Transfer.objects.exists()
