"""Every asset map page, for every persona: grants and refusals.

Sam (staff at Social Care) and Ada (council administrator) support Dan; Bea (broker at the community
group) supports Carla; Otto administers Fernside Residents; Pat is a platform administrator."""

import pytest

from coproduce.testing import LOGIN, PERSONAS, assert_answer, row

MATRIX = [
    #                                                  anon   cit  other staff broker oadm padm
    row("/asset-map/", 200, 200, 200, 200, 200, 200, 200),
    row("/asset-map/?kind=place&q=hall", 200, 200, 200, 200, 200, 200, 200),
    row("/asset-map/map/", 200, 200, 200, 200, 200, 200, 200),
    row("/asset-map/people/", 200, 200, 200, 200, 200, 200, 200),
    row("/asset-map/places/{hall}/", 200, 200, 200, 200, 200, 200, 200),
    row("/asset-map/places/{suggestion}/", 403, 200, 403, 403, 403, 403, 200),
    row("/asset-map/places/999999/", 404, 404, 404, 404, 404, 404, 404),
    row("/asset-map/places/new/", LOGIN, 403, 200, 200, 200, 200, 200),
    row("/asset-map/places/{hall}/edit/", LOGIN, 403, 403, 403, 403, 200, 200),
    row("/asset-map/places/{allotments}/edit/", LOGIN, 403, 200, 403, 403, 403, 200),
    row("/asset-map/suggest/", LOGIN, 200, 200, 200, 200, 200, 200),
    row("/asset-map/suggestions/", LOGIN, 403, 200, 200, 200, 200, 200),
    row("/asset-map/places/{suggestion}/review/", LOGIN, 403, 403, 403, 403, 403, 200),
    row("/asset-map/can-do/", LOGIN, 200, 200, 200, 200, 200, 200),
    row("/asset-map/can-do/{dan}/", LOGIN, 403, 403, 200, 403, 200, 200),
    row("/asset-map/can-do/{carla}/", LOGIN, 200, 403, 403, 200, 403, 200),
    row("/asset-map/capabilities/{carla_gardening}/", 200, 200, 200, 200, 200, 200, 200),
    row("/asset-map/capabilities/{dan_diy}/", 403, 403, 403, 200, 403, 200, 200),
    row("/asset-map/capabilities/{dan_diy}/edit/", LOGIN, 403, 403, 200, 403, 200, 200),
    row("/asset-map/capabilities/{carla_gardening}/edit/", LOGIN, 200, 403, 403, 200, 403, 200),
    row("/asset-map/needs/", LOGIN, 403, 200, 200, 200, 200, 200),
    row("/asset-map/needs/new/", LOGIN, 403, 200, 200, 200, 200, 200),
    row("/asset-map/needs/{dan_need}/", LOGIN, 403, 403, 200, 403, 200, 200),
    row("/asset-map/needs/{community_need}/", LOGIN, 403, 200, 403, 403, 403, 200),
]


def _ids(amap, personas):
    return {
        "hall": amap.hall.pk, "allotments": amap.allotments.pk, "suggestion": amap.suggestion.pk,
        "dan": amap.dan.pk, "carla": personas["citizen"].person.pk, "carla_gardening": amap.carla_gardening.pk,
        "dan_diy": amap.dan_diy.pk, "dan_need": amap.dan_need.pk, "community_need": amap.community_need.pk,
    }


@pytest.mark.parametrize("url,expected", MATRIX, ids=[r[0] for r in MATRIX])
def test_page_access(url, expected, personas, client_as, amap):
    """One row per page; every persona is asked on it (one fixture build per row keeps this quick)."""
    url = url.format(**_ids(amap, personas))
    for persona in PERSONAS:
        response = client_as(personas[persona]).get(url)
        assert_answer(response, expected[persona], persona, url)


def test_only_staff_who_may_see_the_need_see_suggestions(personas, client_as, amap):
    seen = []
    for persona in PERSONAS:
        response = client_as(personas[persona]).get(f"/asset-map/needs/{amap.dan_need.pk}/")
        if response.status_code == 200:
            html = response.content.decode()
            assert "People who could help" in html and "Carla" in html  # her gardening fits Dan's garden
            seen.append(persona)
    assert seen == ["staff", "org_admin", "platform_admin"]


@pytest.mark.parametrize("persona", ["anonymous", "citizen", "other_org", "broker"])
def test_refused_posts_write_nothing(persona, personas, client_as, amap, world):
    from coproduce.assets.models import Capability, CommunityAsset, Need

    before = (Capability.objects.count(), Need.objects.count(), CommunityAsset.objects.count())
    client = client_as(personas[persona])
    client.post(f"/asset-map/can-do/{amap.dan.pk}/", {
        "kind_posted": "skill", "skill-kind": "skill", "skill-description": "Cooking",
        "skill-category": amap.dan_diy.category_id, "skill-visibility": "public", "skill-channel": "phone",
        "skill-consent": "on"})
    client.post("/asset-map/needs/new/", {
        "organisation": world.service.pk, "category": amap.dan_need.category_id, "description": "X",
        "neighbourhood": world.hood.pk})
    client.post(f"/asset-map/capabilities/{amap.dan_diy.pk}/change/", {"action": "remove"})
    client.post(f"/asset-map/places/{amap.hall.pk}/edit/", {"name": "Renamed", "kind": "place",
                                                            "neighbourhood": world.hood.pk})
    client.post(f"/asset-map/places/{amap.suggestion.pk}/review/", {"decision": "accept"})
    client.post(f"/asset-map/needs/{amap.dan_need.pk}/status/", {"status": "closed"})
    assert (Capability.objects.count(), Need.objects.count(), CommunityAsset.objects.count()) == before
    amap.hall.refresh_from_db()
    amap.suggestion.refresh_from_db()
    amap.dan_need.refresh_from_db()
    assert amap.hall.name == "Millbrook Community Hall"
    assert amap.suggestion.status == "suggested"
    assert amap.dan_need.status == "open"
