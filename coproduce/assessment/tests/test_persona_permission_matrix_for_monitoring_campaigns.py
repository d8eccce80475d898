"""Every monitoring page and API endpoint, for every persona: who gets in (200), who is sent to log in
(302) and who is refused (403/404). The campaign is run by Millbrook Timebank (Bea works there); Carla
volunteers, Cora coordinates (enrolled, no staff role), Nia is a citizen who has not joined, Otto and
Sam are staff of other organisations. Vic is another volunteer: Carla may correct her own observation,
not Vic's."""

from datetime import timedelta

import pytest
from django.utils import timezone

from coproduce.assessment import monitoring_services as monitoring
from coproduce.assessment.models import Campaign, Observation, Volunteer
from coproduce.conftest import make_user

PERSONAS = ["anonymous", "citizen", "volunteer", "coordinator", "runner", "other_org", "staff", "platform_admin"]


def row(url, *codes):
    return url, dict(zip(PERSONAS, codes, strict=True))


C = "/services/campaigns"
A = "/api/v1/assessment/campaigns"
MATRIX = [
    #  anonymous citizen volunteer coordinator runner other_org staff platform_admin
    row(f"{C}/", 200, 200, 200, 200, 200, 200, 200, 200),
    row(f"{C}/new/timebank/", 302, 403, 403, 403, 200, 403, 403, 200),
    row(f"{C}/{{draft}}/", 403, 403, 403, 403, 200, 403, 403, 200),
    row(f"{C}/{{open}}/", 200, 200, 200, 200, 200, 200, 200, 200),
    row(f"{C}/{{closed}}/", 200, 200, 200, 200, 200, 200, 200, 200),
    row(f"{C}/{{open}}/record/", 302, 403, 200, 200, 403, 403, 403, 200),
    row(f"{C}/{{closed}}/record/", 302, 403, 403, 403, 403, 403, 403, 200),
    row(f"{C}/{{open}}/edit/", 302, 403, 403, 403, 200, 403, 403, 200),
    row(f"{C}/{{open}}/on-behalf/", 302, 403, 403, 200, 200, 403, 403, 200),
    row(f"{C}/{{open}}/mine/", 302, 404, 200, 200, 404, 404, 404, 404),
    row(f"{C}/{{open}}/volunteers/", 302, 403, 403, 200, 200, 403, 403, 200),
    row(f"{C}/{{open}}/credit/", 302, 403, 403, 200, 200, 403, 403, 200),
    row(f"{C}/observations/{{carla_obs}}/correct/", 302, 403, 200, 200, 200, 403, 403, 200),
    row(f"{C}/observations/{{vic_obs}}/correct/", 302, 403, 403, 200, 200, 403, 403, 200),
    row(f"{C}/{{open}}/measures/{{measure}}/edit/", 302, 403, 403, 403, 200, 403, 403, 200),
    row(f"{C}/{{open}}/measures/{{measure}}/delete/", 302, 403, 403, 403, 200, 403, 403, 200),
    row(f"{C}/{{draft}}/measures/{{draft_measure}}/edit/", 302, 403, 403, 403, 200, 403, 403, 200),
    row(f"{C}/{{open}}/observations.csv", 200, 200, 200, 200, 200, 200, 200, 200),
    row(f"{C}/{{draft}}/observations.csv", 403, 403, 403, 403, 200, 403, 403, 200),
    row(f"{A}", 200, 200, 200, 200, 200, 200, 200, 200),
    row(f"{A}/{{open}}", 200, 200, 200, 200, 200, 200, 200, 200),
    row(f"{A}/{{draft}}", 403, 403, 403, 403, 200, 403, 403, 200),
    row(f"{A}/{{open}}/aggregates", 200, 200, 200, 200, 200, 200, 200, 200),
    row(f"{A}/{{draft}}/aggregates", 403, 403, 403, 403, 200, 403, 403, 200),
]


@pytest.fixture
def people(personas, river):
    cora = make_user("cora", name="Cora Coordinator")
    monitoring.enrol(river.bea, river.campaign, cora.person, role="coordinator")
    return {"anonymous": None, "citizen": make_user("nia", name="Nia Newcomer"), "volunteer": personas["citizen"],
            "coordinator": cora, "runner": river.bea, "other_org": personas["other_org"], "staff": personas["staff"],
            "platform_admin": personas["platform_admin"]}


@pytest.fixture
def ids(river, world, people):
    bea = river.bea
    draft = monitoring.create_campaign(bea, world.group, title="Speed watch draft", starts_on=river.today)
    draft_measure = monitoring.add_measure(bea, draft, name="Cars over 30", kind="count")
    closed = monitoring.create_campaign(bea, world.group, title="Last year's count",
                                        starts_on=river.today - timedelta(days=400),
                                        ends_on=river.today - timedelta(days=300))
    monitoring.add_measure(bea, closed, name="Cars over 30", kind="count")
    monitoring.set_campaign_status(bea, closed, "open")
    monitoring.set_campaign_status(bea, closed, "closed")
    vic = make_user("vic", name="Vic Volunteer")
    monitoring.enrol(vic, river.campaign)
    readings = {"values": {river.ph.field: "7", river.temp.field: "9", river.turbidity.field: "0"},
                "observed_at": timezone.now() - timedelta(hours=3), "location": "Weir", "minutes_spent": 10}
    carla_obs = monitoring.record_observation(people["volunteer"], river.campaign, **readings)
    vic_obs = monitoring.record_observation(vic, river.campaign, **readings)
    return {"draft": draft.slug, "open": river.campaign.slug, "closed": closed.slug, "carla_obs": carla_obs.pk,
            "vic_obs": vic_obs.pk, "measure": river.litter.pk, "draft_measure": draft_measure.pk}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url,expected", MATRIX, ids=[r[0] for r in MATRIX])
def test_page_access(persona, url, expected, people, client_as, api_as, ids):
    client = api_as(people[persona]) if url.startswith("/api/") else client_as(people[persona])
    response = client.get(url.format(**ids))
    assert response.status_code == expected[persona], (persona, url, response.status_code)
    if expected[persona] == 302:
        assert response["Location"].startswith("/accounts/login/")


def form(river, **extra):
    data = {"observed_at": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "location": "Weir", river.ph.field: "7", river.temp.field: "9", river.turbidity.field: "0",
            "minutes_spent": "20"}
    data.update(extra)
    return data


@pytest.mark.parametrize("persona", ["anonymous", "citizen", "other_org", "staff"])
def test_writes_are_refused_to_those_not_taking_part(persona, people, client_as, api_as, ids, river):
    user = people[persona]
    client = client_as(user)
    observation = monitoring.record_observation(people["volunteer"], river.campaign, values={
        river.ph.field: "7", river.temp.field: "9", river.turbidity.field: "0"},
        observed_at=timezone.now() - timedelta(hours=2), location="Weir", minutes_spent=10)
    client.post(f"{C}/{ids['open']}/record/", form(river))
    client.post(f"{C}/{ids['open']}/on-behalf/", form(river, volunteer=river.carla.pk, channel="paper"))
    client.post(f"{C}/{ids['draft']}/status/", {"status": "open"})
    client.post(f"{C}/{ids['draft']}/measures/add/", {"name": "Sneaky", "kind": "text"})
    client.post(f"{C}/{ids['open']}/credit/")
    client.post(f"{C}/observations/{observation.pk}/withdraw/")
    client.post(f"{C}/observations/{observation.pk}/correct/", form(river, location="Moved", channel="phone"))
    client.post(f"{C}/{ids['draft']}/measures/{ids['draft_measure']}/edit/", {"name": "Renamed", "kind": "count"})
    client.post(f"{C}/{ids['draft']}/measures/{ids['draft_measure']}/delete/")
    api_as(user).post(f"{A}/{ids['open']}/observations", content_type="application/json", data={
        "values": {river.ph.field: "7", river.temp.field: "9", river.turbidity.field: "0"},
        "observed_at": timezone.now().isoformat(), "location": "Weir"})
    assert Observation.objects.filter(status="recorded").count() == 3
    assert Observation.objects.get(pk=observation.pk).location == "Weir"
    draft = Campaign.objects.get(slug=ids["draft"])
    assert draft.status == "draft" and [m.name for m in draft.measures.all()] == ["Cars over 30"]
    if persona != "anonymous":  # the citizen may join; nobody else is enrolled by these posts
        assert not Volunteer.objects.filter(person=user.person).exists()


def test_joining_and_recording_through_the_pages(people, client_as, ids, river):
    nia = people["citizen"]
    client = client_as(nia)
    response = client.post(f"{C}/{ids['open']}/join/")
    assert response.status_code == 302 and response["Location"].endswith("/record/")
    response = client.post(f"{C}/{ids['open']}/record/", form(river, **{river.ph.field: "99"}))
    assert response.status_code == 400 and b"from 0 to 14" in response.content
    assert not Observation.objects.filter(volunteer__person=nia.person).exists()
    response = client.post(f"{C}/{ids['open']}/record/", form(river))
    assert response.status_code == 302
    assert Observation.objects.filter(volunteer__person=nia.person).count() == 1
    cora = client_as(people["coordinator"])
    response = cora.post(f"{C}/{ids['open']}/on-behalf/", form(river, volunteer=river.carla.pk, channel="paper"))
    assert response.status_code == 302
    sheet = Observation.objects.get(volunteer=river.carla, on_behalf=True)
    assert sheet.on_behalf and sheet.channel == "paper" and sheet.recorded_by == people["coordinator"]


def test_the_campaign_list_uses_a_constant_number_of_queries(people, client_as, ids, river, world,
                                                             django_assert_max_num_queries):
    for n in range(12):
        extra = monitoring.create_campaign(river.bea, world.group, title=f"More {n}", starts_on=river.today)
        monitoring.add_measure(river.bea, extra, name="Count", kind="count")
        monitoring.set_campaign_status(river.bea, extra, "open")
    client = client_as(river.bea)
    client.get(f"{C}/")  # the session is warm
    with django_assert_max_num_queries(12):
        response = client.get(f"{C}/")
    assert response.status_code == 200 and b"More 11" in response.content


def test_a_coordinator_of_another_campaign_and_a_volunteer_who_did_not_record_it_are_refused(
        people, client_as, ids, river, world):
    """Dan coordinates another campaign of the same organisation; Carla did not record Vic's observation."""
    dan = make_user("dan", name="Dan Elsewhere")
    other = Campaign.objects.get(slug=ids["draft"])
    monitoring.enrol(river.bea, other, dan.person, role="coordinator")
    refused = [f"{C}/observations/{ids['vic_obs']}/correct/", f"{C}/observations/{ids['carla_obs']}/correct/",
               f"{C}/{ids['open']}/measures/{ids['measure']}/edit/",
               f"{C}/{ids['open']}/measures/{ids['measure']}/delete/"]
    for url in refused:
        assert client_as(dan).get(url).status_code == 403, url
        assert client_as(dan).post(url, form(river, location="Moved", name="Renamed", kind="text")).status_code == 403
    carla = client_as(people["volunteer"])
    assert carla.post(refused[0], form(river, location="Moved")).status_code == 403
    assert set(Observation.objects.values_list("location", flat=True)) == {"Weir"}
    assert river.campaign.measures.filter(pk=ids["measure"], name="Litter seen").exists()
