"""Every value of an observation is checked against its measure; one bad value (or a bad time, place or
minutes) refuses the whole observation with errors named by field, and writes nothing."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from coproduce.assessment import monitoring_services as monitoring
from coproduce.assessment.models import Campaign, Observation, ObservationValue
from coproduce.core.models import AuditEntry


def good(river, **changes):
    data = {"values": {river.ph.field: "7.2", river.temp.field: "14,5", river.turbidity.field: "1",
                       river.litter.field: "yes"},
            "observed_at": timezone.now() - timedelta(hours=2), "location": "Mill weir", "minutes_spent": 30}
    data.update(changes)
    return data


def nothing_written(river):
    assert Observation.objects.count() == 0 and ObservationValue.objects.count() == 0
    assert Campaign.objects.get(pk=river.campaign.pk).observation_count == 0
    assert not AuditEntry.objects.filter(action__startswith="monitoring.observation").exists()


def test_a_good_observation_is_stored_with_typed_values(personas, river):
    observation = monitoring.record_observation(personas["citizen"], river.campaign, **good(river))
    stored = {v.measure_id: v.value for v in observation.values.all()}
    assert stored == {river.ph.pk: "7.2", river.temp.pk: "14.5", river.turbidity.pk: 1, river.litter.pk: True}
    assert observation.volunteer == river.carla and not observation.on_behalf and observation.channel == "web"
    assert Campaign.objects.get(pk=river.campaign.pk).observation_count == 1


@pytest.mark.parametrize("field, value, message", [
    ("ph", "15", "from 0 to 14"),
    ("ph", "acid", "Enter a number"),
    ("ph", "", "needs a value"),
    ("turbidity", "7", "Choose one of the choices"),
    ("litter", "perhaps", "yes or no"),
    ("notes", "x" * 2001, "under 2000"),
])
def test_one_bad_value_refuses_the_whole_observation(personas, river, field, value, message):
    data = good(river)
    data["values"][getattr(river, field).field] = value
    with pytest.raises(ValidationError) as caught:
        monitoring.record_observation(personas["citizen"], river.campaign, **data)
    errors = caught.value.message_dict
    assert list(errors) == [getattr(river, field).field] and message in errors[getattr(river, field).field][0]
    nothing_written(river)


def test_every_error_is_reported_at_once_with_its_field(personas, river):
    data = good(river, location="  ", minutes_spent="-5", latitude="95", longitude="1",
                observed_at=timezone.now() + timedelta(hours=1))
    data["values"][river.ph.field] = "-1"
    data["values"]["m999999"] = "3"
    with pytest.raises(ValidationError) as caught:
        monitoring.record_observation(personas["citizen"], river.campaign, **data)
    assert set(caught.value.message_dict) == {"location", "minutes_spent", "latitude", "observed_at", river.ph.field,
                                              "m999999"}
    nothing_written(river)


def test_observations_must_fall_within_the_campaign_dates(personas, river):
    with pytest.raises(ValidationError) as caught:
        monitoring.record_observation(personas["citizen"], river.campaign,
                                      **good(river, observed_at=timezone.now() - timedelta(days=45)))
    assert "within the campaign" in caught.value.message_dict["observed_at"][0]
    with pytest.raises(ValidationError):
        monitoring.record_observation(personas["citizen"], river.campaign, **good(river, observed_at="yesterday"))
    nothing_written(river)


def test_only_enrolled_volunteers_record_and_only_while_open(personas, river):
    with pytest.raises(PermissionDenied):
        monitoring.record_observation(personas["staff"], river.campaign, **good(river))
    monitoring.set_campaign_status(river.bea, river.campaign, "closed")
    with pytest.raises(PermissionDenied):
        monitoring.record_observation(personas["citizen"], river.campaign, **good(river))
    nothing_written(river)


def test_a_measure_refuses_bad_definitions(river, world, personas):
    draft = monitoring.create_campaign(river.bea, world.group, title="Speed watch", starts_on=river.today)
    with pytest.raises(ValidationError) as caught:
        monitoring.add_measure(river.bea, draft, name="", kind="choice", choices=["one"])
    assert set(caught.value.message_dict) == {"name", "choices"}
    with pytest.raises(ValidationError) as caught:
        monitoring.add_measure(river.bea, draft, name="Speed", kind="number", min_value="90", max_value="10")
    assert set(caught.value.message_dict) == {"max_value"}
    with pytest.raises(ValidationError) as caught:
        monitoring.create_campaign(river.bea, world.group, title="  ", starts_on=river.today,
                                   ends_on=river.today - timedelta(days=1))
    assert set(caught.value.message_dict) == {"title", "ends_on"}
    assert draft.measures.count() == 0 and Campaign.objects.count() == 2
