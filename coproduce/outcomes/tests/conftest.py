"""Fixtures for outcomes, on top of the shared small world and personas (see coproduce/conftest.py).

- `draft`: a draft framework of the council (Ada administers it; Sam, staff of its Social Care
  service, does not work for the council itself) with one goal, outcome and manual indicator.
- `published`: a published framework of Social Care (Sam's service) with a metric-fed indicator.
"""

from datetime import date
from decimal import Decimal

import pytest

from coproduce.outcomes import services


@pytest.fixture
def draft(personas, world):
    ada = personas["org_admin"]
    framework = services.create_framework(ada, world.council, title="A connected Testville")
    goal = services.add_goal(ada, framework, title="People are less lonely")
    outcome = services.add_outcome(ada, goal, title="More people meet others every week")
    services.create_indicator(ada, outcome, title="Share who feel lonely often", unit="%", better="down",
                              baseline_value=Decimal(24), baseline_date=date(2024, 1, 1))
    return framework


@pytest.fixture
def published(personas, world):
    ada = personas["org_admin"]
    framework = services.create_framework(ada, world.service, title="Care at home")
    goal = services.add_goal(ada, framework, title="People live well at home")
    outcome = services.add_outcome(ada, goal, title="Carers are supported")
    indicator = services.create_indicator(ada, outcome, title="Members", unit="people", source="metric",
                                          metric_key="core.active_members", baseline_value=Decimal(10),
                                          baseline_date=date(2024, 1, 1))
    services.set_target(ada, indicator, due=date(2027, 1, 1), value=Decimal(100))
    services.record_reading(ada, indicator, on=date(2024, 6, 30), value=Decimal(20))
    services.set_framework_published(ada, framework, True)
    return framework


@pytest.fixture
def indicator_of(db):
    def first(framework):
        return framework.indicators.order_by("id").first()

    return first
