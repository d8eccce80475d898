"""The donation page: a member gives credits to another member or the community pot and sets up or
stops a monthly standing donation; a broker does the same for an offline member (`?member=`),
recorded on their behalf with how they told the broker. Bad input is named by its field and writes nothing."""

import pytest

from coproduce.core.models import AuditEntry
from coproduce.timebank import services
from coproduce.timebank.models import Account, StandingDonation, Transfer
from coproduce.timebank.tests.conftest import balance

PAGE = "/timebanks/millbrook/donate/"


def pot(ledger):
    return Account.objects.get(timebank=ledger.bank, kind="community_pot").balance_minutes


def test_a_member_gives_to_a_friend_and_to_the_pot(personas, client_as, ledger):
    services.transfer(personas["broker"], ledger.dan, ledger.carla, 120, "Gardening")
    client = client_as(personas["citizen"])
    page = client.get(PAGE).content.decode()
    assert "The community pot" in page and "Kettle Café" in page and "How did they tell us?" not in page
    response = client.post(PAGE, {"form": "donate", "d-to": ledger.cafe.pk, "d-minutes": "30", "d-reason": "Thanks"})
    assert response.status_code == 302 and response["Location"] == PAGE
    client.post(PAGE, {"form": "donate", "d-to": "", "d-minutes": "15", "d-reason": ""})
    assert balance(ledger.carla) == 75 and balance(ledger.cafe) == 30 and pot(ledger) == 15
    gift = Transfer.objects.filter(kind="donation").order_by("id").last()
    assert (gift.reason, gift.channel, gift.on_behalf_of_id) == ("Donation to the community pot", "web", None)


def test_a_broker_gives_for_an_offline_member_on_their_behalf(personas, client_as, ledger):
    services.record_opening_balance(personas["broker"], ledger.dan, 300)
    client = client_as(personas["broker"])
    page = client.get(f"{PAGE}?member={ledger.dan.pk}").content.decode()
    assert "Give credits for Dan Offline" in page and "How did they tell us?" in page
    response = client.post(f"{PAGE}?member={ledger.dan.pk}", {"form": "donate", "d-to": ledger.carla.pk,
                                                              "d-minutes": "60", "d-channel": "phone"})
    assert response["Location"] == f"{PAGE}?member={ledger.dan.pk}"
    gift = Transfer.objects.get(kind="donation")
    assert (gift.channel, gift.on_behalf_of_id, gift.created_by) == ("phone", ledger.dan.person_id,
                                                                     personas["broker"])
    entry = AuditEntry.objects.get(action="timebank.donate")
    assert (entry.channel, entry.on_behalf_of_id) == ("phone", ledger.dan.person_id)
    assert balance(ledger.dan) == 240 and balance(ledger.carla) == 60


def test_standing_donations_are_set_up_and_stopped_on_the_page(personas, client_as, ledger):
    client = client_as(personas["broker"])
    here = f"{PAGE}?member={ledger.dan.pk}"
    client.post(here, {"form": "standing", "s-to": "", "s-minutes": "30", "s-reason": "For the pot",
                       "s-channel": "in_person"})
    donation = StandingDonation.objects.get()
    assert (donation.member, donation.to, donation.minutes, donation.active) == (ledger.dan, None, 30, True)
    entry = AuditEntry.objects.get(action="timebank.standing_donation.set_up")
    assert (entry.channel, entry.on_behalf_of_id) == ("in_person", ledger.dan.person_id)
    assert "For the pot" in client.get(here).content.decode()
    response = client.post(here, {"form": "stop", "donation": donation.pk, "channel": "web"}, follow=True)
    assert "Say how they told you" in response.content.decode()
    donation.refresh_from_db()
    assert donation.active
    client.post(here, {"form": "stop", "donation": donation.pk, "channel": "phone"})
    donation.refresh_from_db()
    assert not donation.active
    assert AuditEntry.objects.get(action="timebank.standing_donation.stop").on_behalf_of_id == ledger.dan.person_id
    # a stopped donation can no longer be stopped from the page
    assert client.post(here, {"form": "stop", "donation": donation.pk, "channel": "phone"}).status_code == 404


def test_a_member_cannot_stop_someone_elses_standing_donation(personas, client_as, ledger):
    from coproduce.timebank import standing

    donation = standing.set_up(personas["broker"], ledger.dan, 30)
    response = client_as(personas["citizen"]).post(PAGE, {"form": "stop", "donation": donation.pk})
    assert response.status_code == 404
    donation.refresh_from_db()
    assert donation.active


BAD = [
    ({"form": "donate", "d-minutes": "0"}, "donate", "minutes", "greater than zero"),
    ({"form": "donate", "d-minutes": "ten"}, "donate", "minutes", "whole number"),
    ({"form": "donate", "d-minutes": "700"}, "donate", "donor", "overdraft"),  # shown above the form
    ({"form": "donate", "d-minutes": "30", "d-to": "{fay}"}, "donate", "to", "valid choice"),
    ({"form": "donate", "d-minutes": "30", "d-to": "{carla}"}, "donate", "to", "valid choice"),  # herself
    ({"form": "standing", "s-minutes": "6001"}, "standing", "minutes", "at most 100 hours"),
    ({"form": "standing", "s-minutes": ""}, "standing", "minutes", "required"),
]


@pytest.mark.parametrize("data,form,field,message", BAD, ids=[f"{b[2]}:{b[3]}" for b in BAD])
def test_bad_input_is_named_by_its_field_and_writes_nothing(data, form, field, message, personas, client_as, ledger):
    data = {k: (str(getattr(ledger, v[1:-1]).pk) if v.startswith("{") else v) for k, v in data.items()}
    before = (AuditEntry.objects.count(), Transfer.objects.count(), StandingDonation.objects.count())
    response = client_as(personas["citizen"]).post(PAGE, data)
    assert response.status_code == 200
    bound = response.context["forms"][form]
    errors = bound.errors.get(field) or (bound.non_field_errors() if field == "donor" else [])
    assert message.lower() in " ".join(errors).lower(), bound.errors
    assert (AuditEntry.objects.count(), Transfer.objects.count(), StandingDonation.objects.count()) == before
    assert balance(ledger.carla) == 0
