"""`coproduce timebank verify` passes on honest books and exits non-zero when a stored balance was
changed behind the services' back, or when a bank's books no longer balance."""

import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F

from coproduce.timebank import services
from coproduce.timebank.models import Account


@pytest.fixture
def some_exchanges(ledger, personas):
    bea = personas["broker"]
    services.transfer(bea, ledger.dan, ledger.carla, 60, "Shopping")
    services.transfer(bea, ledger.carla, ledger.cafe, 30, "Tea")
    services.donate(bea, ledger.carla, 10, "For the pot")
    services.transfer(bea, ledger.cafe, ledger.fay, 15, "Cake from Fernside")


def test_verify_passes_on_honest_books(some_exchanges):
    out = StringIO()
    call_command("timebank", "verify", stdout=out)
    assert "bank millbrook: books balances" in out.getvalue()
    assert "network riverside: clearing positions fernside -15, millbrook +15 (sum 0)" in out.getvalue()


def test_verify_finds_a_tampered_balance(some_exchanges, ledger):
    Account.objects.filter(member=ledger.dan).update(balance_minutes=F("balance_minutes") + 5)
    err = StringIO()
    with pytest.raises(CommandError, match="difference"):
        call_command("timebank", "verify", stdout=StringIO(), stderr=err)
    assert f"account {ledger.dan.account.pk} (member, bank millbrook): stored -55, expected -60" in err.getvalue()
    assert "bank millbrook books: stored 5, expected 0" in err.getvalue()


def test_verify_finds_a_tampered_clearing_account(some_exchanges, ledger):
    Account.objects.filter(timebank=ledger.other_bank, kind="clearing").update(balance_minutes=0)
    with pytest.raises(CommandError):
        call_command("timebank", "verify", stdout=StringIO(), stderr=StringIO())


def test_the_command_line_exits_non_zero(transactional_db, tmp_path):
    """Through the real console script, against a throwaway SQLite database."""
    import os

    env = dict(os.environ, COPRODUCE_VAR_DIR=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    run = lambda *args: subprocess.run([sys.executable, "-m", "coproduce.cli", *args], env=env,  # noqa: E731
                                       capture_output=True, text=True, timeout=300)
    assert run("migrate", "-v0").returncode == 0
    setup = (
        "from coproduce.core.models import Organisation;"
        "from coproduce.timebank.models import Timebank, Account;"
        "o = Organisation.objects.create(name='T', slug='t', kind='voluntary');"
        "b = Timebank.objects.create(organisation=o, name='T', slug='t');"
        "Account.objects.create(timebank=b, kind='community_pot', balance_minutes=7)"
    )
    assert run("shell", "-c", setup).returncode == 0
    result = run("timebank", "verify")
    assert result.returncode != 0 and "DIFFERENCE" in result.stderr
