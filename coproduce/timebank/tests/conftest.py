"""Timebank ledger fixtures, built on the personas of coproduce/conftest.py and through the services.

  bank        Millbrook Timebank (world.group): Bea (broker persona) manages it. Overdraft 10 h, max 100 h.
  other_bank  Fernside Timebank (world.other_group): Otto (other_org persona) administers it.
  Both are in the "Riverside" network and allow cross-bank exchanges.
  Members: carla (the citizen persona, with a login), dan (assisted, no login), cafe (a business),
  all in Millbrook; fay (assisted) in Fernside.
"""

from dataclasses import dataclass

import pytest


@dataclass
class Ledger:
    network: object
    bank: object
    other_bank: object
    carla: object
    dan: object
    cafe: object
    fay: object


@pytest.fixture
def ledger(personas, world):
    from coproduce.timebank import services
    from coproduce.timebank.models import TimebankMember

    pat = personas["platform_admin"]
    network = services.create_network(pat, name="Riverside", slug="riverside")
    bank = services.create_timebank(
        pat, name="Millbrook Timebank", slug="millbrook", organisation=world.group, network=network,
        allow_cross_bank=True, agreement_text="We value everyone's hour equally.",
    )
    other = services.create_timebank(
        pat, name="Fernside Timebank", slug="fernside", organisation=world.other_group, network=network,
        allow_cross_bank=True,
    )
    bea, otto = personas["broker"], personas["other_org"]
    carla = services.register_member(bea, bank, person=personas["citizen"].person)
    dan = services.register_member(bea, bank, name="Dan Offline", phone="01632 960001")
    cafe = services.register_member(bea, bank, name="Kettle Café", kind=TimebankMember.Kind.BUSINESS)
    fay = services.register_member(otto, other, name="Fay Fernside")
    return Ledger(network, bank, other, carla, dan, cafe, fay)


def reload(member):
    """The member with a fresh account balance."""
    from coproduce.timebank.models import TimebankMember

    return TimebankMember.objects.select_related("account", "person", "timebank__organisation").get(pk=member.pk)


def balance(member) -> int:
    from coproduce.timebank.models import Account

    return Account.objects.get(member=member).balance_minutes
