"""Cumulative (spread points) and ranked (top k) ballots: valid ones are stored in order with their
points, bad ones are refused; the count uses points and positions."""

import pytest
from django.core.exceptions import ValidationError

from coproduce.budgeting import services
from coproduce.budgeting.models import Ballot, Process, Tally


def _method(pb, **fields):
    Process.objects.filter(pk=pb.process.pk).update(**fields)
    pb.process.refresh_from_db()
    pb.city.process = pb.process


def test_cumulative_points(pb, personas, phase, client_as):
    _method(pb, method="cumulative", points_total=10, min_choices=1, max_choices=None)
    phase(pb.process, "vote")
    p = pb.proposals
    skate, library = p["Skate park"].pk, p["Library late opening"].pk
    for bad in ({str(skate): 8, str(library): 5}, {str(skate): -1}, {"999": 2}, {str(skate): 1.5}, {}):
        with pytest.raises(ValidationError):
            services.cast_ballot(personas["citizen"], pb.city, points=bad)
    response = client_as(personas["citizen"]).post(
        f"/budgeting/{pb.process.slug}/budgets/{pb.city.pk}/vote/", {f"points_{skate}": "7", f"points_{library}": "3"})
    assert response.status_code == 302
    ballot = Ballot.objects.get()
    assert dict(zip(ballot.choices, ballot.points)) == {skate: 7, library: 3}
    services.enter_paper_ballot(personas["org_admin"], pb.city, points={str(library): 10})
    services.set_phase(personas["org_admin"], pb.process, "results")
    rows = {r.proposal_id: r for r in Tally.objects.get(budget=pb.city, official=True).rows.all()}
    assert rows[library].score == 13 and rows[skate].score == 7 and rows[library].votes == 2


def test_ranked_top_k(pb, personas, phase, client_as):
    _method(pb, method="ranked", min_choices=1, max_choices=2)
    phase(pb.process, "vote")
    p = pb.proposals
    a, b, c = p["Skate park"].pk, p["Library late opening"].pk, p["Benches by the river"].pk
    with pytest.raises(ValidationError):
        services.cast_ballot(personas["citizen"], pb.city, choices=[a, b, c])
    url = f"/budgeting/{pb.process.slug}/budgets/{pb.city.pk}/vote/"
    page = client_as(personas["citizen"]).get(url)
    assert "rank_1" in page.context["form"].fields and "rank_3" not in page.context["form"].fields
    assert client_as(personas["citizen"]).post(url, {"rank_1": str(c), "rank_2": str(a)}).status_code == 302
    assert Ballot.objects.get().choices == [c, a]
    services.set_phase(personas["org_admin"], pb.process, "results")
    rows = {r.proposal_id: r for r in Tally.objects.get(budget=pb.city, official=True).rows.all()}
    assert rows[c].score == 2 and rows[a].score == 1 and rows[b].score == 0
