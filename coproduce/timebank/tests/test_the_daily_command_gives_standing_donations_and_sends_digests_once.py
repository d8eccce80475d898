"""Run twice on the same day, `coproduce daily` sends each broker one digest and gives each standing
donation once: the jobs record what they did, so repeating the command (after a failure, or from two
machines) does nothing twice."""

from io import StringIO

from django.core import mail
from django.core.management import call_command

from coproduce.timebank import services, standing
from coproduce.timebank.models import Transfer

from .codelivery import ask
from .conftest import balance


def test_daily_twice_does_everything_once(personas, ledger):
    bea, carla = personas["broker"], personas["citizen"]
    services.transfer(bea, ledger.dan, ledger.carla, 300, "Earned")
    standing.set_up(carla, ledger.carla, 60)
    ask(carla, ledger.carla, description="Weed the front garden")
    mail.outbox.clear()
    out = StringIO()
    call_command("daily", "--only", "timebank-digest", "standing-donations", stdout=out)
    call_command("daily", "--only", "timebank-digest", "standing-donations", stdout=out)
    assert len([m for m in mail.outbox if m.to == [bea.email]]) == 1
    assert balance(ledger.carla) == 300 - 60
    assert Transfer.objects.filter(kind=Transfer.Kind.DONATION).count() == 1
    lines = out.getvalue().splitlines()
    assert "standing-donations: 1 given, 0 refused by a limit, 0 already given" in lines
    assert "standing-donations: 0 given, 0 refused by a limit, 0 already given" in lines
