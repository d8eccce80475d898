import pytest

from coproduce.timebank.matching import Offer, suggest_helpers
from coproduce.timebank.matching import testing as t

pytestmark = pytest.mark.pure


def test_exact_category_beats_related_category_beats_shared_tags():
    index = t.index(
        t.member(1, category=12, tags=("gardening", "hedges")),  # unrelated category, both tags
        t.member(2, category=11, tags=("gardening", "hedges")),  # related category, both tags
        t.member(3, category=10),  # exact category, no tags
        t.member(4, category=13),  # nothing in common: not considered
    )
    result = suggest_helpers(index, t.request(tags=frozenset({"Gardening", " hedges "})))
    assert [s.member_id for s in result.suggestions] == [3, 2, 1]
    assert result.considered == 3
    assert [r.code for r in result.suggestions[1].reasons[:2]] == ["related_category", "shared_tags"]
    assert result.suggestions[2].reasons[0] == ("shared_tags", {"tags": ["gardening", "hedges"]})


def test_a_members_offers_are_listed_best_first():
    offers = (Offer(7, 12, frozenset({"gardening"})), Offer(5, 11), Offer(6, 10))
    index = t.index(t.member(1, offers=offers))
    (s,) = suggest_helpers(index, t.request(tags=frozenset({"gardening"}))).suggestions
    assert s.offer_ids == (6, 5, 7)
