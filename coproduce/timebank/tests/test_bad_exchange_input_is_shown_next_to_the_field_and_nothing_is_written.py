"""A broker's exchange form with bad input: the page comes back with the error next to the field it
concerns (form checks and the ledger service's own checks alike) and nothing is written."""

from datetime import date, timedelta

import pytest

GOOD = {"hours": "1", "minutes": "30", "reason": "Gardening", "channel": "phone"}


def post(client, ledger, **changes):
    from coproduce.timebank.models import Category

    data = {**GOOD, "payer": ledger.dan.pk, "payee": ledger.cafe.pk, "occurred_on": date.today().isoformat(),
            "category": Category.objects.for_bank(ledger.bank).first().pk}
    data.update(changes)
    return client.post("/timebanks/millbrook/exchange/", data)


CASES = [
    ({"hours": "0", "minutes": "0"}, "minutes", "greater than zero"),
    ({"minutes": "75"}, "minutes", "less than or equal to 59"),
    ({"hours": "one"}, "hours", "whole number"),
    ({"reason": "  "}, "reason", "required"),
    ({"payee": "{dan}"}, "payee", "must be different"),
    ({"payee": "{fay}"}, "payee", "valid choice"),  # another bank's member is not offered
    ({"payer": ""}, "payer", "required"),
    ({"occurred_on": (date.today() + timedelta(days=2)).isoformat()}, "occurred_on", "not in the future"),
    ({"occurred_on": "yesterday"}, "occurred_on", "valid date"),
    ({"hours": "11"}, "payer", "overdraft"),  # past Dan's 10 h overdraft limit
    ({"channel": "carrier pigeon"}, "channel", "valid choice"),
    ({"category": ""}, "category", "required"),
]


@pytest.mark.parametrize("changes,field,message", CASES, ids=[c[1] + ":" + c[2] for c in CASES])
def test_bad_exchange_is_refused_next_to_its_field(changes, field, message, personas, client_as, ledger):
    from coproduce.core.models import AuditEntry
    from coproduce.timebank.models import Account, Exchange, Transfer

    audit_before = AuditEntry.objects.count()
    changes = {k: (str(getattr(ledger, v[1:-1]).pk) if v.startswith("{") else v) for k, v in changes.items()}
    response = post(client_as(personas["broker"]), ledger, **changes)
    assert response.status_code == 200
    form = response.context["form"]
    errors = " ".join(form.errors.get(field, []))
    assert message.lower() in errors.lower(), form.errors
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html  # rendered next to the field
    assert not Transfer.objects.exists()
    assert set(Account.objects.values_list("balance_minutes", flat=True)) == {0}
    assert AuditEntry.objects.count() == audit_before
    assert not Exchange.objects.exists()


def test_a_good_exchange_is_recorded_on_the_payers_behalf_with_the_channel(personas, client_as, ledger):
    from coproduce.core.models import AuditEntry
    from coproduce.timebank.models import Transfer

    response = post(client_as(personas["broker"]), ledger)
    assert response.status_code == 302 and response["Location"] == "/timebanks/millbrook/"
    transfer = Transfer.objects.get()
    assert (transfer.minutes, transfer.reason, transfer.channel) == (90, "Gardening", "phone")
    assert transfer.on_behalf_of == ledger.dan.person
    assert transfer.created_by == personas["broker"]
    entry = AuditEntry.objects.filter(action="timebank.transfer").get()
    assert (entry.channel, entry.on_behalf_of_id) == ("phone", ledger.dan.person_id)


def test_a_registration_without_consent_is_refused_next_to_the_field(personas, client_as, ledger):
    from coproduce.timebank.models import TimebankMember

    response = client_as(personas["broker"]).post("/timebanks/millbrook/register/", {
        "name": "Nell Offline", "kind": "individual", "channel": "paper", "agreement_accepted": "on"})
    assert "Record the person" in " ".join(response.context["form"].errors["consent"])
    response = client_as(personas["broker"]).post("/timebanks/millbrook/register/", {
        "name": "Nell Offline", "kind": "individual", "channel": "paper", "consent": "on"})
    assert "must be accepted" in " ".join(response.context["form"].errors["agreement_accepted"])
    assert not TimebankMember.objects.filter(person__name="Nell Offline").exists()
