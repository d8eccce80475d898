"""The asset list, the map, what people can do and the needs list filter by kind, category,
neighbourhood and text, paginate, and take the same few queries however many rows there are."""

import pytest

from coproduce.assets import services

from .conftest import category


@pytest.fixture
def many(amap, personas, world):
    from coproduce.core import services as core_services

    ada, sam = personas["org_admin"], personas["staff"]
    for i in range(30):
        services.create_asset(ada, owner=world.council, name=f"Garden {i:02d}", kind="place" if i % 2 else "group",
                              neighbourhood=world.hood if i % 3 else world.other_hood, category=category("gardening"),
                              latitude=f"51.5{i:02d}" if i % 4 else None, longitude=f"-0.1{i:02d}" if i % 4 else None)
        person = core_services.register_person(sam, world.service, consent=True, name=f"Person {i}",
                                               home_area=world.hood)
        services.add_capability(sam, person, kind="skill", description=f"Cooks curry {i}", category=category("cooking"),
                                visibility="public" if i % 2 else "supporters", channel="phone", consent=True)
        services.record_need(sam, world.service, person=person, category=category("errands"),
                             description=f"Shopping {i}", neighbourhood=world.hood, consent_by="person",
                             consent_channel="phone")
    return amap


def test_filters_and_search(client_as, many, world):
    client = client_as(None)
    html = client.get("/asset-map/", {"kind": "facility"}).content.decode()
    assert "Fernside Allotments" in html and "Garden 0" not in html and "Millbrook Community Hall" not in html
    html = client.get("/asset-map/", {"q": "tool shed"}).content.decode()  # searches descriptions
    assert "Fernside Allotments" in html and "Millbrook Community Hall" not in html
    html = client.get("/asset-map/", {"q": "mill lane"}).content.decode()  # and addresses
    assert "Millbrook Community Hall" in html and "Fernside Allotments" not in html
    html = client.get("/asset-map/", {"category": category("space").pk}).content.decode()
    assert "Millbrook Community Hall" in html and "Garden 0" not in html
    html = client.get("/asset-map/", {"neighbourhood": world.other_hood.pk, "kind": "group"}).content.decode()
    assert "Garden 00" in html and "Garden 06" in html and "Garden 01" not in html and "Garden 02" not in html
    html = client.get("/asset-map/people/", {"kind": "skill", "q": "curry 1"}).content.decode()
    assert "Cooks curry 1" in html and "Cooks curry 11" in html and "Cooks curry 2<" not in html


def test_pagination(client_as, many):
    client = client_as(None)
    first = client.get("/asset-map/").content.decode()
    assert "Page 1 of 2" in first and "Garden 22" in first and "Millbrook Community Hall" not in first
    second = client.get("/asset-map/", {"page": 2}).content.decode()
    assert "Millbrook Community Hall" in second


@pytest.mark.parametrize("persona,url,limit", [
    ("anonymous", "/asset-map/", 8),
    ("anonymous", "/asset-map/?kind=place&q=Garden", 8),
    ("anonymous", "/asset-map/map/", 9),
    ("anonymous", "/asset-map/people/", 8),
    ("staff", "/asset-map/people/", 14),
    ("staff", "/asset-map/needs/", 14),
    ("platform_admin", "/asset-map/needs/", 14),
])
def test_list_pages_take_a_fixed_number_of_queries(persona, url, limit, personas, client_as, many,
                                                   django_assert_max_num_queries):
    client = client_as(personas[persona])
    client.get(url)  # warm the session and caches
    with django_assert_max_num_queries(limit):
        response = client.get(url)
    assert response.status_code == 200


def test_api_lists_take_a_fixed_number_of_queries(personas, api_as, many, django_assert_max_num_queries):
    client = api_as(personas["staff"])
    for url in ("/api/v1/assets?limit=50", "/api/v1/assets/capabilities?limit=50", "/api/v1/assets/needs?limit=50"):
        with django_assert_max_num_queries(8):
            body = client.get(url).json()
        assert body["count"] >= 30 and len(body["items"]) >= 30
