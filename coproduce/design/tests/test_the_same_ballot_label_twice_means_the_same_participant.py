"""A paper ballot's label names one participant in a conversation: entering the same label again (also
with different spacing, or at the same moment from two desks) adds to and corrects that ballot's votes
instead of creating a second participant. A label held by a named person's participation is refused
with an error on the field `label`, and nothing is written."""

import pytest
from django.core.exceptions import ValidationError

from coproduce.core import services as core_services
from coproduce.core.models import AuditEntry
from coproduce.design import services
from coproduce.design.models import Conversation, Participant, Vote, VoteEvent
from coproduce.testing import at_once


def _ballots(conversation):
    """Participants other than the staff member who wrote the seed statements."""
    return Participant.objects.filter(conversation=conversation, person__isnull=True)


def _votes(participant):
    return dict(Vote.objects.filter(participant=participant).values_list("statement__number", "value"))


def test_entering_a_label_again_updates_and_adds_to_that_ballot(conversation, personas):
    staff = personas["staff"]
    first = services.record_votes(staff, conversation, {0: 1, 1: -1}, label="Workshop 3, form 12")
    again = services.record_votes(staff, conversation, {1: 1, 2: 0}, label="  Workshop 3,   form 12 ")
    assert again.pk == first.pk
    assert _ballots(conversation).count() == 1
    assert _votes(first) == {0: 1, 1: 1, 2: 0}
    assert VoteEvent.objects.filter(participant=first, statement__number=1).count() == 2  # history kept
    assert AuditEntry.objects.filter(action="vote.record").count() == 2
    other = services.record_votes(staff, conversation, {0: -1}, label="Workshop 3, form 13")
    assert other.pk != first.pk and _votes(other) == {0: -1}


def test_the_paper_votes_page_keeps_one_participant_per_label(conversation, personas, client_as):
    client = client_as(personas["staff"])
    url = f"/labs/{conversation.lab.slug}/conversations/{conversation.pk}/paper/"
    for votes in ({"s0": "1", "s1": ""}, {"s0": "-1", "s1": "1"}):
        response = client.post(url, {"person": "", "label": "Form 7", "channel": "paper", **votes})
        assert response.status_code == 302
    participant = Participant.objects.get(conversation=conversation, label="Form 7")
    assert _votes(participant) == {0: -1, 1: 1}


def test_a_label_held_by_a_named_persons_ballot_is_refused(conversation, personas, world, client_as):
    staff = personas["staff"]
    nell = core_services.register_person(staff, world.service, consent=True, name="Nell Offline")
    services.record_votes(staff, conversation, {0: 1}, person=nell, label="Form 1")
    with pytest.raises(ValidationError) as exc:
        services.record_votes(staff, conversation, {0: -1}, label="Form 1")
    assert "named person" in exc.value.message_dict["label"][0]
    response = client_as(staff).post(f"/labs/{conversation.lab.slug}/conversations/{conversation.pk}/paper/",
                                     {"person": "", "label": "Form 1", "channel": "paper", "s0": "-1"})
    assert response.status_code == 200 and "named person" in response.content.decode()
    assert not _ballots(conversation).exists()
    assert _votes(Participant.objects.get(person=nell)) == {0: 1}


def test_a_new_persons_ballot_cannot_take_a_label_already_in_use(conversation, personas, world):
    staff = personas["staff"]
    services.record_votes(staff, conversation, {0: 1}, label="Form 2")
    olga = core_services.register_person(staff, world.service, consent=True, name="Olga Offline")
    with pytest.raises(ValidationError) as exc:
        services.record_votes(staff, conversation, {0: -1}, person=olga, label="Form 2")
    assert "already has this label" in exc.value.message_dict["label"][0]
    assert not Participant.objects.filter(person=olga).exists()
    assert _ballots(conversation).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_desks_entering_the_same_label_at_once_make_one_participant(personas, world):
    staff = personas["staff"]
    lab = services.create_lab(staff, world.service, title="Race")
    conversation = services.create_conversation(staff, lab, title="Race", moderation="post")
    for text in ("More respite care", "Evening drop-in"):
        services.add_seed_statement(staff, conversation, text)
    conversation = Conversation.objects.get(pk=conversation.pk)
    at_once(lambda i: services.record_votes(staff, conversation, {i % 2: 1}, label="Form 99"), 6)
    participant = _ballots(conversation).get()
    assert participant.label == "Form 99" and _votes(participant) == {0: 1, 1: 1}
