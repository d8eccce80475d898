"""Directory, complaint queue, ratings, metrics and the Open311 feed cost the same queries for few rows as for many."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coproduce.assessment import services
from coproduce.conftest import make_user


def queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", ["/services/", "/services/home-care/complaints/", "/services/home-care/ratings/",
                                 "/services/metrics/", "/open311/v2/requests.json", "/open311/v2/requests.xml",
                                 "/open311/v2/services.json", "/services/home-care/", "/services/moderation/",
                                 "/api/v1/assessment/services"])
def test_query_count_does_not_grow_with_rows(url, personas, client_as, care, world):
    admin = personas["platform_admin"]
    client = client_as(admin)
    counter = iter(range(1000))

    def grow(n):
        for _ in range(n):
            i = next(counter)
            svc = services.create_service(admin, world.service, name=f"Service {i}", areas=[world.hood],
                                          languages=["en", "de"], phones=["1"], open311_code=f"S{i}",
                                          schedules=[{"byday": "MO", "opens_at": None, "closes_at": None}])
            person = make_user(f"person{i}")
            complaint = services.submit_complaint(person, care, description=f"Problem {i}")
            services.submit_complaint(person, svc, description=f"Problem {i}")
            services.change_complaint_status(admin, complaint, "acknowledged")
            rating = services.rate_service(person, care, overall=1 + i % 5, comment=f"Comment {i}",
                                           dimensions={"Kindness": 3})
            services.reply_to_rating(admin, rating, "Thanks")
            services.report_rating(admin, rating, "Check")

    grow(2)
    small = queries(client, url)
    grow(8)
    large = queries(client, url)
    assert large == small, f"{url}: {small} queries with few rows, {large} with many"
