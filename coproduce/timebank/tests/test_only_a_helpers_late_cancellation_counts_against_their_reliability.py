"""A helper cancelling less than 24 hours before the time counts as a cancellation for matching; a
helper cancelling early, or the person helped cancelling late, does not."""

from datetime import timedelta

from django.utils import timezone

from coproduce.timebank import exchanges, suggestions

from .codelivery import ask, offer


def _cancellations(bank, member):
    [candidate] = suggestions.candidates([bank], members=[member])
    return candidate.cancellations


def _scheduled(personas, ledger, hours):
    bea = personas["broker"]
    exchange = exchanges.match(bea, ask(personas["citizen"], ledger.carla), [ledger.dan])
    return exchanges.schedule(bea, exchange, starts_at=timezone.now() + timedelta(hours=hours), place="public")


def test_late_and_early(personas, ledger):
    bea = personas["broker"]
    offer(bea, ledger.dan)
    early = _scheduled(personas, ledger, 72)
    exchanges.cancel(bea, early, "Cannot make it", member=ledger.dan)
    assert _cancellations(ledger.bank, ledger.dan) == 0
    by_receiver = _scheduled(personas, ledger, 2)
    exchanges.cancel(personas["citizen"], by_receiver, "Feeling unwell")
    assert _cancellations(ledger.bank, ledger.dan) == 0
    late = _scheduled(personas, ledger, 2)
    exchanges.cancel(bea, late, "Forgot", member=ledger.dan)
    late.refresh_from_db()
    assert late.cancelled_late_by_helper and late.cancelled_by_member_id == ledger.dan.pk
    assert _cancellations(ledger.bank, ledger.dan) == 1
