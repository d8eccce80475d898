"""A campaign goes draft → open (with a measure) → closed; volunteers join while it is open; a measure
that has recorded values cannot be changed or deleted; corrections and withdrawals are audited."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from coproduce.assessment import monitoring_services as monitoring
from coproduce.assessment.models import Campaign, Observation
from coproduce.core.models import AuditEntry


def test_lifecycle_and_joining(personas, world, river):
    bea = river.bea
    draft = monitoring.create_campaign(bea, world.group, title="Speed watch", starts_on=river.today)
    with pytest.raises(ValidationError) as caught:
        monitoring.set_campaign_status(bea, draft, "open")
    assert "Add a measure" in caught.value.message_dict["status"][0]
    with pytest.raises(PermissionDenied):
        monitoring.enrol(personas["staff"], draft)  # not open yet
    monitoring.add_measure(bea, draft, name="Cars over 30 mph", kind="count")
    with pytest.raises(ValidationError):
        monitoring.set_campaign_status(bea, draft, "closed")
    with pytest.raises(PermissionDenied):
        monitoring.set_campaign_status(personas["other_org"], draft, "open")
    monitoring.set_campaign_status(bea, draft, "open")
    sam = monitoring.enrol(personas["staff"], draft)
    assert sam.role == "volunteer" and sam.person == personas["staff"].person
    with pytest.raises(PermissionDenied):
        monitoring.enrol(personas["staff"], draft)  # once only
    monitoring.set_campaign_status(bea, draft, "closed")
    assert Campaign.objects.get(pk=draft.pk).status == Campaign.Status.CLOSED
    with pytest.raises(ValidationError):
        monitoring.add_measure(bea, draft, name="Vans", kind="count")


def test_measures_with_values_are_fixed_others_change(personas, river):
    monitoring.record_observation(personas["citizen"], river.campaign, values={
        river.ph.field: "7", river.temp.field: "12", river.turbidity.field: "clear"},
        observed_at=timezone.now() - timedelta(hours=1), location="Weir")
    with pytest.raises(ValidationError):
        monitoring.update_measure(river.bea, river.ph, max_value="9")
    with pytest.raises(ValidationError):
        monitoring.delete_measure(river.bea, river.temp)
    monitoring.update_measure(river.bea, river.notes, name="Anything else")
    later = monitoring.add_measure(river.bea, river.campaign, name="Dissolved oxygen", kind="number", unit="mg/l")
    assert later.required is False  # earlier observations have no value for it
    monitoring.delete_measure(river.bea, river.litter)
    assert river.campaign.measures.count() == 5


def test_corrections_keep_the_old_values_in_the_audit_and_withdrawal_leaves_the_results(personas, river):
    carla = personas["citizen"]
    when = timezone.now() - timedelta(hours=3)
    observation = monitoring.record_observation(carla, river.campaign, values={
        river.ph.field: "7", river.temp.field: "12", river.turbidity.field: "0"}, observed_at=when, location="Weir")
    monitoring.correct_observation(carla, observation, values={
        river.ph.field: "6.5", river.temp.field: "12", river.turbidity.field: "0"}, observed_at=when,
        location="Weir", minutes_spent=20)
    assert {v.measure_id: v.value for v in observation.values.all()}[river.ph.pk] == "6.5"
    entry = AuditEntry.objects.get(action="monitoring.observation.correct")
    assert entry.details["before"]["values"][str(river.ph.pk)] == "7"
    with pytest.raises(PermissionDenied):
        monitoring.withdraw_observation(personas["staff"], observation)
    monitoring.withdraw_observation(river.bea, observation, reason="Strip past its date")
    assert Observation.objects.get(pk=observation.pk).status == "withdrawn"
    assert Campaign.objects.get(pk=river.campaign.pk).observation_count == 0
    with pytest.raises(ValidationError):
        monitoring.correct_observation(carla, observation, values={}, observed_at=when, location="Weir")
