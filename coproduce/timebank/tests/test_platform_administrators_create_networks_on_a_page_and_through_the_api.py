"""Networks are created on `/timebanks/networks/new/` and with `POST /api/v1/timebank-networks`
(`services.create_network`); a bank then joins one from its settings. Bad input: nothing written."""

from coproduce.timebank.models import Network


def test_the_page_creates_a_network_with_its_coordinator(personas, client_as, ledger, world):
    client = client_as(personas["platform_admin"])
    response = client.post("/timebanks/networks/new/", {"name": "Fern Valley", "slug": "",
                                                        "coordinator": world.other_group.pk})
    assert response.status_code == 302
    network = Network.objects.get(slug="fern-valley")
    assert network.coordinator == world.other_group
    # its coordinator's administrator can now put their bank in it
    page = client_as(personas["other_org"]).get("/timebanks/fernside/settings/").content.decode()
    assert "Fern Valley" in page


def test_a_taken_slug_or_an_empty_name_is_refused_on_its_field(personas, client_as, ledger):
    client = client_as(personas["platform_admin"])
    for data, field in [({"name": "River", "slug": "riverside"}, "slug"), ({"name": "", "slug": "x"}, "name"),
                        ({"name": "X", "slug": "not a slug"}, "slug")]:
        response = client.post("/timebanks/networks/new/", data)
        assert response.status_code == 200 and field in response.context["form"].errors, data
    assert list(Network.objects.values_list("slug", flat=True)) == ["riverside"]


def test_the_api_creates_a_network_and_refuses_bad_fields(personas, api_as, ledger, world):
    api = api_as(personas["platform_admin"])
    response = api.post("/api/v1/timebank-networks", {"name": "Valley", "coordinator": world.other_group.slug},
                        content_type="application/json")
    assert response.status_code == 201
    assert response.json() == {"id": Network.objects.get(slug="valley").pk, "name": "Valley", "slug": "valley",
                               "coordinator": world.other_group.slug}
    for body, field in [({"name": "Hills", "coordinator": "nobody"}, "coordinator"),
                        ({"name": "Valley"}, "slug"), ({"name": ""}, "name")]:
        response = api.post("/api/v1/timebank-networks", body, content_type="application/json")
        assert response.status_code == 400, body
        assert field in str(response.json()["error"]["fields"]), (body, response.json())
    assert set(Network.objects.values_list("slug", flat=True)) == {"riverside", "valley"}
