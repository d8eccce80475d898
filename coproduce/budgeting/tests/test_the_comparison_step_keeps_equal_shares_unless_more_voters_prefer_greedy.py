"""equalshares.net's comparison step (META rule ``equalshares/add1-comparison``): after Equal Shares
with Add1, each voter counts their approved projects under that outcome and under the greedy
outcome; the greedy outcome replaces Equal Shares only when more voters prefer it."""

import pytest

from coproduce.budgeting.tally import Election, tally

pytestmark = pytest.mark.pure

COMPARISON = {"rule": "equalshares/add1-comparison"}


def kept():
    # Equal Shares buys b and d; greedy buys a. v1 and v5 prefer {b, d}, v4 prefers {a}.
    return Election.from_ballots(
        [("a", 50), ("b", 20), ("c", 30), ("d", 20)],
        [["b"], ["d", "a"], ["a", "d"], ["a"], ["d", "b"], ["b", "a"]],
        60,
        meta=COMPARISON,
    )


def switched():
    # Equal Shares buys c; greedy buys d. v1 prefers {c}, v2 and v6 prefer {d}.
    return Election.from_ballots(
        [("a", 20), ("b", 50), ("c", 30), ("d", 60), ("e", 60)],
        [["c", "e"], ["d"], ["d", "c"], ["a", "e"], ["b"], ["d"]],
        60,
        meta=COMPARISON,
    )


@pytest.mark.parametrize("exact", [False, True], ids=["float", "exact"])
def test_equal_shares_is_kept_when_more_voters_prefer_it(exact):
    e = kept()
    assert tally(e, "mes", completion="add1", exact=exact).selected == ["b", "d"]
    assert tally(e, "greedy", score="votes", exact=exact).selected == ["a"]
    out = tally(e, "official", exact=exact)
    assert out.selected == ["b", "d"]
    assert out.details["comparison"] == {"prefer_mes": 2, "prefer_greedy": 1}
    assert not out.details.get("switched_to_greedy")
    assert {"step": "comparison", "prefer_mes": 2, "prefer_greedy": 1, "greedy_selected": ["a"]} in out.log


@pytest.mark.parametrize("exact", [False, True], ids=["float", "exact"])
def test_greedy_replaces_equal_shares_when_more_voters_prefer_it(exact):
    e = switched()
    assert tally(e, "mes", completion="add1", exact=exact).selected == ["c"]
    out = tally(e, "official", exact=exact)
    assert out.selected == ["d"] and out.spent == 60
    assert out.details["switched_to_greedy"] is True
    assert out.details["comparison"] == {"prefer_mes": 1, "prefer_greedy": 2}
    d = out.explanation("d")
    assert d.selected and d.code == "selected_by_greedy_comparison"
    assert "2 voters prefer it, 1 prefer Equal Shares" in d.sentence
    assert not out.explanation("c").selected


def test_without_the_comparison_rule_equal_shares_stands():
    e = switched()
    e.meta["rule"] = "equalshares/add1"
    assert tally(e, "official").selected == ["c"]


def test_a_tie_between_the_outcomes_keeps_equal_shares():
    # Equal Shares buys b and c, greedy buys a: v2 prefers {b, c}, v3 prefers {a}, v1 is indifferent.
    e = Election.from_ballots(
        [("a", 40), ("b", 10), ("c", 10), ("d", 20)], [["a", "b"], ["c"], ["a", "d"]], 40, meta=COMPARISON
    )
    assert tally(e, "greedy", score="votes").selected == ["a"]
    out = tally(e, "official")
    assert out.details["comparison"] == {"prefer_mes": 1, "prefer_greedy": 1}
    assert not out.details.get("switched_to_greedy")
    assert out.selected == ["b", "c"]
