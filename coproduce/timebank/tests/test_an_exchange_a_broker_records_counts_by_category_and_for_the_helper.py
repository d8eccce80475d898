"""The broker's quick "Record an exchange" form writes a credited exchange with its category, not a bare
transfer: the bank report counts its hours under the category, the helper's completed exchanges grow
(shown in the suggestion reasons), and the transfer is dated on the day of the exchange."""

from datetime import date, timedelta

from coproduce.timebank import exchanges, reports, suggestions
from coproduce.timebank.models import Category, Exchange, ExchangeParticipant, HelpRequest, Transfer
from coproduce.timebank.tests.conftest import balance


def test_the_form_records_a_credited_exchange_in_its_category(personas, client_as, ledger):
    gardening = Category.objects.for_bank(ledger.bank).filter(name__icontains="garden").first() \
        or Category.objects.for_bank(ledger.bank).first()
    day = date.today() - timedelta(days=3)
    response = client_as(personas["broker"]).post("/timebanks/millbrook/exchange/", {
        "payer": ledger.dan.pk, "payee": ledger.cafe.pk, "category": gardening.pk, "hours": "1", "minutes": "30",
        "reason": "Weeding", "occurred_on": day.isoformat(), "channel": "phone"})
    assert response.status_code == 302
    exchange = Exchange.objects.get()
    assert (exchange.state, exchange.category, exchange.description, exchange.minutes) == (
        "credited", gardening, "Weeding", 90)
    roles = dict(exchange.participants.values_list("member_id", "role"))
    assert roles == {ledger.dan.pk: ExchangeParticipant.Role.RECEIVER, ledger.cafe.pk: ExchangeParticipant.Role.GIVER}
    transfer = Transfer.objects.get()
    assert transfer.exchange_link.exchange == exchange and transfer.occurred_on == day
    assert (transfer.channel, transfer.on_behalf_of_id) == ("phone", ledger.dan.person_id)
    assert balance(ledger.dan) == -90 and balance(ledger.cafe) == 90

    report = reports.bank_report(ledger.bank, reports.default_period(date.today()))
    by_category = {label: minutes for label, minutes, _n in report.categories}
    assert by_category.get(gardening.label) == 90, report.categories


def test_the_helper_has_a_completed_exchange_in_the_suggestion_reasons(personas, ledger):
    from coproduce.timebank import postings

    bea = personas["broker"]
    category = Category.objects.for_bank(ledger.bank).first()
    exchanges.record_past(bea, ledger.bank, payer=ledger.dan, payee=ledger.cafe, category=category,
                          minutes=60, reason="Shopping", channel="paper")
    postings.create_offer(bea, ledger.cafe, category=category.pk, description="Shopping runs", channel="phone")
    request = postings.create_request(bea, ledger.carla, category=category.pk, description="Shopping please",
                                      channel="phone")
    request = HelpRequest.objects.get(pk=request.pk)
    rows, _pairs, _notes = suggestions.suggest_for(request)
    found = [s for s in rows if s.member.pk == ledger.cafe.pk]
    assert found, "the café should be suggested"
    assert "Has completed 1 exchange(s)" in " ".join(str(r) for r in found[0].reasons)
