"""Helpers for co-delivery tests, on top of the `ledger` fixture (tests/conftest.py).

Carla (citizen persona, Millbrook) asks for gardening help; Dan (assisted, Millbrook) and the café
offer it; Bea brokers Millbrook. Everything goes through the services."""

from datetime import timedelta

from django.utils import timezone


def category(slug="gardening"):
    from coproduce.timebank.models import Category

    return Category.objects.get(slug=slug, timebank__isnull=True)


def offer(actor, member, slug="gardening", **kw):
    from coproduce.timebank import postings

    kw.setdefault("description", "I can help in the garden")
    return postings.create_offer(actor, member, category=category(slug).pk, **kw)


def ask(actor, member, slug="gardening", **kw):
    from coproduce.timebank import postings

    kw.setdefault("description", "Help to weed my garden")
    kw.setdefault("starts_at", timezone.now() + timedelta(days=3))
    return postings.create_request(actor, member, category=category(slug).pk, **kw)


def past():
    return timezone.now() - timedelta(hours=2)


def to_done(broker, exchange, minutes=None):
    """Schedule in the past and mark done (by the broker, so nobody's part is confirmed yet)."""
    from coproduce.timebank import exchanges

    exchanges.schedule(broker, exchange, starts_at=past(), place="public")
    return exchanges.mark_done(broker, exchange, minutes=minutes)
