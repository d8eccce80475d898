"""Export the directory as an HSDS CSV data package and as HSDS JSON; import validates every row and
imports nothing unless all are good."""

import csv
import io
import json
import uuid
import zipfile

import pytest
from django.core.exceptions import ValidationError

from coproduce.assessment import hsds, services
from coproduce.assessment.models import Location, Service
from coproduce.assessment.queries import build_tables
from coproduce.core.models import AuditEntry


def read_zip(data: bytes) -> dict:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return {name: archive.read(name) for name in archive.namelist()}


def test_export_is_a_data_package_with_the_core_tables(client, care):
    files = read_zip(client.get("/services/export.zip").content)
    for name in ("organizations.csv", "services.csv", "locations.csv", "service_at_location.csv", "phones.csv",
                 "schedules.csv", "languages.csv"):
        assert name in files
    package = json.loads(files["datapackage.json"])
    assert package["profile"] == "tabular-data-package"
    assert {r["path"] for r in package["resources"]} >= {"services.csv", "organizations.csv"}
    services_rows = list(csv.DictReader(io.StringIO(files["services.csv"].decode())))
    assert services_rows[0]["name"] == "Home Care" and services_rows[0]["status"] == "active"
    assert services_rows[0]["eligibility_description"] == "Adults in Testville"
    schedule = list(csv.DictReader(io.StringIO(files["schedules.csv"].decode())))[0]
    assert (schedule["byday"], schedule["opens_at"], schedule["closes_at"]) == ("MO,TU,WE,TH,FR", "09:00", "17:00")
    languages = {r["code"] for r in csv.DictReader(io.StringIO(files["languages.csv"].decode()))}
    assert languages == {"en", "pl"}
    data = json.loads(client.get("/services/export.json").content)
    assert data[0]["name"] == "Home Care" and data[0]["organization"]["name"] == "Social Care"
    assert data[0]["phones"][0]["number"] == "01632 960555"
    assert data[0]["service_areas"][0]["name"] == "Testville"


def test_import_of_an_export_into_another_organisation_recreates_the_services(personas, world, care):
    tables = build_tables(Service.objects.all())
    # the same file as new services: fresh ids
    mapping = {row["id"]: str(uuid.uuid4()) for t in tables.values() for row in t}
    for rows in tables.values():
        for row in rows:
            for key, value in list(row.items()):
                if value in mapping:
                    row[key] = mapping[value]
    loaded = hsds.from_zip(hsds.to_zip(tables))
    result = services.import_hsds(personas["broker"], world.group, loaded)
    assert result["services_created"] == 1
    copy = Service.objects.get(organisation=world.group)
    assert copy.name == "Home Care" and copy.eligibility == "Adults in Testville"
    assert copy.audience == "Adults who need care at home"
    assert sorted(copy.languages.values_list("code", flat=True)) == ["en", "pl"]
    assert [str(s) for s in copy.schedules.all()] == ["MO,TU,WE,TH,FR 09:00–17:00"]
    assert list(copy.areas.all()) == [world.city]
    assert AuditEntry.objects.get(action="service.import").channel == "import"
    again = services.import_hsds(personas["broker"], world.group, hsds.from_json(hsds.to_json(loaded)))
    assert again == {"services_created": 0, "services_updated": 1, "locations": 0}


def good_tables():
    org, svc, loc = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
    return {
        "organization": [{"id": org, "name": "Imported Org", "description": "x"}],
        "service": [{"id": svc, "organization_id": org, "name": "Lunch club", "status": "active",
                     "email": "lunch@example.org", "minimum_age": "60"}],
        "location": [{"id": loc, "location_type": "physical", "name": "Hall", "latitude": "51.5",
                      "longitude": "-0.1"}],
        "address": [{"id": str(uuid.uuid4()), "location_id": loc, "address_1": "1 High St", "city": "Testville"}],
        "service_at_location": [{"id": str(uuid.uuid4()), "service_id": svc, "location_id": loc}],
        "phone": [{"id": str(uuid.uuid4()), "service_id": svc, "number": "01632 960777"}],
        "schedule": [{"id": str(uuid.uuid4()), "service_id": svc, "freq": "WEEKLY", "byday": "WE",
                      "opens_at": "12:00Z", "closes_at": "14:00Z"}],
        "language": [{"id": str(uuid.uuid4()), "service_id": svc, "code": "pl", "name": "Polish"}],
        "service_area": [{"id": str(uuid.uuid4()), "service_id": svc, "name": "Millbrook"}],
    }


def test_a_good_package_imports_everything(personas, world):
    services.import_hsds(personas["broker"], world.group, good_tables())
    service = Service.objects.get(name="Lunch club")
    assert service.minimum_age == 60 and service.phones.get().number == "01632 960777"
    assert service.at_locations.get().location.address == "1 High St"
    assert list(service.areas.all()) == [world.hood]


@pytest.mark.parametrize("table,change,message", [
    ("service", {"name": ""}, "services.csv line 2, name"),
    ("service", {"organization_id": str(uuid.uuid4())}, "services.csv line 2, organization_id"),
    ("service", {"status": "open"}, "services.csv line 2, status"),
    ("service", {"email": "nope"}, "services.csv line 2, email"),
    ("service", {"id": "not-a-uuid"}, "services.csv line 2, id"),
    ("location", {"latitude": "123"}, "locations.csv line 2, latitude"),
    ("schedule", {"byday": "Monday"}, "schedules.csv line 2, byday"),
    ("schedule", {"opens_at": "9am"}, "schedules.csv line 2, opens_at"),
    ("phone", {"number": ""}, "phones.csv line 2, number"),
    ("language", {"service_id": str(uuid.uuid4())}, "languages.csv line 2, service_id"),
    ("service_area", {"name": "Atlantis"}, "service_areas.csv line 2, name"),
    ("service_at_location", {"location_id": str(uuid.uuid4())}, "service_at_location.csv line 2, location_id"),
])
def test_one_bad_row_imports_nothing_and_is_reported(personas, world, table, change, message):
    tables = good_tables()
    tables[table][0].update(change)
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.import_hsds(personas["broker"], world.group, tables)
    assert any(m.startswith(message) for m in exc.value.message_dict["file"]), exc.value.message_dict
    assert not Service.objects.exists() and not Location.objects.exists()
    assert AuditEntry.objects.count() == before


def test_the_upload_page_lists_bad_rows_and_refuses_other_file_types(personas, world, client_as):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_as(personas["broker"])
    tables = good_tables()
    tables["service"][0]["name"] = ""
    tables["phone"][0]["number"] = ""
    upload = SimpleUploadedFile("dir.zip", hsds.to_zip(tables), content_type="application/zip")
    response = client.post("/services/import/", {"organisation": world.group.pk, "file": upload})
    assert response.status_code == 200
    assert b"services.csv line 2, name" in response.content and b"phones.csv line 2, number" in response.content
    assert not Service.objects.exists()
    exe = SimpleUploadedFile("dir.zip", b"MZ\x90\x00evil", content_type="application/zip")
    response = client.post("/services/import/", {"organisation": world.group.pk, "file": exe})
    assert b"Upload a .zip data package or a .json file." in response.content
    ok = SimpleUploadedFile("dir.json", json.dumps(hsds.to_json(good_tables())).encode())
    assert client.post("/services/import/", {"organisation": world.group.pk, "file": ok}).status_code == 302
    assert Service.objects.get().organisation == world.group


def test_importing_into_an_organisation_one_does_not_work_for_is_refused(personas, world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.import_hsds(personas["broker"], world.council, good_tables())
    with pytest.raises(PermissionDenied):
        services.import_hsds(personas["citizen"], world.group, good_tables())
