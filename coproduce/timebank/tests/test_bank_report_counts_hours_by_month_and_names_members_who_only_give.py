"""The bank report: hours by month and flow (within the bank, given to and received from other
banks), active members, who only gives and who only receives, flows between banks, and the social
value as a range with its assumptions. Reversed exchanges, donations and opening balances do not
count. The network coordinator sees network-wide figures, once per exchange, nobody named."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from coproduce.timebank import reports, services
from coproduce.timebank.models import Timebank


@pytest.fixture
def books(personas, ledger):
    bea, otto = personas["broker"], personas["other_org"]
    Timebank.objects.filter(pk=ledger.bank.pk).update(hourly_value_low=1200, hourly_value_high=1800)
    ledger.bank.refresh_from_db()
    today = date.today()
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=5)
    services.record_opening_balance(bea, ledger.dan, 120, occurred_on=last_month)  # not an exchange
    services.transfer(bea, ledger.dan, ledger.carla, 60, "Lift", occurred_on=last_month)  # carla gives
    services.transfer(bea, ledger.dan, ledger.carla, 30, "Shopping", occurred_on=today)  # carla gives
    services.transfer(bea, ledger.cafe, ledger.fay, 45, "Window cleaning", payee_timebank=ledger.other_bank,
                      occurred_on=today)  # the café receives from Fernside
    services.transfer(otto, ledger.fay, ledger.cafe, 15, "Tea", payee_timebank=ledger.bank,
                      occurred_on=today)  # the café gives to Fernside
    wrong = services.transfer(bea, ledger.carla, ledger.dan, 90, "Typo", occurred_on=today)
    services.reverse_transfer(bea, wrong, "Recorded by mistake")  # neither counts
    services.donate(bea, ledger.dan, 10, occurred_on=today)  # not an exchange
    # Long ago, outside the default period:
    services.transfer(bea, ledger.carla, ledger.dan, 20, "Old", occurred_on=today - timedelta(days=400))
    return today, last_month


def test_hours_by_month_and_flow(books, ledger):
    today, last_month = books
    report = reports.bank_report(ledger.bank, reports.default_period(today))
    assert len(report.months) == 12
    assert report.months[-1].month == today.replace(day=1)
    by_month = {row.month: row.minutes for row in report.months if row.total}
    assert by_month == {
        last_month.replace(day=1): {"within": 60, "given": 0, "received": 0},
        today.replace(day=1): {"within": 30, "given": 15, "received": 45},
    }
    assert report.totals == {"within": 90, "given": 15, "received": 45}
    assert report.total == 150 and report.exchanges == 4


def test_active_members_and_who_only_gives_or_receives(books, ledger):
    today, _ = books
    report = reports.bank_report(ledger.bank, reports.default_period(today))
    assert (report.active, report.members) == (3, 3)
    assert [(f.member.person.name, f.given, f.received) for f in report.only_give] == [("Carla Citizen", 90, 0)]
    assert [(f.member.person.name, f.given, f.received) for f in report.only_receive] == [("Dan Offline", 0, 90)]
    # The café gave and received: neither list.
    week = reports.Period(today, today)
    report = reports.bank_report(ledger.bank, week)
    assert {f.member.person.name for f in report.only_give} == {"Carla Citizen"}


def test_flows_between_banks_and_social_value_range(books, ledger):
    today, _ = books
    report = reports.bank_report(ledger.bank, reports.default_period(today))
    assert report.flows == [("Fernside Timebank", "Millbrook Timebank", 45, 1),
                            ("Millbrook Timebank", "Fernside Timebank", 15, 1)]
    value = report.value  # hours given by Millbrook's members: 90 within + 15 to Fernside = 105 min
    assert value.minutes == 105
    assert (value.rate_low, value.rate_high) == (Decimal("12.00"), Decimal("18.00"))
    assert (value.low, value.high) == (Decimal("21.00"), Decimal("31.50"))
    assert isinstance(value.low, Decimal)


def test_a_period_filter_moves_the_window(books, ledger):
    today, _ = books
    period = reports.Period(today - timedelta(days=500), today - timedelta(days=300))
    report = reports.bank_report(ledger.bank, period)
    assert report.total == 20 and report.exchanges == 1
    assert [f.member.person.name for f in report.only_give] == ["Dan Offline"]


def test_network_figures_count_each_exchange_once_in_the_givers_bank(books, ledger, personas):
    today, _ = books
    report = reports.network_report(ledger.network, reports.default_period(today))
    lines = {line.bank.slug: line for line in report.banks}
    assert (lines["millbrook"].given, lines["fernside"].given) == (105, 45)
    assert report.given == 150  # 4 exchanges, each once
    assert (lines["millbrook"].active, lines["fernside"].active) == (3, 1)
    assert (lines["millbrook"].clearing, lines["fernside"].clearing) == (30, -30)
    assert report.value_low == {"GBP": Decimal("21.00")}  # Fernside has no hourly values set
    assert len(report.flows) == 2


def test_the_report_page_shows_chart_table_and_assumptions_in_constant_queries(
    books, personas, client_as, ledger, django_assert_max_num_queries
):
    client = client_as(personas["broker"])
    client.get("/timebanks/millbrook/report/")
    with django_assert_max_num_queries(14):
        response = client.get("/timebanks/millbrook/report/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in html and 'role="img"' in html and "<title" in html and "<desc" in html
    assert "<caption>Hours exchanged by month</caption>" in html
    assert "Between 21.00 and 31.50 GBP" in html
    assert "Each hour is valued at between 12.00 and 18.00 GBP" in html
    assert "Carla Citizen" in html and "Dan Offline" in html
    # Twenty more members who only give, and more exchanges: still the same number of queries.
    bea = personas["broker"]
    for n in range(20):
        giver = services.register_member(bea, ledger.bank, name=f"Giver {n}")
        services.transfer(bea, ledger.dan, giver, 5, "Help")
    with django_assert_max_num_queries(14):
        response = client.get("/timebanks/millbrook/report/", {"start": "2000-01-01"})
    assert response.content.decode().count("Giver ") >= 20


def test_the_network_page_names_nobody(books, personas, client_as, ledger, world):
    ledger.network.coordinator = world.other_group
    ledger.network.save()
    response = client_as(personas["other_org"]).get("/timebanks/networks/riverside/report/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Millbrook Timebank" in html and "Fernside Timebank" in html
    assert "Carla Citizen" not in html and "Dan Offline" not in html and "Fay Fernside" not in html
    assert "<svg" in html and "<caption>Figures per bank</caption>" in html


def test_a_bad_period_is_shown_next_to_the_field(books, personas, client_as):
    response = client_as(personas["broker"]).get("/timebanks/millbrook/report/",
                                                 {"start": "2025-05-01", "end": "2025-01-01"})
    assert response.status_code == 200
    assert "The end must not be before the start." in response.content.decode()


def test_hours_by_category_follow_the_exchange_behind_each_transfer(personas, ledger, client_as):
    from coproduce.timebank.models import Category, Exchange, ExchangeTransfer

    bea, otto = personas["broker"], personas["other_org"]
    gardening, lifts = Category.objects.get(slug="gardening"), Category.objects.get(slug="lifts")

    def credited(category, transfer):  # an exchange whose crediting wrote this transfer (the payer's leg)
        exchange = Exchange.objects.create(timebank=transfer.timebank, category=category, description="x",
                                           state=Exchange.State.CREDITED, minutes=transfer.minutes)
        ExchangeTransfer.objects.create(exchange=exchange, transfer=transfer)

    credited(gardening, services.transfer(bea, ledger.dan, ledger.carla, 60, "Hedge"))
    credited(gardening, services.transfer(bea, ledger.cafe, ledger.carla, 30, "Weeding"))
    credited(lifts, services.transfer(otto, ledger.fay, ledger.dan, 45, "Lift", payee_timebank=ledger.bank))
    services.transfer(bea, ledger.carla, ledger.dan, 15, "Recorded directly")
    period = reports.default_period(date.today())
    assert reports.bank_report(ledger.bank, period).categories == [
        ("Gardening", 90, 2), ("Lifts in a car", 45, 1), ("Not categorised", 15, 1)]
    # In Fernside's books the payer's leg carries the category too.
    assert reports.bank_report(ledger.other_bank, period).categories == [("Lifts in a car", 45, 1)]
    html = client_as(bea).get("/timebanks/millbrook/report/").content.decode()
    assert "<caption>Hours exchanged by category</caption>" in html and "Gardening" in html


def test_hours_by_month_and_category(personas, ledger, client_as):
    from coproduce.timebank.models import Category, Exchange, ExchangeTransfer

    bea = personas["broker"]
    gardening, lifts = Category.objects.get(slug="gardening"), Category.objects.get(slug="lifts")
    today = date.today()
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=5)

    def credited(category, transfer):
        exchange = Exchange.objects.create(timebank=transfer.timebank, category=category, description="x",
                                           state=Exchange.State.CREDITED, minutes=transfer.minutes)
        ExchangeTransfer.objects.create(exchange=exchange, transfer=transfer)

    credited(gardening, services.transfer(bea, ledger.dan, ledger.carla, 60, "Hedge", occurred_on=last_month))
    credited(gardening, services.transfer(bea, ledger.cafe, ledger.carla, 30, "Weeding", occurred_on=today))
    credited(lifts, services.transfer(bea, ledger.carla, ledger.dan, 120, "Hospital", occurred_on=today))
    services.transfer(bea, ledger.carla, ledger.dan, 15, "Recorded directly", occurred_on=last_month)
    report = reports.bank_report(ledger.bank, reports.default_period(today))
    table = report.category_months
    assert list(table.groups) == ["Lifts in a car", "Gardening", "Not categorised"]  # most hours first
    rows = {row.month: row.minutes for row in table.months if row.total}
    assert rows == {
        last_month.replace(day=1): {"Lifts in a car": 0, "Gardening": 60, "Not categorised": 15},
        today.replace(day=1): {"Lifts in a car": 120, "Gardening": 30, "Not categorised": 0},
    }
    assert table.totals == {"Lifts in a car": 120, "Gardening": 90, "Not categorised": 15}
    assert len(table.months) == 12
    html = client_as(bea).get("/timebanks/millbrook/report/").content.decode()
    caption = html.index("<caption>Hours exchanged by month and category</caption>")
    assert html.index("Lifts in a car", caption) < html.index("Gardening", caption)
