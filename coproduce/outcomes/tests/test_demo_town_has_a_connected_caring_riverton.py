"""The demo: Riverton's published outcome framework with two years of readings, fed by platform metrics
and manual readings, a memory café initiative, a self-assessment, a social value report and badges."""

from coproduce.core import demo as core_demo
from coproduce.outcomes import badges, demo, queries
from coproduce.outcomes.models import BadgeAward, Framework, Initiative, Reading
from coproduce.outcomes.status import Status


def test_the_demo_loads_and_its_pages_render(db, client):
    town = core_demo.load_core()
    demo.load(town)
    fw = Framework.objects.get(title="A connected, caring Riverton")
    assert fw.is_published and fw.organisation == town.council
    assert fw.indicators.count() == 5
    assert Reading.objects.filter(indicator__framework=fw, source="metric").count() == 3
    assert Reading.objects.filter(indicator__framework=fw).count() >= 4 * 24
    on_behalf = fw.indicators.get(metric_key="core.people_registered_on_behalf")
    assert on_behalf.latest_reading_value == 10  # every fifth of the 50 citizens was registered by staff
    statuses = {i.title: queries.assess_indicator(i).status for i in fw.indicators.all()}
    assert Status.NO_DATA not in statuses.values(), statuses
    assert Initiative.objects.get().title == "Memory café for carers of people with dementia"
    award = BadgeAward.objects.filter(show_on_profile=True).select_related("badge__organisation", "person").first()
    assert badges.validate(badges.credential(award, "https://riverton.example")) == []
    for url in ["/outcomes/", "/outcomes/organisations/riverton-council/", f"/outcomes/frameworks/{fw.slug}/",
                f"/outcomes/indicators/{on_behalf.pk}/", "/outcomes/organisations/memory-cafe-friends/initiatives/",
                "/outcomes/organisations/riverton-council/open-data.json"]:
        assert client.get(url).status_code == 200, url
