"""The count runs once, in a background task, and stores winners, spending, per-project
explanations, vote counts, turnout and the full computation log; the results page only reads."""

import json
from unittest import mock

from coproduce.budgeting import services
from coproduce.budgeting.models import Process, Tally


def _vote(pb, personas, phase):
    phase(pb.process, "vote")
    p = pb.proposals
    services.cast_ballot(personas["citizen"], pb.city, choices=[p["Skate park"].pk, p["Library late opening"].pk])
    services.enter_paper_ballot(personas["org_admin"], pb.city, choices=[p["Library late opening"].pk])
    services.enter_paper_ballot(personas["org_admin"], pb.city, choices=[p["Benches by the river"].pk])


def test_the_official_count_is_stored_with_explanations_and_log(pb, personas, phase):
    _vote(pb, personas, phase)
    with mock.patch("coproduce.budgeting.services.compute_tally", wraps=services.compute_tally) as task_body:
        services.set_phase(personas["org_admin"], pb.process, "results")
    assert task_body.call_count == 3  # the background task ran once per budget
    tally = Tally.objects.get(budget=pb.city, official=True)
    assert tally.status == "done" and tally.exact and tally.is_current
    p = pb.proposals
    assert tally.selected == [p["Library late opening"].pk, p["Benches by the river"].pk]
    assert tally.spent == 90_000 and tally.budget_amount == 100_000 and tally.n_ballots == 3
    rows = {r.proposal_id: r for r in tally.rows.all()}
    assert rows[p["Skate park"].pk].code == "did_not_fit" and rows[p["Skate park"].pk].votes == 1
    assert rows[p["Library late opening"].pk].votes == 2
    log = json.loads(tally.log_json)
    assert log["log"][0]["step"] == "start" and log["ballots"] == 3
    # asking again while a count is waiting does not start a second one; the page does not recount
    with mock.patch("coproduce.budgeting.elections.run_rule") as engine:
        assert services.ensure_official_tally(pb.city) is None
        from django.test import Client

        Client().get(f"/budgeting/{pb.process.slug}/budgets/{pb.city.pk}/results/")
        engine.assert_not_called()


def test_mes_explains_why_a_project_dropped_out(pb, personas, phase):
    Process.objects.filter(pk=pb.process.pk).update(rule="mes", completion="none")
    pb.process.refresh_from_db()
    _vote(pb, personas, phase)
    services.set_phase(personas["org_admin"], pb.process, "results")
    from django.test import Client

    page = Client().get(f"/budgeting/{pb.process.slug}/budgets/{pb.city.pk}/results/")
    texts = [r.text for r in page.context["rows"]]
    assert any("Equal Shares" in t for t in texts), texts
    assert any("remaining money" in t or "supporter had only" in t for t in texts), texts


def test_a_rule_that_fails_is_recorded_not_raised(pb, personas, phase):
    _vote(pb, personas, phase)
    with mock.patch("coproduce.budgeting.elections.run_rule", side_effect=ValueError("engine says no")):
        tally = services.request_tally(personas["org_admin"], pb.city)
    tally.refresh_from_db()
    assert tally.status == "failed" and "engine says no" in tally.error
