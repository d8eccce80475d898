"""Sixteen threads racing transfers on the same accounts (PostgreSQL, real row locks): no limit (overdraft
or maximum balance, the bank's default or a member's own) is ever breached, every stored balance equals its movements, every bank's books balance and the
network's clearing positions sum to zero."""

import random
import threading

import pytest
from django.core.exceptions import ValidationError

from coproduce.testing import at_once
from coproduce.timebank import ledger as books
from coproduce.timebank import services
from coproduce.timebank.models import Account, TimebankMember, Transfer

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
THREADS = 16


def race(work):
    """Run `work(i)` in THREADS threads started together; fail on any unexpected error."""
    at_once(work, THREADS)


def test_sixteen_payments_race_for_the_last_of_an_overdraft(ledger, personas):
    bea = personas["broker"]
    services.set_member_limits(bea, ledger.dan, overdraft_limit_minutes=100)
    outcomes = []

    def work(i):
        try:
            services.transfer(bea, ledger.dan, ledger.carla if i % 2 else ledger.cafe, 10, f"Race {i}")
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")

    race(work)
    assert outcomes.count("ok") == 10 and outcomes.count("refused") == 6
    assert Account.objects.get(member=ledger.dan).balance_minutes == -100
    assert books.verify().ok


def test_sixteen_payers_race_to_fill_a_members_own_maximum_balance_across_banks(ledger, personas):
    """The payee's own maximum (an override of the bank's) holds whether the time comes from its bank
    or, through both clearing accounts, from the other bank."""
    bea, otto = personas["broker"], personas["other_org"]
    services.set_member_limits(bea, ledger.carla, max_balance_minutes=70)
    payers = [ledger.dan, ledger.cafe, ledger.fay]
    outcomes = []

    def work(i):
        payer = payers[i % 3]
        try:
            services.transfer(otto if payer is ledger.fay else bea, payer, ledger.carla, 10, f"Race {i}")
            outcomes.append("ok")
        except ValidationError as error:
            assert "maximum balance of 70 minutes" in error.message_dict["payee"][0]
            outcomes.append("refused")

    race(work)
    assert outcomes.count("ok") == 7 and outcomes.count("refused") == 9
    assert Account.objects.get(member=ledger.carla).balance_minutes == 70
    report = books.verify()
    assert report.ok, [str(d) for d in report.differences]
    assert sum(books.clearing_positions(ledger.network).values()) == 0


def test_many_threads_many_accounts_tight_limits_and_cross_bank(ledger, personas):
    bea, otto = personas["broker"], personas["other_org"]
    services.update_timebank(personas["platform_admin"], ledger.bank, overdraft_limit_minutes=60,
                             max_balance_minutes=120)
    services.update_timebank(otto, ledger.other_bank, overdraft_limit_minutes=60, max_balance_minutes=120)
    millbrook = [ledger.carla, ledger.dan, ledger.cafe] + [
        services.register_member(bea, ledger.bank, name=f"Member {n}") for n in range(3)]
    fernside = [ledger.fay] + [services.register_member(otto, ledger.other_bank, name=f"Fern {n}") for n in range(3)]
    everyone = [TimebankMember.objects.select_related("timebank__organisation", "person").get(pk=m.pk)
                for m in millbrook + fernside]
    counts = {"ok": 0, "refused": 0}
    lock = threading.Lock()

    def work(i):
        rng = random.Random(i)
        for _ in range(40):
            payer, payee = rng.sample(everyone, 2)
            actor = bea if payer.timebank_id == ledger.bank.pk else otto
            try:
                services.transfer(actor, payer, payee, rng.randint(5, 45), "Race")
                outcome = "ok"
            except ValidationError:
                outcome = "refused"
            with lock:
                counts[outcome] += 1

    race(work)
    assert counts["ok"] > 50 and counts["refused"] > 0, counts
    for account in Account.objects.filter(kind="member"):
        assert -60 <= account.balance_minutes <= 120, account.balance_minutes
    report = books.verify()
    assert report.ok, [str(d) for d in report.differences]
    assert sum(books.clearing_positions(ledger.network).values()) == 0
    legs = Transfer.objects.count()
    cross = Transfer.objects.filter(kind="cross_bank").count()
    assert legs - cross // 2 == counts["ok"]
