"""--rule official applies the file's META rule and reproduces the `selected` column wherever the
rule is one the engine knows -- including the two Equal Shares elections (Assen 2024, Swiecie 2023)."""

import pytest

from coproduce.budgeting.tally import RuleError, parse_file, tally
from coproduce.budgeting.tally.datasets import require_pabulib_file

pytestmark = pytest.mark.pure

WITH_OFFICIAL_OUTCOME = [
    "Netherlands_Assen_2024.pb",  # equalshares/add1
    "Poland_Swiecie_2023.pb",  # equalshares/add1
    "Poland_Lodz_2022.pb",  # greedy-threshold 100
    "Poland_Warszawa_2026.pb",  # greedy-threshold 3000
    "Poland_Katowice_2023.pb",  # greedy-threshold 200, cumulative (score = points)
]


@pytest.mark.parametrize("name", WITH_OFFICIAL_OUTCOME)
@pytest.mark.parametrize("exact", [False, True], ids=["float", "exact"])
def test_official_rule_gives_the_official_winners(name, exact):
    e = parse_file(require_pabulib_file(name))
    official = sorted(p.id for p in e.projects if p.official_selected)
    out = tally(e, rule="official", exact=exact)
    assert out.selected_sorted == official
    assert out.rule == f"official:{e.rule}"
    assert out.spent <= e.budget


@pytest.mark.parametrize("name", ["France_Toulouse_2019.pb", "Poland_Czestochowa_2020_Bleszno.pb"])
def test_official_greedy_without_selected_column_runs(name):
    e = parse_file(require_pabulib_file(name))
    out = tally(e, rule="official")
    assert out.selected and out.spent <= e.budget


@pytest.mark.parametrize(
    "name", ["Switzerland_Zurich_S5.pb", "US_Stanford_Dataset_PB_Rochester_NY_2019_vote_rankings.pb"]
)
def test_unknown_official_rule_is_a_clear_error(name):
    e = parse_file(require_pabulib_file(name))
    with pytest.raises(RuleError, match="unknown"):
        tally(e, rule="official")


def test_default_tie_break_equals_lexico_on_the_official_equal_shares_elections():
    for name in ("Netherlands_Assen_2024.pb", "Poland_Swiecie_2023.pb"):
        e = parse_file(require_pabulib_file(name))
        assert (
            tally(e, "official", tie_break="lexico").selected_sorted == tally(e, "official").selected_sorted
        )
