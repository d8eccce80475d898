"""A person's capabilities, the needs recorded about them and their suggestions are in "download my
data"; erasure removes their capabilities and needs and unlinks their suggestions."""

from coproduce.assets.models import Capability, CommunityAsset, Need
from coproduce.core import services as core_services


def test_export(personas, amap):
    carla = personas["citizen"]
    data = core_services.export_person_data(carla, carla.person)["assets"]
    assert [c["description"] for c in data["capabilities"]] == ["I love gardening and can mow lawns"]
    assert data["capabilities"][0]["visibility"] == "public"
    assert [s["name"] for s in data["suggested_assets"]] == ["Reading corner"]
    dan = core_services.export_person_data(personas["platform_admin"], amap.dan)["assets"]
    assert dan["needs"][0]["consent"]["by"] == "person" and dan["needs"][0]["organisation"] == "Social Care"
    assert dan["capabilities"][0]["recorded_on_behalf"] is True


def test_erasure(personas, amap):
    carla = personas["citizen"]
    core_services.erase_person(carla, carla.person)
    assert not Capability.objects.filter(pk=amap.carla_gardening.pk).exists()
    suggestion = CommunityAsset.objects.get(pk=amap.suggestion.pk)
    assert suggestion.suggested_by is None
    core_services.erase_person(personas["platform_admin"], amap.dan)
    assert not Need.objects.filter(person=amap.dan).exists()
    assert not Capability.objects.filter(person=amap.dan).exists()
    assert Need.objects.filter(pk=amap.community_need.pk).exists()
