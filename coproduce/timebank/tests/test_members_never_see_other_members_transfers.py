"""A member's list of transfers holds only transfers on their own account; other members' exchanges,
the community pot and other banks stay out of sight. Brokers see their own bank only."""

import pytest
from django.core.exceptions import PermissionDenied

from coproduce.timebank import services
from coproduce.timebank.models import Transfer


@pytest.fixture
def exchanges(ledger, personas):
    bea = personas["broker"]
    return {
        "dan_cafe": services.transfer(bea, ledger.dan, ledger.cafe, 30, "Soup for Dan"),
        "carla_dan": services.transfer(bea, ledger.carla, ledger.dan, 20, "Lift for Carla"),
        "cafe_pot": services.donate(bea, ledger.cafe, 10, "Café gives to the pot"),
        "fay_cross": services.transfer(personas["other_org"], ledger.fay, ledger.cafe, 5, "Fay's tea",
                                       payee_timebank=ledger.bank),
    }


def ids(response):
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


def test_a_member_sees_only_their_own_transfers(ledger, personas, api_as, exchanges):
    carla = api_as(personas["citizen"])
    assert ids(carla.get("/api/v1/timebanks/millbrook/transfers")) == {exchanges["carla_dan"].pk}
    assert carla.get(f"/api/v1/timebanks/millbrook/transfers?member={ledger.dan.pk}").status_code == 403
    assert carla.get(f"/api/v1/timebanks/millbrook/transfers/{exchanges['dan_cafe'].pk}").status_code == 403
    assert carla.get("/api/v1/timebanks/fernside/transfers").status_code == 403


def test_a_broker_sees_their_whole_bank_and_nothing_of_another(ledger, personas, api_as, exchanges):
    bea = api_as(personas["broker"])
    millbrook = set(Transfer.objects.filter(timebank=ledger.bank).values_list("pk", flat=True))
    assert ids(bea.get("/api/v1/timebanks/millbrook/transfers")) == millbrook
    assert bea.get("/api/v1/timebanks/fernside/transfers").status_code == 403
    assert bea.get(f"/api/v1/timebanks/fernside/members/{ledger.fay.pk}").status_code == 403
    otto = api_as(personas["other_org"])
    fernside = set(Transfer.objects.filter(timebank=ledger.other_bank).values_list("pk", flat=True))
    assert ids(otto.get("/api/v1/timebanks/fernside/transfers")) == fernside
    assert otto.get("/api/v1/timebanks/millbrook/transfers").status_code == 403


def test_services_refuse_the_wrong_people(ledger, personas):
    carla, otto, ada = personas["citizen"], personas["other_org"], personas["org_admin"]
    with pytest.raises(PermissionDenied):
        services.transfer(carla, ledger.dan, ledger.carla, 10, "Paying myself from Dan's account")
    with pytest.raises(PermissionDenied):
        services.transfer(otto, ledger.dan, ledger.carla, 10, "A broker of another bank")
    with pytest.raises(PermissionDenied):
        services.register_member(otto, ledger.bank, name="Not my bank")
    with pytest.raises(PermissionDenied):
        services.set_member_limits(ada, ledger.dan, overdraft_limit_minutes=6000)
    with pytest.raises(PermissionDenied):
        services.transfer(None, ledger.dan, ledger.carla, 10, "Anonymous")
    with pytest.raises(PermissionDenied):
        services.update_timebank(personas["broker"], ledger.bank, overdraft_limit_minutes=6000)
    assert not Transfer.objects.exists()


def test_page_queries_do_not_grow_with_the_number_of_transfers(ledger, personas, api_as, exchanges,
                                                                django_assert_max_num_queries):
    bea = api_as(personas["broker"])
    for n in range(20):
        services.transfer(personas["broker"], ledger.dan, ledger.carla, 1, f"Exchange {n}")
    with django_assert_max_num_queries(8):
        response = bea.get("/api/v1/timebanks/millbrook/transfers?limit=50")
    assert len(response.json()["items"]) >= 20
