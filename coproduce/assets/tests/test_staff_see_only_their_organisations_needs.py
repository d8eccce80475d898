"""Staff see the needs of their own organisations (and of the organisations part of them); the person
a need is about sees it; nobody else does."""

import pytest

EXPECTED = {
    "citizen": set(),
    "other_org": {"community_need"},
    "staff": {"dan_need"},
    "broker": set(),
    "org_admin": {"dan_need"},  # Social Care is part of the council Ada administers
    "platform_admin": {"dan_need", "community_need"},
}


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_need_lists(persona, personas, api_as, client_as, amap):
    ids = {amap.dan_need.pk: "dan_need", amap.community_need.pk: "community_need"}
    listed = api_as(personas[persona]).get("/api/v1/assets/needs").json()["items"]
    assert {ids[n["id"]] for n in listed} == EXPECTED[persona]
    page = client_as(personas[persona]).get("/asset-map/needs/")
    if persona != "citizen":
        html = page.content.decode()
        assert ("His garden is overgrown" in html) is ("dan_need" in EXPECTED[persona])
        assert ("Helpers for the summer fair" in html) is ("community_need" in EXPECTED[persona])


def test_the_person_a_need_is_about_sees_it(personas, api_as, amap, world):
    from coproduce.assets import services

    from .conftest import category

    carla = personas["citizen"]
    need = services.record_need(personas["broker"], world.group, person=carla.person, category=category("lifts"),
                                description="Lift to the clinic", neighbourhood=world.hood, consent_by="person",
                                consent_channel="in_person")
    listed = api_as(carla).get("/api/v1/assets/needs").json()["items"]
    assert [n["id"] for n in listed] == [need.pk]
    assert api_as(carla).get(f"/api/v1/assets/needs/{need.pk}").status_code == 200
    assert api_as(carla).get(f"/api/v1/assets/needs/{need.pk}/suggestions").status_code == 403
