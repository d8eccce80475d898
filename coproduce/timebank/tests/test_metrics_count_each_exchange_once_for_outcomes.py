"""The timebank feeds outcome indicators: hours exchanged and active members, computed from the real
ledger, counting a cross-bank exchange once (in the giver's bank) and leaving out corrected mistakes."""

from datetime import timedelta

from django.utils import timezone

from coproduce.outcomes import metrics
from coproduce.timebank import services


def test_hours_and_active_members_come_from_the_ledger(ledger, personas, world):
    bea = personas["broker"]
    services.transfer(bea, ledger.carla, ledger.dan, 90, "Dan fixed Carla's shelves")
    services.transfer(bea, ledger.dan, ledger.cafe, 30, "Tea and cake at the café")
    services.transfer(bea, ledger.carla, ledger.fay, 60, "Fay read to Carla", payee_timebank=ledger.other_bank)
    mistake = services.transfer(bea, ledger.carla, ledger.cafe, 20, "Entered twice by mistake")
    services.reverse_transfer(bea, mistake, "Entered twice")

    today = timezone.localdate()
    period = (today, today + timedelta(days=1))
    assert metrics.compute("timebank.hours_exchanged", world.group, *period) == 120
    assert metrics.compute("timebank.hours_exchanged", world.other_group, *period) == 60
    assert metrics.compute("timebank.active_members", world.group, *period) == 3  # Carla, Dan, the café
    assert metrics.compute("timebank.active_members", world.other_group, *period) == 1  # Fay
    earlier = (today - timedelta(days=30), today)
    assert metrics.compute("timebank.hours_exchanged", world.group, *earlier) == 0
    assert metrics.get("timebank.hours_exchanged").kind == "hours"
