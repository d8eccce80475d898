"""Export → import round trip: a bank's members file, exported as CSV, imports into a fresh bank with
the same people, kinds, statuses, limits and balances; members and transfers export as CSV and JSON
(formulas kept as text) through the page and the command line."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from coproduce.core.models import AuditEntry
from coproduce.timebank import csvio, services
from coproduce.timebank.models import TimebankMember

COMPARED = ["name", "email", "phone", "postal_address", "kind", "status", "overdraft_limit_minutes",
            "max_balance_minutes", "balance_minutes"]


def exported(bank):
    return "".join(csvio.export(None, bank, "members", "csv", as_system=True))


def comparable(text):
    return sorted(tuple(row[c] for c in COMPARED) for row in csv.DictReader(io.StringIO(text)))


def test_exported_members_import_into_a_fresh_bank_unchanged(personas, ledger):
    pat, bea = personas["platform_admin"], personas["broker"]
    # Build a bank, export it, then undo everything (as if the file came from another installation).
    with transaction.atomic():
        point = transaction.savepoint()
        old = services.create_timebank(pat, name="Oldtown Timebank", slug="oldtown", agreement_text="Be kind.")
        gwen = services.register_member(pat, old, name="Gwen", email="gwen@example.org", phone="+44 1632 960100",
                                        postal_address="1 Mill Lane\nOldtown")
        shop = services.register_member(pat, old, name="=Hill Farm Shop", kind="business", phone="01632 960200")
        ivy = services.register_member(pat, old, name="Ivy")
        services.set_member_limits(pat, shop, overdraft_limit_minutes=120, no_max_balance=True)
        services.set_member_limits(pat, ivy, max_balance_minutes=900)
        services.transfer(pat, shop, gwen, 75, "Window cleaning")
        services.transfer(pat, ivy, shop, 30, "Tea")
        services.set_member_status(pat, ivy, "left")
        text = exported(old)
        transaction.savepoint_rollback(point)
    assert not TimebankMember.objects.filter(person__name="Gwen").exists()
    assert "'=Hill Farm Shop" in text and "'+44 1632 960100" in text  # text stays text in spreadsheets
    new = services.create_timebank(pat, name="Newtown Timebank", slug="newtown", agreement_text="Be kind.")
    from coproduce.core.models import Membership

    Membership.objects.create(person=bea.person, organisation=new.organisation, role="broker")
    bea = type(bea).objects.get(pk=bea.pk)
    result = csvio.import_members(bea, new, text.encode("utf-8"))
    assert result.ok, result.problems
    assert result.imported == 3
    again = exported(new)
    assert comparable(again) == comparable(text)
    rows = {row["name"]: row for row in csv.DictReader(io.StringIO(again))}
    assert rows["'=Hill Farm Shop"]["balance_minutes"] == "-45" and rows["Gwen"]["balance_minutes"] == "75"
    assert rows["Ivy"]["status"] == "left" and rows["'=Hill Farm Shop"]["max_balance_minutes"] == "none"
    from coproduce.timebank import ledger as books

    assert books.verify().ok


def test_exports_through_the_page_are_csv_or_json_and_logged(personas, client_as, ledger):
    bea = personas["broker"]
    services.transfer(bea, ledger.dan, ledger.carla, 30, "@lift")
    services.transfer(bea, ledger.dan, ledger.fay, 15, "Across", payee_timebank=ledger.other_bank)
    client = client_as(bea)
    response = client.get("/timebanks/millbrook/export/transfers.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert 'attachment; filename="millbrook-transfers-' in response["Content-Disposition"]
    table = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [(r["kind"], r["minutes"], r["reason"], r["from_name"], r["to_name"], r["to_kind"]) for r in table] == [
        ("exchange", "30", "'@lift", "Dan Offline", "Carla Citizen", "member"),
        ("cross_bank", "15", "Across", "Dan Offline", "", "clearing"),
    ]
    response = client.get("/timebanks/millbrook/export/members.json")
    assert response["Content-Type"] == "application/json"
    data = json.loads(b"".join(response.streaming_content))
    assert data["timebank"] == "millbrook" and data["what"] == "members"
    assert {m["name"]: m["balance_minutes"] for m in data["items"]} == {
        "Carla Citizen": 30, "Dan Offline": -45, "Kettle Café": 0}
    data = json.loads(b"".join(client.get("/timebanks/millbrook/export/transfers.json").streaming_content))
    assert [t["minutes"] for t in data["items"]] == [30, 15]
    assert AuditEntry.objects.filter(action="timebank.export").count() == 3
    assert client.get("/timebanks/millbrook/export/offers.xml").status_code == 404


def test_the_import_page_shows_every_bad_line_then_imports_a_good_file(personas, client_as, ledger):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_as(personas["broker"])
    assert client.get("/timebanks/millbrook/import/").status_code == 200
    bad = SimpleUploadedFile("m.csv", b"name,email\nAnn,ann@example.org\n,x@example.org\nBen,nope\n")
    response = client.post("/timebanks/millbrook/import/", {"file": bad, "dry_run": "on"})
    html = response.content.decode()
    assert "2 problems found; nothing was imported." in html
    assert "Give the member&#x27;s name." in html and "is not a valid email address" in html
    good = b"name,email\nAnn,ann@example.org\nBen,ben@example.org\n"
    response = client.post("/timebanks/millbrook/import/", {"file": SimpleUploadedFile("m.csv", good)})
    assert "Confirm this before importing" in response.content.decode()  # consent not confirmed
    assert not TimebankMember.objects.filter(person__name="Ann").exists()
    response = client.post("/timebanks/millbrook/import/", {"file": SimpleUploadedFile("m.csv", good),
                                                            "dry_run": "on"})
    assert "Dry run: all 2 lines are good; nothing was imported." in response.content.decode()
    assert not TimebankMember.objects.filter(person__name="Ann").exists()
    response = client.post("/timebanks/millbrook/import/", {"file": SimpleUploadedFile("m.csv", good),
                                                            "confirmed": "on"})
    assert "2 members imported." in response.content.decode()
    assert TimebankMember.objects.filter(timebank=ledger.bank, person__name__in=["Ann", "Ben"]).count() == 2
    response = client.post("/timebanks/millbrook/import/", {"file": SimpleUploadedFile("m.csv", b"\xff\xfe"),
                                                            "dry_run": "on"})
    assert "not UTF-8" in response.content.decode()


def test_the_command_line_imports_and_exports(personas, ledger, tmp_path):
    path = tmp_path / "members.csv"
    path.write_text("name,phone,opening_balance_minutes\nNell,01632 960300,30\nNell,01632 960300,30\n")
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("timebank", "import", str(path), "--bank", "millbrook", "--as", "bea", stderr=err)
    assert f"{path}:3: [name] The same person as line 2." in err.getvalue()
    path.write_text("name,phone,opening_balance_minutes\nNell,01632 960300,30\n")
    out = io.StringIO()
    call_command("timebank", "import", str(path), "--bank", "millbrook", "--dry-run", "--as", "bea", stdout=out)
    assert "Dry run: all 1 lines are good" in out.getvalue()
    assert not TimebankMember.objects.filter(person__name="Nell").exists()
    call_command("timebank", "import", str(path), "--bank", "millbrook", "--as", "bea@example.org", stdout=out,
                 stderr=io.StringIO())
    nell = TimebankMember.objects.select_related("account").get(person__name="Nell")
    assert nell.account.balance_minutes == 30
    assert AuditEntry.objects.filter(action="timebank.member.register", channel="cli").exists()
    out = io.StringIO()
    call_command("timebank", "export", "--bank", "millbrook", "--what", "members", "--format", "csv", stdout=out)
    assert "Nell,,01632 960300" in out.getvalue()
    target = tmp_path / "transfers.json"
    call_command("timebank", "export", "--bank", "millbrook", "--what", "transfers", "--format", "json",
                 "--as", "bea", "--output", str(target), stderr=io.StringIO())
    assert json.loads(target.read_text())["items"][0]["minutes"] == 30
    with pytest.raises(CommandError, match="No timebank"):
        call_command("timebank", "export", "--bank", "nowhere", "--what", "members", "--format", "csv")
    with pytest.raises(CommandError, match="No active user"):
        call_command("timebank", "import", str(path), "--bank", "millbrook", "--as", "nobody")


def test_offers_export_with_their_category(personas, client_as, ledger):
    from coproduce.timebank.models import Category, Offer

    Offer.objects.create(member=ledger.carla, category=Category.objects.get(slug="gardening"),
                         description="I can mow lawns", regular=True)
    Offer.objects.create(member=ledger.fay, category=Category.objects.get(slug="lifts"), description="Not Millbrook")
    client = client_as(personas["broker"])
    table = list(csv.DictReader(io.StringIO(b"".join(
        client.get("/timebanks/millbrook/export/offers.csv").streaming_content).decode())))
    assert [(r["member_name"], r["category"], r["description"], r["regular"]) for r in table] == [
        ("Carla Citizen", "gardening", "I can mow lawns", "True")]
    data = json.loads(b"".join(client.get("/timebanks/millbrook/export/offers.json").streaming_content))
    assert [item["description"] for item in data["items"]] == ["I can mow lawns"]
