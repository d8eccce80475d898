"""People join a bank (asking themselves, or registered by a broker) and the version of the member
agreement they accepted, and when, is recorded. Without accepting it, nobody joins."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coproduce.conftest import make_user
from coproduce.core.models import AuditEntry, Membership
from coproduce.timebank import services
from coproduce.timebank.models import Account, TimebankMember


def test_a_person_asks_to_join_and_a_broker_approves(ledger, personas):
    gill = make_user("gill", name="Gill Joiner")
    with pytest.raises(ValidationError) as info:
        services.request_to_join(gill, ledger.bank, accept_agreement=False)
    assert "accept_agreement" in info.value.message_dict and not TimebankMember.objects.filter(person=gill.person)
    member = services.request_to_join(gill, ledger.bank, accept_agreement=True,
                                      kind=TimebankMember.Kind.ORGANISATION)
    assert member.status == "requested" and member.agreement_version.version == "1"
    assert member.agreement_accepted_at is not None and member.joined_at is None
    with pytest.raises(ValidationError):  # not active yet
        services.transfer(gill, member, ledger.dan, 10, "Too early")
    with pytest.raises(PermissionDenied):
        services.approve_member(personas["other_org"], member)
    services.approve_member(personas["broker"], member)
    member.refresh_from_db()
    assert member.status == "active" and member.joined_at is not None
    assert Membership.objects.filter(person=gill.person, organisation=ledger.bank.organisation).exists()
    assert Account.objects.get(member=member).balance_minutes == 0


def test_a_broker_registers_an_assisted_member_with_their_acceptance(ledger, personas):
    dan = ledger.dan
    assert dan.person.is_assisted and dan.person.user is None and dan.status == "active"
    assert dan.agreement_version == ledger.bank.current_agreement() and dan.agreement_accepted_at
    entry = AuditEntry.objects.get(action="timebank.member.register", object_id=str(dan.pk))
    assert entry.on_behalf_of == dan.person and entry.channel == "in_person"
    # a bank without an agreement records none
    assert ledger.fay.agreement_version is None and ledger.fay.agreement_accepted_at is None


def test_a_new_agreement_version_is_accepted_again(ledger, personas):
    services.publish_agreement(personas["platform_admin"], ledger.bank, version="2", text="Now with pets.")
    assert ledger.bank.current_agreement().version == "2"
    services.accept_agreement(personas["citizen"], ledger.carla)
    ledger.carla.refresh_from_db()
    assert ledger.carla.agreement_version.version == "2"
    with pytest.raises(PermissionDenied):
        services.accept_agreement(personas["citizen"], ledger.dan)
    services.accept_agreement(personas["broker"], ledger.dan)
    assert AuditEntry.objects.filter(action="timebank.member.accept_agreement", on_behalf_of=ledger.dan.person).exists()


def test_joining_twice_or_registering_a_member_twice_is_refused(ledger, personas):
    with pytest.raises(ValidationError):
        services.request_to_join(personas["citizen"], ledger.bank, accept_agreement=True)
    with pytest.raises(ValidationError):
        services.register_member(personas["broker"], ledger.bank, person=ledger.dan.person)


def test_suspended_and_left_members(ledger, personas):
    bea = personas["broker"]
    services.set_member_status(bea, ledger.dan, "suspended")
    services.set_member_status(bea, ledger.dan, "active")
    services.set_member_status(bea, ledger.dan, "left")
    with pytest.raises(ValidationError):
        services.set_member_status(bea, ledger.dan, "active")
    ledger.dan.refresh_from_db()
    assert ledger.dan.status == "left" and ledger.dan.left_at is not None
