"""References, safeguarding checks and broker notes: only the member's own bank's brokers and
coordinators (and platform administrators) see or change them. Members (even the member
themself), staff of other organisations, and brokers of another bank of the same network are
refused — on the page, through the permission, and in what members' pages and the API show."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from coproduce.timebank import trust

from .codelivery import ask, offer

PERSONAS = ["anonymous", "citizen", "other_org", "staff", "broker", "org_admin", "platform_admin"]
SEES = {"broker", "platform_admin"}


@pytest.fixture
def record(personas, ledger):
    bea = personas["broker"]
    trust.record_reference(bea, ledger.dan, referee_name="Rita Referee", requested_on=date(2026, 1, 5),
                           received_on=date(2026, 1, 9), honesty="yes", notes="SECRET-REFERENCE-NOTE")
    trust.record_check(bea, ledger.dan, kind="dbs_enhanced", reference_number="SECRET-DBS-123",
                       issued_on=date(2025, 1, 1), covers_children=True)
    trust.add_note(bea, ledger.dan, "SECRET-BROKER-NOTE")
    trust.add_note(bea, ledger.carla, "SECRET-NOTE-ABOUT-CARLA")
    return ledger


@pytest.mark.parametrize("persona", PERSONAS)
def test_trust_page(persona, personas, client_as, record):
    for member in (record.dan, record.carla):
        response = client_as(personas[persona]).get(f"/timebanks/millbrook/members/{member.pk}/trust/")
        if persona == "anonymous":
            assert response.status_code == 302
        else:
            assert response.status_code == (200 if persona in SEES else 403), (persona, response.status_code)
    html = client_as(personas[persona]).get(f"/timebanks/millbrook/members/{record.dan.pk}/trust/").content.decode()
    assert ("SECRET-DBS-123" in html) is (persona in SEES)


@pytest.mark.parametrize("persona", PERSONAS)
def test_permissions(persona, personas, record):
    user = personas[persona]
    if user is None:
        return
    for perm in ("timebank.view_trust", "timebank.change_trust"):
        assert user.has_perm(perm, record.dan) is (persona in SEES)
    # Otto administers Fernside, in the same network: he keeps Fay's record, not Millbrook's.
    assert user.has_perm("timebank.view_trust", record.fay) is (persona in {"other_org", "platform_admin"})


@pytest.mark.parametrize("persona", ["citizen", "other_org", "staff", "org_admin"])
def test_refused_writes(persona, personas, record):
    from coproduce.timebank.models import BrokerNote, Reference, SafeguardingCheck

    user = personas[persona]
    before = (BrokerNote.objects.count(), Reference.objects.count(), SafeguardingCheck.objects.count())
    with pytest.raises(PermissionDenied):
        trust.add_note(user, record.dan, "x")
    with pytest.raises(PermissionDenied):
        trust.record_reference(user, record.dan, referee_name="x")
    with pytest.raises(PermissionDenied):
        trust.record_check(user, record.dan, kind="dbs_basic", reference_number="x", issued_on=date(2025, 1, 1))
    assert before == (BrokerNote.objects.count(), Reference.objects.count(), SafeguardingCheck.objects.count())


def test_members_never_see_trust_data_in_their_pages_or_suggestions(personas, client_as, api_as, record):
    bea, carla = personas["broker"], personas["citizen"]
    offer(bea, record.dan)
    request = ask(carla, record.carla)
    client = client_as(carla)
    pages = [f"/timebanks/millbrook/requests/{request.pk}/suggestions/", "/timebanks/millbrook/mine/",
             "/timebanks/millbrook/mine/exchanges/", "/timebanks/millbrook/mine/availability/",
             f"/timebanks/millbrook/members/{record.carla.pk}/"]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        for secret in ("SECRET", "Rita Referee", "Offline"):  # Dan's surname is private too
            assert secret not in html, (url, secret)
    assert "Dan" in client.get(pages[0]).content.decode()  # first name only
    body = api_as(carla).get(f"/api/v1/timebanks/millbrook/requests/{request.pk}/suggestions").json()
    assert body and body[0]["first_name"] == "Dan"
    assert body[0]["reasons"] is None and body[0]["name"] is None and body[0]["member"] is None
    assert "SECRET" not in str(body)
