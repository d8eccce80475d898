"""The requests queue, my exchanges and my offers and requests do not grow in queries with rows."""

from coproduce.timebank import exchanges

from .codelivery import ask, offer


def test_list_pages(personas, ledger, client_as, django_assert_max_num_queries):
    bea, carla = personas["broker"], personas["citizen"]
    offer(bea, ledger.dan)
    for n in range(8):
        request = ask(carla, ledger.carla, description=f"Garden {n}")
        if n % 2:
            exchanges.match(bea, request, [ledger.dan])
        offer(carla, ledger.carla, "cooking", description=f"Cake {n}")
    broker, member = client_as(bea), client_as(carla)
    with django_assert_max_num_queries(14):
        assert broker.get("/timebanks/millbrook/requests/").status_code == 200
    with django_assert_max_num_queries(14):
        assert member.get("/timebanks/millbrook/mine/exchanges/").status_code == 200
    with django_assert_max_num_queries(14):
        assert member.get("/timebanks/millbrook/mine/").status_code == 200
    with django_assert_max_num_queries(14):
        assert broker.get(f"/timebanks/millbrook/mine/?member={ledger.carla.pk}").status_code == 200
