"""The public asset map shows a person's public capabilities by first name and neighbourhood only;
capabilities kept for supporters are seen only by the person and the brokers and staff who support
them, who also see the full name."""

import pytest


@pytest.mark.parametrize("persona", ["anonymous", "other_org", "broker"])
def test_people_page_for_someone_who_does_not_support_dan(persona, personas, client_as, amap):
    html = client_as(personas[persona]).get("/asset-map/people/").content.decode()
    assert "I love gardening" in html and "Millbrook" in html
    assert "Fixes shelves" not in html and "Dan" not in html
    if persona == "broker":  # Bea supports Carla: she sees who it is
        assert "Carla Citizen" in html
    else:
        assert ">Carla<" in html and "Carla Citizen" not in html


@pytest.mark.parametrize("persona", ["staff", "org_admin", "platform_admin"])
def test_dans_supporters_see_his_private_capability_by_name(persona, personas, client_as, amap):
    html = client_as(personas[persona]).get("/asset-map/people/").content.decode()
    assert "Fixes shelves" in html and "Dan Offline" in html and "not public" in html


def test_the_api_names_people_the_same_way(personas, api_as, amap):
    public = api_as(None).get("/api/v1/assets/capabilities").json()
    assert public["count"] == 1
    assert public["items"][0]["name"] == "Carla" and public["items"][0]["person"] is None
    assert public["items"][0]["neighbourhood"] == "millbrook"
    staff = api_as(personas["staff"]).get("/api/v1/assets/capabilities").json()
    by_name = {item["name"]: item for item in staff["items"]}
    assert set(by_name) == {"Carla", "Dan Offline"}
    assert by_name["Dan Offline"]["person"] == amap.dan.pk


def test_a_person_always_sees_their_own_and_can_take_it_off_the_public_map(personas, client_as, amap):
    carla = client_as(personas["citizen"])
    html = carla.get("/asset-map/can-do/").content.decode()
    assert "I love gardening" in html and "Take it off the public map" in html
    carla.post(f"/asset-map/capabilities/{amap.carla_gardening.pk}/change/", {"action": "visibility",
                                                                              "visibility": "supporters"})
    assert "I love gardening" not in client_as(None).get("/asset-map/people/").content.decode()
    assert "I love gardening" in carla.get("/asset-map/people/").content.decode()
