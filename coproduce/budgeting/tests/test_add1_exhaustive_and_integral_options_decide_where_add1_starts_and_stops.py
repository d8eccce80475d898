"""equalshares.net's Add1 completion has two options, both on by default: ``integral`` starts from
the per-voter budget rounded down to a whole currency unit, and ``exhaustive`` stops as soon as
no further project fits in the budget (without it Add1 keeps raising the per-voter budget until
the next step would overspend)."""

import pytest

from coproduce.budgeting.tally import Election, tally

pytestmark = pytest.mark.pure


def add1_log(outcome):
    return next(step for step in outcome.log if step.get("step") == "add1")


@pytest.mark.parametrize("exact", [False, True], ids=["float", "exact"])
def test_integral_starts_from_whole_units_and_otherwise_from_the_exact_share(exact):
    # 60 over 7 voters: 8 per voter when integral, 60/7 otherwise.
    e = Election.from_ballots(
        [("a", 30), ("b", 20), ("c", 10), ("d", 20)],
        [["b"], ["d"], ["c"], ["d", "b"], ["a", "b"], ["d", "b"], ["c"]],
        60,
    )
    whole = add1_log(tally(e, "mes", completion="add1", exact=exact))
    assert [t["per_voter"] for t in whole["tries"]] == [8, 9, 10]
    assert whole["final_per_voter"] == 10
    share = add1_log(tally(e, "mes", completion="add1", add1_integral=False, exact=exact))
    assert [t["per_voter"] for t in share["tries"]] == ["60/7", "67/7", "74/7"]
    assert share["final_per_voter"] == "74/7"


@pytest.mark.parametrize("exact", [False, True], ids=["float", "exact"])
def test_exhaustive_stops_at_the_first_outcome_where_nothing_else_fits(exact):
    # Equal Shares alone buys c (30 of 60): nothing else fits, so exhaustive Add1 stops there.
    # Without the option Add1 keeps raising the per-voter budget and ends with b (50).
    e = Election.from_ballots(
        [("a", 40), ("b", 50), ("c", 30)], [["b", "c"], ["c", "a"], ["b", "a"], ["b"]], 60
    )
    stops = tally(e, "mes", completion="add1", exact=exact)
    assert (stops.selected, stops.spent) == (["c"], 30)
    tries = add1_log(stops)["tries"]
    assert len(tries) == 1 and tries[0]["result"] == "exhaustive: stop"
    goes_on = tally(e, "mes", completion="add1", add1_exhaustive=False, exact=exact)
    assert (goes_on.selected, goes_on.spent) == (["b"], 50)
    assert len(add1_log(goes_on)["tries"]) > 1
    assert goes_on.spent <= e.budget


def test_the_default_is_both_options_on():
    e = Election.from_ballots(
        [("a", 40), ("b", 50), ("c", 30)], [["b", "c"], ["c", "a"], ["b", "a"], ["b"]], 60
    )
    default = tally(e, "mes", completion="add1")
    explicit = tally(e, "mes", completion="add1", add1_exhaustive=True, add1_integral=True)
    assert (default.selected, default.spent) == (explicit.selected, explicit.spent)
