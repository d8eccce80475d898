"""The public CSV export and the public results carry no personal data (no volunteer, no recorder, no
free text); coordinators' export names them. A volunteer's data is exported on request, and erasing
them removes their identity while their observations keep counting in the aggregates."""

import csv
import io
from datetime import timedelta

from django.utils import timezone

from coproduce.assessment import monitoring_data
from coproduce.assessment import monitoring_services as monitoring
from coproduce.assessment.personal_data import erase, export
from coproduce.core.models import Person


def record(river, actor, *, volunteer=None, ph="7.1", note="Saw Mr Jones dumping bags"):
    return monitoring.record_observation(
        actor, river.campaign, volunteer=volunteer, channel="paper" if volunteer else "web",
        values={river.ph.field: ph, river.temp.field: "10", river.turbidity.field: "2", river.notes.field: note},
        observed_at=timezone.now() - timedelta(hours=1), location="Mill weir", minutes_spent=25,
        notes="Carla's dog came along")


def rows(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_public_export_names_nobody_coordinators_see_names(personas, river, client_as):
    record(river, personas["citizen"])
    dot = monitoring.enrol(river.bea, river.campaign, Person.objects.create(name="Dot Offline"))
    record(river, river.bea, volunteer=dot)
    url = f"/services/campaigns/{river.campaign.slug}/observations.csv"
    public = rows(client_as(None), url)
    text = repr(public)
    for secret in ("Carla", "Dot Offline", "Bea", "Mr Jones", "dog", "Notes"):
        assert secret not in text
    assert public[0][:4] == ["observation", "observed_at", "entered_at", "location"]
    assert len(public) == 3 and {r[public[0].index("pH")] for r in public[1:]} == {"7.1"}
    coordinator = rows(client_as(river.bea), url)
    header = coordinator[0]
    assert {"volunteer", "recorded_by", "on_behalf", "notes"} <= set(header)
    by_volunteer = {r[header.index("volunteer")]: r for r in coordinator[1:]}
    assert set(by_volunteer) == {"Carla Citizen", "Dot Offline"}
    assert by_volunteer["Dot Offline"][header.index("on_behalf")] == "yes"
    assert by_volunteer["Dot Offline"][header.index("recorded_by")] == "Bea Broker"
    page = client_as(None).get(river.campaign.get_absolute_url()).content.decode()
    assert "Carla" not in page and "Mr Jones" not in page and "7.10" in page


def test_volunteers_get_their_data_and_erasure_keeps_the_aggregates(personas, river):
    carla = personas["citizen"].person
    record(river, personas["citizen"], ph="6.9")
    record(river, personas["citizen"], ph="7.3")
    data = export(carla)
    assert data["monitoring_enrolments"][0]["campaign"] == "Mill River water watch"
    assert [o["values"]["pH"] for o in data["monitoring_observations"]] == ["6.9", "7.3"]
    before = monitoring_data.results(river.campaign)
    erase(carla)
    after = monitoring_data.results(river.campaign)
    assert after["observations"] == before["observations"] == 2
    assert after["measures"][0]["mean"] == before["measures"][0]["mean"]
    assert export(carla)["monitoring_observations"] == []
    river.carla.refresh_from_db()
    assert river.carla.person is None
    observation = river.carla.observations.first()
    assert observation.notes == "" and observation.recorded_by is None
    assert observation.values.get(measure=river.notes).value == ""
    assert "Mr Jones" not in monitoring_data.export_csv(river.campaign, with_identities=True)
