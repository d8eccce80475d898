"""Staff of a community organisation build a campaign through the pages: create it, add measures (a bad
one is refused next to its field and adds nothing), link the timebank and the organisation's account
for credits, open it; volunteers are added by the coordinator; others cannot edit it."""

from coproduce.assessment.models import Campaign, Volunteer
from coproduce.timebank import services as timebank
from coproduce.timebank.models import TimebankMember


def test_build_edit_and_open(personas, world, client_as):
    bea = personas["broker"]
    client = client_as(bea)
    response = client.post("/services/campaigns/new/timebank/", {"title": "Speed watch on Mill Road",
                                                                  "starts_on": "2026-01-01", "ends_on": "2025-12-01"})
    assert response.status_code == 200 and b"cannot end before it starts" in response.content
    assert not Campaign.objects.exists()
    response = client.post("/services/campaigns/new/timebank/", {
        "title": "Speed watch on Mill Road", "starts_on": "2026-01-01", "partner": "Riverton Police",
        "purpose": "Slow the traffic near the school.", "method": "Two people, a speed gun, 30 minutes."})
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response["Location"] == campaign.get_absolute_url()
    base = f"/services/campaigns/{campaign.slug}"
    response = client.post(f"{base}/measures/add/", {"name": "Vehicle type", "kind": "choice", "choices": "car"})
    assert response.status_code == 400 and b"at least two choices" in response.content
    assert campaign.measures.count() == 0
    client.post(f"{base}/measures/add/", {"name": "Cars over 30 mph", "kind": "count", "min_value": "0",
                                          "required": "on"})
    client.post(f"{base}/measures/add/", {"name": "Vehicle type", "kind": "choice", "choices": "car\nvan\nlorry"})
    assert [(m.name, m.kind, m.required) for m in campaign.measures.all()] == [
        ("Cars over 30 mph", "count", True), ("Vehicle type", "choice", False)]

    bank = timebank.create_timebank(personas["platform_admin"], name="Millbrook Timebank", slug="millbrook",
                                    organisation=world.group)
    group_account = timebank.register_member(bea, bank, name="Millbrook Timebank (group account)",
                                             kind=TimebankMember.Kind.GROUP, organisation=world.group)
    response = client.post(f"{base}/edit/", {"title": "Speed watch on Mill Road", "starts_on": "2026-01-01",
                                             "partner": "Riverton Police", "timebank": bank.pk})
    assert response.status_code == 302 and Campaign.objects.get().timebank == bank
    assert group_account.person.name.encode() in client.get(f"{base}/edit/").content
    client.post(f"{base}/edit/", {"title": "Speed watch on Mill Road", "starts_on": "2026-01-01",
                                  "timebank": bank.pk, "credit_from": group_account.pk})
    assert Campaign.objects.get().credit_from == group_account

    other = client_as(personas["other_org"])
    assert other.post(f"{base}/edit/", {"title": "Taken over", "starts_on": "2026-01-01"}).status_code == 403
    assert other.post(f"{base}/status/", {"status": "open"}).status_code == 403
    client.post(f"{base}/status/", {"status": "open"})
    campaign = Campaign.objects.get()
    assert campaign.status == "open" and campaign.title == "Speed watch on Mill Road"
    carla = personas["citizen"].person
    response = client.post(f"{base}/volunteers/", {"person": carla.pk, "role": "coordinator",
                                                   "briefed_on": "2026-01-02", "channel": "in_person"})
    assert response.status_code == 302
    assert Volunteer.objects.get(campaign=campaign, person=carla).role == "coordinator"
