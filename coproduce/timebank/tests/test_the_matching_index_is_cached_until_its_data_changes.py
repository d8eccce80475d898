"""The per-network index is reused while nothing changed (one query), updated member by member after
a change (the changed member's new data is seen), and rebuilt after a change naming no member."""

from coproduce.timebank import suggestions, trust

from .codelivery import offer


def test_cache(personas, ledger, django_assert_num_queries):
    bea = personas["broker"]
    offer(bea, ledger.dan)
    suggestions.clear_cache()
    first = suggestions.member_index(ledger.bank)
    assert len(first.records[ledger.cafe.pk].offers) == 0
    with django_assert_num_queries(1):  # only the version is read
        assert suggestions.member_index(ledger.bank) is first
    with django_assert_num_queries(1):  # Fernside shares the network, and so the index
        assert suggestions.member_index(ledger.other_bank) is first
    offer(bea, ledger.cafe)
    updated = suggestions.member_index(ledger.bank)
    assert updated is first  # updated in place, not rebuilt
    assert len(updated.records[ledger.cafe.pk].offers) == 1
    trust.add_note(bea, ledger.cafe, "Notes do not touch matching")  # no invalidation
    with django_assert_num_queries(1):
        suggestions.member_index(ledger.bank)
    suggestions.invalidate(ledger.bank)  # anything may have changed
    rebuilt = suggestions.member_index(ledger.bank)
    assert rebuilt is not first and ledger.cafe.pk in rebuilt
