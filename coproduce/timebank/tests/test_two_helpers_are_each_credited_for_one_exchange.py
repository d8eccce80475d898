"""A home visit the broker wants done by two helpers: matching with one is refused; with two, each
helper earns the full minutes and the one helped pays both."""

import pytest
from django.core.exceptions import ValidationError

from coproduce.timebank import exchanges, trust
from coproduce.timebank import ledger as books
from coproduce.timebank.models import ExchangeTransfer

from .codelivery import ask, offer, to_done
from .conftest import balance


def test_two_helpers(personas, ledger):
    bea = personas["broker"]
    offer(bea, ledger.dan)
    offer(bea, ledger.cafe)
    request = ask(personas["citizen"], ledger.carla, home_visit=True, duration_minutes=60)
    trust.set_requirements(bea, request, helpers_needed=2, note="Home visit")
    with pytest.raises(ValidationError) as info:
        exchanges.match(bea, request, [ledger.dan])
    assert "helpers" in info.value.message_dict
    exchange = exchanges.match(bea, request, [ledger.dan, ledger.cafe])
    to_done(bea, exchange)
    for member in (ledger.carla, ledger.dan, ledger.cafe):
        exchanges.confirm(bea, exchange, member=member)
    legs = sorted((link.transfer.to_account.member_id, link.transfer.minutes)
                  for link in ExchangeTransfer.objects.filter(exchange=exchange).select_related("transfer__to_account"))
    assert legs == sorted([(ledger.dan.pk, 60), (ledger.cafe.pk, 60)])
    assert balance(ledger.dan) == 60 and balance(ledger.cafe) == 60 and balance(ledger.carla) == -120
    assert books.verify().ok


def test_members_gather_for_a_two_helper_request(personas, ledger):
    bea = personas["broker"]
    request = ask(personas["citizen"], ledger.carla)
    trust.set_requirements(bea, request, helpers_needed=2)
    first = exchanges.offer_help(bea, request, ledger.dan)
    assert first.state == "requested"
    second = exchanges.offer_help(bea, request, ledger.cafe)
    assert second.pk == first.pk and second.state == "matched"
