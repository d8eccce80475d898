"""Importing members from CSV: every bad line is listed with its number and reason, and nothing is
imported unless every line is good; a dry run imports nothing; a good file is imported in full,
with opening balances, limits and statuses, through the services (audited, channel "import")."""

import pytest

from coproduce.core.models import AuditEntry, Person
from coproduce.timebank import csvio
from coproduce.timebank.models import TimebankMember, Transfer

HEADER = "name,email,phone,kind,status,overdraft_limit_minutes,max_balance_minutes,opening_balance_minutes\n"


def counts():
    return TimebankMember.objects.count(), Person.objects.count(), Transfer.objects.count(), AuditEntry.objects.count()


def problems(result):
    return sorted((p.line, p.column, p.message) for p in result.problems)


def test_every_bad_line_is_listed_with_its_reason_and_nothing_is_imported(personas, ledger):
    Person.objects.create(name="Elsewhere", email="taken@example.org")
    text = HEADER + "\n".join([
        "Good Gwen,gwen@example.org,01632 960100,individual,active,,,60",  # 2 good
        ",nobody@example.org,,,,,,",  # 3 no name
        "Bad Email,not-an-email,,,,,,",  # 4
        "Bad Phone,,call me,,,,,",  # 5
        "Bad Kind,,,dragon,,,,",  # 6
        "Bad Status,,,,requested,,,",  # 7
        "Half Minutes,,,,,,,1.5",  # 8
        "Too Low,,,,,,,-601",  # 9 past the bank's 600 minute overdraft
        "Too High,,,,,,,6001",  # 10 above the bank's 6000 minute maximum
        "Own Limit,,,,,30,,-45",  # 11 past the member's own overdraft of 30
        "Negative Limit,,,,,-5,,",  # 12
        "Gwen Again,GWEN@example.org,,,,,,",  # 13 the same email as line 2
        "Dan Offline,,01632 960001,,,,,",  # 14 already a member (same name and phone)
        "Carla Twin,carla@example.org,,,,,,",  # 15 Carla's email: already a member
        "Someone,taken@example.org,,,,,,",  # 16 registered on the platform
        "Too Many,,,,,,,,,",  # 17
    ]) + "\n"
    before = counts()
    result = csvio.import_members(personas["broker"], ledger.bank, text)
    assert counts() == before
    assert not result.ok and result.imported == 0
    found = problems(result)
    lines = [line for line, _column, _message in found]
    assert 2 not in lines
    assert sorted(set(lines)) == list(range(3, 18))
    by_line = {line: (column, message) for line, column, message in found}
    assert by_line[3] == ("name", "Give the member's name.")
    assert by_line[4][0] == "email" and "not a valid email address" in by_line[4][1]
    assert by_line[5][0] == "phone" and "not a phone number" in by_line[5][1]
    assert by_line[6][0] == "kind" and "Unknown kind “dragon”" in by_line[6][1]
    assert by_line[7][0] == "status" and "requests to join cannot be imported" in by_line[7][1]
    assert by_line[8][0] == "opening_balance_minutes" and "whole number of minutes" in by_line[8][1]
    assert by_line[9] == ("opening_balance_minutes", "-601 minutes is past the overdraft limit of 600 minutes.")
    assert by_line[10] == ("opening_balance_minutes", "6001 minutes is above the maximum balance of 6000 minutes.")
    assert by_line[11] == ("opening_balance_minutes", "-45 minutes is past the overdraft limit of 30 minutes.")
    assert by_line[12][0] == "overdraft_limit_minutes"
    assert by_line[13] == ("email", "The same person as line 2.")
    assert by_line[14][0] == "name" and "Dan Offline is already a member of this bank" in by_line[14][1]
    assert by_line[15][0] == "email" and "Carla Citizen is already a member of this bank" in by_line[15][1]
    assert by_line[16][0] == "email" and "already registered on the platform" in by_line[16][1]
    line_17 = [message for line, _column, message in found if line == 17]
    assert len(line_17) == 1 and any("has 10 cells but the header names 8 columns" in message for message in line_17)


def test_the_same_name_without_contact_details_twice_is_a_duplicate(personas, ledger):
    result = csvio.check(ledger.bank, "name,phone\nJo Bloggs,\nJo Bloggs,\nJo Bloggs,01632 960111\n")
    assert problems(result) == [(3, "name", "The same person as line 2.")]


def test_line_numbers_follow_the_file_through_quoted_line_breaks_and_blank_lines(personas, ledger):
    text = ('name;postal_address;email\n"Ann";"1 High Street\nMillbrook";ann@example.org\n\n'
            'Ben;"2 Low Road";bad-email\n')  # semicolons, as spreadsheets in many languages write
    result = csvio.check(ledger.bank, text)
    assert [row.line for row in result.rows] == [2, 5]
    assert problems(result) == [(5, "email", "“bad-email” is not a valid email address.")]
    assert result.rows[0].postal_address == "1 High Street\nMillbrook"


def test_unknown_and_repeated_columns_are_refused_on_line_one(personas, ledger):
    result = csvio.check(ledger.bank, "name,e-mail,name\nAnn,ann@example.org,Ann\n")
    assert [(p.line, p.column) for p in result.problems] == [(1, "e_mail"), (1, "name")]
    with pytest.raises(csvio.ImportFileError, match="name the columns"):
        csvio.check(ledger.bank, "email\nann@example.org\n")
    with pytest.raises(csvio.ImportFileError, match="not UTF-8"):
        csvio.check(ledger.bank, "name\nJos\xe9\n".encode("latin-1"))
    with pytest.raises(csvio.ImportFileError, match="empty"):
        csvio.check(ledger.bank, b"")
    assert problems(csvio.check(ledger.bank, "name\n")) == [(2, "", "The file has no rows under its header.")]


def test_a_dry_run_of_a_good_file_imports_nothing(personas, ledger):
    before = counts()
    result = csvio.import_members(personas["broker"], ledger.bank, HEADER + "Gwen,gwen@example.org,,,,,,60\n",
                                  dry_run=True)
    assert result.ok and result.dry_run and result.imported == 0
    assert counts() == before


def test_a_good_file_is_imported_in_full_through_the_services(personas, ledger):
    text = HEADER + "\n".join([
        "Gwen Good,gwen@example.org,+44 1632 960100,individual,active,,,90",
        "Hill Farm Shop,,01632 960200,Local business,active,120,none,-60",
        "Ivy Left,,,,left,,,",
        "Jo Quiet,,,group,suspended,,300,0",
    ]) + "\n"
    result = csvio.import_members(personas["broker"], ledger.bank, text.encode("utf-8-sig"), filename="paper.csv")
    assert result.ok and result.imported == 4
    members = {m.person.name: m for m in TimebankMember.objects.filter(timebank=ledger.bank)
               .select_related("person", "account")}
    gwen, shop, ivy, jo = (members[n] for n in ("Gwen Good", "Hill Farm Shop", "Ivy Left", "Jo Quiet"))
    assert (gwen.person.email, gwen.person.phone, gwen.account.balance_minutes) == (
        "gwen@example.org", "+44 1632 960100", 90)
    assert (shop.kind, shop.overdraft_limit_minutes, shop.no_max_balance, shop.account.balance_minutes) == (
        "business", 120, True, -60)
    assert (ivy.status, jo.status, jo.kind, jo.max_balance_minutes) == ("left", "suspended", "group", 300)
    assert gwen.person.is_assisted and gwen.agreement_version == ledger.bank.current_agreement()
    opening = Transfer.objects.get(to_account=gwen.account)
    assert (opening.kind, opening.channel) == ("opening_balance", "import")
    assert AuditEntry.objects.filter(action="timebank.member.register", channel="import").count() == 4
    assert AuditEntry.objects.filter(action="timebank.members.import", details__rows=4).exists()
    from coproduce.timebank import ledger as books

    assert books.verify().ok


def test_a_failure_during_the_import_undoes_every_line(personas, ledger, monkeypatch):
    from django.core.exceptions import ValidationError

    from coproduce.timebank import services

    real = services.record_opening_balance

    def fails_on_the_second(actor, member, minutes, *args, **kwargs):
        if member.person.name == "Second":
            raise ValidationError({"minutes": ["The community pot is closed."]})
        return real(actor, member, minutes, *args, **kwargs)

    monkeypatch.setattr(services, "record_opening_balance", fails_on_the_second)
    before = counts()
    result = csvio.import_members(personas["broker"], ledger.bank, "name,opening_balance_minutes\nFirst,10\nSecond,20\n")
    assert counts() == before
    assert result.imported == 0 and problems(result) == [(3, "minutes", "The community pot is closed.")]
    assert all(row.member is None for row in result.rows)
