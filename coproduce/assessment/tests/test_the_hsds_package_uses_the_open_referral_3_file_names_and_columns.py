"""The HSDS CSV package we export names its files and columns as the Open Referral HSDS 3.0 tabular
schema does (an excerpt of the official schema is in fixtures/hsds_3_tabular_excerpt.json): every
table's `path`, in the schema's order, with at least its required columns and no columns the schema
does not know except our documented extension `audience`. Import reads the HSDS 3 names and the
singular names of older packages; its errors are translated."""

import csv
import io
import json
import uuid
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from coproduce.assessment import hsds, services
from coproduce.assessment.models import Service

SPEC = {name: table for name, table in json.loads(
    (Path(__file__).parent / "fixtures" / "hsds_3_tabular_excerpt.json").read_text()).items()
    if not name.startswith("_")}
EXTENSIONS = {"service": {"audience"}}


def package(personas, world, care, client) -> dict[str, bytes]:
    """The export of a directory with a service at a location with an address and a phone."""
    org, svc, loc = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
    services.import_hsds(personas["broker"], world.group, {
        "organization": [{"id": org, "name": "Imported Org", "description": "x"}],
        "service": [{"id": svc, "organization_id": org, "name": "Lunch club", "status": "active"}],
        "location": [{"id": loc, "location_type": "physical", "name": "Hall"}],
        "address": [{"id": str(uuid.uuid4()), "location_id": loc, "address_1": "1 High St", "city": "Testville"}],
        "service_at_location": [{"id": str(uuid.uuid4()), "service_id": svc, "location_id": loc}],
        "phone": [{"id": str(uuid.uuid4()), "service_id": svc, "number": "01632 960777"}],
    })
    archive = zipfile.ZipFile(io.BytesIO(client.get("/services/export.zip").content))
    return {name: archive.read(name) for name in archive.namelist()}


def rows(data: bytes) -> tuple[list[str], list[dict]]:
    reader = csv.DictReader(io.StringIO(data.decode()))
    return list(reader.fieldnames), list(reader)


def test_the_files_are_named_and_ordered_as_the_specification_says(personas, world, care, client):
    files = package(personas, world, care, client)
    assert set(files) == {table["path"] for table in SPEC.values()} | {"datapackage.json"}
    resources = json.loads(files["datapackage.json"])["resources"]
    assert [(r["name"], r["path"]) for r in resources] == [
        (name, table["path"]) for name, table in sorted(SPEC.items(), key=lambda item: item[1]["order"])]
    for resource in resources:
        assert [f["name"] for f in resource["schema"]["fields"]] == rows(files[resource["path"]])[0]


@pytest.mark.parametrize("table", sorted(SPEC))
def test_each_table_has_the_required_columns_and_only_columns_the_specification_knows(personas, world, care,
                                                                                       client, table):
    spec = SPEC[table]
    header, data = rows(package(personas, world, care, client)[spec["path"]])
    assert set(spec["required"]) | set(spec["tabular_required"]) <= set(header)
    assert set(header) - set(spec["columns"]) <= EXTENSIONS.get(table, set())
    if table in ("organization", "service", "service_at_location", "location", "phone", "address"):
        assert data, table
    for row in data:  # ids and the links a CSV row needs are always filled in
        assert all(row[field] for field in ["id", *spec["tabular_required"]]), row
    if table == "service":
        assert {row["status"] for row in data} == {"active"}


def zipped(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def small_package(names: dict[str, str]) -> bytes:
    org, svc = str(uuid.uuid4()), str(uuid.uuid4())
    return zipped({
        names["organization"]: f"id,name,description\n{org},Lunch Org,Lunches\n",
        names["service"]: f"id,organization_id,name,status\n{svc},{org},Lunch club,active\n",
        names["phone"]: f"id,service_id,number\n{uuid.uuid4()},{svc},01632 960123\n",
    })


@pytest.mark.parametrize("names", [
    {"organization": "organizations.csv", "service": "services.csv", "phone": "phones.csv"},
    {"organization": "organization.csv", "service": "service.csv", "phone": "phone.csv"},  # before HSDS 3
], ids=["hsds-3", "older-singular-names"])
def test_import_reads_the_specification_names_and_the_older_singular_names(personas, world, names):
    tables = hsds.from_zip(small_package(names))
    services.import_hsds(personas["broker"], world.group, tables)
    service = Service.objects.get(organisation=world.group)
    assert service.name == "Lunch club" and service.phones.get().number == "01632 960123"


def test_a_package_without_services_is_refused_in_the_readers_language():
    data = zipped({"organizations.csv": f"id,name\n{uuid.uuid4()},Org\n"})
    with pytest.raises(hsds.HsdsError) as caught:
        hsds.from_zip(data)
    assert str(caught.value) == "The package has no services.csv."
    with translation.override("de"), pytest.raises(hsds.HsdsError) as caught:
        hsds.from_zip(data)
    assert str(caught.value) == "Das Paket enthält keine services.csv."
    with translation.override("de"), pytest.raises(hsds.HsdsError) as caught:
        hsds.from_zip(b"not a zip")
    assert str(caught.value) == "Das ist keine ZIP-Datei."


def test_bad_rows_are_reported_in_the_readers_language(personas, world):
    tables = hsds.from_zip(small_package(
        {"organization": "organizations.csv", "service": "services.csv", "phone": "phones.csv"}))
    tables["service"][0]["status"] = "open"
    tables["phone"][0]["number"] = ""
    with translation.override("de"), pytest.raises(ValidationError) as caught:
        services.import_hsds(personas["broker"], world.group, tables)
    assert caught.value.message_dict["file"] == [
        "services.csv Zeile 2, status: Der Status muss einer von diesen sein: active, inactive, defunct, "
        "temporarily closed.",
        "phones.csv Zeile 2, number: Eine Nummer ist erforderlich."]
    assert not Service.objects.filter(organisation=world.group).exists()
