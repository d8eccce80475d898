"""Carla corrects her own observation on a page (while the campaign is open); Bea, who runs the campaign,
corrects it on Carla's behalf after a phone call, recorded as such. Bad input names the field and changes
nothing; credited minutes stay; a withdrawn observation is not corrected. No JavaScript involved."""

from datetime import timedelta

import pytest
from django.utils import timezone

from coproduce.assessment import monitoring_services as monitoring
from coproduce.assessment.models import Observation
from coproduce.core.models import AuditEntry

C = "/services/campaigns"


@pytest.fixture
def reading(river, personas):
    return monitoring.record_observation(
        personas["citizen"], river.campaign, values={river.ph.field: "7", river.temp.field: "9",
                                                      river.turbidity.field: "0", river.litter.field: "yes"},
        observed_at=timezone.now() - timedelta(hours=3), location="Weir", minutes_spent=20)


def form(river, **extra):
    data = {"observed_at": (timezone.localtime() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "location": "Footbridge", river.ph.field: "7.4", river.temp.field: "10", river.turbidity.field: "2",
            river.litter.field: "no", "minutes_spent": "25"}
    data.update(extra)
    return data


def snapshot(observation):
    observation = Observation.objects.get(pk=observation.pk)
    return (observation.location, observation.observed_at, observation.minutes_spent,
            sorted((v.measure_id, v.value) for v in observation.values.all()))


def test_the_volunteer_finds_the_link_sees_her_values_and_corrects_them(river, personas, client_as, reading):
    carla = client_as(personas["citizen"])
    mine = carla.get(f"{C}/{river.campaign.slug}/mine/").content.decode()
    assert f"/services/campaigns/observations/{reading.pk}/correct/" in mine
    page = carla.get(f"{C}/observations/{reading.pk}/correct/")
    html = page.content.decode()
    assert page.status_code == 200 and "<h1>Correct an observation</h1>" in html
    assert 'value="Weir"' in html and 'value="7"' in html and 'value="20"' in html
    assert f'id="{river.turbidity.field}_0" value="0" checked' in html
    assert f'id="{river.litter.field}_yes" value="yes" checked' in html
    assert 'name="channel"' not in html  # her own correction: no channel to choose

    response = carla.post(f"{C}/observations/{reading.pk}/correct/", form(river))
    assert response.status_code == 302 and response["Location"] == f"{C}/{river.campaign.slug}/mine/"
    corrected = Observation.objects.get(pk=reading.pk)
    assert corrected.location == "Footbridge" and corrected.minutes_spent == 25
    values = {v.measure_id: v.value for v in corrected.values.all()}
    assert values == {river.ph.pk: "7.4", river.temp.pk: "10", river.turbidity.pk: 2, river.litter.pk: False}
    entry = AuditEntry.objects.get(action="monitoring.observation.correct")
    assert entry.actor == personas["citizen"] and entry.channel == "web"
    assert entry.details["before"]["location"] == "Weir" and entry.details["before"]["minutes"] == 20


def test_bad_input_names_each_field_and_writes_nothing(river, personas, client_as, reading):
    carla = client_as(personas["citizen"])
    before = snapshot(reading)
    future = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = carla.post(f"{C}/observations/{reading.pk}/correct/", form(
        river, location="", observed_at=future, minutes_spent="-3", **{river.ph.field: "99"}))
    html = response.content.decode()
    assert response.status_code == 400 and "Nothing was saved." in html
    assert 'id="location_error"' in html and "Say where you observed." in html
    assert 'id="observed_at_error"' in html and "cannot be in the future" in html
    assert 'id="minutes_spent_error"' in html and f'id="{river.ph.field}_error"' in html and "from 0 to 14" in html
    assert 'value="10"' in html  # what she typed is kept for her to fix
    assert snapshot(reading) == before
    assert not AuditEntry.objects.filter(action="monitoring.observation.correct").exists()


def test_a_coordinator_corrects_on_behalf_of_the_volunteer_recorded_as_such(river, personas, client_as, reading):
    bea = client_as(river.bea)
    volunteers = bea.get(f"{C}/{river.campaign.slug}/volunteers/").content.decode()
    assert f"/services/campaigns/observations/{reading.pk}/correct/" in volunteers
    page = bea.get(f"{C}/observations/{reading.pk}/correct/").content.decode()
    assert "on behalf of Carla Citizen" in page and 'name="channel"' in page
    response = bea.post(f"{C}/observations/{reading.pk}/correct/", form(river, channel="carrier-pigeon"))
    assert response.status_code == 400 and 'id="channel_error"' in response.content.decode()
    assert snapshot(reading)[0] == "Weir"
    response = bea.post(f"{C}/observations/{reading.pk}/correct/",
                        form(river, channel="phone", next="https://evil.example/"))
    assert response.status_code == 302 and response["Location"] == f"{C}/{river.campaign.slug}/volunteers/"
    entry = AuditEntry.objects.get(action="monitoring.observation.correct")
    assert entry.actor == river.bea and entry.on_behalf_of == personas["citizen"].person
    assert entry.channel == "phone"
    assert Observation.objects.get(pk=reading.pk).location == "Footbridge"


def test_after_closing_only_coordinators_correct_and_credited_minutes_stay(river, personas, client_as, reading):
    Observation.objects.filter(pk=reading.pk).update(credited_at=timezone.now())
    monitoring.set_campaign_status(river.bea, river.campaign, "closed")
    carla = client_as(personas["citizen"])
    assert carla.get(f"{C}/observations/{reading.pk}/correct/").status_code == 403
    assert carla.post(f"{C}/observations/{reading.pk}/correct/", form(river)).status_code == 403
    bea = client_as(river.bea)
    before = snapshot(reading)
    response = bea.post(f"{C}/observations/{reading.pk}/correct/", form(river, channel="paper"))
    assert response.status_code == 400 and "credited already" in response.content.decode()
    assert snapshot(reading) == before
    response = bea.post(f"{C}/observations/{reading.pk}/correct/", form(river, channel="paper", minutes_spent="20"))
    assert response.status_code == 302 and snapshot(reading)[0] == "Footbridge"


def test_a_withdrawn_observation_is_not_offered_for_correction(river, personas, client_as, reading):
    monitoring.withdraw_observation(personas["citizen"], reading)
    carla = client_as(personas["citizen"])
    assert f"/observations/{reading.pk}/correct/" not in carla.get(f"{C}/{river.campaign.slug}/mine/").content.decode()
    response = carla.post(f"{C}/observations/{reading.pk}/correct/", form(river), follow=True)
    assert "A withdrawn observation cannot be corrected." in response.content.decode()
    assert Observation.objects.get(pk=reading.pk).location == "Weir"
