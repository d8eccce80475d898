"""A member's offers, requests, exchanges, expenses, standing donations and availability are in their
data export (the trust record only as counts); erasure deletes the trust record and availability,
blanks descriptions and who agreed an expense, stops their standing donations and keeps the books
balanced."""

from datetime import date, time

from coproduce.core import personal_data
from coproduce.core import services as core_services
from coproduce.timebank import exchanges, standing, trust
from coproduce.timebank import ledger as books
from coproduce.timebank.models import (
    AvailabilityWindow,
    Exchange,
    Expense,
    Offer,
    Reference,
    StandingDonation,
)

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
    exchanges.add_expense(bea, open_one, what="Bus fare", estimated_amount="2.40", agreed_by="Carla and Dan, by phone")
    monthly = standing.set_up(carla, ledger.carla, 30, reason="For the pot, every month")
    to_carla = standing.set_up(bea, ledger.dan, 15, to=ledger.carla)
    trust.set_availability(carla, ledger.carla, [(0, time(9), time(12))])
    trust.record_reference(bea, ledger.carla, referee_name="Rita", requested_on=date(2026, 1, 1), notes="SECRET")
    data = personal_data.collect(carla.person)["timebank_codelivery"]
    assert data["offers"][0]["description"] == "Carla's cakes"
    assert {e["description"] for e in data["exchanges"]} == {"Carla's garden", "Second"}
    assert data["trust_record"]["references"] == 1 and "SECRET" not in str(data)
    assert [(x["what"], x["estimated_amount"], x["agreed_by"]) for x in data["expenses"]] == [
        ("Bus fare", "2.40", "Carla and Dan, by phone")]
    assert [(d["minutes_a_month"], d["to"], d["reason"], d["active"]) for d in data["standing_donations"]] == [
        (30, "the community pot", "For the pot, every month", True)]
    core_services.erase_person(personas["platform_admin"], carla.person)
    assert not Reference.objects.filter(member=ledger.carla).exists()
    assert not AvailabilityWindow.objects.filter(member=ledger.carla).exists()
    assert Offer.objects.get(member=ledger.carla).description == "[erased]"
    assert Exchange.objects.get(pk=open_one.pk).state == "cancelled"
    assert Exchange.objects.get(pk=done.pk).state == "credited"
    assert Expense.objects.get(exchange=open_one).agreed_by == ""
    assert list(StandingDonation.objects.filter(pk__in=[monthly.pk, to_carla.pk]).values_list("active", "reason")
                .order_by("pk")) == [(False, ""), (False, "")]
    assert books.verify().ok
