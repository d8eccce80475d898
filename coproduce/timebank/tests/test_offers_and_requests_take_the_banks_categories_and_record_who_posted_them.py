"""Offers and requests: the category must be on the bank's list; sensitivity defaults from the
category; a broker posting for a member is recorded (on behalf, channel, audit); bad input writes
nothing; members cannot post for someone else."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coproduce.core.models import AuditEntry
from coproduce.timebank import postings
from coproduce.timebank.models import Category, HelpRequest, Offer

from .codelivery import category


def test_postings(personas, ledger):
    bea, carla = personas["broker"], personas["citizen"]
    request = postings.create_request(bea, ledger.dan, category=category("appointments").pk,
                                      description="A lift to the clinic", channel="phone")
    assert request.sensitive is True  # from the category
    assert request.on_behalf and request.channel == "phone"
    entry = AuditEntry.objects.get(action="timebank.request.create")
    assert entry.on_behalf_of_id == ledger.dan.person_id and entry.channel == "phone"
    own = postings.create_offer(carla, ledger.carla, category=category("gardening").pk, description="Hedges")
    assert own.sensitive is False and not own.on_behalf
    postings.set_posting_status(carla, own, "paused")
    assert Offer.objects.get(pk=own.pk).status == "paused"

    hidden = category("music")
    ledger.bank.hidden_categories.add(hidden)
    other_bank_own = Category.objects.create(timebank=ledger.other_bank, group="x", group_name="X", slug="x", name="X")
    before = (Offer.objects.count(), HelpRequest.objects.count())
    for bad in (dict(category=hidden.pk, description="Songs"), dict(category=other_bank_own.pk, description="X"),
                dict(category=category().pk, description="  "), dict(category="gardening", description="x"),
                dict(category=category().pk, description="x", until="2030-01-01"),
                dict(category=category().pk, description="x", home_visit="yes")):
        with pytest.raises(ValidationError):
            postings.create_offer(carla, ledger.carla, **bad)
    with pytest.raises(ValidationError):
        postings.create_request(carla, ledger.carla, category=category().pk, description="x", duration_minutes=0)
    with pytest.raises(PermissionDenied):
        postings.create_offer(carla, ledger.dan, category=category().pk, description="Not mine")
    with pytest.raises(PermissionDenied):
        postings.create_offer(personas["other_org"], ledger.dan, category=category().pk, description="Not mine")
    assert before == (Offer.objects.count(), HelpRequest.objects.count())
