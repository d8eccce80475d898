"""Bea, who runs a campaign, changes and deletes measures on pages; bad input names the field and writes
nothing; once an observation has a value for a measure the service refuses and the page says why."""

from datetime import timedelta

import pytest
from django.utils import timezone

from coproduce.assessment import monitoring_services as monitoring
from coproduce.assessment.models import Measure
from coproduce.core.models import AuditEntry

C = "/services/campaigns"


@pytest.fixture
def draft(river, world):
    campaign = monitoring.create_campaign(river.bea, world.group, title="Speed watch", starts_on=river.today)
    cars = monitoring.add_measure(river.bea, campaign, name="Cars over 30", kind="count")
    return campaign, cars


def test_a_measure_is_changed_and_bad_input_writes_nothing(river, client_as, draft):
    campaign, cars = draft
    bea = client_as(river.bea)
    assert f"/measures/{cars.pk}/edit/" in bea.get(f"{C}/{campaign.slug}/").content.decode()
    page = bea.get(f"{C}/{campaign.slug}/measures/{cars.pk}/edit/").content.decode()
    assert 'value="Cars over 30"' in page
    response = bea.post(f"{C}/{campaign.slug}/measures/{cars.pk}/edit/",
                        {"name": "", "kind": "number", "min_value": "10", "max_value": "5"})
    html = response.content.decode()
    assert response.status_code == 400 and 'id="id_name_error"' in html
    response = bea.post(f"{C}/{campaign.slug}/measures/{cars.pk}/edit/",
                        {"name": "Speed", "kind": "number", "min_value": "10", "max_value": "5"})
    assert response.status_code == 400 and 'id="id_max_value_error"' in response.content.decode()
    cars.refresh_from_db()
    assert (cars.name, cars.kind, cars.max_value) == ("Cars over 30", "count", None)
    response = bea.post(f"{C}/{campaign.slug}/measures/{cars.pk}/edit/",
                        {"name": "Speed", "kind": "number", "unit": "mph", "min_value": "0", "max_value": "90",
                         "required": "on"})
    assert response.status_code == 302
    cars.refresh_from_db()
    assert (cars.name, cars.kind, cars.unit, cars.max_value) == ("Speed", "number", "mph", 90)
    assert AuditEntry.objects.filter(action="monitoring.measure.change").count() == 1


def test_a_measure_is_deleted_after_confirming(river, client_as, draft):
    campaign, cars = draft
    bea = client_as(river.bea)
    page = bea.get(f"{C}/{campaign.slug}/measures/{cars.pk}/delete/").content.decode()
    assert "Delete the measure “Cars over 30”" in page and Measure.objects.filter(pk=cars.pk).exists()
    response = bea.post(f"{C}/{campaign.slug}/measures/{cars.pk}/delete/")
    assert response.status_code == 302 and not Measure.objects.filter(pk=cars.pk).exists()
    assert AuditEntry.objects.get(action="monitoring.measure.delete").details == {"measure": cars.pk}


def test_a_measure_with_values_is_refused_with_a_clear_message(river, personas, client_as):
    monitoring.record_observation(personas["citizen"], river.campaign, values={
        river.ph.field: "7", river.temp.field: "9", river.turbidity.field: "0"},
        observed_at=timezone.now() - timedelta(hours=1), location="Weir")
    bea = client_as(river.bea)
    url = f"{C}/{river.campaign.slug}/measures/{river.ph.pk}"
    response = bea.post(f"{url}/edit/", {"name": "Acidity", "kind": "number"})
    html = response.content.decode()
    assert response.status_code == 400 and 'role="alert"' in html and "cannot be changed any more" in html
    response = bea.post(f"{url}/delete/")
    html = response.content.decode()
    assert response.status_code == 400 and "The measure was not deleted." in html
    assert "cannot be changed any more" in html
    river.ph.refresh_from_db()
    assert river.ph.name == "pH" and river.ph.max_value == 14
    assert not AuditEntry.objects.filter(action__in=["monitoring.measure.change", "monitoring.measure.delete"]).exists()


def test_a_measure_is_only_reached_through_its_own_campaign_and_not_once_closed(river, client_as, draft):
    campaign, cars = draft
    bea = client_as(river.bea)
    assert bea.get(f"{C}/{river.campaign.slug}/measures/{cars.pk}/edit/").status_code == 404
    assert bea.post(f"{C}/{river.campaign.slug}/measures/{cars.pk}/delete/").status_code == 404
    monitoring.set_campaign_status(river.bea, river.campaign, "closed")
    assert f"/measures/{river.notes.pk}/edit/" not in bea.get(f"{C}/{river.campaign.slug}/").content.decode()
    response = bea.post(f"{C}/{river.campaign.slug}/measures/{river.notes.pk}/delete/")
    assert response.status_code == 400 and "A closed campaign cannot be changed." in response.content.decode()
    assert Measure.objects.filter(pk=river.notes.pk).exists() and Measure.objects.filter(pk=cars.pk).exists()
