import numpy as np
import pytest

from coproduce.design.analysis.matrix import build_matrix, in_conversation

pytestmark = pytest.mark.pure


def test_latest_vote_by_timestamp_wins_regardless_of_input_order():
    votes = [(1, "b", -1, 30), (1, "b", 1, 10), (2, "a", 0, 5), (1, "a", 1, 7), (1, "b", 0, 20)]
    m = build_matrix(votes)
    assert m.participants.tolist() == [1, 2] and m.statements.tolist() == ["a", "b"]
    assert m.votes.tolist() == [[1, -1], [0, 0]]
    assert m.voted.tolist() == [[True, True], [True, False]]


def test_equal_timestamps_keep_the_vote_given_last():
    m = build_matrix([(1, 1, 1, 5), (1, 1, -1, 5)])
    assert m.votes[0, 0] == -1


def test_moderated_out_and_meta_statements_are_zeroed_in_the_rating_matrix():
    votes = [(1, 10, 1, 1), (1, 11, -1, 2), (2, 12, 1, 3)]
    m = build_matrix(votes, moderation={11: -1, 12: 1}, meta={10})
    assert m.mod_out.tolist() == [True, True, False] and m.meta.tolist() == [True, False, False]
    rating, voted = m.rating()
    assert rating.tolist() == [[0, 0, 0], [0, 0, 1]]
    assert voted.tolist() == [[True, True, False], [True, True, True]]  # everyone counts as having passed
    assert m.votes.tolist() == [[1, -1, 0], [0, 0, 1]]  # the raw matrix keeps the votes as cast


def test_accepts_arrays_and_rejects_bad_votes():
    p, s, v, t = (np.array(x) for x in ([1, 2], [5, 5], [1, -1], [0, 0]))
    assert build_matrix((p, s, v, t)).votes.tolist() == [[1], [-1]]
    with pytest.raises(ValueError, match="vote must be"):
        build_matrix([(1, 1, 2, 0)])


def test_in_conversation_after_min_of_7_and_statement_count():
    # 20 statements: 7 votes needed; with 3 statements, 3 are enough
    votes = [(p, s, 1, 0) for p in range(20) for s in range(7 if p < 16 else 6)] + [(99, s, 1, 0) for s in range(20)]
    m = build_matrix(votes)
    inside = in_conversation(m)
    assert dict(zip(m.participants.tolist(), inside.tolist(), strict=True)) == {
        **{p: True for p in range(16)}, **{p: False for p in range(16, 20)}, 99: True}
    small = build_matrix([(p, s, 1, 0) for p in range(20) for s in range(3 if p < 18 else 2)])
    assert in_conversation(small).sum() == 18


def test_fewer_than_15_in_conversation_are_topped_up_with_the_most_active():
    votes = [(p, s, 1, 0) for p in range(10) for s in range(8)]
    votes += [(p, s, 1, 0) for p in range(10, 14) for s in range(5)]  # 5 votes each
    votes += [(p, s, 1, 0) for p in range(14, 20) for s in range(3)]  # 3 votes each
    m = build_matrix(votes)
    inside = in_conversation(m)
    # 10 are in; 5 more are needed: the four with 5 votes, then everyone tied at 3 votes
    assert inside.sum() == 20
    votes += [(20, s, 1, 0) for s in range(4)]
    inside = in_conversation(build_matrix(votes))
    assert inside.sum() == 15  # 10 + 4 (five votes) + the one with four votes
