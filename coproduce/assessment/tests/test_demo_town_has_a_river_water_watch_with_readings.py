"""The demo town gets a river water-quality campaign with measures, volunteers (one offline, whose
paper sheets staff entered) and a few weeks of readings whose results page and aggregates work."""

from coproduce.assessment import demo, monitoring_data
from coproduce.assessment.models import Campaign, Observation
from coproduce.core import demo as core_demo


def test_demo(db, client):
    town = core_demo.load_core()
    demo.load(town)
    campaign = Campaign.objects.get(title="River Riv water watch")
    assert campaign.status == "open" and campaign.partner == "Environment Agency"
    assert [m.name for m in campaign.measures.all()] == ["pH", "Water temperature", "Turbidity"]
    assert campaign.observation_count == Observation.objects.filter(campaign=campaign).count() == 14
    assert Observation.objects.filter(campaign=campaign, on_behalf=True, channel="paper").exists()
    results = monitoring_data.results(campaign)
    assert results["measures"][0]["count"] == 14 and 6 < results["measures"][0]["mean"] < 8
    assert len(results["locations"]) == 3
    response = client.get(campaign.get_absolute_url())
    assert response.status_code == 200 and b"Mill weir" in response.content and b"<svg" in response.content
