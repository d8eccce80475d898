"""Every rule explains every project (code + numbers + English sentence), and the computation log
is JSON-serialisable with exact numbers, so anyone can recount."""

import json
from fractions import Fraction

import pytest

from coproduce.budgeting.tally import Election, parse_file, tally
from coproduce.budgeting.tally.datasets import require_pabulib_file

pytestmark = pytest.mark.pure


def small():
    # a: 3 votes, b: 2 votes, c: 1 vote, d: 0 votes
    return Election.from_ballots(
        [("a", 60), ("b", 50), ("c", 30), ("d", 10)],
        [["a", "b"], ["a"], ["a", "c"], ["b"]],
        100,
    )


def test_greedy_says_why_a_project_did_not_fit():
    out = tally(small(), "greedy")
    b = out.explanation("b")
    assert (b.code, b.selected) == ("did_not_fit", False)
    assert b.numbers["cost"] == 50 and b.numbers["left_before"] == 40
    assert "did not fit: cost 50 with 40 left" in b.sentence
    assert out.explanation("a").code == "selected"


def test_threshold_and_no_skip_codes():
    thr = tally(small(), "greedy-threshold", threshold=2)
    assert thr.explanation("c").code == "below_threshold"
    assert "below the minimum of 2" in thr.explanation("c").sentence
    ns = tally(small(), "greedy-no-skip")
    assert ns.explanation("b").code == "did_not_fit"
    assert ns.explanation("c").code == "not_reached"


def test_mes_explains_rounds_and_dropouts():
    out = tally(small(), "mes")
    codes = {x.project_id: x.code for x in out.explanations}
    assert codes["d"] == "no_supporters"
    for x in out.explanations:
        if x.selected:
            assert x.code == "selected"
            assert {"round", "effective_vote_count", "rho", "max_payment"} <= set(x.numbers)
            assert "effective vote count" in x.sentence or "effective score" in x.sentence
        elif x.code == "unaffordable":
            assert Fraction(x.numbers["money"]) < x.numbers["cost"]
            assert "less than its cost" in x.sentence


def test_utilitarian_completion_is_explained():
    out = tally(small(), "mes", completion="utilitarian")
    added = [x for x in out.explanations if x.code == "added_by_completion"]
    assert all(x.selected for x in added)


@pytest.mark.parametrize(
    "call",
    [
        dict(rule="greedy"),
        dict(rule="mes"),
        dict(rule="mes-add1"),
        dict(rule="mes", completion="add1-utilitarian"),
        dict(rule="phragmen"),
        dict(rule="official"),
    ],
    ids=lambda c: "-".join(str(v) for v in c.values()),
)
def test_every_project_explained_and_log_serialises(call):
    e = parse_file(require_pabulib_file("Poland_Swiecie_2023.pb"))
    out = tally(e, **call)
    assert [x.project_id for x in out.explanations] == [p.id for p in e.projects]
    for x in out.explanations:
        assert x.code and x.sentence.endswith((".", ")"))
        assert x.selected == (x.project_id in out.selected)
    text = out.to_json()
    back = json.loads(text)
    assert back["selected"] == out.selected
    assert back["log"][0]["step"] == "start" and back["log"][-1]["step"] == "end"


def test_log_allows_recounting_mes():
    """From the log alone: the projects bought, in order, add up to the reported spending."""
    e = parse_file(require_pabulib_file("Netherlands_Assen_2024.pb"))
    out = tally(e, "official", exact=True)
    log = json.loads(out.to_json())["log"]
    bought = [s["project"] for s in log if s["step"] == "buy"]
    assert bought == out.selected
    cost = {p.id: p.cost for p in e.projects}
    assert sum(cost[p] for p in bought) == Fraction(log[-1]["spent"])
    add1 = [s for s in log if s["step"] == "add1"][0]
    assert Fraction(add1["final_per_voter"]) >= e.budget / e.n_voters - 1
