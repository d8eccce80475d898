"""A person with a login asks to join on the page; the agreement must be accepted and its version
is recorded; the broker approves."""

from coproduce.timebank import services
from coproduce.timebank.models import TimebankMember


def test_join(personas, ledger, client_as):
    sam = personas["staff"]
    client = client_as(sam)
    page = client.get("/timebanks/millbrook/join/").content.decode()
    assert "We value everyone" in page
    html = client.post("/timebanks/millbrook/join/", {"kind": "individual"}).content.decode()
    assert "must be accepted" in html
    assert not TimebankMember.objects.filter(person=sam.person).exists()
    assert client.post("/timebanks/millbrook/join/", {"kind": "individual", "accept_agreement": "on"}).status_code == 302
    member = TimebankMember.objects.get(person=sam.person)
    assert member.status == "requested" and member.agreement_version.version == "1"
    services.approve_member(personas["broker"], member)
    assert client.get("/timebanks/millbrook/mine/").status_code == 200
