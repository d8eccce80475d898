"""The open-data rule holds wherever the public sees a count of people: a figure below 5 of an
indicator that counts people is "<5" on the dashboard, the framework page, the indicator page (facts,
readings table, chart) and in the API – while staff of the owning organisation see the exact value."""

from datetime import date
from decimal import Decimal

import pytest

from coproduce.outcomes import services

PUBLIC = ["anonymous", "citizen", "other_org", "broker"]
EXACT = ["staff", "org_admin", "platform_admin"]  # Social Care's staff, its council's admin, Pat


@pytest.fixture
def small(personas, published, indicator_of):
    """The published Social Care indicator (members: counts people) with a latest reading of 3 and a
    baseline of 2."""
    indicator = indicator_of(published)
    services.update_indicator(personas["org_admin"], indicator, baseline_value=Decimal(2))
    services.record_reading(personas["org_admin"], indicator, on=date(2024, 7, 31), value=Decimal(3))
    indicator.refresh_from_db()
    assert indicator.counts_people
    return indicator


@pytest.mark.parametrize("persona", PUBLIC)
def test_the_public_sees_small_counts_as_less_than_five(personas, published, small, client_as, api_as, persona):
    who = personas[persona]
    for url in ["/outcomes/organisations/social-care/", f"/outcomes/frameworks/{published.slug}/"]:
        html = client_as(who).get(url).content.decode()
        assert "&lt;5 <span" in html and ">3 <span" not in html and ">2 <span" not in html, url
    page = client_as(who).get(f"/outcomes/indicators/{small.pk}/")
    html = page.content.decode()
    assert '<td class="num">&lt;5</td>' in html and '<td class="num">3</td>' not in html
    assert '<td class="num">20</td>' in html  # big enough to show
    assert "<dd>&lt;5 (" in html  # the baseline
    assert "Counts of people below 5" in html
    readings_series = page.context["chart"].series[0]
    assert len(readings_series.dots) == 1  # only the reading of 20 is drawn
    assert "Expected by now" not in html  # it would give the hidden baseline away

    detail = api_as(who).get(f"/api/v1/outcomes/indicators/{small.pk}").json()
    assert detail["latest_reading_value"] is None and detail["latest_reading_suppressed"] is True
    assert detail["baseline_value"] is None and detail["baseline_suppressed"] is True
    listed = api_as(who).get("/api/v1/outcomes/indicators?organisation=social-care").json()["items"]
    assert [(i["latest_reading_value"], i["baseline_value"]) for i in listed] == [(None, None)]
    readings = api_as(who).get(f"/api/v1/outcomes/indicators/{small.pk}/readings").json()["items"]
    assert [(r["value"] and Decimal(r["value"]), r["suppressed"]) for r in readings] == [(20, False), (None, True)]


@pytest.mark.parametrize("persona", EXACT)
def test_staff_of_the_owning_organisation_see_exact_values(personas, published, small, client_as, api_as, persona):
    who = personas[persona]
    html = client_as(who).get("/outcomes/organisations/social-care/").content.decode()
    assert ">3 <span" in html and ">2 <span" in html
    page = client_as(who).get(f"/outcomes/indicators/{small.pk}/")
    assert '<td class="num">3</td>' in page.content.decode()
    assert len(page.context["chart"].series[0].dots) == 2
    detail = api_as(who).get(f"/api/v1/outcomes/indicators/{small.pk}").json()
    assert Decimal(detail["latest_reading_value"]) == 3 and detail["latest_reading_suppressed"] is False
    assert Decimal(detail["baseline_value"]) == 2
    readings = api_as(who).get(f"/api/v1/outcomes/indicators/{small.pk}/readings").json()["items"]
    assert [Decimal(r["value"]) for r in readings] == [20, 3]


def test_figures_that_do_not_count_people_are_shown_as_they_are(personas, published, small, client_as, api_as):
    services.update_indicator(personas["org_admin"], small, counts_people=False)
    html = client_as(None).get("/outcomes/organisations/social-care/").content.decode()
    assert ">3 <span" in html and "&lt;5 <span" not in html
    detail = api_as(None).get(f"/api/v1/outcomes/indicators/{small.pk}").json()
    assert Decimal(detail["latest_reading_value"]) == 3 and detail["latest_reading_suppressed"] is False
