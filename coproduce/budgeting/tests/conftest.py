"""Fixtures for the co-commissioning tests: a council process in Testville with a city-wide budget
and a budget for each district (North, South), some proposals on the ballot, and helpers to move
the process between phases.

Carla (citizen) lives in Millbrook (North) and was born in 1990.
"""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest


@dataclass
class PB:
    process: object
    city: object
    north: object
    south: object
    proposals: dict  # title -> Proposal
    south_area: object


def set_phase(process, phase):
    """Move a process into `phase` by its dates (without the service, for arranging tests)."""
    from django.utils import timezone

    from coproduce.budgeting.models import PHASE_ORDER, PHASE_STARTS

    now = timezone.now()
    target = PHASE_ORDER.index(phase)
    for name in PHASE_ORDER[1:]:
        pos = PHASE_ORDER.index(name)
        setattr(process, PHASE_STARTS[name],
                now - timedelta(days=10 * (target - pos) + 1) if pos <= target else now + timedelta(days=10 * (pos - target)))
    process.save()
    return process


@pytest.fixture
def pb(personas, world):
    from coproduce.budgeting import services
    from coproduce.budgeting.models import Process, Proposal
    from coproduce.core.models import Area

    admin = personas["org_admin"]
    carla = personas["citizen"].person
    carla.home_area = world.hood
    carla.birth_date = date(1990, 5, 1)
    carla.save()
    south = Area.objects.get(slug="south")
    process = services.create_process(
        admin, world.council, title="Testville Decides 2026", method=Process.Method.APPROVAL,
        min_choices=1, max_choices=3, rule=Process.Rule.GREEDY, district_rule=Process.DistrictRule.OWN,
    )
    set_phase(process, "collect")
    city = services.add_budget(admin, process, name="Whole city", amount=100_000)
    north = services.add_budget(admin, process, name="North", amount=50_000, area=world.district)
    south_budget = services.add_budget(admin, process, name="South", amount=50_000, area=south)
    proposals = {}
    for title, area, cost in [
        ("Benches by the river", None, 30_000), ("Library late opening", None, 60_000),
        ("Skate park", None, 50_000), ("Millbrook planters", world.hood, 20_000),
        ("North crossing", world.district, 40_000), ("Fernside lights", world.other_hood, 25_000),
    ]:
        p = services.submit_proposal(personas["citizen"], process, title=title, area=area, cost_estimate=cost)
        services.review_proposal(admin, p, feasible=True, reason="Possible and within the rules.", cost=cost)
        proposals[title] = Proposal.objects.get(pk=p.pk)
    return PB(process, city, north, south_budget, proposals, south)


@pytest.fixture
def phase():
    return set_phase
