"""A broker manages a member on one no-JavaScript page: approves a request to join (also from the
dashboard's Approve button), suspends, marks as left or reactivates them with why, sets their own
limits and records an opening balance. Each is audited; bad input is named by its field and writes nothing."""

import pytest
from django.core.exceptions import ValidationError

from coproduce.core.models import AuditEntry
from coproduce.timebank import services
from coproduce.timebank.models import Account, Transfer
from coproduce.timebank.tests.conftest import balance, reload


def url(member):
    return f"/timebanks/millbrook/members/{member.pk}/manage/"


@pytest.fixture
def asker(ledger, world):
    from coproduce.conftest import make_user

    user = make_user("nora", name="Nora Newcomer")
    return user, services.request_to_join(user, ledger.bank, accept_agreement=True)


def test_the_dashboard_shows_an_approve_button_that_approves_the_request(personas, client_as, ledger, asker):
    _user, member = asker
    client = client_as(personas["broker"])
    html = client.get("/timebanks/millbrook/").content.decode()
    assert "Asked to join" in html and f'action="{url(member)}"' in html and "Approve" in html
    response = client.post(url(member), {"form": "approve"})
    assert response.status_code == 302 and response["Location"] == url(member)
    member = reload(member)
    assert member.status == "active" and member.joined_at is not None
    entry = AuditEntry.objects.get(action="timebank.member.approve")
    assert entry.actor == personas["broker"] and entry.on_behalf_of_id == member.person_id
    html = client.get(url(member)).content.decode()
    assert "Nora Newcomer is now a member." in html and "Approve the request" not in html


def test_an_active_member_cannot_be_approved_again(personas, client_as, ledger):
    response = client_as(personas["broker"]).post(url(ledger.dan), {"form": "approve"}, follow=True)
    assert "Only a request to join can be approved." in response.content.decode()
    assert not AuditEntry.objects.filter(action="timebank.member.approve").exists()


def test_suspend_reactivate_and_leave_with_why(personas, client_as, ledger):
    client = client_as(personas["broker"])
    assert client.post(url(ledger.dan), {"form": "status", "s-status": "suspended",
                                         "s-note": "Missed three visits"}).status_code == 302
    assert reload(ledger.dan).status == "suspended"
    entry = AuditEntry.objects.get(action="timebank.member.status")
    assert entry.details == {"before": "active", "after": "suspended", "note": "Missed three visits"}
    client.post(url(ledger.dan), {"form": "status", "s-status": "active", "s-note": "Back after a talk"})
    assert reload(ledger.dan).status == "active"
    client.post(url(ledger.dan), {"form": "status", "s-status": "left", "s-note": "Moved away"})
    dan = reload(ledger.dan)
    assert dan.status == "left" and dan.left_at is not None
    # a former member's page offers no further status change (they ask to rejoin)
    assert "Change the status" not in client.get(url(dan)).content.decode()


def test_limits_are_set_per_member_and_emptied_back_to_the_banks(personas, client_as, ledger):
    client = client_as(personas["broker"])
    client.post(url(ledger.dan), {"form": "limits", "l-overdraft_limit_minutes": "120",
                                  "l-max_balance_minutes": "900"})
    dan = reload(ledger.dan)
    assert (dan.overdraft_limit_minutes, dan.max_balance_minutes, dan.no_max_balance) == (120, 900, False)
    with pytest.raises(ValidationError):  # the ledger now refuses more than two hours of overdraft
        services.transfer(personas["broker"], dan, ledger.cafe, 121, "Too much")
    client.post(url(ledger.dan), {"form": "limits", "l-overdraft_limit_minutes": "", "l-max_balance_minutes": "",
                                  "l-no_max_balance": "on"})
    dan = reload(ledger.dan)
    assert (dan.overdraft_limit_minutes, dan.max_balance_minutes, dan.no_max_balance) == (None, None, True)
    assert dan.effective_overdraft() == ledger.bank.overdraft_limit_minutes and dan.effective_max_balance() is None


def test_an_opening_balance_comes_from_the_pot_once(personas, client_as, ledger):
    client = client_as(personas["broker"])
    response = client.post(url(ledger.dan), {"form": "opening", "o-minutes": "-45", "o-reason": "",
                                             "o-occurred_on": "2026-01-05", "o-channel": "paper"})
    assert response.status_code == 302
    transfer = Transfer.objects.get()
    assert (transfer.kind, transfer.reason, transfer.channel, str(transfer.occurred_on)) == (
        "opening_balance", "Opening balance", "paper", "2026-01-05")
    assert balance(ledger.dan) == -45
    assert Account.objects.get(timebank=ledger.bank, kind="community_pot").balance_minutes == 45
    html = client.get(url(ledger.dan)).content.decode()
    assert "already has an opening balance" in html and "Record the opening balance" not in html


BAD = [
    ({"form": "status", "s-status": "requested", "s-note": "x"}, "status", "status", "valid choice"),
    ({"form": "status", "s-status": "suspended", "s-note": " "}, "status", "note", "required"),
    ({"form": "limits", "l-overdraft_limit_minutes": "-5"}, "limits", "overdraft_limit_minutes", "negative"),
    ({"form": "limits", "l-max_balance_minutes": "lots"}, "limits", "max_balance_minutes", "whole number"),
    ({"form": "opening", "o-minutes": "0", "o-occurred_on": "2026-01-05", "o-channel": "paper"},
     "opening", "minutes", "greater than zero"),
    ({"form": "opening", "o-minutes": "-700", "o-occurred_on": "2026-01-05", "o-channel": "paper"},
     "opening", "minutes", "overdraft"),  # past Dan's 10 h overdraft
    ({"form": "opening", "o-minutes": "60", "o-occurred_on": "2999-01-01", "o-channel": "paper"},
     "opening", "occurred_on", "not in the future"),
    ({"form": "opening", "o-minutes": "60", "o-occurred_on": "2026-01-05", "o-channel": "web"},
     "opening", "channel", "valid choice"),
]


@pytest.mark.parametrize("data,form,field,message", BAD, ids=[f"{b[2]}:{b[3]}" for b in BAD])
def test_bad_input_is_named_by_its_field_and_writes_nothing(data, form, field, message, personas, client_as, ledger):
    before = (AuditEntry.objects.count(), Transfer.objects.count())
    response = client_as(personas["broker"]).post(url(ledger.dan), data)
    assert response.status_code == 200
    bound = response.context["forms"][form]
    assert message.lower() in " ".join(bound.errors.get(field, [])).lower(), bound.errors
    assert f'id="id_{bound.prefix}-{field}_error"' in response.content.decode()
    assert (AuditEntry.objects.count(), Transfer.objects.count()) == before
    dan = reload(ledger.dan)
    assert (dan.status, dan.overdraft_limit_minutes, dan.max_balance_minutes) == ("active", None, None)
