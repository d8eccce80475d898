"""One ballot per voter and budget, which the voter can change until the vote closes."""

import pytest
from django.core.exceptions import ValidationError

from coproduce.budgeting import services
from coproduce.budgeting.models import Ballot


def test_changing_a_ballot_replaces_it(pb, personas, phase, client_as):
    phase(pb.process, "vote")
    p = pb.proposals
    client = client_as(personas["citizen"])
    url = f"/budgeting/{pb.process.slug}/budgets/{pb.city.pk}/vote/"
    assert client.post(url, {"choices": [p["Skate park"].pk]}).status_code == 302
    assert client.post(url, {"choices": [p["Benches by the river"].pk, p["Library late opening"].pk]}).status_code == 302
    ballot = Ballot.objects.get(budget=pb.city)
    assert sorted(ballot.choices) == sorted([p["Benches by the river"].pk, p["Library late opening"].pk])
    assert client.get(url).context["has_voted"]
    phase(pb.process, "results")
    with pytest.raises(ValidationError):
        services.cast_ballot(personas["citizen"], pb.city, choices=[p["Skate park"].pk])
    assert Ballot.objects.get(budget=pb.city).choices == ballot.choices
