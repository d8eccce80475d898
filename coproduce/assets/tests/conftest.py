"""Asset map fixtures, built on the personas of coproduce/conftest.py and through the services.

  Neighbourhoods: Millbrook (world.hood) next to Fernside (world.other_hood).
  dan       an assisted person (no login) Sam registered at Social Care: Sam (staff) and Ada (council
            administrator, Social Care is part of the council) support him; Bea does not.
  Capabilities: Carla (the citizen, supported by Bea) offers gardening on the public map;
            Dan offers DIY, seen only by those who support him (recorded by Sam by phone).
  Needs:    Social Care (Sam) recorded Dan's need for help with his garden, with his consent;
            Fernside Residents (Otto) recorded a community need for help at events.
  Assets:   Millbrook Community Hall (owned by the council, with coordinates), Fernside Allotments
            (owned by Fernside Residents, no coordinates), and a reading corner Carla suggested.
"""

from dataclasses import dataclass
from datetime import time

import pytest


@dataclass
class AssetMap:
    dan: object
    carla_gardening: object
    dan_diy: object
    dan_need: object
    community_need: object
    hall: object
    allotments: object
    suggestion: object


def category(slug):
    from coproduce.timebank.models import Category

    return Category.objects.get(slug=slug, timebank__isnull=True)


@pytest.fixture
def amap(personas, world):
    from coproduce.assets import services
    from coproduce.assets import windows as weekly
    from coproduce.core import services as core_services

    sam, bea, otto, ada, carla = (personas[k] for k in ("staff", "broker", "other_org", "org_admin", "citizen"))
    pat = personas["platform_admin"]
    core_services.set_adjacent_areas(pat, world.hood, [world.other_hood])
    dan = core_services.register_person(sam, world.service, consent=True, name="Dan Offline", home_area=world.hood)
    carla.person.home_area = world.hood
    carla.person.save()
    carla_gardening = services.add_capability(
        carla, carla.person, kind="skill", description="I love gardening and can mow lawns",
        category=category("gardening"), keywords="lawns, hedges", visibility="public",
        windows=weekly.from_days([5], time(10), time(16)),
    )
    dan_diy = services.add_capability(
        sam, dan, kind="skill", description="Fixes shelves and doors", category=category("diy"),
        channel="phone", consent=True,
    )
    dan_need = services.record_need(
        sam, world.service, person=dan, category=category("gardening"), description="His garden is overgrown",
        keywords="lawns", neighbourhood=world.hood, consent_by="person", consent_channel="in_person",
    )
    community_need = services.record_need(
        otto, world.other_group, category=category("events"), description="Helpers for the summer fair",
        neighbourhood=world.other_hood,
    )
    hall = services.create_asset(
        ada, owner=world.council, name="Millbrook Community Hall", kind="place", neighbourhood=world.hood,
        latitude="51.500000", longitude="-0.120000", address="1 Mill Lane", accessibility="Step-free entrance",
        opening_windows=weekly.from_days([0, 2], time(9), time(17)), category=category("space"),
    )
    allotments = services.create_asset(
        otto, owner=world.other_group, name="Fernside Allotments", kind="facility", neighbourhood=world.other_hood,
        description="Shared plots and a tool shed",
    )
    suggestion = services.suggest_asset(carla, name="Reading corner", kind="place", neighbourhood=world.hood)
    return AssetMap(dan, carla_gardening, dan_diy, dan_need, community_need, hall, allotments, suggestion)


@pytest.fixture(autouse=True)
def fresh_matching_cache():
    """Each test starts with no cached matching index (a previous test's database was rolled back)."""
    from coproduce.assets import matchindex

    matchindex.clear_cache()
    yield
    matchindex.clear_cache()
