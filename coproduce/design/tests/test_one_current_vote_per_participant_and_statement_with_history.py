"""A participant has one current vote per statement: voting again changes it, and every vote cast is
kept in the history (with its time), which is what the Polis export's votes.csv holds."""

from coproduce.core.models import AuditEntry
from coproduce.design import services
from coproduce.design.models import Vote, VoteEvent


def test_changing_a_vote_updates_it_and_keeps_the_history(conversation, personas):
    carla = personas["citizen"]
    services.cast_vote(carla, conversation, 0, 1)
    services.cast_vote(carla, conversation, 0, -1)
    services.cast_vote(carla, conversation, 0, 0)
    votes = Vote.objects.filter(conversation=conversation)
    assert votes.count() == 1 and votes.get().value == 0
    history = list(VoteEvent.objects.filter(conversation=conversation).values_list("value", flat=True))
    assert history == [1, -1, 0]
    assert votes.get().participant.person == carla.person
    entries = AuditEntry.objects.filter(action="vote.cast")
    assert entries.count() == 3 and {e.organisation for e in entries} == {conversation.lab.organisation}


def test_the_voting_page_changes_a_vote_without_javascript(conversation, personas, client_as):
    client = client_as(personas["citizen"])
    url = f"/labs/{conversation.lab.slug}/conversations/{conversation.pk}/"
    assert client.post(f"{url}vote/", {"statement": 1, "vote": 1}).status_code == 302
    response = client.post(f"{url}vote/", {"statement": 1, "vote": -1}, follow=True)
    assert response.status_code == 200
    assert Vote.objects.get(statement__number=1, statement__conversation=conversation).value == -1
    mine = {s.number: s.my_vote for s in response.context["page"]}
    assert mine[1] == -1
    assert b'aria-pressed="true"' in response.content


def test_the_api_changes_a_vote(conversation, personas, api_as):
    client = api_as(personas["citizen"])
    url = f"/api/v1/design/conversations/{conversation.pk}/votes"
    first = client.post(url, {"statement": 2, "vote": 1}, content_type="application/json").json()
    second = client.post(url, {"statement": 2, "vote": -1}, content_type="application/json").json()
    assert first["participant"] == second["participant"] and second["vote"] == -1
    assert Vote.objects.filter(conversation=conversation).count() == 1
    assert VoteEvent.objects.filter(conversation=conversation, channel="api").count() == 2
