"""Staff record an offer to help received on paper, by phone or in person for a named person, with a
plain web form (no JavaScript): the pledge is the person's, with its channel, and the audit log says
who recorded it on whose behalf. Citizens, staff of another organisation and anonymous visitors are
refused and nothing is written."""

import pytest

from coproduce.budgeting.models import Pledge
from coproduce.core.models import AuditEntry


@pytest.fixture
def nell(personas, world):
    from coproduce.core import services as core_services

    return core_services.register_person(personas["org_admin"], world.council, consent=True, name="Nell Offline")


def url(pb):
    return f"/budgeting/{pb.process.slug}/proposals/{pb.proposals['Skate park'].pk}/pledge/on-behalf/"


def test_staff_record_a_phoned_in_pledge_of_time(pb, personas, client_as, nell):
    client = client_as(personas["org_admin"])
    form = client.get(url(pb)).content.decode()
    assert 'name="on_behalf_of"' in form and 'name="channel"' in form and 'name="group"' not in form
    response = client.post(url(pb), {"on_behalf_of": nell.pk, "channel": "phone", "kind": "hours", "hours": "2.5",
                                     "description": "Weekend painting"})
    assert response.status_code == 302 and response["Location"] == pb.proposals["Skate park"].get_absolute_url()
    pledge = Pledge.objects.get()
    assert (pledge.person, pledge.channel, pledge.minutes, pledge.kind) == (nell, "phone", 150, "hours")
    entry = AuditEntry.objects.get(action="pledge.make")
    assert entry.actor == personas["org_admin"] and entry.on_behalf_of == nell and entry.channel == "phone"
    page = client_as(None).get(pb.proposals["Skate park"].get_absolute_url()).content.decode()
    assert "Nell Offline" in page and "2:30" in page


def test_a_bad_pledge_shows_its_error_and_writes_nothing(pb, personas, client_as, nell):
    client = client_as(personas["org_admin"])
    missing_who = client.post(url(pb), {"channel": "paper", "kind": "hours", "hours": "1"})
    assert missing_who.status_code == 400 and "This field is required." in missing_who.content.decode()
    no_amount = client.post(url(pb), {"on_behalf_of": nell.pk, "channel": "paper", "kind": "money"})
    assert no_amount.status_code == 400 and "Give an amount." in no_amount.content.decode()
    assert not Pledge.objects.exists() and not AuditEntry.objects.filter(action="pledge.make").exists()


@pytest.mark.parametrize("persona", ["anonymous", "citizen", "other_org", "staff", "broker"])
def test_others_are_refused(pb, personas, client_as, nell, persona):
    client = client_as(personas[persona])
    expected = 302 if persona == "anonymous" else 403
    assert client.get(url(pb)).status_code == expected
    response = client.post(url(pb), {"on_behalf_of": nell.pk, "channel": "phone", "kind": "hours", "hours": "1"})
    assert response.status_code == expected
    assert not Pledge.objects.exists()


def test_the_proposal_page_links_staff_to_the_form(pb, personas, client_as):
    link = url(pb)
    assert link in client_as(personas["org_admin"]).get(pb.proposals["Skate park"].get_absolute_url()).content.decode()
    assert link not in client_as(personas["citizen"]).get(pb.proposals["Skate park"].get_absolute_url()).content.decode()
