"""Reports, imports and exports, for every persona: grants and refusals, on the pages and the command
line. Bea brokers Millbrook; Otto administers Fernside's organisation, which here also coordinates
the Riverside network (so he sees network-wide figures, but not Millbrook's report); Carla is a
Millbrook member; Sam and Ada have nothing to do with either bank."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from coproduce.core.models import AuditEntry
from coproduce.testing import LOGIN, PERSONAS, assert_answer, row
from coproduce.timebank import services
from coproduce.timebank.models import TimebankMember

USERNAMES = {"citizen": "carla", "other_org": "otto", "staff": "sam", "broker": "bea", "org_admin": "ada",
             "platform_admin": "pat"}

MATRIX = [
    #                                                 anon   cit  other staff broker oadm padm
    row("/timebanks/millbrook/report/", LOGIN, 403, 403, 403, 200, 403, 200),
    row("/timebanks/millbrook/report/?start=2020-01-01&end=2020-12-31", LOGIN, 403, 403, 403, 200, 403, 200),
    row("/timebanks/fernside/report/", LOGIN, 403, 200, 403, 403, 403, 200),
    row("/timebanks/no-such-bank/report/", LOGIN, 404, 404, 404, 404, 404, 404),
    row("/timebanks/networks/riverside/report/", LOGIN, 403, 200, 403, 403, 403, 200),
    row("/timebanks/networks/nowhere/report/", LOGIN, 404, 404, 404, 404, 404, 404),
    row("/timebanks/millbrook/import/", LOGIN, 403, 403, 403, 200, 403, 200),
    row("/timebanks/fernside/import/", LOGIN, 403, 200, 403, 403, 403, 200),
    row("/timebanks/millbrook/export/members.csv", LOGIN, 403, 403, 403, 200, 403, 200),
    row("/timebanks/millbrook/export/members.json", LOGIN, 403, 403, 403, 200, 403, 200),
    row("/timebanks/millbrook/export/offers.csv", LOGIN, 403, 403, 403, 200, 403, 200),
    row("/timebanks/millbrook/export/transfers.csv", LOGIN, 403, 403, 403, 200, 403, 200),
    row("/timebanks/millbrook/export/transfers.json", LOGIN, 403, 403, 403, 200, 403, 200),
    row("/timebanks/fernside/export/members.csv", LOGIN, 403, 200, 403, 403, 403, 200),
    row("/timebanks/millbrook/export/ledger.csv", LOGIN, 403, 403, 403, 404, 403, 404),
]


@pytest.fixture
def coordinated(ledger, world):
    ledger.network.coordinator = world.other_group
    ledger.network.save()
    return ledger


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url,expected", MATRIX, ids=[r[0] for r in MATRIX])
def test_page_access(persona, url, expected, personas, client_as, coordinated):
    services.transfer(personas["broker"], coordinated.dan, coordinated.carla, 30, "Soup")
    response = client_as(personas[persona]).get(url)
    want = expected[persona]
    assert_answer(response, want, persona, url)
    if want == 403 and "/export/" in url:
        assert not AuditEntry.objects.filter(action="timebank.export").exists()


@pytest.mark.parametrize("persona", ["anonymous", "citizen", "other_org", "staff", "org_admin"])
def test_refused_imports_write_nothing(persona, personas, client_as, ledger):
    from django.core.files.uploadedfile import SimpleUploadedFile

    before = TimebankMember.objects.count()
    client_as(personas[persona]).post("/timebanks/millbrook/import/", {
        "file": SimpleUploadedFile("m.csv", b"name,opening_balance_minutes\nNell,30\n"), "confirmed": "on"})
    assert TimebankMember.objects.count() == before
    assert not TimebankMember.objects.filter(person__name="Nell").exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_command_line_checks_the_acting_user(persona, personas, ledger, tmp_path):
    path = tmp_path / "members.csv"
    path.write_text("name\nNell\n")
    allowed = persona in ("broker", "platform_admin")
    username = USERNAMES.get(persona, "nobody")
    for command in (["import", str(path), "--bank", "millbrook", "--dry-run", "--as", username],
                    ["export", "--bank", "millbrook", "--what", "members", "--format", "csv", "--as", username],
                    ["import", str(path), "--bank", "millbrook", "--as", username]):
        if allowed:
            call_command("timebank", *command, stdout=io.StringIO(), stderr=io.StringIO())
        else:
            with pytest.raises(CommandError, match="may not|No active user"):
                call_command("timebank", *command, stdout=io.StringIO(), stderr=io.StringIO())
    assert TimebankMember.objects.filter(person__name="Nell").exists() is allowed


def test_members_of_the_bank_do_not_see_the_report_links(personas, client_as, ledger):
    html = client_as(personas["citizen"]).get("/timebanks/millbrook/").content.decode()
    assert "/timebanks/millbrook/report/" not in html and "/timebanks/millbrook/import/" not in html
    html = client_as(personas["broker"]).get("/timebanks/millbrook/").content.decode()
    assert "/timebanks/millbrook/report/" in html and "/timebanks/millbrook/import/" in html
