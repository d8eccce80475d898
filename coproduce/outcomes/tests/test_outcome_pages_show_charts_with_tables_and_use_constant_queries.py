"""Indicator and self-assessment charts are SVG with a title and a description, beside a table of the
same figures; the dashboard and framework pages cost the same number of queries for 2 indicators as
for 20, and do not read readings' history."""

from datetime import date, timedelta
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from coproduce.outcomes import services


def test_the_indicator_page_has_an_svg_chart_and_a_table(personas, published, indicator_of, client_as):
    indicator = indicator_of(published)
    for month, value in [(date(2024, 9, 30), 30), (date(2024, 12, 31), 41)]:
        services.record_reading(personas["org_admin"], indicator, on=month, value=Decimal(value))
    page = client_as(None).get(f"/outcomes/indicators/{indicator.pk}/").content.decode()
    assert '<svg viewBox="0 0 640 260" role="img" aria-labelledby="readings-chart-title readings-chart-desc"' in page
    assert '<title id="readings-chart-title">Members (people) over time</title>' in page
    assert "A line of 3 readings and a dashed line of the planned path" in page
    assert "<polyline" in page and 'stroke-dasharray="6 4"' in page
    assert "<caption>Readings</caption>" in page and ">41<" in page and ">30<" in page
    assert "status-on_track" in page or "status-at_risk" in page or "status-off_track" in page


def test_the_self_assessment_page_charts_scores_over_time(personas, world, client_as):
    sam = personas["staff"]
    for year, score in [(2023, 1), (2024, 2), (2025, 3)]:
        services.record_self_assessment(sam, world.service, assessed_on=date(year, 6, 1),
                                        scores={s: (score, f"evidence {year}") for s in
                                                ("principles", "purpose", "presence", "process", "impact")})
    page = client_as(sam).get("/outcomes/organisations/social-care/self-assessment/").content.decode()
    assert "<svg" in page and page.count("<polyline") == 5 and "evidence 2024" in page
    assert "<title id=\"sa-chart-title\">Scores by standard over time (1 to 4)</title>" in page
    form = client_as(sam).post("/outcomes/organisations/social-care/self-assessment/new/", {
        "assessed_on": "2025-07-01", "principles_score": "4", "purpose_score": "4", "presence_score": "4",
        "process_score": "9", "impact_score": "4"})
    assert form.status_code == 200 and b"process_score_error" in form.content  # shown next to the field


def grow(personas, framework, n, start):
    ada = personas["org_admin"]
    outcome = framework.outcomes.first()
    for i in range(start, start + n):
        ind = services.create_indicator(ada, outcome, title=f"Indicator {i}", unit="people",
                                        baseline_value=Decimal(5), baseline_date=date(2020, 1, 1))
        services.set_target(ada, ind, due=date(2030, 1, 1), value=Decimal(50))
        for k in range(3):
            services.record_reading(ada, ind, on=date(2021, 1, 1) + timedelta(days=40 * k), value=Decimal(10 + k))


def queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return ctx.captured_queries


def test_dashboard_and_framework_pages_use_a_constant_number_of_queries(personas, published, client_as):
    client = client_as(personas["org_admin"])
    grow(personas, published, 2, 0)
    small = {url: len(queries(client, url)) for url in [
        "/outcomes/organisations/social-care/", f"/outcomes/frameworks/{published.slug}/",
        "/outcomes/organisations/social-care/open-data.json", "/api/v1/outcomes/indicators"]}
    grow(personas, published, 18, 100)
    for url, n in small.items():
        captured = queries(client, url)
        assert len(captured) == n, f"{url}: {n} queries with few indicators, {len(captured)} with many"
        if "open-data" not in url and "api" not in url:
            assert not any("outcomes_reading" in q["sql"] for q in captured), url
