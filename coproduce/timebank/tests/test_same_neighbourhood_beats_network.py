import pytest

from coproduce.timebank.matching import suggest_helpers
from coproduce.timebank.matching import testing as t

pytestmark = pytest.mark.pure


def test_same_neighbourhood_beats_adjacent_beats_same_bank_beats_network():
    index = t.index(
        t.member(1, bank_id=2, neighbourhood_id=50),  # another bank of the network
        t.member(2, neighbourhood_id=7),  # same bank, further away
        t.member(3, neighbourhood_id=2),  # adjacent to neighbourhood 1
        t.member(4, neighbourhood_id=1),
    )
    result = suggest_helpers(index, t.request())
    assert [s.member_id for s in result.suggestions] == [4, 3, 2, 1]
    codes = [s.reasons[1].code for s in result.suggestions]
    assert codes == ["same_neighbourhood", "adjacent_neighbourhood", "same_bank", "other_bank_in_network"]
