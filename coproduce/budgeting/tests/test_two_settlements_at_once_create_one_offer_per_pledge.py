"""Two members of staff settling the pledges at the same moment (PostgreSQL, two connections): each
pledge of time becomes exactly one timebank offer, and the pledges are collected once."""

import pytest

from coproduce.budgeting import services
from coproduce.budgeting.models import Pledge, Process
from coproduce.testing import at_once
from coproduce.timebank.models import Offer

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_settlements_create_one_offer_each(pb, personas, phase, world):
    from coproduce.conftest import member
    from coproduce.timebank import services as timebank_services

    ada, pat = personas["org_admin"], personas["platform_admin"]
    bank = timebank_services.create_timebank(pat, name="Millbrook Timebank", slug="millbrook", organisation=world.group)
    skate = pb.proposals["Skate park"]
    pledgers = [personas["citizen"], personas["broker"], personas["staff"]]
    for user in pledgers:
        timebank_services.register_member(pat, bank, person=user.person)
        services.make_pledge(user, skate, kind="hours", minutes=60)
    phase(pb.process, "vote")
    services.cast_ballot(personas["citizen"], pb.city, choices=[skate.pk])
    services.set_phase(ada, pb.process, "results")
    second = member(personas["other_org"], world.council, "commissioner")

    users = (ada, second)

    def settle(i):
        process = Process.objects.select_related("organisation").get(pk=pb.process.pk)
        return services.settle_pledges(users[i], process)

    results = at_once(settle, 2)
    assert sorted(r["offers"] for r in results) == [0, 3]
    assert sorted(r["collected"] for r in results) == [0, 3]
    assert Offer.objects.count() == 3
    assert set(Pledge.objects.values_list("status", flat=True)) == {"collected"}
    assert Pledge.objects.filter(timebank_offer__isnull=True).count() == 0
