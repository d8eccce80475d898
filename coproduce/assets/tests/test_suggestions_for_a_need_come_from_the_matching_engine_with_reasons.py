"""Suggested people for a need come from the timebank's matching engine, with its reasons in the
asset map's words; the viewer sees people they do not support by first name and neighbourhood only."""

import pytest

from coproduce.assets import matching, services

from .conftest import category


def test_a_fitting_public_capability_is_suggested_with_reasons(personas, amap):
    result = matching.suggest_for_need(personas["staff"], amap.dan_need)
    assert [s.label for s in result.shown] == ["Carla"]  # Sam does not support Carla: first name only
    carla = result.shown[0]
    assert carla.url is None and carla.neighbourhood == "Millbrook"
    assert carla.items == ["I love gardening and can mow lawns"]
    assert "Offers exactly this kind of help" in carla.reasons
    assert "Mentions lawns" in carla.reasons
    assert "Lives in the same neighbourhood" in carla.reasons
    assert not any("timebank" in r or "reference" in r.lower() for r in carla.reasons)


def test_someone_who_may_see_more_sees_the_full_name(personas, amap):
    result = matching.suggest_for_need(personas["platform_admin"], amap.dan_need)
    assert result.shown[0].label == "Carla Citizen"
    assert result.shown[0].url == personas["citizen"].person.get_absolute_url()


def test_nobody_is_suggested_for_their_own_need(personas, amap):
    services.add_capability(personas["staff"], amap.dan, kind="skill", description="Was a gardener",
                            category=category("gardening"), channel="in_person", consent=True)
    labels = [s.label for s in matching.suggest_for_need(personas["staff"], amap.dan_need).shown]
    assert "Dan Offline" not in labels and labels == ["Carla"]


def test_nearer_and_related_help_rank_as_the_engine_ranks_it(personas, amap, world):
    from coproduce.core import services as core_services

    sam = personas["staff"]
    far = core_services.register_person(sam, world.service, consent=True, name="Fern Far", home_area=world.other_hood)
    services.add_capability(sam, far, kind="skill", description="Gardens", category=category("gardening"),
                            channel="phone", consent=True)
    related = core_services.register_person(sam, world.service, consent=True, name="Rita Related",
                                            home_area=world.hood)
    services.add_capability(sam, related, kind="skill", description="Cleans", category=category("cleaning"),
                            channel="phone", consent=True)
    shown = matching.suggest_for_need(sam, amap.dan_need).shown
    labels = [s.label for s in shown]
    assert labels == ["Carla", "Fern Far", "Rita Related"]  # exact near, exact neighbouring area, related
    assert "Lives in a neighbouring area" in shown[1].reasons
    assert "Offers a related kind of help" in shown[2].reasons


def test_capabilities_the_viewer_may_not_see_are_never_suggested(personas, amap, world):
    # Dan's private DIY skill fits a DIY need, but only his supporters may see it.
    need = services.record_need(personas["other_org"], world.other_group, category=category("diy"),
                                description="Fix the hall door", neighbourhood=world.hood)
    assert [s.label for s in matching.suggest_for_need(personas["other_org"], need).shown] == ["Carla"]
    assert [s.label for s in matching.suggest_for_need(personas["platform_admin"], need).shown] == [
        "Dan Offline", "Carla Citizen"]  # exact category first, then gardening (the same group)


def test_sensitive_work_excludes_people_without_references_and_says_why(personas, amap, world):
    services.add_capability(personas["citizen"], personas["citizen"].person, kind="skill",
                            description="Happy to visit", category=category("befriending"), visibility="public")
    need = services.record_need(personas["staff"], world.service, person=amap.dan, category=category("befriending"),
                                description="Weekly visit", neighbourhood=world.hood, consent_by="person",
                                consent_channel="phone")
    result = matching.suggest_for_need(personas["staff"], need)
    assert result.shown == []
    assert result.notes == ["Nobody on the asset map suits this need yet."]
    assert result.excluded == [("Carla", ["Has no references, which this kind of help needs"])]


@pytest.mark.parametrize("language,expected", [("en", "Offers exactly this kind of help")])
def test_reasons_are_rendered_through_gettext(language, expected, personas, amap):
    from django.utils import translation

    with translation.override(language):
        assert expected in matching.suggest_for_need(personas["staff"], amap.dan_need).shown[0].reasons
