"""A member's limits are the bank's defaults unless set for them; lowering a limit below a balance
stops further movement that way but lets the member move back."""

import pytest
from django.core.exceptions import ValidationError

from coproduce.timebank import services
from coproduce.timebank.models import DEFAULT_MAX_BALANCE_MINUTES, DEFAULT_OVERDRAFT_MINUTES


def test_defaults_and_overrides(ledger, personas):
    bea, pat = personas["broker"], personas["platform_admin"]
    dan = ledger.dan
    assert (dan.effective_overdraft(), dan.effective_max_balance()) == (DEFAULT_OVERDRAFT_MINUTES,
                                                                        DEFAULT_MAX_BALANCE_MINUTES)
    services.update_timebank(pat, ledger.bank, overdraft_limit_minutes=30, max_balance_minutes=None)
    dan.refresh_from_db()
    assert (dan.effective_overdraft(), dan.effective_max_balance()) == (30, None)
    services.set_member_limits(bea, dan, overdraft_limit_minutes=90)
    assert dan.effective_overdraft() == 90
    services.set_member_limits(bea, dan, overdraft_limit_minutes=None)
    assert dan.effective_overdraft() == 30
    with pytest.raises(ValidationError):
        services.set_member_limits(bea, dan, overdraft_limit_minutes=-1)
    with pytest.raises(ValidationError):
        services.set_member_limits(bea, dan, max_balance_minutes=2.5)


def test_a_lowered_limit_lets_a_member_move_back(ledger, personas):
    bea = personas["broker"]
    services.transfer(bea, ledger.dan, ledger.carla, 120, "Before the change")
    services.set_member_limits(bea, ledger.dan, overdraft_limit_minutes=60)
    services.set_member_limits(bea, ledger.carla, max_balance_minutes=60)
    with pytest.raises(ValidationError):
        services.transfer(bea, ledger.dan, ledger.cafe, 1, "Further into overdraft")
    with pytest.raises(ValidationError):
        services.transfer(bea, ledger.cafe, ledger.carla, 1, "Further above the maximum")
    services.transfer(bea, ledger.carla, ledger.dan, 30, "Moving back is fine")
