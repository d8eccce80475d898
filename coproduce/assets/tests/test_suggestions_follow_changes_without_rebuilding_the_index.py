"""Suggestions rank on indexes cached in the process: a change made through the services (a new,
edited, hidden or removed capability; a new or closed need) shows in the very next suggestion, by
updating the cached index rather than rebuilding it, and a suggestion costs the same few queries
however many capabilities are mapped."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from coproduce.assets import capability_services, matchindex, matching, services

from .conftest import category


def _labels(user, need):
    return [s.label for s in matching.suggest_for_need(user, need).shown]


def test_edits_show_at_once_in_the_same_cached_index(personas, amap):
    sam, carla = personas["staff"], personas["citizen"]
    assert _labels(sam, amap.dan_need) == ["Carla"]
    cached = matchindex.people()
    gardening = amap.carla_gardening
    capability_services.change_capability(carla, gardening, description="Tutors", category=category("tutoring"),
                                          visibility="public")
    assert _labels(sam, amap.dan_need) == []
    capability_services.change_capability(carla, gardening, description="Gardens", category=category("gardening"),
                                          visibility="public")
    assert _labels(sam, amap.dan_need) == ["Carla"]
    services.set_capability_visibility(carla, gardening, "supporters")
    assert _labels(sam, amap.dan_need) == []  # Sam does not support Carla
    assert _labels(personas["platform_admin"], amap.dan_need) == ["Carla Citizen"]
    services.remove_capability(carla, gardening)
    assert _labels(personas["platform_admin"], amap.dan_need) == []
    assert matchindex.people() is cached  # updated in place, never rebuilt


def test_new_and_closed_needs_show_at_once(personas, amap, world):
    sam = personas["staff"]
    capability = services.add_capability(sam, amap.dan, kind="skill", description="Runs stalls",
                                         category=category("events"), channel="phone", consent=True)
    assert matching.suggest_for_capability(sam, capability).shown == []
    cached = matchindex.open_needs()
    need = services.record_need(sam, world.service, category=category("events"), description="Stall helpers",
                                neighbourhood=world.hood)
    assert [s.label for s in matching.suggest_for_capability(sam, capability).shown] == [
        "Community need: Stall helpers"]
    services.close_need(sam, need, "closed")
    assert matching.suggest_for_capability(sam, capability).shown == []
    assert matchindex.open_needs() is cached


def test_a_person_sam_starts_to_support_is_seen_in_full_at_once(personas, amap, world):
    from coproduce.core import services as core_services

    sam = personas["staff"]
    gardener = core_services.register_person(personas["org_admin"], world.council, consent=True,
                                             name="Gil Gardener", home_area=world.hood)
    services.add_capability(personas["org_admin"], gardener, kind="skill", description="Digs",
                            category=category("gardening"), channel="phone", consent=True)
    assert _labels(sam, amap.dan_need) == ["Carla"]  # Gil is at the council, not at Social Care
    core_services.add_membership(personas["org_admin"], gardener, world.service, "member")
    assert sorted(_labels(sam, amap.dan_need)) == ["Carla", "Gil Gardener"]


def test_a_suggestion_costs_the_same_queries_however_many_capabilities(personas, amap, world):
    from coproduce.core import services as core_services

    sam = personas["staff"]
    _labels(sam, amap.dan_need)  # builds the cache
    with CaptureQueriesContext(connection) as few:
        _labels(sam, amap.dan_need)
    for i in range(15):
        person = core_services.register_person(sam, world.service, consent=True, name=f"Helper {i}",
                                               home_area=world.other_hood)
        services.add_capability(sam, person, kind="skill", description="Gardens", category=category("gardening"),
                                channel="phone", consent=True)
    _labels(sam, amap.dan_need)  # applies the changes
    with CaptureQueriesContext(connection) as many:
        assert len(_labels(sam, amap.dan_need)) == 10
    assert len(many.captured_queries) == len(few.captured_queries) <= 7
