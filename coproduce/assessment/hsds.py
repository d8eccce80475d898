"""Open Referral HSDS 3.0 input and output for the service directory.

Two forms of the same data:
- a tabular data package: a zip of CSV files named as the HSDS 3.0 tabular schema names them
  (`organizations.csv`, `services.csv`, `service_at_location.csv`, `locations.csv`, `phones.csv`,
  `addresses.csv`, `schedules.csv`, `service_areas.csv`, `languages.csv`: `PATHS`, in the schema's
  order) plus `datapackage.json`; on import the singular names of older packages (`service.csv`, …)
  are read too;
- JSON: a list of HSDS `service` objects with their organization, phones, schedules, languages,
  service_areas and service_at_locations (each with its location and addresses) nested.

Both are read into the same plain "tables" ({table: [row dict of strings]}) which `validate` checks
row by row; `coproduce.assessment.services.import_hsds` writes them only when every row is good.
The extension column `audience` ("for whom") is ours; HSDS permits additional fields.
"""

import csv
import io
import json
import re
import uuid
import zipfile
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext as _

# The tables we read and write, in the order of the HSDS 3.0 tabular schema, with our columns.
TABLES: dict[str, list[str]] = {
    "organization": ["id", "name", "alternate_name", "description", "email", "website", "parent_organization_id"],
    "service": ["id", "organization_id", "name", "alternate_name", "description", "url", "email", "status",
                "application_process", "fees_description", "eligibility_description", "minimum_age",
                "maximum_age", "last_modified", "audience"],
    "service_at_location": ["id", "service_id", "location_id", "description"],
    "location": ["id", "location_type", "organization_id", "name", "description", "latitude", "longitude"],
    "phone": ["id", "service_id", "location_id", "number", "type", "description"],
    "address": ["id", "location_id", "address_1", "city", "state_province", "postal_code", "country",
                "address_type"],
    "schedule": ["id", "service_id", "location_id", "freq", "byday", "opens_at", "closes_at", "description"],
    "service_area": ["id", "service_id", "name", "description", "uri"],
    "language": ["id", "service_id", "name", "code", "note"],
}
# Each table's file in a data package: the `path` the HSDS 3.0 tabular schema gives it.
PATHS: dict[str, str] = {
    "organization": "organizations.csv", "service": "services.csv",
    "service_at_location": "service_at_location.csv", "location": "locations.csv", "phone": "phones.csv",
    "address": "addresses.csv", "schedule": "schedules.csv", "service_area": "service_areas.csv",
    "language": "languages.csv",
}
REQUIRED_TABLES = ("organization", "service")
SERVICE_STATUSES = ("active", "inactive", "defunct", "temporarily closed")
AREA_URI = "urn:coproduce:area:"
MAX_ROWS = 50_000
DAY_RE = re.compile(r"^(MO|TU|WE|TH|FR|SA|SU)(,(MO|TU|WE|TH|FR|SA|SU))*$")
TIME_RE = re.compile(r"^([01]?\d|2[0-3]):[0-5]\d(:[0-5]\d)?(Z|[+-]\d{2}:\d{2})?$")


class HsdsError(Exception):
    """The file cannot be read at all (not a zip, not JSON, missing tables)."""


# --- writing -----------------------------------------------------------------------------------


def datapackage(tables: dict) -> dict:
    return {
        "name": "coproduce-service-directory",
        "profile": "tabular-data-package",
        "title": "Service directory (Open Referral HSDS 3.0)",
        "resources": [
            {"name": name, "path": PATHS[name], "profile": "tabular-data-resource", "format": "csv",
             "mediatype": "text/csv", "encoding": "utf-8",
             "schema": {"fields": [{"name": col, "type": "string"} for col in TABLES[name]], "primaryKey": "id"}}
            for name in TABLES if name in tables
        ],
    }


def to_zip(tables: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, columns in TABLES.items():
            out = io.StringIO()
            writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
            writer.writeheader()
            for row in tables.get(name, []):
                writer.writerow({col: row.get(col, "") for col in columns})
            archive.writestr(PATHS[name], out.getvalue())
        archive.writestr("datapackage.json", json.dumps(datapackage(tables), indent=2))
    return buffer.getvalue()


def to_json(tables: dict) -> list[dict]:
    """Nest the tables into HSDS `service` objects."""

    def by(table, key):
        index: dict[str, list] = {}
        for row in tables.get(table, []):
            if row.get(key):
                index.setdefault(row[key], []).append(dict(row))
        return index

    organizations = {row["id"]: dict(row) for row in tables.get("organization", [])}
    locations = {row["id"]: dict(row) for row in tables.get("location", [])}
    addresses = by("address", "location_id")
    phones, schedules = by("phone", "service_id"), by("schedule", "service_id")
    languages, areas, sals = by("language", "service_id"), by("service_area", "service_id"), by(
        "service_at_location", "service_id")
    result = []
    for row in tables.get("service", []):
        item = dict(row)
        item["organization"] = organizations.get(row["organization_id"])
        item["phones"] = phones.get(row["id"], [])
        item["schedules"] = schedules.get(row["id"], [])
        item["languages"] = languages.get(row["id"], [])
        item["service_areas"] = areas.get(row["id"], [])
        item["service_at_locations"] = []
        for sal in sals.get(row["id"], []):
            location = dict(locations.get(sal["location_id"], {}))
            if location:
                location["addresses"] = addresses.get(location["id"], [])
            item["service_at_locations"].append(sal | {"location": location or None})
        result.append(item)
    return result


# --- reading -----------------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip()


def from_zip(data: bytes) -> dict:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise HsdsError(_("This is not a zip file.")) from None
    names = {name.rsplit("/", 1)[-1]: name for name in archive.namelist()}
    tables: dict[str, list[dict]] = {}
    total = 0
    for table in TABLES:
        file = PATHS[table] if PATHS[table] in names else f"{table}.csv"  # HSDS 3 name, else the old one
        member = names.get(file)
        if member is None:
            continue
        if archive.getinfo(member).file_size > 50 * 1024 * 1024:
            raise HsdsError(_("%(file)s is too large.") % {"file": file})
        try:
            text = archive.read(member).decode("utf-8-sig")
        except UnicodeDecodeError:
            raise HsdsError(_("%(file)s is not UTF-8.") % {"file": file}) from None
        reader = csv.DictReader(io.StringIO(text))
        if "id" not in (reader.fieldnames or []):
            raise HsdsError(_("%(file)s has no id column.") % {"file": file})
        rows = [{k: _text(v) for k, v in row.items() if k} for row in reader]
        total += len(rows)
        if total > MAX_ROWS:
            raise HsdsError(_("More than %(n)s rows.") % {"n": MAX_ROWS})
        tables[table] = rows
    missing = [PATHS[t] for t in REQUIRED_TABLES if t not in tables]
    if missing:
        raise HsdsError(_("The package has no %(files)s.") % {"files": ", ".join(missing)})
    return tables


def from_json(data) -> dict:
    """HSDS service objects (a list, or an API page with `contents`) → tables."""
    if isinstance(data, (bytes, str)):
        try:
            data = json.loads(data)
        except (ValueError, UnicodeDecodeError):
            raise HsdsError(_("This is not valid JSON.")) from None
    if isinstance(data, dict):
        data = data.get("contents", [data] if "id" in data else None)
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise HsdsError(_("Expected a list of HSDS service objects."))
    if len(data) > MAX_ROWS:
        raise HsdsError(_("More than %(n)s services.") % {"n": MAX_ROWS})
    tables: dict[str, dict[str, dict]] = {name: {} for name in TABLES}
    extra_rows: dict[str, list[dict]] = {name: [] for name in TABLES}

    def put(table, obj, **links):
        if not isinstance(obj, dict):
            return
        row = {col: _text(obj.get(col)) for col in TABLES[table]} | {k: _text(v) for k, v in links.items()}
        if row["id"] and row["id"] in tables[table]:
            return
        if row["id"]:
            tables[table][row["id"]] = row
        else:
            extra_rows[table].append(row)  # reported as missing id by validate

    for service in data:
        organization = service.get("organization")
        if isinstance(organization, dict):
            put("organization", organization)
        org_id = service.get("organization_id") or (organization.get("id") if isinstance(organization, dict) else "")
        put("service", service, organization_id=org_id)
        sid = _text(service.get("id"))
        for table, key in (("phone", "phones"), ("schedule", "schedules"), ("language", "languages"),
                           ("service_area", "service_areas")):
            for obj in service.get(key) or []:
                put(table, obj, service_id=sid)
        for sal in service.get("service_at_locations") or []:
            if not isinstance(sal, dict):
                continue
            location = sal.get("location")
            location_id = _text(sal.get("location_id") or (location or {}).get("id"))
            if isinstance(location, dict):
                put("location", location)
                for address in location.get("addresses") or []:
                    put("address", address, location_id=_text(location.get("id")))
            put("service_at_location", sal, service_id=sid, location_id=location_id)
    return {name: list(rows.values()) + extra_rows[name] for name, rows in tables.items()}


# --- validation --------------------------------------------------------------------------------


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except (ValueError, AttributeError):
        return False
    return True


def _number(value: str, low, high) -> bool:
    try:
        number = Decimal(value)
    except InvalidOperation:
        return False
    return number.is_finite() and low <= number <= high


def validate(tables: dict, *, area_lookup) -> list[dict]:
    """Every problem in the tables as {table, row, field, message}; `row` is the line in the CSV file
    (the header is line 1). `area_lookup(name, uri)` returns an Area or None."""
    errors: list[dict] = []

    def err(table, index, field, message):
        errors.append({"table": table, "row": index + 2, "field": field, "message": message})

    ids: dict[str, set[str]] = {}
    for table in TABLES:
        seen: set[str] = set()
        for i, row in enumerate(tables.get(table, [])):
            value = row.get("id", "")
            if not value:
                err(table, i, "id", _("An id is required."))
            elif not _is_uuid(value):
                err(table, i, "id", _("The id must be a UUID."))
            elif value in seen:
                err(table, i, "id", _("This id is used twice."))
            seen.add(value)
        ids[table] = seen

    def ref(table, i, row, field, target, required=False):
        value = row.get(field, "")
        if not value:
            if required:
                err(table, i, field, _("A %(field)s is required.") % {"field": field})
            return
        if value not in ids[target]:
            err(table, i, field, _("No %(table)s with id %(id)s in this package.") % {"table": target, "id": value})

    for i, row in enumerate(tables.get("organization", [])):
        if not row.get("name"):
            err("organization", i, "name", _("A name is required."))
    for i, row in enumerate(tables.get("service", [])):
        if not row.get("name"):
            err("service", i, "name", _("A name is required."))
        elif len(row["name"]) > 160:
            err("service", i, "name", _("The name is longer than 160 characters."))
        ref("service", i, row, "organization_id", "organization", required=True)
        if row.get("status") and row["status"] not in SERVICE_STATUSES:
            err("service", i, "status", _("Status must be one of: %(values)s.") % {"values": ", ".join(SERVICE_STATUSES)})
        if row.get("email"):
            try:
                validate_email(row["email"])
            except ValidationError:
                err("service", i, "email", _("Not a valid email address."))
        if row.get("url"):
            try:
                URLValidator()(row["url"])
            except ValidationError:
                err("service", i, "url", _("Not a valid URL."))
        for field in ("minimum_age", "maximum_age"):
            if row.get(field) and not (row[field].isdigit() and int(row[field]) <= 150):
                err("service", i, field, _("Give an age in whole years."))
    for i, row in enumerate(tables.get("location", [])):
        if row.get("location_type") and row["location_type"] not in ("physical", "postal", "virtual"):
            err("location", i, "location_type", _("Must be physical, postal or virtual."))
        if row.get("latitude") and not _number(row["latitude"], -90, 90):
            err("location", i, "latitude", _("Not a latitude."))
        if row.get("longitude") and not _number(row["longitude"], -180, 180):
            err("location", i, "longitude", _("Not a longitude."))
        ref("location", i, row, "organization_id", "organization")
    for i, row in enumerate(tables.get("address", [])):
        ref("address", i, row, "location_id", "location", required=True)
        if not row.get("address_1"):
            err("address", i, "address_1", _("The first line of the address is required."))
    for i, row in enumerate(tables.get("service_at_location", [])):
        ref("service_at_location", i, row, "service_id", "service", required=True)
        ref("service_at_location", i, row, "location_id", "location", required=True)
    for i, row in enumerate(tables.get("phone", [])):
        if not row.get("number"):
            err("phone", i, "number", _("A number is required."))
        ref("phone", i, row, "service_id", "service")
        ref("phone", i, row, "location_id", "location")
        if not row.get("service_id") and not row.get("location_id"):
            err("phone", i, "service_id", _("A phone belongs to a service or a location."))
    for i, row in enumerate(tables.get("schedule", [])):
        ref("schedule", i, row, "service_id", "service")
        ref("schedule", i, row, "location_id", "location")
        if not row.get("service_id") and not row.get("location_id"):
            err("schedule", i, "service_id", _("A schedule belongs to a service or a location."))
        if row.get("freq") and row["freq"] not in ("WEEKLY", "MONTHLY"):
            err("schedule", i, "freq", _("Must be WEEKLY or MONTHLY."))
        if row.get("byday") and not DAY_RE.match(row["byday"].replace(" ", "").upper()):
            err("schedule", i, "byday", _("Days must be like MO,TU,WE."))
        for field in ("opens_at", "closes_at"):
            if row.get(field) and not TIME_RE.match(row[field]):
                err("schedule", i, field, _("Give a time as HH:MM."))
        if bool(row.get("opens_at")) != bool(row.get("closes_at")):
            err("schedule", i, "closes_at", _("Give both the opening and the closing time."))
    for i, row in enumerate(tables.get("language", [])):
        ref("language", i, row, "service_id", "service", required=True)
        if not (row.get("code") or row.get("name")):
            err("language", i, "code", _("A language code or name is required."))
    for i, row in enumerate(tables.get("service_area", [])):
        ref("service_area", i, row, "service_id", "service", required=True)
        if area_lookup(row.get("name", ""), row.get("uri", "")) is None:
            err("service_area", i, "name", _("Unknown area %(area)s.") % {"area": repr(row.get("name") or row.get("uri"))})
    return errors
