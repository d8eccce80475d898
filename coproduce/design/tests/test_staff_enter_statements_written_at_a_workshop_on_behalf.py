"""Statements written on a paper form or said at a workshop: staff enter them with that person's (or
ballot's) votes, as that participant's statements, recorded on their behalf with the channel, and
moderated like any other. Bad input writes nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coproduce.core import services as core_services
from coproduce.core.models import AuditEntry
from coproduce.design import services
from coproduce.design.models import Participant, Statement, Vote


def test_statements_from_a_paper_form_are_the_persons_and_wait_for_moderation(conversation, personas, world,
                                                                              client_as):
    staff = personas["staff"]
    nell = core_services.register_person(staff, world.service, consent=True, name="Nell Offline")
    response = client_as(staff).post(
        f"/labs/{conversation.lab.slug}/conversations/{conversation.pk}/paper/",
        {"person": nell.pk, "label": "", "channel": "in_person", "s0": "1",
         "statements": "A night sitter once a week would change everything\n\n  Carers need a named contact  \n"})
    assert response.status_code == 302
    participant = Participant.objects.get(conversation=conversation, person=nell)
    written = list(Statement.objects.filter(author=participant).order_by("number"))
    assert [s.text for s in written] == ["A night sitter once a week would change everything",
                                         "Carers need a named contact"]
    assert [s.number for s in written] == [3, 4]  # after the three seed statements
    assert all(s.status == Statement.Status.PENDING and not s.is_seed for s in written)  # pre-moderated
    assert dict(Vote.objects.filter(participant=participant).values_list("statement__number", "value")) == {0: 1}
    entries = AuditEntry.objects.filter(action="statement.submit").order_by("pk")
    assert [(e.on_behalf_of, e.actor, e.channel) for e in entries] == [(nell, staff, "in_person")] * 2


def test_an_anonymous_ballot_may_carry_only_statements(conversation, personas):
    ballot = services.record_votes(personas["staff"], conversation, {}, label="Workshop 2, form 4",
                                   statements=["Drop-in hours on Saturdays"])
    statement = Statement.objects.get(author=ballot)
    assert statement.text == "Drop-in hours on Saturdays" and ballot.person is None
    assert not Vote.objects.filter(participant=ballot).exists()
    assert not AuditEntry.objects.filter(action="vote.record").exists()


@pytest.mark.parametrize("statements", [
    ["Respite should be easy to book."],  # already in the conversation (a seed statement)
    ["Same idea twice", "same idea  twice"],
    ["x" * 2000],
])
def test_bad_statements_are_refused_on_their_field_and_nothing_is_written(conversation, personas, statements):
    participants = Participant.objects.filter(conversation=conversation).count()
    with pytest.raises(ValidationError) as exc:
        services.record_votes(personas["staff"], conversation, {0: 1}, label="Form 9", statements=statements)
    assert list(exc.value.message_dict) == ["statements"]
    assert Participant.objects.filter(conversation=conversation).count() == participants
    assert not Vote.objects.filter(conversation=conversation).exists()
    assert Statement.objects.filter(conversation=conversation).count() == 3


def test_no_statements_where_the_conversation_takes_none(conversation, personas):
    services.update_conversation(personas["staff"], conversation, statements_allowed=False)
    with pytest.raises(ValidationError) as exc:
        services.record_votes(personas["staff"], conversation, {}, label="Form 1", statements=["New idea"])
    assert "statements" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:  # and an empty form is still refused
        services.record_votes(personas["staff"], conversation, {}, label="Form 1", statements=["   "])
    assert "votes" in exc.value.message_dict


def test_only_lab_staff_enter_statements_and_only_for_their_people(conversation, personas, world, client_as):
    with pytest.raises(PermissionDenied):
        services.record_votes(personas["citizen"], conversation, {}, label="x", statements=["Mine"])
    stranger = core_services.register_person(personas["other_org"], world.other_group, consent=True,
                                             name="Someone Else")
    with pytest.raises(PermissionDenied):
        services.record_votes(personas["staff"], conversation, {}, person=stranger, statements=["Theirs"])
    response = client_as(personas["citizen"]).post(
        f"/labs/{conversation.lab.slug}/conversations/{conversation.pk}/paper/",
        {"label": "x", "channel": "paper", "statements": "Sneaky"})
    assert response.status_code in (403, 404)
    assert Statement.objects.filter(conversation=conversation).count() == 3
