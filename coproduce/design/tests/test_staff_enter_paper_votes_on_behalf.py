"""Staff enter votes from a workshop or a paper form: recorded on the person's behalf (or as an anonymous
ballot), with the channel they came by, in the audit log and the vote history."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coproduce.core import services as core_services
from coproduce.core.models import AuditEntry
from coproduce.design import services
from coproduce.design.models import Participant, Vote, VoteEvent


def test_paper_votes_for_an_assisted_member(conversation, personas, world, client_as):
    staff = personas["staff"]
    nell = core_services.register_person(staff, world.service, consent=True, name="Nell Offline")
    response = client_as(staff).post(
        f"/labs/{conversation.lab.slug}/conversations/{conversation.pk}/paper/",
        {"person": nell.pk, "label": "", "channel": "paper", "s0": "1", "s1": "-1", "s2": ""})
    assert response.status_code == 302
    participant = Participant.objects.get(conversation=conversation, person=nell)
    assert dict(Vote.objects.filter(participant=participant).values_list("statement__number", "value")) == {0: 1, 1: -1}
    assert set(VoteEvent.objects.filter(participant=participant).values_list("channel", flat=True)) == {"paper"}
    entry = AuditEntry.objects.get(action="vote.record")
    assert entry.on_behalf_of == nell and entry.channel == "paper" and entry.actor == staff


def test_an_anonymous_ballot_needs_a_label(conversation, personas):
    with pytest.raises(ValidationError) as exc:
        services.record_votes(personas["staff"], conversation, {0: 1})
    assert "label" in exc.value.message_dict
    ballot = services.record_votes(personas["staff"], conversation, {0: 1, 2: 0}, label="Workshop 1, form 7",
                                   channel="in_person")
    assert ballot.person is None and ballot.label == "Workshop 1, form 7" and ballot.channel == "in_person"


def test_only_lab_staff_enter_votes_and_only_for_their_people(conversation, personas, world):
    otto = personas["other_org"]
    with pytest.raises(PermissionDenied):
        services.record_votes(personas["broker"], conversation, {0: 1}, label="x")
    stranger = core_services.register_person(otto, world.other_group, consent=True, name="Someone Else")
    with pytest.raises(PermissionDenied):  # staff may act only for people of their organisations
        services.record_votes(personas["staff"], conversation, {0: 1}, person=stranger)
