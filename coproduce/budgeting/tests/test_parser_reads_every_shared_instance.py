"""Every shared Pabulib instance parses, with the counts SOURCES.md gives. (Parse speed is a figure
printed by bench/bench_tally.py, not a timed test.)"""

import numpy as np
import pytest

from coproduce.budgeting.tally import parse_file
from coproduce.budgeting.tally.datasets import require_pabulib_file

pytestmark = pytest.mark.pure

# file -> (voters, projects, vote_type, budget, rule, official selected count or None)
EXPECTED = {
    "Poland_Lodz_2022.pb": (90494, 160, "approval", 6112868, "greedy-threshold", 16),
    "Poland_Warszawa_2026.pb": (61668, 83, "approval", 24186815, "greedy-threshold", 17),
    "Poland_Katowice_2023.pb": (39828, 25, "cumulative", 3004498, "greedy-threshold", 6),
    "Poland_Swiecie_2023.pb": (2553, 22, "approval", 1070000, "equalshares/add1", 17),
    "France_Toulouse_2019.pb": (1494, 30, "cumulative", 1000000, "greedy", None),
    "US_Stanford_Dataset_PB_Rochester_NY_2019_vote_rankings.pb": (
        1460,
        22,
        "ordinal",
        200000,
        "unknown",
        None,
    ),
    "Poland_Czestochowa_2020_Bleszno.pb": (462, 17, "cumulative", 318776, "greedy", None),
    "Switzerland_Zurich_D10.pb": (180, 24, "cumulative", 60000, "unknown", None),
    "Switzerland_Zurich_S5.pb": (180, 24, "approval", 60000, "unknown", None),
    "Switzerland_Zurich_S5R.pb": (180, 24, "ordinal", 60000, "unknown", None),
    "Netherlands_Assen_2024.pb": (84, 14, "approval", 100000, "equalshares/add1", 9),
    "Worldwide_Mechanical_Turk_k_approval_7.pb": (73, 20, "approval", 500000, "unknown", None),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_instance_parses_with_the_documented_counts(name):
    e = parse_file(require_pabulib_file(name))
    voters, projects, vote_type, budget, rule, official = EXPECTED[name]
    assert e.n_voters == voters
    assert e.n_projects == projects
    assert e.vote_type == vote_type
    assert e.budget == budget
    assert e.rule == rule
    if official is not None:
        assert sum(1 for p in e.projects if p.official_selected) == official
    assert e.ballot_ptr[-1] == len(e.ballot_idx)
    assert e.ballot_idx.min() >= 0 and e.ballot_idx.max() < projects
    if vote_type == "cumulative":
        assert e.ballot_points is not None and len(e.ballot_points) == len(e.ballot_idx)
    # the per-project "votes" column agrees with the ballots
    if "votes" in e.project_columns:
        counts = np.bincount(e.ballot_idx, minlength=projects)
        assert [int(c) for c in counts] == [int(p.fields["votes"]) for p in e.projects]
