"""Every bad input to the ledger services is refused with a field-keyed error, and nothing is written:
no transfer, no audit entry, every balance unchanged."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from coproduce.core.models import AuditEntry
from coproduce.timebank import services
from coproduce.timebank.models import Account, Transfer


@pytest.fixture
def unchanged(ledger):
    def snapshot():
        return (Transfer.objects.count(), AuditEntry.objects.count(),
                sorted(Account.objects.values_list("pk", "balance_minutes")))

    return snapshot


def refused(field, call, *args, **kwargs):
    with pytest.raises(ValidationError) as info:
        call(*args, **kwargs)
    assert field in info.value.message_dict, info.value.message_dict
    return info.value.message_dict[field]


@pytest.fixture
def bea(personas):
    return personas["broker"]


def test_overdraft_limit_is_enforced(ledger, bea, unchanged):
    services.set_member_limits(bea, ledger.dan, overdraft_limit_minutes=60)
    services.transfer(bea, ledger.dan, ledger.carla, 60, "Up to the limit is fine")
    before = unchanged()
    message = refused("payer", services.transfer, bea, ledger.dan, ledger.carla, 1, "One minute too many")
    assert "overdraft" in message[0]
    assert unchanged() == before


def test_maximum_balance_is_enforced(ledger, bea, unchanged):
    services.set_member_limits(bea, ledger.carla, max_balance_minutes=30)
    before = unchanged()
    message = refused("payee", services.transfer, bea, ledger.dan, ledger.carla, 31, "Too much to save")
    assert "maximum" in message[0]
    assert unchanged() == before


@pytest.mark.parametrize("minutes", [0, -5, 1.5, "10", True, None, 10**12])
def test_minutes_must_be_a_positive_whole_number(ledger, bea, unchanged, minutes):
    before = unchanged()
    refused("minutes", services.transfer, bea, ledger.dan, ledger.carla, minutes, "Odd amount")
    assert unchanged() == before


def test_unknown_members_are_refused(ledger, bea, unchanged):
    before = unchanged()
    refused("payer", services.transfer, bea, 999999, ledger.carla, 10, "Nobody")
    refused("payee", services.transfer, bea, ledger.dan, 999999, 10, "Nobody")
    refused("payee", services.transfer, bea, ledger.dan, "carla", 10, "Not an id")
    # a member of another bank is unknown here unless the payee's bank is named
    refused("payee", services.transfer, bea, ledger.dan.pk, ledger.fay.pk, 10, "Wrong bank", timebank=ledger.bank)
    assert unchanged() == before


def test_paying_yourself_is_refused(ledger, bea, unchanged):
    before = unchanged()
    refused("payee", services.transfer, bea, ledger.dan, ledger.dan, 10, "Myself")
    assert unchanged() == before


def test_inactive_members_cannot_exchange(ledger, bea, personas, unchanged):
    services.set_member_status(bea, ledger.dan, "suspended")
    before = unchanged()
    refused("payer", services.transfer, bea, ledger.dan, ledger.carla, 10, "Suspended payer")
    refused("payee", services.transfer, bea, ledger.carla, ledger.dan, 10, "Suspended payee")
    assert unchanged() == before


def test_a_reason_and_a_past_date_are_required(ledger, bea, unchanged):
    before = unchanged()
    refused("reason", services.transfer, bea, ledger.dan, ledger.carla, 10, "   ")
    refused("reason", services.transfer, bea, ledger.dan, ledger.carla, 10, "x" * 201)
    refused("occurred_on", services.transfer, bea, ledger.dan, ledger.carla, 10, "Tomorrow",
            occurred_on=timezone.localdate() + timedelta(days=1))
    refused("channel", services.transfer, bea, ledger.dan, ledger.carla, 10, "Pigeon", channel="pigeon")
    assert unchanged() == before


def test_cross_bank_exchange_needs_both_banks_to_allow_it(ledger, bea, personas, unchanged):
    pat, otto = personas["platform_admin"], personas["other_org"]
    services.update_timebank(otto, ledger.other_bank, allow_cross_bank=False)
    before = unchanged()
    refused("payee_timebank", services.transfer, bea, ledger.dan, ledger.fay, 10, "They say no")
    services.update_timebank(otto, ledger.other_bank, allow_cross_bank=True)
    services.update_timebank(pat, ledger.bank, allow_cross_bank=False)
    refused("payee_timebank", services.transfer, bea, ledger.dan, ledger.fay, 10, "We say no")
    services.update_timebank(pat, ledger.bank, allow_cross_bank=True)
    services.set_network(pat, ledger.other_bank, None)
    refused("payee_timebank", services.transfer, bea, ledger.dan, ledger.fay, 10, "Not in our network")
    assert unchanged()[0] == before[0] and unchanged()[2] == before[2]


def test_a_cross_bank_exchange_past_a_limit_writes_neither_leg(ledger, bea, personas, unchanged):
    services.set_member_limits(personas["other_org"], ledger.fay, max_balance_minutes=5)
    before = unchanged()
    refused("payee", services.transfer, bea, ledger.dan, ledger.fay, 10, "Too much for Fay")
    assert unchanged() == before


def test_the_community_pot_cannot_give_what_it_does_not_hold(ledger, bea, unchanged):
    before = unchanged()
    refused("minutes", services.give_from_pot, bea, ledger.dan, 10, "A gift")
    assert unchanged() == before
