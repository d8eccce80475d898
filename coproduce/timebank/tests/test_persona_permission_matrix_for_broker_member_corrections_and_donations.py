"""The brokers' member page, the "Correct" page, the donation page and the standing donations API,
for every persona: grants and refusals, and refused POSTs write nothing.

Bea brokers Millbrook; Otto administers the organisation behind Fernside (so he manages that bank
only); Carla is a Millbrook member with a login; Dan is a Millbrook member without one; Sam (staff
at a council service) and Ada (council administrator) have nothing to do with either bank."""

import pytest

from coproduce.testing import LOGIN, PERSONAS, assert_answer, row
from coproduce.timebank import services, standing

PAGES = [
    #                                                      anon   cit  other staff broker oadm padm
    row("/timebanks/millbrook/members/{dan}/manage/", LOGIN, 403, 403, 403, 200, 403, 200),
    row("/timebanks/millbrook/members/{carla}/manage/", LOGIN, 403, 403, 403, 200, 403, 200),
    row("/timebanks/fernside/members/{fay}/manage/", LOGIN, 403, 200, 403, 403, 403, 200),
    row("/timebanks/fernside/members/{dan}/manage/", LOGIN, 404, 404, 404, 404, 404, 404),
    row("/timebanks/millbrook/transfers/{soup}/correct/", LOGIN, 403, 403, 403, 200, 403, 200),
    row("/timebanks/fernside/transfers/{soup}/correct/", LOGIN, 404, 404, 404, 404, 404, 404),
    # one's own donations; a broker gives for a member of their bank with ?member=
    row("/timebanks/millbrook/donate/", LOGIN, 200, 403, 403, 403, 403, 403),
    row("/timebanks/millbrook/donate/?member={dan}", LOGIN, 403, 403, 403, 200, 403, 200),
    row("/timebanks/millbrook/donate/?member={carla}", LOGIN, 403, 403, 403, 200, 403, 200),
    row("/timebanks/millbrook/donate/?member={fay}", LOGIN, 404, 404, 404, 404, 404, 404),
]


@pytest.fixture
def ids(personas, ledger):
    soup = services.transfer(personas["broker"], ledger.dan, ledger.carla, 30, "Soup")
    return {"carla": ledger.carla.pk, "dan": ledger.dan.pk, "fay": ledger.fay.pk, "cafe": ledger.cafe.pk,
            "soup": soup.pk}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url,expected", PAGES, ids=[r[0] for r in PAGES])
def test_page_access(persona, url, expected, personas, client_as, ids):
    url = url.format(**ids)
    assert_answer(client_as(personas[persona]).get(url), expected[persona], persona, url)


@pytest.mark.parametrize("persona", ["anonymous", "citizen", "other_org", "staff", "org_admin"])
def test_refused_posts_write_nothing(persona, personas, client_as, ledger, ids):
    from coproduce.core.models import AuditEntry
    from coproduce.timebank.models import StandingDonation, Transfer

    donation = standing.set_up(personas["broker"], ledger.dan, 30)
    before = (AuditEntry.objects.count(), Transfer.objects.count())
    client = client_as(personas[persona])
    manage = f"/timebanks/millbrook/members/{ledger.dan.pk}/manage/"
    client.post(manage, {"form": "status", "s-status": "suspended", "s-note": "x"})
    client.post(manage, {"form": "limits", "l-overdraft_limit_minutes": "6000"})
    client.post(manage, {"form": "opening", "o-minutes": "60", "o-occurred_on": "2026-01-05", "o-channel": "paper"})
    client.post(f"/timebanks/millbrook/transfers/{ids['soup']}/correct/", {"reason": "Mine"})
    donate = f"/timebanks/millbrook/donate/?member={ledger.dan.pk}"
    client.post(donate, {"form": "donate", "d-minutes": "30", "d-channel": "phone"})
    client.post(donate, {"form": "standing", "s-minutes": "30", "s-channel": "phone"})
    client.post(donate, {"form": "stop", "donation": donation.pk, "channel": "phone"})
    assert (AuditEntry.objects.count(), Transfer.objects.count()) == before
    dan = ledger.dan.__class__.objects.get(pk=ledger.dan.pk)
    assert (dan.status, dan.overdraft_limit_minutes) == ("active", None)
    assert list(StandingDonation.objects.values_list("active", flat=True)) == [True]


def test_a_requested_member_is_approved_only_by_the_banks_brokers(personas, client_as, ledger):
    from coproduce.conftest import make_user

    nora = services.request_to_join(make_user("nora", name="Nora"), ledger.bank, accept_agreement=True)
    url = f"/timebanks/millbrook/members/{nora.pk}/manage/"
    for persona in ["citizen", "other_org", "staff", "org_admin"]:
        assert client_as(personas[persona]).post(url, {"form": "approve"}).status_code == 403
    nora.refresh_from_db()
    assert nora.status == "requested"
    assert client_as(personas["broker"]).post(url, {"form": "approve"}).status_code == 302
    nora.refresh_from_db()
    assert nora.status == "active"


API = "/api/v1/timebanks/millbrook/members/{member}/standing-donations"
API_MATRIX = [
    #                                           anon cit other staff broker oadm padm
    ("get", "carla", None, [401, 200, 403, 403, 200, 403, 200]),
    ("get", "dan", None, [401, 403, 403, 403, 200, 403, 200]),
    ("post", "carla", {"minutes": 30}, [401, 201, 403, 403, 201, 403, 201]),
    ("post", "dan", {"minutes": 30, "to": "{cafe}", "channel": "phone"}, [401, 403, 403, 403, 201, 403, 201]),
    ("delete", "carla", "{carlas}", [401, 200, 403, 403, 200, 403, 200]),
    ("delete", "dan", "{dans}", [401, 403, 403, 403, 200, 403, 200]),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("method,who,body,codes", API_MATRIX, ids=[f"{r[0]} {r[1]}" for r in API_MATRIX])
def test_standing_donations_api_access(persona, method, who, body, codes, personas, api_as, ledger):
    from coproduce.timebank.models import StandingDonation

    bea = personas["broker"]
    ids = {"carla": ledger.carla.pk, "dan": ledger.dan.pk, "cafe": ledger.cafe.pk,
           "carlas": standing.set_up(bea, ledger.carla, 10).pk, "dans": standing.set_up(bea, ledger.dan, 10).pk}
    url = API.format(member=ids[who])
    client = api_as(personas[persona])
    count = StandingDonation.objects.count()
    if method == "get":
        response = client.get(url)
    elif method == "post":
        body = {k: (ids[v[1:-1]] if isinstance(v, str) and v.startswith("{") else v) for k, v in body.items()}
        response = client.post(url, body, content_type="application/json")
    else:
        response = client.delete(f"{url}/{ids[body[1:-1]]}")
    want = codes[PERSONAS.index(persona)]
    assert response.status_code == want, (persona, method, url, response.content)
    if want >= 400:
        assert StandingDonation.objects.count() == count
        assert StandingDonation.objects.filter(active=False).count() == 0
