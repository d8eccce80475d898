import pytest

from coproduce.timebank.matching import References, suggest_helpers
from coproduce.timebank.matching import testing as t

pytestmark = pytest.mark.pure


def _world():
    return t.index(
        t.member(1),
        t.member(2, completed_exchanges=4, cancellations=3),  # cancels too often
        t.member(3, references=References()),  # no references
        t.member(
            4, references=References(count=2, reliability=0.0, honesty=1.0)
        ),  # referees doubt reliability
        t.member(5, completed_exchanges=20, cancellations=2),  # the odd cancellation is fine
    )


def test_sensitive_task_excludes_the_unreliable():
    result = suggest_helpers(_world(), t.request(sensitive=True), explain_exclusions=True)
    assert [s.member_id for s in result.suggestions] == [5, 1]
    assert result.exclusions[2] == (("unreliable", {"cancellations": 3, "total": 7}),)
    assert result.exclusions[3] == (("no_references", {}),)
    assert result.exclusions[4] == (("low_reliability_references", {}),)


def test_nobody_is_turned_away_from_ordinary_tasks():
    result = suggest_helpers(_world(), t.request())
    assert sorted(s.member_id for s in result.suggestions) == [1, 2, 3, 4, 5]
    ranked = [s.member_id for s in result.suggestions]
    assert ranked.index(2) > ranked.index(1)  # but the unreliable rank lower
