"""The board shows a bank's open requests and offers to its members by first name only; a member
takes a request on ("I can help") or asks for an offer; people outside the bank are refused."""

from coproduce.timebank.models import Exchange

from .codelivery import ask, offer


def test_board(personas, ledger, client_as, django_assert_max_num_queries):
    bea, carla = personas["broker"], personas["citizen"]
    dans_request = ask(bea, ledger.dan, description="Change a light bulb", slug="diy")
    cafe_offer = offer(bea, ledger.cafe, "cooking", description="Soup on Fridays")
    own = ask(carla, ledger.carla, description="My own request")
    client = client_as(carla)
    with django_assert_max_num_queries(12):
        html = client.get("/timebanks/millbrook/board/").content.decode()
    assert "Change a light bulb" in html and "Soup on Fridays" in html and "My own request" not in html
    assert "Offline" not in html and ">Dan" in html
    response = client.post("/timebanks/millbrook/board/", {"request": dans_request.pk})
    assert response.status_code == 302
    taken = Exchange.objects.get(request=dans_request)
    assert taken.state == "matched"
    assert list(taken.participants.filter(role="giver").values_list("member_id", flat=True)) == [ledger.carla.pk]
    client.post("/timebanks/millbrook/board/", {"offer": cafe_offer.pk})
    asked = Exchange.objects.get(offer=cafe_offer)
    assert asked.state == "requested"
    assert own.pk
    for persona in ("staff", "other_org"):
        assert client_as(personas[persona]).get("/timebanks/millbrook/board/").status_code == 403
        client_as(personas[persona]).post("/timebanks/millbrook/board/", {"offer": cafe_offer.pk})
    assert Exchange.objects.count() == 2
