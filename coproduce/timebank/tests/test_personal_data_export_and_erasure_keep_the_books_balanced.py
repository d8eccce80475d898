"""A member's download holds their timebank memberships, balances and transfers; erasing them keeps
every transfer and balance (the books still balance) but blanks the free-text reasons."""

from coproduce.core import services as core_services
from coproduce.timebank import ledger as books
from coproduce.timebank import services
from coproduce.timebank.models import Transfer


def test_export_and_erase(ledger, personas):
    bea, carla = personas["broker"], personas["citizen"]
    services.transfer(bea, ledger.dan, ledger.carla, 60, "Shopping for Dan's hospital stay")
    services.donate(carla, ledger.carla, 15, "For the pot")
    data = core_services.export_person_data(carla, carla.person)
    [membership] = data["timebank"]["memberships"]
    assert membership["timebank"] == "Millbrook Timebank" and membership["balance_minutes"] == 45
    assert [t["minutes"] for t in membership["transfers"]] == [60, -15]
    assert "Dan" not in str(membership["transfers"][0]["other_side"])

    core_services.erase_person(carla, carla.person)
    assert Transfer.objects.count() == 2 and set(Transfer.objects.values_list("reason", flat=True)) == {""}
    ledger.carla.refresh_from_db()
    assert ledger.carla.status == "left" and ledger.carla.account.balance_minutes == 45
    assert books.verify().ok
