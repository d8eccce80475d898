"""`coproduce demo` adds two linked banks with members, months of exchanges, donations, a correction
and cross-bank exchanges, and their books balance."""

from io import StringIO

from django.core.management import call_command

from coproduce.timebank import ledger as books
from coproduce.timebank.models import Account, Timebank, TimebankMember, Transfer


def test_demo(db):
    call_command("demo", stdout=StringIO())
    riverton, fernside = Timebank.objects.get(slug="riverton"), Timebank.objects.get(slug="fernside")
    assert riverton.network == fernside.network and riverton.organisation.name == "Riverton Timebank"
    assert TimebankMember.objects.filter(timebank=riverton, kind="business").exists()
    assert TimebankMember.objects.filter(timebank=riverton, person__is_assisted=True).count() >= 3
    assert Transfer.objects.filter(timebank=riverton, kind="exchange").count() >= 100
    assert Transfer.objects.filter(kind="cross_bank").count() == 4
    assert Transfer.objects.filter(kind="correction").exists()
    assert Account.objects.get(timebank=riverton, kind="community_pot").balance_minutes > 0
    dates = Transfer.objects.filter(timebank=riverton).values_list("occurred_on", flat=True)
    assert (max(dates) - min(dates)).days >= 90
    report = books.verify()
    assert report.ok, [str(d) for d in report.differences]
