"""The pure survey results engine, on hand-worked data."""

from decimal import Decimal
from fractions import Fraction

import pytest

from coproduce.assessment import survey_results as engine

pytestmark = pytest.mark.pure

QUESTIONS = [
    {"id": 1, "kind": "single", "options": ["yes", "no"], "scale": []},
    {"id": 2, "kind": "multiple", "options": ["a", "b", "c"], "scale": []},
    {"id": 3, "kind": "likert", "options": [], "scale": ["1", "2", "3", "4", "5"]},
    {"id": 4, "kind": "number", "options": [], "scale": []},
    {"id": 5, "kind": "ranking", "options": ["p", "q", "r"], "scale": []},
    {"id": 6, "kind": "matrix", "options": ["row1", "row2"], "scale": ["bad", "good"]},
    {"id": 7, "kind": "text", "options": [], "scale": []},
]
RESPONSES = [
    {"id": 1, "answers": {1: 0, 2: [0, 1], 3: 5, 4: "2", 5: [0, 1, 2], 6: [1, 2], 7: "hi"}},
    {"id": 2, "answers": {1: 0, 2: [1], 3: 4, 4: "3.5", 5: [1, 0, 2], 6: [2, 2]}},
    {"id": 3, "answers": {1: 1, 3: 1, 4: "10", 5: [0, 2, 1], 6: [2, 1]}},
    {"id": 4, "answers": {2: [], 3: 4}},
]


def by_id():
    return {r["question"]["id"]: r for r in engine.compute(QUESTIONS, RESPONSES)}


def test_choices_are_counted_as_shares_of_those_answering():
    results = by_id()
    assert [(o["count"], o["percent"]) for o in results[1]["options"]] == [(2, Fraction(200, 3)), (1, Fraction(100, 3))]
    assert results[2]["answered"] == 2  # an empty list is no answer
    assert [o["count"] for o in results[2]["options"]] == [1, 2, 0]
    assert [o["percent"] for o in results[2]["options"]] == [50, 100, 0]


def test_likert_and_numbers_have_means_and_medians():
    results = by_id()
    assert results[3]["mean"] == Fraction(14, 4) and [p["count"] for p in results[3]["points"]] == [1, 0, 0, 2, 1]
    assert results[4]["mean"] == Fraction(31, 6) and results[4]["median"] == Fraction(7, 2)
    assert results[4]["minimum"] == Decimal("2") and results[4]["maximum"] == Decimal("10")
    assert engine.rounded(results[4]["mean"], 2) == Decimal("5.17")


def test_rankings_are_ordered_by_average_rank_and_matrices_per_row():
    results = by_id()
    ranking = [(o["label"], o["average_rank"], o["first"]) for o in results[5]["options"]]
    assert ranking == [("p", Fraction(4, 3), 2), ("q", Fraction(2), 1), ("r", Fraction(8, 3), 0)]
    rows = results[6]["rows"]
    assert [p["count"] for p in rows[0]["points"]] == [1, 2] and rows[0]["mean"] == Fraction(5, 3)
    assert rows[1]["mean"] == Fraction(5, 3)
    assert by_id()[7]["texts"] == ["hi"]


def test_headline_figures_for_indicators():
    likert = QUESTIONS[2]
    assert engine.headline(likert, [5, 4, 1, 4], []) == 75  # top two points by default
    assert engine.headline(QUESTIONS[0], [0, 0, 1], [1]) == Fraction(100, 3)
    assert engine.headline({"kind": "allocation", "options": ["a", "b"]}, [[30, 70], [50, 50]], [1]) == 60
    assert engine.headline(QUESTIONS[6], ["x"], []) is None
    assert engine.headline(QUESTIONS[0], [], []) is None
