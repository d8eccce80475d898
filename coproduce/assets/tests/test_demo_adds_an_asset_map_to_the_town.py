"""The asset map's demo adds community assets, capabilities, needs with consent and suggestions to
the demo town; suggestions work on it; loading it again changes nothing."""

from coproduce.assets import demo, matching
from coproduce.assets.models import Capability, CommunityAsset, Need
from coproduce.core import demo as core_demo


def test_demo(db, client):
    town = core_demo.load_core()
    demo.load(town)
    counts = (CommunityAsset.objects.count(), Capability.objects.count(), Need.objects.count())
    assert CommunityAsset.objects.filter(status="published", latitude__isnull=False).count() >= 6
    assert CommunityAsset.objects.filter(status="published", latitude__isnull=True).exists()
    assert CommunityAsset.objects.filter(status="suggested").count() == 2
    assert Capability.objects.filter(visibility="public").count() >= 10
    assert Capability.objects.filter(on_behalf=True).exists()
    assert Need.objects.filter(person__isnull=False).exclude(consent_at=None).count() >= 5
    assert Need.objects.filter(person__isnull=True).count() == 2
    need = Need.objects.get(description__startswith="Garden overgrown")
    assert matching.suggest_for_need(town.user("staff"), need).shown
    demo.load(town)
    assert (CommunityAsset.objects.count(), Capability.objects.count(), Need.objects.count()) == counts
    html = client.get("/asset-map/map/").content.decode()
    published = CommunityAsset.objects.filter(status="published").count()
    assert html.count('<a href="/asset-map/places/') == 2 * published  # a point on the map, a row in the list
