"""A child (under 18 by their date of birth, or marked as a child) becomes a timebank member only with
a guardian's consent: the guardian's name, their relationship, the date and how they consented. Without
it, registering (service, page, API, CSV import) and asking to join are refused naming the fields, and
nothing is written. The consent is in the member's data download and is blanked on erasure."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from coproduce.core import services as core_services
from coproduce.core.models import AuditEntry, Person
from coproduce.timebank import csvio, services
from coproduce.timebank.models import TimebankMember

JSON = {"content_type": "application/json"}
GUARDIAN = {"guardian_name": "Mina Okafor", "guardian_relationship": "mother",
            "guardian_consent_on": date(2025, 11, 2), "guardian_consent_channel": "paper"}
FIELDS = {"guardian_name", "guardian_relationship", "guardian_consent_on", "guardian_consent_channel"}


def ten_years_old() -> date:
    return timezone.localdate().replace(day=1) - timedelta(days=365 * 10)


def snapshot():
    return Person.objects.count(), TimebankMember.objects.count(), AuditEntry.objects.count()


def refused(call) -> dict:
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        call()
    assert snapshot() == before
    return caught.value.message_dict


def test_the_service_needs_the_guardians_consent(personas, ledger):
    bea = personas["broker"]
    by_age = refused(lambda: services.register_member(bea, ledger.bank, name="Tom Young", birth_date=ten_years_old()))
    assert set(by_age) == FIELDS
    assert set(refused(lambda: services.register_member(bea, ledger.bank, name="Tom Young", is_child=True))) == FIELDS
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert set(refused(lambda: services.register_member(
        bea, ledger.bank, name="Tom Young", is_child=True,
        guardian=GUARDIAN | {"guardian_consent_on": tomorrow, "guardian_consent_channel": "fax"}))) == {
        "guardian_consent_on", "guardian_consent_channel"}
    tom = services.register_member(bea, ledger.bank, name="Tom Young", birth_date=ten_years_old(), guardian=GUARDIAN)
    assert tom.is_child and tom.guardian_name == "Mina Okafor" and tom.guardian_consent_on == date(2025, 11, 2)
    adult = services.register_member(bea, ledger.bank, name="Ada Grown", birth_date=date(1950, 5, 1))
    assert not adult.is_child and adult.guardian_name == ""


def test_a_child_asking_to_join_needs_the_consent(personas, ledger, api_as):
    carla = personas["citizen"]
    Person.objects.filter(pk=carla.person.pk).update(birth_date=ten_years_old())
    carla.person.refresh_from_db()
    assert "guardian_name" in refused(lambda: services.request_to_join(carla, ledger.other_bank,
                                                                       accept_agreement=True))
    before = snapshot()
    response = api_as(carla).post("/api/v1/timebanks/fernside/join", {"accept_agreement": True}, **JSON)
    assert response.status_code == 400 and FIELDS <= set(response.json()["error"]["fields"])
    assert snapshot()[:2] == before[:2]
    consent = {k: str(v) for k, v in GUARDIAN.items()}
    response = api_as(carla).post("/api/v1/timebanks/fernside/join", {"accept_agreement": True} | consent, **JSON)
    assert response.status_code == 201, response.content
    member = TimebankMember.objects.get(pk=response.json()["id"])
    assert member.is_child and member.status == "requested" and member.guardian_consent_channel == "paper"


def test_the_register_page_shows_the_errors_next_to_the_fields(personas, ledger, client_as):
    client = client_as(personas["broker"])
    form = {"name": "Tom Young", "kind": "individual", "channel": "in_person", "consent": "on",
            "agreement_accepted": "on", "is_child": "on"}
    before = snapshot()
    response = client.post("/timebanks/millbrook/register/", form)
    assert response.status_code == 200 and snapshot() == before
    for field in FIELDS:
        assert field in response.context["form"].errors
    assert "give the guardian" in response.content.decode()
    consent = {k: str(v) for k, v in GUARDIAN.items()}
    assert client.post("/timebanks/millbrook/register/", form | consent).status_code == 302
    assert TimebankMember.objects.get(person__name="Tom Young").guardian_relationship == "mother"


def test_the_api_needs_the_consent(personas, ledger, api_as):
    bea = api_as(personas["broker"])
    body = {"name": "Tom Young", "birth_date": ten_years_old().isoformat()}
    before = snapshot()
    response = bea.post("/api/v1/timebanks/millbrook/members", body, **JSON)
    assert response.status_code == 400, response.content
    assert FIELDS <= set(response.json()["error"]["fields"])
    assert snapshot() == before
    consent = {k: str(v) for k, v in GUARDIAN.items()}
    response = bea.post("/api/v1/timebanks/millbrook/members", body | consent, **JSON)
    assert response.status_code == 201, response.content
    assert TimebankMember.objects.get(pk=response.json()["id"]).is_child


def test_a_csv_import_lists_a_child_without_consent_and_imports_nothing(personas, ledger):
    bea = personas["broker"]
    header = "name,birth_date,is_child,guardian_name,guardian_relationship,guardian_consent_on,guardian_consent_channel"
    rows = [f"Tom Young,{ten_years_old()},,,,,", "Amy Small,,yes,Mina Okafor,aunt,2025-11-02,phone",
            "Ben Old,1950-01-01,no,,,,"]
    before = snapshot()
    result = csvio.import_members(bea, ledger.bank, "\n".join([header, *rows]))
    assert result.imported == 0 and snapshot() == before
    assert {(p.line, p.column) for p in result.problems} == {(2, f) for f in FIELDS}
    rows[0] = f"Tom Young,{ten_years_old()},,Mina Okafor,mother,2025-11-02,in_person"
    result = csvio.import_members(bea, ledger.bank, "\n".join([header, *rows]))
    assert result.imported == 3, result.problems
    children = dict(TimebankMember.objects.filter(timebank=ledger.bank, is_child=True)
                    .values_list("person__name", "guardian_relationship"))
    assert children == {"Tom Young": "mother", "Amy Small": "aunt"}


def test_the_consent_is_in_the_download_and_blanked_on_erasure(personas, ledger):
    carla = personas["citizen"]
    member = services.request_to_join(carla, ledger.other_bank, accept_agreement=True, is_child=True,
                                      guardian=GUARDIAN)
    data = core_services.export_person_data(carla, carla.person)
    [joined] = [m for m in data["timebank"]["memberships"] if m["timebank"] == "Fernside Timebank"]
    assert joined["is_child"] and joined["guardian_name"] == "Mina Okafor"
    assert joined["guardian_consent_on"] == "2025-11-02" and joined["guardian_consent_channel"] == "paper"
    core_services.erase_person(carla, carla.person)
    member.refresh_from_db()
    assert (member.guardian_name, member.guardian_relationship, member.guardian_consent_on,
            member.guardian_consent_channel) == ("", "", None, "")
