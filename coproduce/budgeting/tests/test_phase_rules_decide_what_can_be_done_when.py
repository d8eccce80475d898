"""Each phase allows its own actions and refuses the others with a clear message:
propose (collect), review (collect, review), comment and support (before the vote), pledge (until the
vote closes), vote (vote), count officially (results), deliver (results, delivery)."""

import pytest
from django.core.exceptions import ValidationError

from coproduce.budgeting import services

PHASES = ["draft", "collect", "review", "vote", "results", "delivery"]

ACTIONS = {
    "propose": ({"collect"}, lambda pb, who: services.submit_proposal(who["citizen"], pb.process, title="Idea")),
    "enter a paper proposal": ({"collect", "review"}, lambda pb, who: services.submit_proposal(
        who["org_admin"], pb.process, title="Paper idea", channel="paper")),
    "review": ({"collect", "review"}, lambda pb, who: services.review_proposal(
        who["org_admin"], pb.proposals["Skate park"], feasible=False, reason="Too noisy.")),
    "comment": ({"collect", "review"}, lambda pb, who: services.add_comment(
        who["citizen"], pb.proposals["Skate park"], body="Great!")),
    "support": ({"collect", "review"}, lambda pb, who: services.toggle_support(who["citizen"], pb.proposals["Skate park"])),
    "pledge": ({"collect", "review", "vote"}, lambda pb, who: services.make_pledge(
        who["citizen"], pb.proposals["Skate park"], kind="hours", minutes=120)),
    "vote": ({"vote"}, lambda pb, who: services.cast_ballot(who["citizen"], pb.city,
                                                           choices=[pb.proposals["Skate park"].pk])),
    "enter a paper ballot": ({"vote", "results"}, lambda pb, who: services.enter_paper_ballot(
        who["org_admin"], pb.city, choices=[pb.proposals["Skate park"].pk])),
    "count on demand": ({"vote", "results", "delivery"}, lambda pb, who: services.request_tally(who["org_admin"], pb.city)),
    "count officially": ({"results", "delivery"}, lambda pb, who: services.request_tally(
        who["org_admin"], pb.city, official=True)),
    "add a budget": ({"draft", "collect", "review"}, lambda pb, who: services.add_budget(
        who["org_admin"], pb.process, name="Extra", amount=10)),
}


@pytest.mark.parametrize("action", ACTIONS)
def test_action_is_allowed_only_in_its_phases(action, pb, personas, phase):
    allowed, call = ACTIONS[action]
    for name in PHASES:
        phase(pb.process, name)
        for key in ("city", "north", "south"):
            getattr(pb, key).process = pb.process
        for proposal in pb.proposals.values():
            proposal.process = pb.process
        if name in allowed:
            try:
                call(pb, personas)
            except ValidationError as exc:
                assert "cannot be done now" not in str(exc), (action, name, exc)
        else:
            with pytest.raises(ValidationError) as exc:
                call(pb, personas)
            assert "cannot be done now" in str(exc.value), (action, name, exc.value)


def test_voting_rules_cannot_change_once_voting_started(pb, personas, phase):
    phase(pb.process, "vote")
    with pytest.raises(ValidationError) as exc:
        services.update_process(personas["org_admin"], pb.process, max_choices=5)
    assert "max_choices" in exc.value.message_dict
    services.update_process(personas["org_admin"], pb.process, description="Now with more detail.")


def test_entering_the_results_phase_starts_the_official_count_once(pb, personas):
    from coproduce.budgeting.models import Tally

    services.set_phase(personas["org_admin"], pb.process, "vote")
    services.cast_ballot(personas["citizen"], pb.city, choices=[pb.proposals["Skate park"].pk])
    services.set_phase(personas["org_admin"], pb.process, "results")
    assert Tally.objects.filter(official=True).count() == 3
    assert set(Tally.objects.values_list("status", flat=True)) == {"done"}
    # a second request for a budget already counted makes a new count only when asked for
    assert services.ensure_official_tally(pb.city) is None
