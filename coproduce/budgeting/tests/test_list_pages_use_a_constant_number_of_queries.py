"""Process and proposal lists cost the same number of queries for few rows as for many (no N+1)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from coproduce.budgeting import services


def count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_lists_do_not_grow_with_rows(pb, personas, client_as, world):
    admin = personas["org_admin"]
    client = client_as(personas["citizen"])
    urls = ["/budgeting/", f"/budgeting/{pb.process.slug}/", "/api/v1/budgeting/processes",
            f"/api/v1/budgeting/processes/{pb.process.slug}/proposals"]
    small = [count(client, u) for u in urls]
    for i in range(15):
        services.create_process(admin, world.council, title=f"Process {i}")
        p = services.submit_proposal(personas["broker"], pb.process, title=f"Idea {i}", area=world.hood,
                                     category=world.topic, cost_estimate=100)
        services.review_proposal(admin, p, feasible=True, reason="ok")
    large = [count(client, u) for u in urls]
    assert large == small, list(zip(urls, small, large))
