"""`coproduce timebank digest` (and the task) emails each broker the bank's unmatched requests, at
most once per broker per day; matched requests drop out. Members are told when matched and asked
to confirm."""

from datetime import timedelta

from django.conf import settings
from django.core import mail
from django.core.management import call_command

from coproduce.timebank import exchanges, notifications, tasks

from .codelivery import ask, offer, past


def test_digest_once_a_day(personas, ledger):
    bea = personas["broker"]
    waiting = ask(personas["citizen"], ledger.carla, description="Weed the front garden")
    matched = ask(bea, ledger.dan, description="Fix a shelf", slug="diy")
    offer(bea, ledger.cafe, "diy")
    exchanges.match(bea, matched, [ledger.cafe])
    mail.outbox.clear()
    call_command("timebank", "digest")
    to_bea = [m for m in mail.outbox if m.to == [bea.email]]
    assert len(to_bea) == 1
    assert "Weed the front garden" in to_bea[0].body and "Fix a shelf" not in to_bea[0].body
    assert "waiting for a helper" in to_bea[0].subject
    assert f"{settings.SITE_URL}/timebanks/millbrook/requests/{waiting.pk}/" in to_bea[0].body
    mail.outbox.clear()
    call_command("timebank", "digest")
    tasks.send_digests.enqueue()
    assert [m for m in mail.outbox if m.to == [bea.email]] == []
    # Another day: sent again.
    from django.utils import timezone

    assert notifications.send_digests(day=timezone.localdate() + timedelta(days=1)) >= 1
    assert waiting.pk


def test_members_are_told_when_matched_and_asked_to_confirm(personas, ledger):
    bea, carla = personas["broker"], personas["citizen"]
    offer(bea, ledger.dan)
    request = ask(carla, ledger.carla)
    mail.outbox.clear()
    exchange = exchanges.match(bea, request, [ledger.dan])
    assert [m.to for m in mail.outbox] == [[carla.email]]  # Dan has no email: the broker calls him
    assert "matched" in mail.outbox[0].subject
    exchanges.schedule(bea, exchange, starts_at=past(), place="public")
    mail.outbox.clear()
    exchanges.mark_done(bea, exchange)
    assert [m.to for m in mail.outbox] == [[carla.email]]
    assert "confirm" in mail.outbox[0].subject.lower()
