"""A member's statement: opening balance, each transfer with the other party and a running balance,
closing balance; the same as CSV; a period gives the opening balance of everything before it."""

import csv
import io
from datetime import date, timedelta

import pytest

from coproduce.timebank import services


@pytest.fixture
def history(personas, ledger):
    bea = personas["broker"]
    today = date.today()
    services.record_opening_balance(bea, ledger.dan, 60, "From the paper ledger", occurred_on=today - timedelta(days=10))
    services.transfer(bea, ledger.dan, ledger.carla, 30, "Lift to the surgery", occurred_on=today - timedelta(days=5))
    services.transfer(bea, ledger.cafe, ledger.dan, 45, "=HYPERLINK(\"x\")", occurred_on=today - timedelta(days=3))
    services.donate(bea, ledger.dan, 15, occurred_on=today - timedelta(days=1))
    services.transfer(bea, ledger.cafe, ledger.carla, 20, "Not Dan's", occurred_on=today)
    return today


def rows(response):
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_statement_lists_each_transfer_with_a_running_balance(history, personas, client_as, ledger):
    response = client_as(personas["broker"]).get(f"/timebanks/millbrook/members/{ledger.dan.pk}/")
    statement = response.context["statement"]
    assert statement.opening == 0
    assert [(line.reason, line.other_party, line.minutes_in, line.minutes_out, line.balance)
            for line in statement.lines] == [
        ("From the paper ledger", "Community pot", 60, 0, 60),
        ("Lift to the surgery", "Carla Citizen", 0, 30, 30),
        ("=HYPERLINK(\"x\")", "Kettle Café", 45, 0, 75),
        ("Donation to the community pot", "Community pot", 0, 15, 60),
    ]
    assert statement.closing == 60 == ledger.dan.account.__class__.objects.get(member=ledger.dan).balance_minutes
    html = response.content.decode()
    assert "Not Dan&#x27;s" not in html and "Not Dan's" not in html
    assert f'/timebanks/millbrook/members/{ledger.dan.pk}/print/' in html


def test_csv_matches_the_page_and_keeps_text_as_text(history, personas, client_as, ledger):
    response = client_as(personas["broker"]).get(f"/timebanks/millbrook/members/{ledger.dan.pk}/?format=csv")
    table = rows(response)
    assert table[0] == ["Date", "What for", "Kind", "Other party", "Minutes in", "Minutes out", "Balance (minutes)"]
    assert table[1] == ["", "Opening balance", "", "", "", "", "0"]
    today = history
    assert [r[0] for r in table[2:-1]] == [(today - timedelta(days=d)).isoformat() for d in (10, 5, 3, 1)]
    assert [r[4:] for r in table[2:-1]] == [["60", "0", "60"], ["0", "30", "30"], ["45", "0", "75"], ["0", "15", "60"]]
    assert table[4][1] == "'=HYPERLINK(\"x\")"  # a formula is written as text
    assert table[-1] == ["", "Closing balance", "", "", "105", "45", "60"]


def test_a_period_starts_from_the_balance_before_it(history, personas, client_as, ledger):
    today = history
    start, end = today - timedelta(days=4), today - timedelta(days=2)
    client = client_as(personas["citizen"])
    response = client.get(f"/timebanks/millbrook/members/{ledger.carla.pk}/",
                          {"start": start.isoformat(), "end": end.isoformat()})
    statement = response.context["statement"]
    assert (statement.opening, [line.balance for line in statement.lines], statement.closing) == (30, [], 30)
    response = client_as(personas["broker"]).get(
        f"/timebanks/millbrook/members/{ledger.dan.pk}/",
        {"start": start.isoformat(), "end": end.isoformat(), "format": "csv"})
    table = rows(response)
    assert table[1] == [start.isoformat(), "Opening balance", "", "", "", "", "30"]
    assert [r[6] for r in table[2:-1]] == ["75"]
    assert table[-1] == [end.isoformat(), "Closing balance", "", "", "45", "0", "75"]


def test_print_page_shows_the_same_statement(history, personas, client_as, ledger):
    response = client_as(personas["citizen"]).get(f"/timebanks/millbrook/members/{ledger.carla.pk}/print/")
    assert response.status_code == 200
    assert [line.balance for line in response.context["statement"].lines] == [30, 50]
    html = response.content.decode()
    assert "Lift to the surgery" in html and "Dan Offline" in html
