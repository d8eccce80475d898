"""Anyone can reproduce the result from the published data: the `ballots.pb` of a process made in
the app, counted by `coproduce pb tally FILE --rule official`, gives exactly the official winners,
whatever the process's rule, completion and tie-break, with pledged money lowering the cost the
rule counts with, and with a paper ballot entered after the vote closed (which is counted again)."""

import io
import json

import pytest

from coproduce.budgeting import elections, services
from coproduce.budgeting.models import Ballot, Process, Proposal, Tally
from coproduce.budgeting.tally.cli import main as pb_tally


@pytest.mark.parametrize("rule,completion", [("greedy", "none"), ("phragmen", "none"), ("mes", "utilitarian"),
                                             ("mes", "add1-utilitarian")])
def test_the_exported_file_recounts_to_the_official_winners(rule, completion, personas, world, phase, tmp_path):
    admin, carla = personas["org_admin"], personas["citizen"]
    process = services.create_process(
        admin, world.council, title=f"Recount {rule} {completion}", method=Process.Method.APPROVAL, min_choices=1,
        max_choices=3, rule=rule, completion=completion, tie_break=Process.TieBreak.LEXICO,
        pledges_reduce_cost=True, district_rule=Process.DistrictRule.ALL)
    phase(process, "collect")
    budget = services.add_budget(admin, process, name="City", amount=100_000)
    ids = {}
    for title, cost in [("A", 40_000), ("B", 40_000), ("C", 40_000), ("D", 30_000), ("E", 70_000)]:
        p = services.submit_proposal(carla, process, title=title, cost_estimate=cost)
        services.review_proposal(admin, p, feasible=True, reason="Fine.", cost=cost)
        ids[title] = p.pk
    # pledged money lowers what the rule has to find for E (70,000 -> 45,000)
    services.make_pledge(carla, Proposal.objects.get(pk=ids["E"]), kind="money", amount=25_000)
    phase(process, "vote")
    ballots = [["A", "B"], ["B", "C"], ["C", "A"], ["D", "E"], ["E"], ["A", "D"], ["B", "E"]]
    for choices in ballots:
        services.enter_paper_ballot(admin, budget, choices=[ids[t] for t in choices])
    services.set_phase(admin, process, "results")
    first = Tally.objects.get(budget=budget, official=True, is_current=True)
    assert first.n_ballots == len(ballots)
    # a paper ballot arriving after the vote closed is counted again
    services.enter_paper_ballot(admin, budget, choices=[ids["D"], ids["C"]])
    official = Tally.objects.get(budget=budget, official=True, is_current=True)
    assert official.pk != first.pk and official.status == "done"
    assert official.n_ballots == Ballot.objects.filter(budget=budget).count() == len(ballots) + 1

    text = services.export_pabulib(admin, budget)
    assert "tie_break;lexico" in text and "public_cost" in text and "pledged_money" in text
    path = tmp_path / "ballots.pb"
    path.write_text(text)
    out = io.StringIO()
    assert pb_tally(["tally", str(path), "--json", "--exact"], stdout=out) == 0
    recount = json.loads(out.getvalue())
    engine_ids = {p.pk: p.engine_id for p in Proposal.objects.filter(process=process)}
    assert recount["selected"] == sorted(engine_ids[pk] for pk in official.selected)
    assert recount["tie_break"] == "lexico"
    assert recount["rule"] == f"official:{elections.pabulib_rule_name(process)}"
    assert recount["spent"] * 100 == official.spent
