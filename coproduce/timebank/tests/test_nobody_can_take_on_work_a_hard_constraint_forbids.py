"""The matching engine's hard constraints hold when an exchange is made, not only in suggestions: a
broker's match (web form or API, whatever helper ids are sent), a member's "I can help" (board or
API) and asking for an offer refuse a helper without a valid safeguarding check for regular work with
children, a helper in an opt-out period, and a helper without references for a sensitive task. The
refusal names the field and writes nothing; a helper who was asked is checked again on accepting. A broker may set aside only the references rule, saying
why; never safeguarding, never an opt-out. Members are not told what a helper's trust record says."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from coproduce.core.models import AuditEntry
from coproduce.timebank import exchanges, postings, trust
from coproduce.timebank.models import Exchange, ExchangeParticipant

from .codelivery import ask, category, offer

JSON = {"content_type": "application/json"}


def snapshot():
    return (Exchange.objects.count(), ExchangeParticipant.objects.count(),
            AuditEntry.objects.filter(action__startswith="timebank.exchange").count())


def childcare(actor, member, **kw):
    return postings.create_request(actor, member, category=category("childcare").pk,
                                   description="After-school care every Tuesday", regular=True,
                                   involves_children=True, starts_at=timezone.now() + timedelta(days=2), **kw)


def hospital(actor, member):
    return ask(actor, member, "lifts", description="A lift to the hospital", sensitive=True)


def vetted(bea, member):
    """A valid check for work with children, and a reference (childcare is a sensitive category)."""
    today = timezone.localdate()
    trust.record_reference(bea, member, referee_name="Ref", requested_on=today, received_on=today,
                           honesty="yes", reliability="yes", team_working="yes", getting_on="yes")
    trust.record_check(bea, member, kind="dbs_enhanced", reference_number="009", issued_on=date(2020, 1, 1),
                       expires_on=timezone.localdate() + timedelta(days=400), covers_children=True)


def refused(call, field):
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        call()
    assert snapshot() == before
    assert list(caught.value.message_dict) == [field]
    return " ".join(caught.value.message_dict[field])


def test_the_services_refuse_a_helper_the_constraints_rule_out(personas, ledger):
    bea, carla = personas["broker"], personas["citizen"]
    request = childcare(carla, ledger.carla)
    text = refused(lambda: exchanges.match(bea, request, [ledger.dan]), "helpers")
    assert "Dan Offline" in text and "safeguarding check" in text
    refused(lambda: exchanges.match(bea, request, [ledger.dan], override="I know Dan well"), "helpers")
    refused(lambda: exchanges.offer_help(bea, request, ledger.dan), "helper")
    # An expired check is no better than none.
    trust.record_check(bea, ledger.dan, kind="dbs_enhanced", reference_number="001", issued_on=date(2020, 1, 1),
                       expires_on=timezone.localdate() - timedelta(days=1), covers_children=True)
    assert "expires" in refused(lambda: exchanges.match(bea, request, [ledger.dan]), "helpers")
    vetted(bea, ledger.cafe)
    assert exchanges.match(bea, request, [ledger.cafe]).state == "matched"

    # An opt-out period is never set aside.
    today = timezone.localdate()
    trust.add_opt_out(bea, ledger.dan, starts_on=today, ends_on=today + timedelta(days=7), reason="Holiday")
    weeding = ask(carla, ledger.carla)
    text = refused(lambda: exchanges.match(bea, weeding, [ledger.dan], override="Asked by phone"), "helpers")
    assert "not to be contacted" in text
    refused(lambda: exchanges.offer_help(bea, weeding, ledger.dan), "helper")

    # A sensitive task needs references; a broker may set that aside, saying why, and it is audited.
    lift = hospital(bea, ledger.dan)
    assert "references" in refused(lambda: exchanges.match(bea, lift, [ledger.carla]), "helpers")
    refused(lambda: exchanges.offer_help(carla, lift, ledger.carla), "helper")
    refused(lambda: exchanges.match(bea, lift, [ledger.carla], override="   "), "helpers")
    exchange = exchanges.match(bea, lift, [ledger.carla], override="Drove for the surgery for years")
    entry = AuditEntry.objects.get(action="timebank.exchange.match", object_id=str(exchange.pk))
    assert entry.details["overridden"] == ["no_references"]
    assert entry.details["override"] == "Drove for the surgery for years"


def test_asking_for_an_offer_checks_the_helper(personas, ledger):
    bea, carla = personas["broker"], personas["citizen"]
    minding = offer(bea, ledger.dan, "childcare", description="Childminding every week", regular=True,
                    involves_children=True)
    text = refused(lambda: exchanges.ask_for_offer(carla, minding, ledger.carla), "offer")
    assert "safeguarding" in text and "Has no safeguarding check" not in text  # nothing of Dan's record
    assert "Dan Offline cannot take this on" in refused(
        lambda: exchanges.ask_for_offer(bea, minding, ledger.carla), "offer")
    vetted(bea, ledger.dan)
    asked = exchanges.ask_for_offer(carla, minding, ledger.carla)
    assert asked.state == "requested"
    # Dan goes on holiday before accepting: accepting is checked again, and refused.
    today = timezone.localdate()
    trust.add_opt_out(bea, ledger.dan, starts_on=today, ends_on=today + timedelta(days=7), reason="Holiday")
    assert "not to be contacted" in refused(lambda: exchanges.accept(bea, asked), "helper")
    asked.refresh_from_db()
    assert asked.state == "requested" and not asked.participants.filter(role="giver", accepted_at__isnull=False).exists()


def test_the_board_refuses_i_can_help_and_writes_nothing(personas, ledger, client_as):
    bea = personas["broker"]
    request = childcare(bea, ledger.dan)
    client = client_as(personas["citizen"])
    before = snapshot()
    response = client.post("/timebanks/millbrook/board/", {"request": request.pk}, follow=True)
    assert snapshot() == before
    html = response.content.decode()
    assert "does not meet what this task needs" in html and "Has no safeguarding check" not in html
    vetted(bea, ledger.carla)
    assert client.post("/timebanks/millbrook/board/", {"request": request.pk}).status_code == 302
    assert Exchange.objects.get(request=request).participants.filter(member=ledger.carla, role="giver").exists()


def test_the_api_match_and_help_endpoints_refuse_and_write_nothing(personas, ledger, api_as):
    bea_api, carla_api = api_as(personas["broker"]), api_as(personas["citizen"])
    request = childcare(personas["broker"], ledger.dan)
    base = f"/api/v1/timebanks/millbrook/requests/{request.pk}"
    before = snapshot()
    for body in ({"helpers": [ledger.carla.pk]}, {"helpers": [ledger.carla.pk], "override": "Known to us"}):
        response = bea_api.post(f"{base}/match", body, **JSON)
        assert response.status_code == 400, response.content
        assert "helpers" in response.json()["error"]["fields"]
    response = carla_api.post(f"{base}/help", {"action": "offer_help"}, **JSON)
    assert response.status_code == 400, response.content
    assert "helper" in response.json()["error"]["fields"]
    response = bea_api.post(f"{base}/help", {"action": "offer_help", "member": ledger.cafe.pk}, **JSON)
    assert response.status_code == 400 and "helper" in response.json()["error"]["fields"]
    assert snapshot() == before

    lift = hospital(personas["broker"], ledger.dan)
    url = f"/api/v1/timebanks/millbrook/requests/{lift.pk}/match"
    assert bea_api.post(url, {"helpers": [ledger.cafe.pk]}, **JSON).status_code == 400
    assert snapshot() == before
    response = bea_api.post(url, {"helpers": [ledger.cafe.pk], "override": "Drives for the surgery"}, **JSON)
    assert response.status_code == 201, response.content
