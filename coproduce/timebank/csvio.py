"""Members into a bank from CSV; members, offers and transfers out of it as CSV or JSON.

Import (`import_members`): the file is read and every row checked first, collecting every problem
with its line number and a reason: a missing name, a bad email address or phone number, an unknown
kind or status, limits and opening balances that are not whole minutes or break the bank's limits,
the same person twice in the file, someone who is already a member of the bank, an email address
already registered on the platform. With a single problem, or on a dry run, nothing is written.
Otherwise every row is registered through `timebank.services` (`register_member`, `set_member_limits`,
`record_opening_balance`, `set_member_status`; each checks permission and writes the audit log,
channel "import") in one transaction: if anything still fails, nothing stays written.

Columns (a header row is required; names are case-insensitive, commas, semicolons or tabs):
  name (required), email, phone, postal_address, kind (individual, group, organisation, business),
  status (active, suspended, left; empty: active), overdraft_limit_minutes and max_balance_minutes
  (empty: the bank's default; max "none": no maximum), opening_balance_minutes (or balance_minutes,
  as exported; whole minutes, may be negative); birth_date (YYYY-MM-DD), is_child (yes/no), and for a
  child (under 18 by birth_date, or is_child yes) the guardian's consent: guardian_name,
  guardian_relationship, guardian_consent_on (YYYY-MM-DD), guardian_consent_channel (in_person, paper,
  phone, web), checked by `services.check_guardian`.
Columns the export writes for information (member_id, joined_at, ...) are ignored; any other
column is refused, so that a misspelt column never silently drops data.

Export (`member_rows`, `offer_rows`, `transfer_rows`, `write_csv`, `write_json`): the exported members file
imports into another bank unchanged (a round trip), the balance becoming the opening balance.
"""

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Lower
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from coproduce.core import audit
from coproduce.core.audit import Channel
from coproduce.core.models import Person
from coproduce.core.permissions import require

from . import services
from .models import Timebank, TimebankMember, Transfer

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
COLUMNS = ("name", "email", "phone", "postal_address", "kind", "status", "overdraft_limit_minutes",
           "max_balance_minutes", "opening_balance_minutes", "birth_date", "is_child", "guardian_name",
           "guardian_relationship", "guardian_consent_on", "guardian_consent_channel")
YES, NO = {"yes", "y", "true", "1", "ja", "x"}, {"", "no", "n", "false", "0", "nein"}
ALIASES = {"balance_minutes": "opening_balance_minutes"}
IGNORED = {"member_id", "joined_at", "agreement_version", "agreement_accepted_at", "timebank"}
STATUSES = {TimebankMember.Status.ACTIVE, TimebankMember.Status.SUSPENDED, TimebankMember.Status.LEFT}
PHONE = re.compile(r"^\+?[0-9 ()./-]+$")
WHOLE = re.compile(r"^[+-]?[0-9]+$")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class ImportFileError(ValueError):
    """The file as a whole cannot be read (not text, no header, too big)."""


@dataclass
class Problem:
    line: int
    column: str
    message: str


@dataclass
class Row:
    line: int
    values: dict[str, str]
    name: str = ""
    email: str = ""
    phone: str = ""
    postal_address: str = ""
    kind: str = TimebankMember.Kind.INDIVIDUAL
    status: str = TimebankMember.Status.ACTIVE
    overdraft: int | None = None
    max_balance: int | None = None
    no_max_balance: bool = False
    opening: int = 0
    birth_date: date | None = None
    is_child: bool = False
    guardian: dict = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    member: TimebankMember | None = None

    def problem(self, column: str, message: str) -> None:
        self.problems.append(Problem(self.line, column, message))


@dataclass
class ImportResult:
    dry_run: bool
    rows: list[Row] = field(default_factory=list)
    file_problems: list[Problem] = field(default_factory=list)
    imported: int = 0

    @property
    def problems(self) -> list[Problem]:
        return self.file_problems + [p for row in self.rows for p in row.problems]

    @property
    def ok(self) -> bool:
        return not self.problems


# --- reading -------------------------------------------------------------------------------------


def _text(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    if len(data) > MAX_BYTES:
        raise ImportFileError(_("The file is larger than 5 MB; split it into smaller files."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(_("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again.")) from None


def _unescape(value: str) -> str:
    """The export writes text starting like a formula with a leading apostrophe: take it off."""
    value = value.strip()
    if value[:1] == "'" and value[1:2] in FORMULA_START:
        return value[1:]
    return value


def read(data: bytes | str) -> tuple[list[str], list[Row], list[Problem]]:
    """The header (normalised names), the rows with the line each starts on, and file problems."""
    text = _text(data)
    if not text.strip():
        raise ImportFileError(_("The file is empty."))
    first = text.splitlines()[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [cell.strip().lower().replace(" ", "_").replace("-", "_") for cell in next(reader)]
    except csv.Error as exc:
        raise ImportFileError(_("Line 1: %(error)s") % {"error": exc}) from None
    header = [ALIASES.get(name, name) for name in header]
    problems = []
    if "name" not in header:
        raise ImportFileError(_("The first line must name the columns, including “name”."))
    for index, name in enumerate(header):
        if name in header[:index]:
            problems.append(Problem(1, name, _("The column “%(column)s” appears twice.") % {"column": name}))
        elif name not in COLUMNS and name not in IGNORED:
            problems.append(Problem(1, name, _("Unknown column “%(column)s”. Known columns: %(known)s.")
                                    % {"column": name, "known": ", ".join(COLUMNS)}))
    rows: list[Row] = []
    line = 2
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(Problem(line, "", _("This line cannot be read: %(error)s") % {"error": exc}))
            break
        start, line = line, reader.line_num + 1
        if not any(cell.strip() for cell in cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise ImportFileError(_("The file has more than %(max)s rows; split it into smaller files.")
                                  % {"max": MAX_ROWS})
        row = Row(start, {name: _unescape(cell) for name, cell in zip(header, cells)})
        if len(cells) > len(header):
            row.problem("", _("This row has %(cells)s cells but the header names %(columns)s columns.")
                        % {"cells": len(cells), "columns": len(header)})
        rows.append(row)
    return header, rows, problems


# --- checking ------------------------------------------------------------------------------------


def _whole(row: Row, column: str, *, signed: bool) -> int | None:
    value = row.values.get(column, "")
    if value == "":
        return None
    if not WHOLE.match(value) or (not signed and value.startswith("-")):
        row.problem(column, _("Give a whole number of minutes (for example 90), not “%(value)s”.")
                    % {"value": value[:40]} if signed else
                    _("Give a whole number of minutes of zero or more (for example 600), not “%(value)s”.")
                    % {"value": value[:40]})
        return None
    number = int(value)
    if abs(number) > services.MAX_MINUTES:
        row.problem(column, _("This number of minutes is too large."))
        return None
    return number


def _kind(value: str) -> str | None:
    """A kind given as its value ("business") or its label, in English or the current language."""
    wanted = value.strip().casefold()
    if not wanted:
        return TimebankMember.Kind.INDIVIDUAL
    with translation.override("en"):
        english = {str(label).casefold(): kind for kind, label in TimebankMember.Kind.choices}
    local = {str(label).casefold(): kind for kind, label in TimebankMember.Kind.choices}
    if wanted in TimebankMember.Kind.values:
        return wanted
    return local.get(wanted) or english.get(wanted)


def _date(row: Row, column: str) -> date | None:
    value = row.values.get(column, "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        row.problem(column, _("Give a date as YYYY-MM-DD, not “%(value)s”.") % {"value": value[:40]})
        return None


def _check_child(row: Row) -> None:
    """A child's row carries the guardian's consent: the service's own rule, as problems by column."""
    v = row.values
    row.birth_date = _date(row, "birth_date")
    flag = v.get("is_child", "").strip().casefold()
    if flag not in YES | NO:
        row.problem("is_child", _("Write yes or no, not “%(value)s”.") % {"value": flag[:40]})
    row.is_child = flag in YES
    consent_on = _date(row, "guardian_consent_on")
    if "guardian_consent_on" in [p.column for p in row.problems]:
        return
    row.guardian = {"guardian_name": v.get("guardian_name", ""),
                    "guardian_relationship": v.get("guardian_relationship", ""),
                    "guardian_consent_on": consent_on,
                    "guardian_consent_channel": v.get("guardian_consent_channel", "").strip().lower()}
    try:
        services.check_guardian(row.birth_date, row.is_child, row.guardian)
    except ValidationError as exc:
        for column, messages in exc.message_dict.items():
            for message in messages:
                row.problem(column, message)


def _check_row(row: Row, bank: Timebank) -> None:
    v = row.values
    _check_child(row)
    row.name = " ".join(v.get("name", "").split())
    if not row.name:
        row.problem("name", _("Give the member's name."))
    elif len(row.name) > 160:
        row.problem("name", _("Keep the name under 160 characters."))
    row.email = v.get("email", "")
    if row.email:
        try:
            validate_email(row.email)
        except ValidationError:
            row.problem("email", _("“%(value)s” is not a valid email address.") % {"value": row.email[:80]})
    row.phone = v.get("phone", "")
    if row.phone:
        digits = re.sub(r"\D", "", row.phone)
        if len(row.phone) > 40 or not PHONE.match(row.phone) or not 6 <= len(digits) <= 15:
            row.problem("phone", _("“%(value)s” is not a phone number (6 to 15 digits; spaces, +, -, brackets "
                                   "allowed).") % {"value": row.phone[:40]})
    row.postal_address = v.get("postal_address", "")
    kind = _kind(v.get("kind", ""))
    if kind is None:
        row.problem("kind", _("Unknown kind “%(value)s”: use one of %(kinds)s.")
                    % {"value": v["kind"][:40], "kinds": ", ".join(TimebankMember.Kind.values)})
    else:
        row.kind = kind
    status = v.get("status", "").strip().lower() or TimebankMember.Status.ACTIVE
    if status not in STATUSES:
        row.problem("status", _("Unknown status “%(value)s”: use active, suspended or left (requests to join "
                                "cannot be imported).") % {"value": status[:40]})
    else:
        row.status = status
    row.overdraft = _whole(row, "overdraft_limit_minutes", signed=False)
    if v.get("max_balance_minutes", "").lower() in ("none", "no maximum", "-"):
        row.no_max_balance = True
    else:
        row.max_balance = _whole(row, "max_balance_minutes", signed=False)
    opening = _whole(row, "opening_balance_minutes", signed=True)
    if opening is not None:
        row.opening = opening
        floor = -(row.overdraft if row.overdraft is not None else bank.overdraft_limit_minutes)
        ceiling = None if row.no_max_balance else (
            row.max_balance if row.max_balance is not None else bank.max_balance_minutes)
        if opening < floor:
            row.problem("opening_balance_minutes", _("%(value)s minutes is past the overdraft limit of %(limit)s "
                                                     "minutes.") % {"value": opening, "limit": -floor})
        if ceiling is not None and opening > ceiling:
            row.problem("opening_balance_minutes", _("%(value)s minutes is above the maximum balance of "
                                                     "%(limit)s minutes.") % {"value": opening, "limit": ceiling})


def _identity(name: str, email: str, phone: str) -> tuple:
    """Who a row (or a member) is, for finding duplicates: the email address if there is one,
    else the name with the phone number's digits."""
    if email:
        return ("email", email.casefold())
    return ("name", " ".join(name.split()).casefold(), re.sub(r"\D", "", phone))


def _check_duplicates(rows: list[Row], bank: Timebank) -> None:
    seen: dict[tuple, int] = {}
    for row in rows:
        if not row.name:
            continue
        key = _identity(row.name, row.email, row.phone)
        if key in seen:
            row.problem("email" if key[0] == "email" else "name",
                        _("The same person as line %(line)s.") % {"line": seen[key]})
        else:
            seen[key] = row.line
    existing: dict[tuple, tuple[int, str]] = {}
    for pk, name, email, phone in TimebankMember.objects.filter(timebank=bank).values_list(
        "pk", "person__name", "person__email", "person__phone"
    ):
        existing[_identity(name, email, phone)] = (pk, name)
    emails = {row.email.casefold() for row in rows if row.email}
    registered = set(
        Person.objects.annotate(lower=Lower("email")).filter(lower__in=emails, erased_at__isnull=True)
        .values_list("lower", flat=True)
    ) if emails else set()
    for row in rows:
        if not row.name:
            continue
        key = _identity(row.name, row.email, row.phone)
        if key in existing:
            pk, name = existing[key]
            row.problem("email" if key[0] == "email" else "name",
                        _("%(name)s is already a member of this bank (member %(id)s).") % {"name": name, "id": pk})
        elif row.email and row.email.casefold() in registered:
            row.problem("email", _("Someone with this email address is already registered on the platform; "
                                   "add them to the bank from their own record instead."))


def check(bank: Timebank, data: bytes | str) -> ImportResult:
    """Read and check a file without writing anything."""
    result = ImportResult(dry_run=True)
    _header, result.rows, result.file_problems = read(data)
    if not result.rows and not result.file_problems:
        result.file_problems.append(Problem(2, "", _("The file has no rows under its header.")))
    for row in result.rows:
        _check_row(row, bank)
    _check_duplicates(result.rows, bank)
    return result


class _Undo(Exception):
    pass


def import_members(actor, bank: Timebank, data: bytes | str, *, dry_run: bool = False, filename: str = "",
                   channel: str = Channel.IMPORT, progress: Callable[[int, int], None] | None = None) -> ImportResult:
    """Check the file; unless it is a dry run or any row has a problem, register every row (one
    transaction: all rows or none). The actor must manage the bank; the people in the file are
    taken to have agreed to be registered and to have accepted the bank's current member agreement
    (the page asks the broker to confirm this; the CLI's help says so)."""
    require(actor, "timebank.import_members", bank)
    result = check(bank, data)
    result.dry_run = dry_run
    if dry_run or not result.ok:
        return result
    try:
        with transaction.atomic():
            for done, row in enumerate(result.rows, 1):
                try:
                    row.member = _register(actor, bank, row, channel)
                except ValidationError as exc:
                    for column, messages in exc.message_dict.items() if hasattr(exc, "error_dict") else [
                        ("", exc.messages)
                    ]:
                        for message in messages:
                            row.problem(column, message)
                    raise _Undo from exc
                if progress:
                    progress(done, len(result.rows))
            audit.record(actor, "timebank.members.import", bank, organisation=bank.organisation, channel=channel,
                         details={"rows": len(result.rows), "file": filename[:200]})
    except _Undo:
        for row in result.rows:
            row.member = None
        return result
    result.imported = len(result.rows)
    return result


def _register(actor, bank: Timebank, row: Row, channel: str) -> TimebankMember:
    member = services.register_member(
        actor, bank, kind=row.kind, consent=True, agreement_accepted=True, channel=channel,
        name=row.name, email=row.email, phone=row.phone, postal_address=row.postal_address,
        is_child=row.is_child, guardian=row.guardian, **({"birth_date": row.birth_date} if row.birth_date else {}),
    )
    limits = {}
    if row.overdraft is not None:
        limits["overdraft_limit_minutes"] = row.overdraft
    if row.max_balance is not None:
        limits["max_balance_minutes"] = row.max_balance
    if row.no_max_balance:
        limits["no_max_balance"] = True
    if limits:
        services.set_member_limits(actor, member, channel=channel, **limits)
    if row.opening:
        services.record_opening_balance(actor, member, row.opening, _("Opening balance (imported)"),
                                        channel=channel)
    if row.status != TimebankMember.Status.ACTIVE:
        services.set_member_status(actor, member, row.status, note=_("Imported"), channel=channel)
    return member


# --- export --------------------------------------------------------------------------------------

MEMBER_COLUMNS = ["member_id", "name", "email", "phone", "postal_address", "kind", "status", "joined_at",
                  "agreement_version", "overdraft_limit_minutes", "max_balance_minutes", "balance_minutes"]
TRANSFER_COLUMNS = ["id", "occurred_on", "recorded_at", "kind", "minutes", "reason", "from_account",
                    "from_kind", "from_member", "from_name", "to_account", "to_kind", "to_member", "to_name",
                    "reverses", "linked", "channel"]
OFFER_COLUMNS = ["id", "member_id", "member_name", "category", "description", "neighbourhood", "regular", "until",
                 "home_visit", "involves_children", "involves_vulnerable_adults", "sensitive", "status", "created_at"]
WHAT = {"members": MEMBER_COLUMNS, "offers": OFFER_COLUMNS, "transfers": TRANSFER_COLUMNS}


def member_rows(bank: Timebank) -> Iterator[dict]:
    """Every member of the bank, in the import's columns (one query)."""
    rows = TimebankMember.objects.filter(timebank=bank).order_by("pk").values_list(
        "pk", "person__name", "person__email", "person__phone", "person__postal_address", "kind", "status",
        "joined_at", "agreement_version__version", "overdraft_limit_minutes", "max_balance_minutes",
        "no_max_balance", "account__balance_minutes",
    )
    for pk, name, email, phone, address, kind, status, joined, version, over, most, no_max, balance in rows:
        yield dict(zip(MEMBER_COLUMNS, [
            pk, name, email, phone, address, kind, status, joined, version, over, "none" if no_max else most,
            balance,
        ]))


def transfer_rows(bank: Timebank) -> Iterator[dict]:
    """Every transfer in the bank's books, oldest first (one query, read in chunks)."""
    rows = Transfer.objects.filter(timebank=bank).order_by("created_at", "pk").values_list(
        "pk", "occurred_on", "created_at", "kind", "minutes", "reason", "from_account_id", "from_account__kind",
        "from_account__member_id", "from_account__member__person__name", "to_account_id", "to_account__kind",
        "to_account__member_id", "to_account__member__person__name", "reverses_id",
        F("linked_id"), "channel",
    )
    for values in rows.iterator(chunk_size=2000):
        yield dict(zip(TRANSFER_COLUMNS, values))


def offer_rows(bank: Timebank) -> Iterator[dict]:
    """Every offer ("I can…") of the bank's members (one query)."""
    from .models import Offer

    rows = Offer.objects.filter(member__timebank=bank).order_by("pk").values_list(
        "pk", "member_id", "member__person__name", "category__slug", "description", "neighbourhood__name",
        "regular", "until", "home_visit", "involves_children", "involves_vulnerable_adults", "sensitive", "status",
        "created_at",
    )
    for values in rows.iterator(chunk_size=2000):
        yield dict(zip(OFFER_COLUMNS, values))


def rows_of(bank: Timebank, what: str) -> Iterator[dict]:
    return {"members": member_rows, "offers": offer_rows, "transfers": transfer_rows}[what](bank)


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _csv_cell(value):
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in FORMULA_START:
        return "'" + value  # spreadsheets would run it as a formula
    return value


class _Echo:
    def write(self, value):
        return value


def write_csv(columns: list[str], rows: Iterable[dict]) -> Iterator[str]:
    """CSV text, line by line (for a streaming response or a file)."""
    writer = csv.writer(_Echo())
    yield writer.writerow(columns)
    for row in rows:
        yield writer.writerow([_csv_cell(row[column]) for column in columns])


def write_json(bank: Timebank, what: str, rows: Iterable[dict]) -> Iterator[str]:
    """A JSON document, in pieces: {"timebank", "what", "exported_at", "items": [...]}."""
    head = {"timebank": bank.slug, "what": what, "exported_at": timezone.now().isoformat()}
    yield json.dumps(head)[:-1] + ', "items": ['
    for index, row in enumerate(rows):
        yield ("," if index else "") + json.dumps({key: _plain(value) for key, value in row.items()})
    yield "]}\n"


def export(actor, bank: Timebank, what: str, fmt: str, *, channel: str = Channel.WEB,
           as_system: bool = False) -> Iterator[str]:
    """Check permission, log the export (files hold personal data) and return the file's text in
    pieces. `what`: members or transfers; `fmt`: csv or json. `as_system`: the server's operator on
    the command line (no user; logged as the system)."""
    if not as_system:
        require(actor, "timebank.export_data", bank)
    if what not in WHAT or fmt not in ("csv", "json"):
        raise ValidationError({"what": [_("Export members, offers or transfers, as csv or json.")]})
    audit.record(actor, "timebank.export", bank, organisation=bank.organisation, channel=channel,
                 details={"what": what, "format": fmt})
    rows = rows_of(bank, what)
    return write_csv(WHAT[what], rows) if fmt == "csv" else write_json(bank, what, rows)
