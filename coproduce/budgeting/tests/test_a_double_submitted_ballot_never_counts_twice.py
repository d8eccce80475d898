"""The same voter posting their ballot twice, even at the same moment, leaves exactly one ballot:
the last one wins, and the count sees one participant."""

import threading

import pytest
from django.db import connection

from coproduce.budgeting import services
from coproduce.budgeting.models import Ballot


def test_sequential_double_submission_replaces_the_ballot(pb, personas, phase, api_as):
    phase(pb.process, "vote")
    client = api_as(personas["citizen"])
    url = f"/api/v1/budgeting/budgets/{pb.city.pk}/ballot"
    for choice in ("Skate park", "Benches by the river"):
        response = client.post(url, {"choices": [pb.proposals[choice].pk]}, content_type="application/json")
        assert response.status_code == 200, response.content
    assert Ballot.objects.filter(budget=pb.city).count() == 1
    assert Ballot.objects.get(budget=pb.city).choices == [pb.proposals["Benches by the river"].pk]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_double_submission_counts_once(personas, world, phase):
    from coproduce.budgeting.models import Process

    admin, carla = personas["org_admin"], personas["citizen"]
    carla.person.home_area = world.hood
    carla.person.save()
    process = services.create_process(admin, world.council, title="Race", max_choices=2)
    phase(process, "collect")
    budget = services.add_budget(admin, process, name="City", amount=100_000)
    ids = []
    for title in ("A", "B", "C"):
        p = services.submit_proposal(carla, process, title=title, cost_estimate=10_000)
        services.review_proposal(admin, p, feasible=True, reason="ok")
        ids.append(p.pk)
    phase(process, "vote")
    process = Process.objects.get(pk=process.pk)

    from django.test import Client

    from coproduce.core import services as core_services

    _token, raw = core_services.create_api_token(carla, carla, "race")
    barrier = threading.Barrier(8)
    statuses = []

    def post(i):
        client = Client(headers={"Authorization": f"Bearer {raw}"})
        barrier.wait()
        try:
            response = client.post(f"/api/v1/budgeting/budgets/{budget.pk}/ballot", {"choices": [ids[i % 3]]},
                                   content_type="application/json")
            statuses.append(response.status_code)
        finally:
            connection.close()

    for _round in range(3):
        threads = [threading.Thread(target=post, args=(i,)) for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert statuses.count(200) == 24, statuses
    assert Ballot.objects.filter(budget=budget).count() == 1
    services.set_phase(admin, process, "results")
    from coproduce.budgeting.models import Tally

    tally = Tally.objects.get(budget=budget, official=True)
    assert tally.status == "done" and tally.n_ballots == 1 and sum(r.votes for r in tally.rows.all()) == 1
