"""Proposals come through the website, the API, staff entering paper / phone / stall proposals on
the proposer's behalf, and a spreadsheet import that lists bad rows by line and imports nothing
unless every row is good."""

from coproduce.budgeting.models import Proposal
from coproduce.core.models import AuditEntry


def test_web_form_proposal_lands_in_the_local_budget(pb, personas, client_as, world):
    response = client_as(personas["citizen"]).post(f"/budgeting/{pb.process.slug}/propose/", {
        "title": "Millbrook book swap", "description": "A little library.", "area": world.hood.pk,
        "category": world.topic.pk, "cost_estimate": "450.50"})
    proposal = Proposal.objects.get(title="Millbrook book swap")
    assert response.status_code == 302 and response["Location"] == proposal.get_absolute_url()
    assert proposal.cost_estimate == 45050 and proposal.budget == pb.north and proposal.status == "submitted"
    assert proposal.proposer == personas["citizen"].person and proposal.channel == "web"
    entry = AuditEntry.objects.get(action="proposal.submit", object_id=str(proposal.pk))
    assert entry.channel == "web" and entry.on_behalf_of is None


def test_staff_enter_a_paper_proposal_on_behalf_of_the_proposer(pb, personas, client_as, world):
    from coproduce.core import services as core_services

    nell = core_services.register_person(personas["org_admin"], world.council, consent=True, name="Nell Offline")
    response = client_as(personas["org_admin"]).post(f"/budgeting/{pb.process.slug}/propose/", {
        "title": "Bus shelter", "channel": "phone", "on_behalf_of": nell.pk, "cost_estimate": "3000"})
    assert response.status_code == 302, response.context["form"].errors
    proposal = Proposal.objects.get(title="Bus shelter")
    assert proposal.channel == "phone" and proposal.proposer == nell and proposal.budget == pb.city
    entry = AuditEntry.objects.get(action="proposal.submit", object_id=str(proposal.pk))
    assert entry.actor == personas["org_admin"] and entry.on_behalf_of == nell and entry.channel == "phone"


def test_a_bad_cost_is_shown_next_to_the_field(pb, personas, client_as):
    response = client_as(personas["citizen"]).post(f"/budgeting/{pb.process.slug}/propose/", {
        "title": "Fountain", "cost_estimate": "12.345"})
    assert response.status_code == 200 and "cost_estimate" in response.context["form"].errors
    assert not Proposal.objects.filter(title="Fountain").exists()


GOOD = ("title,description,area,category,cost_estimate,proposer_email,channel\n"
        "Tree planting,Twenty trees,millbrook,housing,1200.50,carla@example.org,paper\n"
        "Repair café,,,,800,,in_person\n")
BAD = ("title,area,cost_estimate,channel\n"
       "Fine one,millbrook,100,paper\n"
       ",millbrook,100,paper\n"
       "Nowhere,atlantis,abc,fax\n")


def test_csv_import_checks_every_row_and_imports_only_when_all_are_good(pb, personas, client_as):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_as(personas["org_admin"])
    url = f"/budgeting/{pb.process.slug}/proposals/import/"
    before = Proposal.objects.count()
    response = client.post(url, {"file": SimpleUploadedFile("p.csv", BAD.encode()), "dry_run": ""})
    report = response.context["report"]
    assert [line for line, _problem in report.errors] == [3, 4]
    assert "title" in report.errors[0][1].lower() or "Give the proposal a title" in report.errors[0][1]
    assert "atlantis" in report.errors[1][1] and "abc" in report.errors[1][1] and "fax" in report.errors[1][1]
    assert Proposal.objects.count() == before  # the good row was not imported either
    response = client.post(url, {"file": SimpleUploadedFile("p.csv", GOOD.encode()), "dry_run": "on"})
    assert response.context["report"].ok and Proposal.objects.count() == before  # a dry run imports nothing
    response = client.post(url, {"file": SimpleUploadedFile("p.csv", GOOD.encode()), "dry_run": ""})
    assert response.status_code == 302 and Proposal.objects.count() == before + 2
    tree = Proposal.objects.get(title="Tree planting")
    assert tree.cost_estimate == 120050 and tree.proposer == personas["citizen"].person and tree.channel == "paper"
    assert tree.budget == pb.north
    assert AuditEntry.objects.filter(action="proposal.submit", channel="import").count() == 2


def test_api_proposal(pb, personas, api_as):
    response = api_as(personas["citizen"]).post(
        f"/api/v1/budgeting/processes/{pb.process.slug}/proposals",
        {"title": "Dog bins", "cost_estimate": -5}, content_type="application/json")
    assert response.status_code == 400 and "cost_estimate" in response.json()["error"]["fields"]
    assert not Proposal.objects.filter(title="Dog bins").exists()
