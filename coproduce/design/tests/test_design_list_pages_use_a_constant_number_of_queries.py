"""Co-design list pages cost the same number of queries for few rows as for many (no N+1)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coproduce.design import services


def queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        assert response.status_code == 200, response
    return len(ctx.captured_queries)


URLS = ["/labs/", "/labs/{lab}/", "/labs/{lab}/trail/", "/labs/{lab}/conversations/{c}/",
        "/labs/{lab}/conversations/{c}/moderation/", "/labs/{lab}/feedback/", "/labs/{lab}/themes/",
        "/labs/{lab}/insights/", "/labs/{lab}/invitations/", "/labs/{lab}/conversations/{c}/map/"]


@pytest.mark.parametrize("url", URLS)
def test_query_count_does_not_grow_with_rows(url, lab, conversation, personas, client_as, world):
    staff = personas["staff"]
    client = client_as(staff)
    services.cast_vote(personas["citizen"], conversation, 0, 1)
    counter = iter(range(1000))

    def grow(n):
        for _ in range(n):
            i = next(counter)
            services.create_lab(staff, world.service, title=f"Lab {i}")
            services.create_conversation(staff, lab, title=f"Conversation {i}")
            statement = services.add_seed_statement(staff, conversation, f"Seed {i}")
            services.cast_vote(personas["citizen"], conversation, statement.number, 1)
            services.submit_statement(personas["broker"], conversation, f"Written {i}")
            services.add_feedback(staff, lab, text=f"Story number {i} about respite and buses")
            insight = services.create_insight(staff, lab, title=f"Insight {i}", statements=[statement])
            services.create_decision(staff, lab, title=f"Decision {i}", insights=[insight])
            person = services.core_services.register_person(staff, world.service, consent=True, name=f"P {i}")
            services.invite(staff, lab, person)
        services.store_themes(lab)

    grow(2)
    ids = {"lab": lab.slug, "c": conversation.pk}
    small = queries(client, url.format(**ids))
    grow(12)
    large = queries(client, url.format(**ids))
    assert large == small, f"{url}: {small} queries with few rows, {large} with many"


def test_trail_query_count_does_not_grow_with_published_decisions(lab, conversation, personas, client_as):
    staff = personas["staff"]
    services.cast_vote(personas["citizen"], conversation, 0, 1)
    services.set_stage(staff, lab, "decide")

    def publish(n, start):
        for i in range(start, start + n):
            item = services.add_feedback(staff, lab, text=f"Story {i}")
            services.store_themes(lab)
            item.refresh_from_db()
            insight = services.create_insight(staff, lab, title=f"Insight {i}", themes=[item.theme],
                                              statements=list(conversation.statements.all()[:2]))
            decision = services.create_decision(staff, lab, title=f"Decision {i}", insights=[insight])
            services.publish_decision(staff, decision)

    publish(1, 0)
    small = queries(client_as(None), f"/labs/{lab.slug}/trail/")
    publish(4, 10)
    large = queries(client_as(None), f"/labs/{lab.slug}/trail/")
    assert large == small
