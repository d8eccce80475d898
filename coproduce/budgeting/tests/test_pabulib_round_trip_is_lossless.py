"""parse -> write -> parse gives the same election (META, projects with every column, ballots in
order, points, per-voter columns); voter ids are anonymised by default."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coproduce.budgeting.tally import Election, parse_file, parse_string, write_string
from coproduce.budgeting.tally.datasets import require_pabulib_file

pytestmark = pytest.mark.pure

NAMES = [
    "Netherlands_Assen_2024.pb",
    "Poland_Czestochowa_2020_Bleszno.pb",
    "Poland_Katowice_2023.pb",
    "Poland_Lodz_2022.pb",
    "Switzerland_Zurich_D10.pb",
    "Switzerland_Zurich_S5R.pb",
    "US_Stanford_Dataset_PB_Rochester_NY_2019_vote_rankings.pb",
    "Worldwide_Mechanical_Turk_k_approval_7.pb",
]


def same(a: Election, b: Election, ids: bool):
    assert a.meta == b.meta
    assert a.vote_type == b.vote_type and a.budget == b.budget
    assert a.projects == b.projects
    assert [p.fields for p in a.projects] == [p.fields for p in b.projects]
    assert a.project_columns == b.project_columns
    assert np.array_equal(a.ballot_ptr, b.ballot_ptr) and np.array_equal(a.ballot_idx, b.ballot_idx)
    if a.ballot_points is None:
        assert b.ballot_points is None
    else:
        assert list(a.ballot_points) == list(b.ballot_points)
    assert {k: list(v) for k, v in a.voter_columns.items()} == {
        k: list(v) for k, v in b.voter_columns.items()
    }
    if ids:
        assert list(a.voter_ids) == list(b.voter_ids)


@pytest.mark.parametrize("name", NAMES)
def test_round_trip_of_a_real_file(name):
    e = parse_file(require_pabulib_file(name))
    same(e, parse_string(write_string(e, anonymise=False)), ids=True)
    anon = parse_string(write_string(e))
    same(e, anon, ids=False)
    assert list(anon.voter_ids) == [str(i + 1) for i in range(e.n_voters)]


def test_anonymised_file_can_drop_personal_columns():
    e = parse_file(require_pabulib_file("Poland_Katowice_2023.pb"))
    text = write_string(e, voter_columns=False)
    back = parse_string(text)
    assert back.vote_columns == ["voter_id", "vote", "points"]
    assert np.array_equal(back.ballot_idx, e.ballot_idx)


@settings(max_examples=100, deadline=None, database=None)
@given(
    st.sampled_from(["approval", "cumulative", "ordinal"]),
    st.lists(
        st.tuples(st.text("abcXYZ09-_", min_size=1, max_size=4), st.integers(0, 10**7)),
        min_size=1,
        max_size=6,
        unique_by=lambda t: t[0],
    ),
    st.lists(st.lists(st.integers(0, 5), unique=True, max_size=6), max_size=8),
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12),
)
def test_round_trip_of_random_elections(vote_type, projects, raw_ballots, name):
    ids = [p for p, _ in projects]
    ballots = []
    for b in raw_ballots:
        chosen = [ids[i] for i in b if i < len(ids)]
        ballots.append({p: k + 1 for k, p in enumerate(chosen)} if vote_type == "cumulative" else chosen)
    e = Election.from_ballots(projects, ballots, 1000, vote_type, meta={"description": name.strip() or "x"})
    back = parse_string(write_string(e))
    assert [p.id for p in back.projects] == ids
    assert [p.cost for p in back.projects] == [p.cost for p in e.projects]
    assert np.array_equal(back.ballot_idx, e.ballot_idx) and np.array_equal(back.ballot_ptr, e.ballot_ptr)
    assert back.meta["description"] == e.meta["description"]
    if vote_type == "cumulative":
        assert list(back.ballot_points) == list(e.ballot_points)
