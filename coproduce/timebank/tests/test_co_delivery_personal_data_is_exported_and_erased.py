"""A member's offers, requests, exchanges and availability are in their data export (the trust
record only as counts); erasure deletes the trust record and availability, blanks descriptions and
keeps the books balanced."""

from datetime import date, time

from coproduce.core import personal_data
from coproduce.core import services as core_services
from coproduce.timebank import exchanges, trust
from coproduce.timebank import ledger as books
from coproduce.timebank.models import AvailabilityWindow, Exchange, Offer, Reference

from .codelivery import ask, offer, to_done


def test_export_and_erase(personas, ledger):
    bea, carla = personas["broker"], personas["citizen"]
    offer(carla, ledger.carla, description="Carla's cakes")
    offer(bea, ledger.dan)
    done = exchanges.match(bea, ask(carla, ledger.carla, description="Carla's garden"), [ledger.dan])
    to_done(bea, done)
    exchanges.confirm(bea, done, member=ledger.dan)
    exchanges.confirm(carla, done)
    open_one = exchanges.match(bea, ask(carla, ledger.carla, description="Second"), [ledger.dan])
    trust.set_availability(carla, ledger.carla, [(0, time(9), time(12))])
    trust.record_reference(bea, ledger.carla, referee_name="Rita", requested_on=date(2026, 1, 1), notes="SECRET")
    data = personal_data.collect(carla.person)["timebank_codelivery"]
    assert data["offers"][0]["description"] == "Carla's cakes"
    assert {e["description"] for e in data["exchanges"]} == {"Carla's garden", "Second"}
    assert data["trust_record"]["references"] == 1 and "SECRET" not in str(data)
    core_services.erase_person(personas["platform_admin"], carla.person)
    assert not Reference.objects.filter(member=ledger.carla).exists()
    assert not AvailabilityWindow.objects.filter(member=ledger.carla).exists()
    assert Offer.objects.get(member=ledger.carla).description == "[erased]"
    assert Exchange.objects.get(pk=open_one.pk).state == "cancelled"
    assert Exchange.objects.get(pk=done.pk).state == "credited"
    assert books.verify().ok
