"""For a newly mapped capability, brokers and staff see which open needs (of their organisations) it
could meet, through the engine's reverse direction; the person themself sees no suggestions."""

from coproduce.assets import matching, services

from .conftest import category


def _eve(personas, world):
    from coproduce.core import services as core_services

    sam = personas["staff"]
    eve = core_services.register_person(sam, world.service, consent=True, name="Eve Green", home_area=world.hood)
    return services.add_capability(sam, eve, kind="skill", description="Keen gardener", category=category("gardening"),
                                   keywords="lawns", channel="in_person", consent=True)


def test_open_needs_for_a_new_capability(personas, amap, world):
    capability = _eve(personas, world)
    result = matching.suggest_for_capability(personas["staff"], capability)
    assert [s.label for s in result.shown] == ["Dan Offline: His garden is overgrown"]
    assert "Offers exactly this kind of help" in result.shown[0].reasons
    assert result.shown[0].url == f"/asset-map/needs/{amap.dan_need.pk}/"


def test_only_needs_the_viewer_may_see_and_not_closed_ones(personas, amap, world):
    capability = services.add_capability(personas["platform_admin"], amap.dan, kind="skill",
                                         description="Runs stalls", category=category("events"),
                                         channel="phone", consent=True)
    assert matching.suggest_for_capability(personas["staff"], capability).shown == []  # Otto's need
    labels = [s.label for s in matching.suggest_for_capability(personas["platform_admin"], capability).shown]
    assert labels == ["Community need: Helpers for the summer fair"]
    services.close_need(personas["other_org"], amap.community_need, "met")
    assert matching.suggest_for_capability(personas["platform_admin"], capability).shown == []


def test_the_capability_page_shows_them_to_staff_only(personas, client_as, amap, world):
    capability = _eve(personas, world)
    capability.visibility = "public"
    capability.save()
    staff_html = client_as(personas["staff"]).get(f"/asset-map/capabilities/{capability.pk}/").content.decode()
    assert "Open needs this could meet" in staff_html and "His garden is overgrown" in staff_html
    public_html = client_as(None).get(f"/asset-map/capabilities/{capability.pk}/").content.decode()
    assert "Open needs this could meet" not in public_html and "Eve Green" not in public_html
