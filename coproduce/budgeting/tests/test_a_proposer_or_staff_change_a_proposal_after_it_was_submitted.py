"""A proposal can be changed after it was submitted: its title, description, category, address and
point. The proposer may while proposals are collected and before staff have reviewed it; staff who
review proposals may while collecting or reviewing; staff write down a change the proposer asked
for on paper, by phone or in person on their behalf. Every change is audited; bad input is refused
with the field named and nothing changes; a merged or withdrawn proposal stays as it is."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coproduce.budgeting import services
from coproduce.budgeting.models import Proposal
from coproduce.core.models import AuditEntry

EDIT_FIELDS = ("title", "description", "category", "address", "latitude", "longitude")


@pytest.fixture
def fresh(pb, personas, phase):
    """Carla's new proposal, not reviewed yet, in the collection phase."""
    phase(pb.process, "collect")
    return services.submit_proposal(personas["citizen"], pb.process, title="Water fountain", description="By the park.",
                                    cost_estimate=5_000, address="Park Road", latitude=52.1, longitude=21.0)


def snapshot(proposal):
    proposal = Proposal.objects.get(pk=proposal.pk)
    return {name: getattr(proposal, name) for name in EDIT_FIELDS}


def test_the_proposer_changes_every_field_while_collecting_and_it_is_audited(fresh, personas, world):
    carla = personas["citizen"]
    services.update_proposal(carla, fresh, title="  Drinking fountain ", description="Near the playground.",
                             category=world.topic, address="Park Road 2", latitude=52.2, longitude=21.1)
    assert snapshot(fresh) == {"title": "Drinking fountain", "description": "Near the playground.",
                               "category": world.topic, "address": "Park Road 2", "latitude": 52.2, "longitude": 21.1}
    entry = AuditEntry.objects.get(action="proposal.update")
    assert (entry.actor, entry.on_behalf_of, entry.channel) == (carla, None, "web")
    assert entry.details["changed"] == list(EDIT_FIELDS)
    # fields not given keep their value; both coordinates empty clears the point
    services.update_proposal(carla, fresh, latitude=None, longitude=None)
    assert snapshot(fresh)["title"] == "Drinking fountain"
    assert (snapshot(fresh)["latitude"], snapshot(fresh)["longitude"]) == (None, None)
    # no change, no audit entry
    services.update_proposal(carla, fresh, title="Drinking fountain")
    assert AuditEntry.objects.filter(action="proposal.update").count() == 2


def test_the_proposer_cannot_change_it_once_reviewed_or_after_collection(fresh, pb, personas, phase):
    carla = personas["citizen"]
    before = snapshot(fresh)
    phase(pb.process, "review")
    with pytest.raises(ValidationError) as exc:
        services.update_proposal(carla, fresh, title="Too late")
    assert "phase" in exc.value.message_dict
    phase(pb.process, "collect")
    services.review_proposal(personas["org_admin"], fresh, feasible=True, reason="Fine.", cost=5_000)
    with pytest.raises(ValidationError) as exc:
        services.update_proposal(carla, fresh, title="Reviewed already")
    assert "ask them" in exc.value.message_dict["proposal"][0]
    with pytest.raises(PermissionDenied):  # someone else's proposal
        services.update_proposal(personas["other_org"], fresh, title="Not mine")
    assert snapshot(fresh) == before
    assert not AuditEntry.objects.filter(action="proposal.update").exists()


def test_staff_correct_a_proposal_while_reviewing(fresh, pb, personas, phase):
    phase(pb.process, "review")
    ada = personas["org_admin"]
    services.update_proposal(ada, fresh, title="Drinking fountain (corrected)")
    entry = AuditEntry.objects.get(action="proposal.update")
    assert (entry.actor, entry.on_behalf_of, entry.details) == (ada, None, {"changed": ["title"]})
    phase(pb.process, "vote")
    with pytest.raises(ValidationError) as exc:
        services.update_proposal(ada, fresh, title="During the vote")
    assert "phase" in exc.value.message_dict
    assert snapshot(fresh)["title"] == "Drinking fountain (corrected)"


def test_staff_write_down_a_change_the_proposer_asked_for_by_phone(fresh, pb, personas, phase):
    phase(pb.process, "review")
    services.update_proposal(personas["org_admin"], fresh, channel="phone", address="Park Road, the east gate")
    entry = AuditEntry.objects.get(action="proposal.update")
    assert (entry.on_behalf_of, entry.channel) == (personas["citizen"].person, "phone")
    with pytest.raises(PermissionDenied):  # a citizen cannot act for someone else
        services.update_proposal(personas["other_org"], fresh, channel="phone", address="Elsewhere")
    assert snapshot(fresh)["address"] == "Park Road, the east gate"


@pytest.mark.parametrize("changes,field", [
    ({"title": "   "}, "title"),
    ({"title": "x" * 201}, "title"),
    ({"address": "x" * 301}, "address"),
    ({"latitude": 52.3}, "longitude"),  # both coordinates or neither
    ({"longitude": 21.3}, "latitude"),
    ({"latitude": 91, "longitude": 21}, "latitude"),
    ({"latitude": 52, "longitude": "east"}, "longitude"),
    ({"category": "no-such-category"}, "category"),
    ({"cost_estimate": 1}, "cost_estimate"),  # not something this changes
])
def test_bad_input_names_the_field_and_changes_nothing(changes, field, fresh, personas):
    before = snapshot(fresh)
    with pytest.raises(ValidationError) as exc:
        services.update_proposal(personas["citizen"], fresh, description="Changed too.", **changes)
    assert field in exc.value.message_dict, exc.value.message_dict
    assert snapshot(fresh) == before
    assert not AuditEntry.objects.filter(action="proposal.update").exists()


def test_a_merged_or_withdrawn_proposal_cannot_be_changed(fresh, pb, personas):
    ada = personas["org_admin"]
    services.withdraw_proposal(personas["citizen"], fresh, reason="Changed my mind.")
    for who, channel in ((personas["citizen"], "web"), (ada, "web"), (ada, "paper")):
        with pytest.raises(ValidationError) as exc:
            services.update_proposal(who, fresh, title="Back again", channel=channel)
        assert "withdrawn" in exc.value.message_dict["proposal"][0]
    assert snapshot(fresh)["title"] == "Water fountain"


def test_the_edit_page_works_without_javascript(fresh, pb, personas, client_as, world):
    client = client_as(personas["citizen"])
    detail = client.get(fresh.get_absolute_url())
    url = f"/budgeting/{pb.process.slug}/proposals/{fresh.pk}/edit/"
    assert url in detail.content.decode()
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    assert form["title"].value() == "Water fountain" and "channel" not in form.fields
    data = {"title": "Drinking fountain", "description": "Near the playground.", "category": world.topic.pk,
            "address": "Park Road 2", "latitude": "52.2", "longitude": ""}
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert refused.context["form"].errors["longitude"] == ["Give the longitude too, or neither."]
    assert snapshot(fresh)["title"] == "Water fountain"
    done = client.post(url, {**data, "longitude": "21.1"})
    assert done.status_code == 302 and done["Location"] == fresh.get_absolute_url()
    assert snapshot(fresh)["title"] == "Drinking fountain" and snapshot(fresh)["category"] == world.topic


def test_staff_choose_how_the_change_reached_them_on_the_page(fresh, pb, personas, client_as, phase):
    phase(pb.process, "review")
    client = client_as(personas["org_admin"])
    url = f"/budgeting/{pb.process.slug}/proposals/{fresh.pk}/edit/"
    choices = [value for value, _label in client.get(url).context["form"].fields["channel"].choices]
    assert choices == ["web", "paper", "phone", "in_person"]
    data = {"title": "Water fountain", "description": "", "address": "Park Road", "latitude": "52.1",
            "longitude": "21.0", "category": ""}
    assert client.post(url, data).status_code == 400  # the channel is required
    assert client.post(url, {**data, "channel": "paper"}).status_code == 302
    entry = AuditEntry.objects.get(action="proposal.update")
    assert (entry.channel, entry.on_behalf_of, entry.details) == ("paper", personas["citizen"].person,
                                                                 {"changed": ["description"]})


PERSONAS = ["anonymous", "citizen", "other_org", "staff", "broker", "org_admin", "platform_admin"]


@pytest.mark.parametrize("phase_name,expected", [
    #           anon cit  other staff brok adm  plat
    ("collect", (302, 200, 403, 403, 403, 200, 200)),
    ("review", (302, 403, 403, 403, 403, 200, 200)),
    ("vote", (302, 403, 403, 403, 403, 403, 403)),
])
def test_the_edit_page_refuses_everyone_else(phase_name, expected, fresh, pb, personas, client_as, phase):
    phase(pb.process, phase_name)
    url = f"/budgeting/{pb.process.slug}/proposals/{fresh.pk}/edit/"
    for persona, status in zip(PERSONAS, expected, strict=True):
        client = client_as(personas[persona])
        assert client.get(url).status_code == status, (persona, phase_name)
        if status != 200:  # a refused persona's post changes nothing
            assert client.post(url, {"title": "Hijacked", "channel": "web"}).status_code == status, persona
        shows_link = url in client.get(fresh.get_absolute_url()).content.decode()
        assert shows_link == (status == 200), (persona, phase_name)
    assert snapshot(fresh)["title"] == "Water fountain"
    assert not AuditEntry.objects.filter(action="proposal.update").exists()


@pytest.mark.parametrize("persona,status", [("anonymous", 401), ("citizen", 200), ("other_org", 403),
                                            ("staff", 403), ("broker", 403), ("org_admin", 200),
                                            ("platform_admin", 200)])
def test_the_api_changes_only_the_fields_given_and_refuses_everyone_else(persona, status, fresh, pb, personas,
                                                                        api_as, world):
    url = f"/api/v1/budgeting/processes/{pb.process.slug}/proposals/{fresh.pk}"
    client = api_as(personas[persona])
    response = client.patch(url, {"title": "Drinking fountain", "category": "housing"}, content_type="application/json")
    assert response.status_code == status, response.content
    if status == 200:
        body = response.json()
        assert (body["title"], body["category"], body["address"], body["latitude"]) == (
            "Drinking fountain", "housing", "Park Road", 52.1)
        assert AuditEntry.objects.filter(action="proposal.update", channel="api").count() == 1
    else:
        assert response.json()["error"]["code"] == ("unauthenticated" if status == 401 else "forbidden")
        assert snapshot(fresh)["title"] == "Water fountain"


def test_the_api_names_bad_fields_and_changes_nothing(fresh, pb, personas, api_as):
    url = f"/api/v1/budgeting/processes/{pb.process.slug}/proposals/{fresh.pk}"
    client = api_as(personas["citizen"])
    before = snapshot(fresh)
    response = client.patch(url, {"title": "", "latitude": 95, "category": "nope"}, content_type="application/json")
    assert response.status_code == 400, response.content
    fields = response.json()["error"]["fields"]
    assert {"title", "latitude", "longitude", "category"} <= set(fields), fields
    assert snapshot(fresh) == before
    response = client.patch(url, {"latitude": None, "longitude": None}, content_type="application/json")
    assert response.status_code == 200 and response.json()["latitude"] is None
