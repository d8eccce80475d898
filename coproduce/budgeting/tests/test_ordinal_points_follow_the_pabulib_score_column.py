"""Positional points for ordinal ballots: k, k-1, ..., 1 on a ballot ranking k projects.  This is
the convention of the `score` column of Pabulib's ordinal files; greedy on ordinal ballots ranks
projects by these points."""

import pytest

from coproduce.budgeting.tally import Election, parse_file, tally
from coproduce.budgeting.tally.datasets import require_pabulib_file
from coproduce.budgeting.tally.greedy import project_scores
from coproduce.budgeting.tally.profile import build_profile

pytestmark = pytest.mark.pure


@pytest.mark.parametrize(
    "name", ["US_Stanford_Dataset_PB_Rochester_NY_2019_vote_rankings.pb", "Switzerland_Zurich_S5R.pb"]
)
def test_points_equal_the_files_score_column(name):
    e = parse_file(require_pabulib_file(name))
    scores = build_profile(e, "points").scores()
    assert [int(s) for s in scores] == [int(p.fields["score"]) for p in e.projects]


@pytest.mark.parametrize(
    "name", ["Poland_Katowice_2023.pb", "France_Toulouse_2019.pb", "Switzerland_Zurich_D10.pb"]
)
def test_cumulative_points_equal_the_files_score_column(name):
    e = parse_file(require_pabulib_file(name))
    scores, votes, kind = project_scores(e)
    assert kind == "points"
    assert [int(s) for s in scores] == [int(p.fields["score"]) for p in e.projects]
    assert votes == [int(p.fields["votes"]) for p in e.projects]


def test_three_two_one():
    e = Election.from_ballots(
        [("a", 1), ("b", 1), ("c", 1)], [["a", "b", "c"], ["c", "b"], ["b"]], 2, "ordinal"
    )
    assert [int(s) for s in build_profile(e, "points").scores()] == [3, 2 + 1 + 1, 1 + 2]
    assert tally(e, "greedy").selected == ["b", "c"]
