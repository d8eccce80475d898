"""The bank's administrators publish a new version of the member agreement (page and API); members who
have not accepted it see a notice on their timebank page and accept it with a plain form; a broker
records it for a member without internet (on their behalf, with the channel). Bad input: nothing written."""

from coproduce.core.models import AuditEntry
from coproduce.timebank.models import AgreementVersion, TimebankMember


def version_of(member):
    return TimebankMember.objects.get(pk=member.pk).agreement_version.version


def test_members_are_asked_to_accept_a_new_version_and_accept_it(personas, client_as, ledger):
    admin, carla = client_as(personas["platform_admin"]), client_as(personas["citizen"])
    assert "A new member agreement" not in carla.get("/timebanks/millbrook/").content.decode()
    response = admin.post("/timebanks/millbrook/agreement/", {"version": "2", "text": "No gifts or money."})
    assert response.status_code == 302
    assert ledger.bank.current_agreement().version == "2"

    page = carla.get("/timebanks/millbrook/").content.decode()
    assert "A new member agreement" in page and "/timebanks/millbrook/agreement/accept/" in page
    page = carla.get("/timebanks/millbrook/agreement/accept/").content.decode()
    assert "No gifts or money." in page and 'name="channel"' not in page

    response = carla.post("/timebanks/millbrook/agreement/accept/", {})  # the box is not ticked
    assert "accept" in response.context["form"].errors and version_of(ledger.carla) == "1"
    assert carla.post("/timebanks/millbrook/agreement/accept/", {"accept": "on"}).status_code == 302
    assert version_of(ledger.carla) == "2"
    assert "A new member agreement" not in carla.get("/timebanks/millbrook/").content.decode()
    entry = AuditEntry.objects.get(action="timebank.member.accept_agreement")
    assert entry.on_behalf_of is None and entry.details == {"version": "2"}


def test_a_broker_records_the_acceptance_for_a_member_without_internet(personas, client_as, ledger):
    client_as(personas["platform_admin"]).post("/timebanks/millbrook/agreement/", {"version": "2", "text": "New"})
    bea = client_as(personas["broker"])
    dashboard = bea.get("/timebanks/millbrook/").content.decode()
    assert f"/timebanks/millbrook/agreement/accept/?member={ledger.dan.pk}" in dashboard
    url = f"/timebanks/millbrook/agreement/accept/?member={ledger.dan.pk}"
    page = bea.get(url).content.decode()
    assert "For Dan Offline." in page and 'name="channel"' in page
    response = bea.post(url, {"accept": "on", "channel": "phone"})
    assert response.status_code == 302 and version_of(ledger.dan) == "2"
    entry = AuditEntry.objects.get(action="timebank.member.accept_agreement")
    assert entry.on_behalf_of == ledger.dan.person and entry.channel == "phone"


def test_a_version_that_exists_or_an_empty_text_is_refused_and_nothing_published(personas, client_as, ledger):
    admin = client_as(personas["platform_admin"])
    for data, field in [({"version": "1", "text": "Again"}, "version"), ({"version": "2", "text": "  "}, "text"),
                        ({"version": "", "text": "Text"}, "version")]:
        response = admin.post("/timebanks/millbrook/agreement/", data)
        assert response.status_code == 200 and field in response.context["form"].errors, data
    assert list(AgreementVersion.objects.filter(timebank=ledger.bank).values_list("version", flat=True)) == ["1"]


def test_the_api_publishes_a_version_and_records_acceptance(personas, api_as, ledger):
    api = api_as(personas["platform_admin"])
    response = api.post("/api/v1/timebanks/millbrook/agreements", {"version": "2", "text": "Respect."},
                        content_type="application/json")
    assert response.status_code == 201 and response.json()["version"] == "2"
    response = api.post("/api/v1/timebanks/millbrook/agreements", {"version": "2", "text": "Again"},
                        content_type="application/json")
    assert response.status_code == 400 and "version" in response.json()["error"]["fields"]
    assert AgreementVersion.objects.filter(timebank=ledger.bank).count() == 2
    response = api_as(personas["broker"]).post(f"/api/v1/timebanks/millbrook/members/{ledger.dan.pk}/agreement")
    assert response.status_code == 200 and response.json()["agreement_version"] == "2"
    response = api.post(f"/api/v1/timebanks/fernside/members/{ledger.fay.pk}/agreement")
    assert response.status_code == 400 and "agreement" in response.json()["error"]["fields"]
