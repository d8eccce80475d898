"""City-wide budgets are open to every resident; district budgets follow the process's rule:
own district only, own plus one other, or all."""

import pytest
from django.core.exceptions import ValidationError

from coproduce.budgeting import services
from coproduce.budgeting.models import Ballot, Process


def _rule(pb, rule):
    Process.objects.filter(pk=pb.process.pk).update(district_rule=rule)
    pb.process.refresh_from_db()
    for b in (pb.city, pb.north, pb.south):
        b.process = pb.process


def test_own_district_only(pb, personas, phase):
    phase(pb.process, "vote")
    carla = personas["citizen"]
    services.cast_ballot(carla, pb.city, choices=[pb.proposals["Skate park"].pk])
    services.cast_ballot(carla, pb.north, choices=[pb.proposals["North crossing"].pk])
    with pytest.raises(ValidationError):
        services.cast_ballot(carla, pb.south, choices=[pb.proposals["Fernside lights"].pk])


def test_own_plus_one_other(pb, personas, phase, world):
    _rule(pb, Process.DistrictRule.OWN_PLUS_ONE)
    phase(pb.process, "vote")
    from coproduce.core.models import Area

    west = Area.objects.create(name="West", slug="west", kind="district", parent=world.city)
    west.path = f"{world.city.path}{west.pk}/"
    west.save()
    west_budget = services.add_budget  # budgets cannot be added once voting runs; create it directly
    from coproduce.budgeting.models import Budget, Proposal

    west_budget = Budget.objects.create(process=pb.process, name="West", amount=50_000, area=west)
    west_project = Proposal.objects.create(process=pb.process, budget=west_budget, title="West path", cost=10_000,
                                           status="feasible")
    carla = personas["citizen"]
    services.cast_ballot(carla, pb.north, choices=[pb.proposals["North crossing"].pk])
    services.cast_ballot(carla, pb.south, choices=[pb.proposals["Fernside lights"].pk])
    services.cast_ballot(carla, pb.south, choices=[pb.proposals["Fernside lights"].pk])  # changing it is fine
    with pytest.raises(ValidationError) as exc:
        services.cast_ballot(carla, west_budget, choices=[west_project.pk])
    assert "one other" in str(exc.value)
    assert Ballot.objects.filter(budget=west_budget).count() == 0


def test_all_districts(pb, personas, phase):
    _rule(pb, Process.DistrictRule.ALL)
    phase(pb.process, "vote")
    carla = personas["citizen"]
    services.cast_ballot(carla, pb.north, choices=[pb.proposals["North crossing"].pk])
    services.cast_ballot(carla, pb.south, choices=[pb.proposals["Fernside lights"].pk])
    assert Ballot.objects.count() == 2
