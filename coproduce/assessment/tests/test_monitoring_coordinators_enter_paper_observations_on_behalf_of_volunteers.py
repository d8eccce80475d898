"""A coordinator adds a volunteer who has no login and enters their paper sheet later: the observation
is the volunteer's, marked as entered on their behalf, with the channel, who typed it and when."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from coproduce.assessment import monitoring_services as monitoring
from coproduce.assessment.models import Observation
from coproduce.conftest import make_user
from coproduce.core.models import AuditEntry, Person


def sheet(river):
    return {"values": {river.ph.field: "6.9", river.temp.field: "11", river.turbidity.field: "murky"},
            "observed_at": timezone.now() - timedelta(days=3), "location": "Footbridge", "minutes_spent": 40}


def test_a_paper_sheet_is_entered_for_an_offline_volunteer(river, personas):
    dot = Person.objects.create(name="Dot Offline", phone="01632 960010")
    volunteer = monitoring.enrol(river.bea, river.campaign, dot, briefed_on=river.today - timedelta(days=7),
                                 channel="in_person")
    observation = monitoring.record_observation(river.bea, river.campaign, volunteer=volunteer, channel="paper",
                                                **sheet(river))
    observation = Observation.objects.get(pk=observation.pk)
    assert observation.volunteer == volunteer and observation.on_behalf is True
    assert observation.channel == "paper" and observation.recorded_by == river.bea
    assert observation.entered_at - observation.observed_at > timedelta(days=2)  # entered later, visibly
    entry = AuditEntry.objects.get(action="monitoring.observation.record")
    assert entry.on_behalf_of == dot and entry.channel == "paper"
    assert AuditEntry.objects.get(action="monitoring.enrol", on_behalf_of=dot).channel == "in_person"


def test_an_enrolled_coordinator_may_enter_sheets_too(river, personas):
    cora = make_user("cora", name="Cora Coordinator")
    monitoring.enrol(river.bea, river.campaign, cora.person, role="coordinator")
    observation = monitoring.record_observation(cora, river.campaign, volunteer=river.carla, channel="paper",
                                                **sheet(river))
    assert observation.on_behalf and observation.volunteer == river.carla


def test_volunteers_cannot_enter_observations_for_others(river, personas):
    dot = Person.objects.create(name="Dot Offline")
    volunteer = monitoring.enrol(river.bea, river.campaign, dot)
    with pytest.raises(PermissionDenied):
        monitoring.record_observation(personas["citizen"], river.campaign, volunteer=volunteer, **sheet(river))
    with pytest.raises(PermissionDenied):
        monitoring.enrol(personas["citizen"], river.campaign, Person.objects.create(name="Someone"))
    with pytest.raises(ValidationError) as caught:
        monitoring.enrol(river.bea, river.campaign, dot)
    assert "already takes part" in caught.value.message_dict["person"][0]
    assert Observation.objects.count() == 0


def test_the_volunteers_page_shows_who_entered_what_and_coordinators_withdraw(river, personas, client_as):
    dot = Person.objects.create(name="Dot Offline")
    volunteer = monitoring.enrol(river.bea, river.campaign, dot)
    observation = monitoring.record_observation(river.bea, river.campaign, volunteer=volunteer, channel="paper",
                                                **sheet(river))
    client = client_as(river.bea)
    page = client.get(f"/services/campaigns/{river.campaign.slug}/volunteers/").content.decode()
    assert "Dot Offline" in page and "by Bea Broker (paper)" in page
    response = client.post(f"/services/campaigns/observations/{observation.pk}/withdraw/",
                           {"next": f"/services/campaigns/{river.campaign.slug}/volunteers/"})
    assert response.status_code == 302 and response["Location"].endswith("/volunteers/")
    assert Observation.objects.get(pk=observation.pk).status == "withdrawn"
