"""A proposal is withdrawn by its proposer, or by staff on the proposer's behalf, with a public reason and
only before the vote. It leaves the ballot, its open offers of help are released, and nobody else may
withdraw it; a refusal changes nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coproduce.budgeting import services
from coproduce.budgeting.models import Pledge, Proposal
from coproduce.core.models import AuditEntry


def test_the_proposer_withdraws_and_the_proposal_leaves_the_ballot(pb, personas, phase, client_as):
    skate = pb.proposals["Skate park"]
    pledge = services.make_pledge(personas["staff"], skate, kind="hours", minutes=120)
    client = client_as(personas["citizen"])
    url = f"/budgeting/{pb.process.slug}/proposals/{skate.pk}/withdraw/"
    assert client.post(url, {"reason": ""}).status_code == 400  # a reason is required
    assert Proposal.objects.get(pk=skate.pk).status == Proposal.Status.FEASIBLE
    response = client.post(url, {"reason": "The council is building one anyway."})
    assert response.status_code == 302
    skate.refresh_from_db()
    assert skate.status == Proposal.Status.WITHDRAWN and skate.withdrawal_reason.startswith("The council")
    assert Pledge.objects.get(pk=pledge.pk).status == Pledge.Status.RELEASED and skate.pledged_minutes == 0
    entry = AuditEntry.objects.get(action="proposal.withdraw")
    assert entry.actor == personas["citizen"] and entry.on_behalf_of is None and entry.details["from"] == "feasible"
    assert "The council is building one anyway." in client_as(None).get(skate.get_absolute_url()).content.decode()
    phase(pb.process, "vote")
    assert skate.pk not in services.fastpath.ballot_costs(pb.city)
    vote_page = client.get(f"/budgeting/{pb.process.slug}/budgets/{pb.city.pk}/vote/").content.decode()
    assert "Skate park" not in vote_page and "Benches by the river" in vote_page
    with pytest.raises(ValidationError):
        services.cast_ballot(personas["citizen"], pb.city, choices=[skate.pk])


def test_staff_withdraw_on_the_proposers_behalf_with_the_channel(pb, personas):
    skate = pb.proposals["Skate park"]
    services.withdraw_proposal(personas["org_admin"], skate, reason="Asked by letter.", channel="paper")
    entry = AuditEntry.objects.get(action="proposal.withdraw")
    assert entry.on_behalf_of == personas["citizen"].person and entry.channel == "paper"


def test_others_may_not_withdraw_and_nothing_after_the_vote_starts(pb, personas, phase, client_as):
    skate = pb.proposals["Skate park"]
    skate.process = pb.process  # the instance whose phase the test moves
    url = f"/budgeting/{pb.process.slug}/proposals/{skate.pk}/withdraw/"
    for persona in ("other_org", "staff", "broker"):
        assert client_as(personas[persona]).post(url, {"reason": "Mine now."}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.withdraw_proposal(personas["other_org"], skate, reason="No.")
    phase(pb.process, "vote")
    with pytest.raises(ValidationError) as info:
        services.withdraw_proposal(personas["citizen"], skate, reason="Too late?")
    assert "phase" in info.value.message_dict
    assert client_as(personas["citizen"]).post(url, {"reason": "Too late?"}).status_code == 400
    assert Proposal.objects.get(pk=skate.pk).status == Proposal.Status.FEASIBLE
    assert not AuditEntry.objects.filter(action="proposal.withdraw").exists()
    phase(pb.process, "review")
    services.withdraw_proposal(personas["citizen"], skate, reason="Changed my mind.")
    with pytest.raises(ValidationError):
        services.withdraw_proposal(personas["citizen"], skate, reason="Again.")
