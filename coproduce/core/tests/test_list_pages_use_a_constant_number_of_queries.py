"""List pages cost the same number of queries for 5 rows as for 40 (no N+1)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coproduce.core import services


def queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", ["/people/", "/organisations/", "/audit/", "/organisations/social-care/members/",
                                 "/topics/", "/areas/"])
def test_query_count_does_not_grow_with_rows(url, personas, client_as, world):
    admin = personas["platform_admin"]
    client = client_as(admin)

    def grow(n, start):
        for i in range(start, start + n):
            services.register_person(personas["staff"], world.service, consent=True, name=f"Person {i}",
                                     home_area=world.hood)
            services.create_organisation(admin, name=f"Group {i}", kind="community_group", area=world.hood)
            services.create_topic(admin, name=f"Topic {i}")
            services.create_area(admin, name=f"Street {i}", kind="neighbourhood", parent=world.district)

    grow(3, 0)
    small = queries(client, url)
    grow(20, 100)
    large = queries(client, url)
    assert large == small, f"{url}: {small} queries with few rows, {large} with many"
