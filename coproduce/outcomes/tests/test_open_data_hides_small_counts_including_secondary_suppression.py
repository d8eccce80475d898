"""Open data has no personal data, and counts of people below 5 are hidden – along with any further
figure that would let a reader work a hidden count out from a total."""

import csv
import io
from datetime import datetime

import pytest
from django.utils import timezone

from coproduce.core import services as core
from coproduce.outcomes import services
from coproduce.outcomes.models import BadgeAward
from coproduce.outcomes.opendata import PRIMARY, SECONDARY, suppress_counts, suppress_table


@pytest.mark.pure
def test_one_line_with_a_total():
    # 3 is hidden; with the total 23 published, 3 = 23 - 12 - 8, so the next smallest (8) goes too.
    cells, total = suppress_counts([12, 3, 8])
    assert cells == [12, PRIMARY, SECONDARY] and total == 23
    # Two small counts protect each other: no secondary suppression needed.
    assert suppress_counts([12, 3, 2]) == ([12, PRIMARY, PRIMARY], 17)
    # Nothing small: nothing hidden. A small total is hidden itself.
    assert suppress_counts([5, 9]) == ([5, 9], 14)
    assert suppress_counts([1, 2]) == ([PRIMARY, PRIMARY], PRIMARY)
    # Zero is shown as <5 too, so "<5" never tells "nobody" from "a few".
    assert suppress_counts([0, 7, 9]) == ([PRIMARY, SECONDARY, 9], 16)
    assert suppress_counts([3, 9], with_total=False) == ([PRIMARY, 9], None)


@pytest.mark.pure
def test_a_table_with_row_and_column_totals():
    #            2024 2025 | total
    # inspector    3   10  |  13
    # broker       8    7  |  15
    # total       11   17  |  28
    t = suppress_table([[3, 10], [8, 7]])
    # 3 is hidden; its row (13) would give it away, so 10 is hidden; its column (11) too, so 8 is
    # hidden. Now the broker row has one hidden figure (8 = 15 - 7), so 7 is hidden as well. With all
    # four hidden, the totals leave the inspector count anywhere from 0 to 11: protected.
    assert t.cells == [[PRIMARY, SECONDARY], [SECONDARY, SECONDARY]]
    assert t.row_totals == [13, 15] and t.column_totals == [11, 17] and t.grand_total == 28
    # Check by brute force that no hidden cell is determined: every line has 0 or >= 2 hidden.
    lines = [t.cells[0] + [t.row_totals[0]], t.cells[1] + [t.row_totals[1]],
             [t.cells[0][0], t.cells[1][0], t.column_totals[0]], [t.cells[0][1], t.cells[1][1], t.column_totals[1]]]
    for line in lines:
        assert sum(v in (PRIMARY, SECONDARY) for v in line) != 1


@pytest.mark.pure
def test_a_row_whose_total_is_small_hides_the_total_and_the_grand_total_protects_it():
    # Row totals 4 and 20; grand total 24 would reveal the small row total 4 -> hide 20 too.
    t = suppress_table([[1, 3], [10, 10]])
    assert t.row_totals == [PRIMARY, SECONDARY]
    assert t.cells[0] == [PRIMARY, PRIMARY]


def test_the_badge_table_of_an_organisation_is_suppressed(personas, world, client_as):
    sam, admin = personas["staff"], personas["platform_admin"]
    broker = services.create_badge_class(sam, world.service, name="Time broker", description="d", criteria="c")
    cafe = services.create_badge_class(sam, world.service, name="Memory café host", description="d", criteria="c")
    people = [core.register_person(sam, world.service, consent=True, name=f"P{i}") for i in range(15)]
    for person in people[:3]:
        services.award_badge(admin, broker, person)
    for person in people[3:15]:
        services.award_badge(admin, cafe, person)
    BadgeAward.objects.update(issued_at=timezone.make_aware(datetime(2025, 5, 1)))
    data = client_as(None).get("/outcomes/organisations/social-care/open-data.json").json()
    table = data["badge_awards_by_year"]
    assert table["columns"] == [2025]
    rows = {r["badge"]: r for r in table["rows"]}
    assert rows["Time broker"]["counts"] == [PRIMARY] and rows["Time broker"]["total"] == PRIMARY
    # 12 café hosts would give away the 3 brokers from the column total 15: hidden as well.
    assert rows["Memory café host"]["counts"] == [SECONDARY]
    assert table["totals"] == [15] and table["grand_total"] == 15
    csv_text = client_as(None).get("/outcomes/organisations/social-care/open-data/badges.csv").content.decode()
    assert list(csv.reader(io.StringIO(csv_text)))[1:] == [
        ["Memory café host", SECONDARY, SECONDARY], ["Time broker", PRIMARY, PRIMARY], ["total", "15", "15"]]
    body = str(data)
    assert "P1" not in body and "@" not in body  # no names or contact details


def test_small_counts_of_people_in_indicators_are_hidden(personas, world, published, client_as, indicator_of):
    from datetime import date
    from decimal import Decimal

    indicator = indicator_of(published)
    services.record_reading(personas["org_admin"], indicator, on=date(2024, 7, 31), value=Decimal(3))
    rows = client_as(None).get("/outcomes/organisations/social-care/open-data.json").json()["indicators"]
    assert rows[0]["indicator"] == "Members" and rows[0]["latest"] == PRIMARY and rows[0]["baseline"] == "10"
    text = client_as(None).get("/outcomes/organisations/social-care/open-data/indicators.csv").content.decode()
    assert f",{PRIMARY}," in text and ",3," not in text
