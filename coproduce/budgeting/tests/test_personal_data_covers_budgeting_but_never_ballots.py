"""'Download my data' includes proposals, comments, supports and pledges; erasure anonymises them;
ballots are never part of either (they are not linked to anyone)."""

from coproduce.budgeting import services
from coproduce.budgeting.models import Ballot, Comment, Pledge, Proposal
from coproduce.core import services as core_services


def test_export_and_erase(pb, personas, phase):
    carla = personas["citizen"]
    skate = pb.proposals["Skate park"]
    services.add_comment(carla, skate, body="I would use it every day.")
    services.toggle_support(carla, skate)
    services.make_pledge(carla, skate, kind="money", amount=2_000)
    phase(pb.process, "vote")
    services.cast_ballot(carla, pb.city, choices=[skate.pk])
    data = core_services.export_person_data(carla, carla.person)["budgeting"]
    assert {p["title"] for p in data["proposals"]} >= {"Skate park", "Benches by the river"}
    assert data["comments"][0]["body"] == "I would use it every day."
    assert data["supports"] == ["Skate park"] and data["pledges"][0]["amount"] == 2_000
    assert "ballots" not in data
    core_services.erase_person(carla, carla.person)
    assert not Proposal.objects.filter(proposer__isnull=False).exists()
    assert Comment.objects.get().author is None and Comment.objects.get().body == ""
    assert Pledge.objects.get().person is None and Pledge.objects.get().amount == 2_000
    assert Ballot.objects.count() == 1
