"""A broker or staff member recording a capability or a need in conversation is recorded as acting on
the person's behalf, with the channel; a need keeps who consented, when and how."""

from coproduce.core.models import AuditEntry


def test_on_behalf_capability(personas, client_as, amap):
    entry = AuditEntry.objects.get(action="capability.add", object_id=str(amap.dan_diy.pk))
    assert entry.on_behalf_of == amap.dan and entry.channel == "phone"
    assert amap.dan_diy.on_behalf and amap.dan_diy.recorded_by == personas["staff"].person
    own = AuditEntry.objects.get(action="capability.add", object_id=str(amap.carla_gardening.pk))
    assert own.on_behalf_of is None and not amap.carla_gardening.on_behalf


def test_on_behalf_through_the_page(personas, client_as, amap):
    from coproduce.assets.models import Capability

    from .conftest import category

    response = client_as(personas["staff"]).post(f"/asset-map/can-do/{amap.dan.pk}/", {
        "kind_posted": "lend", "lend-kind": "lend", "lend-description": "A wheelbarrow",
        "lend-category": category("tools").pk, "lend-visibility": "public", "lend-channel": "in_person",
        "lend-consent": "on"})
    assert response.status_code == 302
    capability = Capability.objects.get(description="A wheelbarrow")
    assert capability.person == amap.dan and capability.channel == "in_person" and capability.on_behalf
    entry = AuditEntry.objects.get(action="capability.add", object_id=str(capability.pk))
    assert entry.on_behalf_of == amap.dan and entry.channel == "in_person"
    assert entry.actor == personas["staff"]


def test_need_consent_is_recorded(personas, amap):
    need = amap.dan_need
    assert need.consent_by == "person" and need.consent_channel == "in_person" and need.consent_at is not None
    entry = AuditEntry.objects.get(action="need.record", object_id=str(need.pk))
    assert entry.on_behalf_of == amap.dan and entry.organisation == need.organisation
    assert entry.details["consent"]["by"] == "person" and entry.details["consent"]["how"] == "in_person"
    community = amap.community_need
    assert community.person is None and community.consent_by == "" and community.consent_at is None
