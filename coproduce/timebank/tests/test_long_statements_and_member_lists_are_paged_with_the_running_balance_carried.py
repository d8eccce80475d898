"""A long statement is shown a page of lines at a time (newest first page, then earlier lines), with
the balance brought forward computed in SQL so every running balance matches the full statement; the
page costs the same number of queries however long the history. The broker dashboard lists members a
page at a time, with a search by name, also in constant queries."""

from datetime import date, timedelta

from coproduce.timebank import services, views
from coproduce.timebank.models import Transfer


def history(personas, ledger, n):
    bea = personas["broker"]
    start = date.today() - timedelta(days=n)
    for i in range(n):
        payer, payee = (ledger.dan, ledger.carla) if i % 3 else (ledger.carla, ledger.dan)
        services.transfer(bea, payer, payee, 10 + i % 4, f"Line {i}", occurred_on=start + timedelta(days=i))


def test_pages_of_a_long_statement_carry_the_running_balance(personas, ledger, monkeypatch):
    monkeypatch.setattr(views, "STATEMENT_PAGE", 7)
    history(personas, ledger, 20)
    dan = ledger.dan
    full = views.statement_of(dan)
    assert len(full.lines) == 20 and not full.partial
    latest = views.statement_of(dan, page_size=7)
    assert latest.partial and [line.reason for line in latest.lines] == [f"Line {i}" for i in range(13, 20)]
    assert [line.balance for line in latest.lines] == [line.balance for line in full.lines[13:]]
    assert latest.brought_forward == full.lines[12].balance
    assert (latest.closing, latest.total_in, latest.total_out) == (full.closing, full.total_in, full.total_out)
    pages, before = [latest], latest.earlier
    while before:
        page = views.statement_of(dan, page_size=7, before=before)
        pages.append(page)
        before = page.earlier
    assert len(pages) == 3 and pages[-1].earlier is None
    lines = [line for page in reversed(pages) for line in page.lines]
    assert [(line.reason, line.balance) for line in lines] == [(line.reason, line.balance) for line in full.lines]
    assert pages[-1].brought_forward == 0


def test_a_period_and_a_page_together(personas, ledger, monkeypatch):
    history(personas, ledger, 20)
    start = date.today() - timedelta(days=15)
    full = views.statement_of(ledger.dan, start)
    page = views.statement_of(ledger.dan, start, page_size=3)
    assert page.opening == full.opening and page.lines[-1].balance == full.closing == page.closing
    assert [line.balance for line in page.lines] == [line.balance for line in full.lines[-3:]]


def test_the_statement_page_shows_a_page_with_links_in_constant_queries(
    personas, ledger, client_as, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(views, "STATEMENT_PAGE", 5)
    history(personas, ledger, 12)
    client = client_as(personas["broker"])
    url = f"/timebanks/millbrook/members/{ledger.dan.pk}/"
    client.get(url)
    with django_assert_max_num_queries(12) as captured:
        response = client.get(url)
    html = response.content.decode()
    assert "Line 11" in html and "Line 6" not in html
    assert "Balance brought forward from earlier lines" in html and "Earlier lines" in html
    latest_count = len(captured)
    earlier = response.context["statement"].earlier
    with django_assert_max_num_queries(latest_count + 1) as captured:  # + finding where "before" is
        response = client.get(url, {"before": earlier})
    assert "Latest lines" in response.content.decode()
    earlier_count = len(captured)
    history(personas, ledger, 30)  # a much longer history: the same number of queries
    with django_assert_max_num_queries(latest_count):
        client.get(url)
    with django_assert_max_num_queries(earlier_count):
        client.get(url, {"before": earlier})
    # The CSV and the printed statement still have every line.
    assert len(client.get(f"{url}print/").context["statement"].lines) == Transfer.objects.filter(
        from_account__member=ledger.dan).count() + Transfer.objects.filter(to_account__member=ledger.dan).count()


def test_the_dashboard_lists_members_a_page_at_a_time_and_finds_them_by_name(
    personas, ledger, client_as, django_assert_max_num_queries
):
    bea = personas["broker"]
    client = client_as(bea)
    client.get("/timebanks/millbrook/")
    with django_assert_max_num_queries(14) as captured:
        client.get("/timebanks/millbrook/")
    few = len(captured)
    for n in range(60):
        services.register_member(bea, ledger.bank, name=f"Zed Member {n:02d}")
    with django_assert_max_num_queries(few):
        response = client.get("/timebanks/millbrook/")
    html = response.content.decode()
    assert len(response.context["members"]) == views.MEMBERS_PAGE
    assert "Carla Citizen" in html and "Zed Member 59" not in html and 'rel="next"' in html
    response = client.get("/timebanks/millbrook/", {"page": 3})
    assert "Zed Member 59" in response.content.decode()
    response = client.get("/timebanks/millbrook/", {"q": "dan off"})
    assert [m.person.name for m in response.context["members"]] == ["Dan Offline"]
