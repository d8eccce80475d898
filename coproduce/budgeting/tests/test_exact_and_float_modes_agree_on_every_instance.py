"""Exact rational arithmetic and the float fast path give identical outcomes (same projects, same
order, same spending) for every rule on every shared instance."""

import pytest

from coproduce.budgeting.tally import parse_file, tally
from coproduce.budgeting.tally.datasets import require_pabulib_file

pytestmark = pytest.mark.pure

NAMES = [
    "France_Toulouse_2019.pb",
    "Netherlands_Assen_2024.pb",
    "Poland_Czestochowa_2020_Bleszno.pb",
    "Poland_Katowice_2023.pb",
    "Poland_Lodz_2022.pb",
    "Poland_Swiecie_2023.pb",
    "Poland_Warszawa_2026.pb",
    "Switzerland_Zurich_D10.pb",
    "Switzerland_Zurich_S5.pb",
    "Switzerland_Zurich_S5R.pb",
    "US_Stanford_Dataset_PB_Rochester_NY_2019_vote_rankings.pb",
    "Worldwide_Mechanical_Turk_k_approval_7.pb",
]
CALLS = {
    "greedy": dict(rule="greedy"),
    "greedy-no-skip": dict(rule="greedy-no-skip"),
    "mes-cost": dict(rule="mes", utility="cost"),
    "mes-approval": dict(rule="mes", utility="approval"),
    "mes-add1": dict(rule="mes-add1"),
    "mes+add1+utilitarian": dict(rule="mes", completion="add1-utilitarian"),
    "mes+utilitarian": dict(rule="mes", completion="utilitarian"),
    "phragmen": dict(rule="phragmen"),
}


@pytest.mark.parametrize("call", sorted(CALLS))
@pytest.mark.parametrize("name", NAMES)
def test_exact_equals_float(name, call):
    e = parse_file(require_pabulib_file(name))
    for tb in ("default", "lexico") if call.startswith("mes") and e.n_voters < 5000 else ("default",):
        fast = tally(e, tie_break=tb, exact=False, **CALLS[call])
        slow = tally(e, tie_break=tb, exact=True, **CALLS[call])
        assert fast.selected == slow.selected
        assert fast.spent == slow.spent
        assert [x.code for x in fast.explanations] == [x.code for x in slow.explanations]
