"""Every timebank page, for every persona: grants and refusals.

Bea brokers Millbrook; Otto administers the organisation behind Fernside (so he manages that bank
only); Carla is a Millbrook member with a login; Dan is a Millbrook member without one; Sam (staff at a
council service) and Ada (council administrator) have nothing to do with either bank."""

import pytest

from coproduce.testing import LOGIN, PERSONAS, assert_answer, row
from coproduce.timebank import services

MATRIX = [
    #                                               anon   cit  other staff broker oadm padm
    row("/timebanks/", 200, 200, 200, 200, 200, 200, 200),
    row("/timebanks/millbrook/", 200, 200, 200, 200, 200, 200, 200),
    row("/timebanks/no-such-bank/", 404, 404, 404, 404, 404, 404, 404),
    row("/timebanks/millbrook/register/", LOGIN, 403, 403, 403, 200, 403, 200),
    row("/timebanks/fernside/register/", LOGIN, 403, 200, 403, 403, 403, 200),
    row("/timebanks/millbrook/exchange/", LOGIN, 403, 403, 403, 200, 403, 200),
    row("/timebanks/millbrook/members/{carla}/", LOGIN, 200, 403, 403, 200, 403, 200),
    row("/timebanks/millbrook/members/{carla}/?format=csv", LOGIN, 200, 403, 403, 200, 403, 200),
    row("/timebanks/millbrook/members/{carla}/print/", LOGIN, 200, 403, 403, 200, 403, 200),
    row("/timebanks/millbrook/members/{dan}/", LOGIN, 403, 403, 403, 200, 403, 200),
    row("/timebanks/millbrook/members/{dan}/?format=csv", LOGIN, 403, 403, 403, 200, 403, 200),
    row("/timebanks/millbrook/members/{dan}/print/", LOGIN, 403, 403, 403, 200, 403, 200),
    row("/timebanks/fernside/members/{fay}/", LOGIN, 403, 200, 403, 403, 403, 200),
    # a member is only found under their own bank
    row("/timebanks/fernside/members/{dan}/", LOGIN, 404, 404, 404, 404, 404, 404),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url,expected", MATRIX, ids=[r[0] for r in MATRIX])
def test_page_access(persona, url, expected, personas, client_as, ledger):
    services.transfer(personas["broker"], ledger.dan, ledger.carla, 30, "Soup")
    url = url.format(carla=ledger.carla.pk, dan=ledger.dan.pk, fay=ledger.fay.pk)
    response = client_as(personas[persona]).get(url)
    assert_answer(response, expected[persona], persona, url)


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_banks_brokers_see_the_dashboard(persona, personas, client_as, ledger):
    html = client_as(personas[persona]).get("/timebanks/millbrook/").content.decode()
    manages = persona in ("broker", "platform_admin")
    assert ("Broker dashboard" in html) is manages
    assert ("Record an exchange" in html) is manages
    assert ("Dan Offline" in html) is manages


@pytest.mark.parametrize("persona", ["anonymous", "citizen", "other_org", "staff", "org_admin"])
def test_refused_posts_write_nothing(persona, personas, client_as, ledger):
    from coproduce.timebank.models import TimebankMember, Transfer

    client = client_as(personas[persona])
    client.post("/timebanks/millbrook/register/", {"name": "Nell", "channel": "phone", "consent": "on",
                                                   "agreement_accepted": "on", "kind": "individual"})
    client.post("/timebanks/millbrook/exchange/", {
        "payer": ledger.dan.pk, "payee": ledger.cafe.pk, "hours": 1, "minutes": 0, "reason": "Tea",
        "occurred_on": "2020-01-01", "channel": "phone"})
    assert not TimebankMember.objects.filter(person__name="Nell").exists()
    assert not Transfer.objects.exists()


def test_the_list_shows_each_bank_with_its_organisation_and_member_count(client_as, ledger):
    html = client_as(None).get("/timebanks/").content.decode()
    assert "Millbrook Timebank" in html and "Fernside Timebank" in html and "Fernside Residents" in html
    assert "<caption>" in html and 'scope="col"' in html
    assert "<td>3</td>" in html and "<td>1</td>" in html  # Millbrook: Carla, Dan, the café; Fernside: Fay
