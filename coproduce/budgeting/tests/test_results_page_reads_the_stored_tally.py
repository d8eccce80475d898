"""The results page reads stored rows only: the same number of queries for 3 or 60 projects and
for 3 or 600 ballots, and it offers the log and the Pabulib file for recounting."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coproduce.budgeting import services
from coproduce.budgeting.models import Ballot, Proposal


def ctx_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return ctx.captured_queries


def queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


@pytest.mark.parametrize("persona", ["anonymous", "citizen"])
def test_query_count_is_constant(persona, pb, personas, phase, client_as):
    from coproduce.budgeting import voting

    phase(pb.process, "vote")
    url = f"/budgeting/{pb.process.slug}/budgets/{pb.city.pk}/results/"
    client = client_as(personas[persona])

    def grow(n_projects, n_ballots):
        ids = list(Proposal.objects.filter(budget=pb.city, status="feasible").values_list("pk", flat=True))
        for i in range(n_projects):
            ids.append(Proposal.objects.create(process=pb.process, budget=pb.city, title=f"P{i}", cost=1_000 + i,
                                               status="feasible").pk)
        Ballot.objects.bulk_create([Ballot(budget=pb.city, voter_key=voting.anonymous_key(),
                                           choices=ids[i % len(ids):][:2], channel="paper") for i in range(n_ballots)])
        services.set_phase(personas["org_admin"], pb.process, "results")

    grow(0, 3)
    small, response = queries(client, url)
    assert len(response.context["rows"]) == 3
    phase(pb.process, "vote")
    from coproduce.budgeting.models import Tally

    Tally.objects.all().delete()
    grow(57, 600)
    large, response = queries(client, url)
    assert len(response.context["rows"]) == 60 and response.context["tally"].n_ballots == 603
    assert large == small, (small, large)
    assert small <= 10, [q["sql"][:120] for q in ctx_queries(client, url)]
    content = response.content.decode()
    assert "<title id=\"chart-title\">" in content and "<desc id=\"chart-desc\">" in content
    assert "count.json" in content and "ballots.pb" in content
