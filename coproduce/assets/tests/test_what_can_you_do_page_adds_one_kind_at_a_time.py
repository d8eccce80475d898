"""The guided "What can you do?" page has a short form for each kind; each posts on its own (no
JavaScript needed), spare time asks for days and times, and the person can remove what they added."""

from coproduce.assets.models import Capability
from coproduce.core.models import AuditEntry


def test_the_page_has_a_form_per_kind(personas, client_as, amap):
    html = client_as(personas["citizen"]).get("/asset-map/can-do/").content.decode()
    for kind in ("skill", "knowledge", "time", "lend", "place", "connection"):
        assert f'name="kind_posted" value="{kind}"' in html
    assert "How did they tell you?" not in html  # only asked when recording for someone else


def test_spare_time_needs_days_and_times(personas, client_as, amap):
    carla = client_as(personas["citizen"])
    response = carla.post("/asset-map/can-do/", {"kind_posted": "time", "time-kind": "time",
                                                 "time-description": "Free on Sundays", "time-visibility": "public"})
    assert response.status_code == 200 and "Say when in the week" in response.content.decode()
    response = carla.post("/asset-map/can-do/", {
        "kind_posted": "time", "time-kind": "time", "time-description": "Free on Sundays",
        "time-visibility": "public", "time-days": ["6"], "time-time_from": "14:00", "time-time_until": "17:00"})
    assert response.status_code == 302
    capability = Capability.objects.get(description="Free on Sundays")
    assert capability.windows == [[6 * 1440 + 840, 6 * 1440 + 1020]] and capability.category is None
    assert "Sunday 14:00–17:00" in carla.get("/asset-map/can-do/").content.decode()


def test_removing_is_audited(personas, client_as, amap):
    carla = client_as(personas["citizen"])
    carla.post(f"/asset-map/capabilities/{amap.carla_gardening.pk}/change/", {"action": "remove"})
    assert not Capability.objects.filter(pk=amap.carla_gardening.pk).exists()
    assert AuditEntry.objects.filter(action="capability.remove", object_id=str(amap.carla_gardening.pk)).exists()


def test_the_person_page_shows_what_they_can_do(personas, client_as, amap):
    html = client_as(personas["staff"]).get(f"/people/{amap.dan.pk}/").content.decode()
    assert "Fixes shelves and doors" in html and "His garden is overgrown" in html
    assert f"/asset-map/can-do/{amap.dan.pk}/" in html
