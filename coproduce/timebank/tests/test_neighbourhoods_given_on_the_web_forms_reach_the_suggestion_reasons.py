"""The neighbourhood of a request or offer (web posting form) and the home area of a member a broker
registers (page and API) are stored and reach the matching engine: an offline member living where help
is needed is "in the same neighbourhood"; one registered without a home area falls back to the bank's
area and is not. Bad areas are refused on their field, with nothing written."""

from coproduce.core.models import Person
from coproduce.timebank import suggestions
from coproduce.timebank.models import HelpRequest, Offer, TimebankMember

from .codelivery import category, offer

SAME = "Lives in the same neighbourhood"


def register(client, name, **extra):
    data = {"name": name, "kind": "individual", "channel": "phone", "consent": "on", "agreement_accepted": "on"}
    return client.post("/timebanks/millbrook/register/", {**data, **extra})


def test_a_request_in_fernside_suggests_the_helper_who_lives_there_first(personas, client_as, world, ledger):
    bea = client_as(personas["broker"])
    assert 'name="home_area"' in bea.get("/timebanks/millbrook/register/").content.decode()
    assert register(bea, "Nell Nearby", home_area=world.other_hood.pk).status_code == 302
    nell = TimebankMember.objects.get(person__name="Nell Nearby")
    assert nell.person.home_area == world.other_hood
    offer(personas["broker"], nell)
    offer(personas["broker"], ledger.cafe)  # no home area: the bank's area (Millbrook)

    carla = client_as(personas["citizen"])
    assert 'name="neighbourhood"' in carla.get("/timebanks/millbrook/mine/new/request/").content.decode()
    response = carla.post("/timebanks/millbrook/mine/new/request/", {
        "category": category("gardening").pk, "description": "Weeding at my allotment",
        "neighbourhood": world.other_hood.pk, "duration_minutes": 60})
    assert response.status_code == 302
    request = HelpRequest.objects.get(description="Weeding at my allotment")
    assert request.neighbourhood == world.other_hood

    rows = {row.member.pk: row for row in suggestions.suggest_for(request)[0]}
    assert SAME in rows[nell.pk].reasons
    assert SAME not in rows[ledger.cafe.pk].reasons
    assert list(rows)[0] == nell.pk


def test_an_offer_keeps_the_neighbourhood_given_on_the_form(personas, client_as, world, ledger):
    response = client_as(personas["broker"]).post(f"/timebanks/millbrook/mine/new/offer/?member={ledger.dan.pk}", {
        "category": category("gardening").pk, "description": "Mowing", "neighbourhood": world.hood.pk,
        "channel": "phone"})
    assert response.status_code == 302
    assert Offer.objects.get(description="Mowing").neighbourhood == world.hood


def test_unknown_areas_are_refused_on_their_field_and_nothing_is_written(personas, client_as, api_as, ledger):
    bea = client_as(personas["broker"])
    response = register(bea, "Nell Nowhere", home_area=999999)
    assert "home_area" in response.context["form"].errors
    response = client_as(personas["citizen"]).post("/timebanks/millbrook/mine/new/request/", {
        "category": category("gardening").pk, "description": "Nowhere", "neighbourhood": 999999,
        "duration_minutes": 60})
    assert "neighbourhood" in response.context["form"].errors
    api = api_as(personas["broker"])
    for body in ({"name": "Nell Nowhere", "home_area": 999999},
                 {"person": personas["citizen"].person.pk, "home_area": 1}):
        response = api.post("/api/v1/timebanks/millbrook/members", body, content_type="application/json")
        assert response.status_code == 400 and "home_area" in response.json()["error"]["fields"], body
    assert not Person.objects.filter(name="Nell Nowhere").exists()
    assert not HelpRequest.objects.filter(description="Nowhere").exists()


def test_the_api_registers_a_member_with_a_home_area(personas, api_as, world, ledger):
    response = api_as(personas["broker"]).post("/api/v1/timebanks/millbrook/members",
                                               {"name": "Nell Nearby", "home_area": world.other_hood.pk},
                                               content_type="application/json")
    assert response.status_code == 201 and response.json()["home_area"] == world.other_hood.pk
    assert Person.objects.get(name="Nell Nearby").home_area == world.other_hood
