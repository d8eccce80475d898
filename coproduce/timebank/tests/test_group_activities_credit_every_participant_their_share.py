"""Group activities: one helper and many recipients each paying a share; many helpers for one
recipient; explicit shares must balance."""

import pytest
from django.core.exceptions import ValidationError

from coproduce.timebank import exchanges, services
from coproduce.timebank import ledger as books
from coproduce.timebank.models import Exchange, Transfer

from .codelivery import category, past
from .conftest import balance


def _finish(bea, exchange, members):
    exchanges.mark_done(bea, exchange)
    for member in members:
        exchanges.confirm(bea, exchange, member=member)
    exchange.refresh_from_db()
    return exchange


def test_one_helper_many_recipients(personas, ledger):
    bea = personas["broker"]
    extra = services.register_member(bea, ledger.bank, name="Eve Extra")
    exchange = exchanges.create_group_activity(
        bea, ledger.bank, category=category("cooking").pk, description="Cookery class", givers=[ledger.cafe],
        receivers=[ledger.carla, ledger.dan, extra], minutes=100, starts_at=past())
    assert exchange.state == Exchange.State.SCHEDULED and exchange.group_activity
    exchange = _finish(bea, exchange, [ledger.cafe, ledger.carla, ledger.dan, extra])
    assert exchange.state == Exchange.State.CREDITED
    assert balance(ledger.cafe) == 100
    # 100 minutes split three ways: 34, 33, 33 (the odd minute to the first by id)
    assert sorted([balance(ledger.carla), balance(ledger.dan), balance(extra)]) == [-34, -33, -33]
    assert Transfer.objects.count() == 3
    assert books.verify().ok


def test_many_helpers_one_recipient(personas, ledger):
    bea = personas["broker"]
    exchange = exchanges.create_group_activity(
        bea, ledger.bank, category=category("moving").pk, description="Moving house", givers=[ledger.dan, ledger.cafe],
        receivers=[ledger.carla], minutes=120, starts_at=past())
    _finish(bea, exchange, [ledger.dan, ledger.cafe, ledger.carla])
    assert balance(ledger.dan) == 120 and balance(ledger.cafe) == 120 and balance(ledger.carla) == -240


def test_unequal_explicit_shares_are_refused_with_nothing_written(personas, ledger):
    bea = personas["broker"]
    with pytest.raises(ValidationError) as info:
        exchanges.create_group_activity(
            bea, ledger.bank, category=category("cooking").pk, description="Class", givers=[ledger.cafe],
            receivers=[ledger.carla, ledger.dan], minutes=60, shares={ledger.carla.pk: 20, ledger.dan.pk: 20})
    assert "shares" in info.value.message_dict
    assert not Exchange.objects.exists()
