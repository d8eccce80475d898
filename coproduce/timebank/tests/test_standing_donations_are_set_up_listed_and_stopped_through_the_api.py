"""The standing donations API: a member (or a broker for them) sets up a monthly donation to a member
of the same bank or the community pot, lists them, and stops one (DELETE). Bad input is refused with
the field named and nothing written; a stopped donation cannot be stopped again."""

import pytest

from coproduce.core.models import AuditEntry
from coproduce.timebank import standing
from coproduce.timebank.models import StandingDonation

URL = "/api/v1/timebanks/millbrook/members/{}/standing-donations"


def test_set_up_list_and_stop(personas, api_as, ledger):
    client = api_as(personas["citizen"])
    url = URL.format(ledger.carla.pk)
    response = client.post(url, {"minutes": 45, "to": ledger.cafe.pk, "reason": "For the café's volunteers"},
                           content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["member"], body["to"], body["minutes"], body["active"]) == (ledger.carla.pk, ledger.cafe.pk, 45, True)
    pot = client.post(url, {"minutes": 20}, content_type="application/json").json()
    assert pot["to"] is None
    assert [d["id"] for d in client.get(url).json()] == [body["id"], pot["id"]]
    entry = AuditEntry.objects.get(action="timebank.standing_donation.set_up", object_id=str(body["id"]))
    assert entry.channel == "api"
    stopped = client.delete(f"{url}/{body['id']}")
    assert stopped.status_code == 200 and stopped.json()["active"] is False
    again = client.delete(f"{url}/{body['id']}")
    assert again.status_code == 400 and "donation" in again.json()["error"]["fields"]
    assert AuditEntry.objects.filter(action="timebank.standing_donation.stop").count() == 1
    assert list(StandingDonation.objects.filter(active=True).values_list("pk", flat=True)) == [pot["id"]]


def test_a_broker_sets_one_up_for_an_offline_member_on_their_behalf(personas, api_as, ledger):
    response = api_as(personas["broker"]).post(URL.format(ledger.dan.pk), {"minutes": 30, "channel": "phone"},
                                               content_type="application/json")
    assert response.status_code == 201
    entry = AuditEntry.objects.get(action="timebank.standing_donation.set_up")
    assert (entry.channel, entry.on_behalf_of_id) == ("phone", ledger.dan.person_id)


BAD = [
    ({"minutes": 0}, "minutes"),
    ({"minutes": "30"}, "minutes"),  # a string, not a whole number
    ({"minutes": 6001}, "minutes"),
    ({"minutes": 30, "to": "{fay}"}, "to"),  # another bank
    ({"minutes": 30, "to": "{carla}"}, "to"),  # herself
    ({"minutes": 30, "to": 999999}, "to"),
    ({"minutes": 30, "channel": "pigeon"}, "channel"),
]


@pytest.mark.parametrize("body,field", BAD, ids=[f"{b[1]}:{b[0]}" for b in BAD])
def test_bad_input_names_the_field_and_writes_nothing(body, field, personas, api_as, ledger):
    body = {k: (getattr(ledger, v[1:-1]).pk if isinstance(v, str) and v.startswith("{") else v)
            for k, v in body.items()}
    client = api_as(personas["citizen"])  # (making its token is audited)
    before = AuditEntry.objects.count()
    response = client.post(URL.format(ledger.carla.pk), body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"], response.json()
    assert not StandingDonation.objects.exists() and AuditEntry.objects.count() == before


def test_a_donation_of_another_member_is_not_found_under_someone_else(personas, api_as, ledger):
    theirs = standing.set_up(personas["broker"], ledger.dan, 10)
    response = api_as(personas["citizen"]).delete(f"{URL.format(ledger.carla.pk)}/{theirs.pk}")
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.active
