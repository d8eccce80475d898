"""A person's statements, votes and feedback are in their data download; erasing them unlinks them but
keeps their votes, anonymous, so analyses (and decisions citing them) stay valid."""

from coproduce.core import services as core_services
from coproduce.design import services
from coproduce.design.models import Analysis, Participant, Vote


def test_export_and_erase(conversation, personas):
    carla = personas["citizen"]
    person = carla.person
    services.cast_vote(carla, conversation, 0, 1)
    services.cast_vote(carla, conversation, 1, -1)
    services.submit_statement(carla, conversation, "More evening groups")
    services.add_feedback(carla, conversation.lab, text="My story", kind="story")
    data = core_services.export_person_data(carla, person)["design"]
    assert [s["text"] for s in data["statements"]] == ["More evening groups"]
    assert sorted(v["vote"] for v in data["votes"]) == [-1, 1]
    assert data["feedback"][0]["text"] == "My story" and len(data["participations"]) == 1

    votes_before = Vote.objects.filter(conversation=conversation).count()
    core_services.erase_person(carla, person)
    assert not Participant.objects.filter(person=person).exists()
    assert Vote.objects.filter(conversation=conversation).count() == votes_before
    assert Participant.objects.filter(conversation=conversation, person__isnull=True, votes__isnull=False).exists()
    services.cast_vote(personas["broker"], conversation, 0, 1)  # analysis still runs over the kept votes
    assert Analysis.objects.get(conversation=conversation).vote_count == votes_before + 1
    assert core_services.export_person_data(personas["platform_admin"], person)["design"]["votes"] == []
