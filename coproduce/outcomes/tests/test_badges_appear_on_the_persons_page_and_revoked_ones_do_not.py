"""A person's page shows their badges (with whether each is public); revoked badges disappear."""

import pytest

from coproduce.core import services as core
from coproduce.outcomes import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def nell_with_badges(personas, world):
    sam = personas["staff"]
    nell = core.register_person(sam, world.service, consent=True, name="Nell Offline", email="nell@example.org")
    inspector = services.create_badge_class(sam, world.service, name="Trained inspector",
                                            description="Inspects services.", criteria="Finished the course.")
    giver = services.create_badge_class(sam, world.service, name="100 hours given",
                                        description="Gave 100 hours.", criteria="Gave 100 hours.")
    kept = services.award_badge(sam, inspector, nell)
    revoked = services.award_badge(sam, giver, nell)
    services.revoke_award(sam, revoked)
    return nell, kept


def test_staff_see_the_badges_on_the_persons_page_marked_not_public(client_as, personas, nell_with_badges):
    nell, kept = nell_with_badges
    html = client_as(personas["staff"]).get(f"/people/{nell.pk}/").content.decode()
    assert "Trained inspector" in html and "not public" in html
    assert "100 hours given" not in html


def test_a_person_without_badges_has_no_badges_section(client_as, personas):
    html = client_as(personas["citizen"]).get(f"/people/{personas['citizen'].person.pk}/").content.decode()
    assert 'id="profile-badges"' not in html


def test_the_person_sees_their_own_badges_with_a_link_to_choose_what_is_public(client_as, personas, world):
    pat = personas["platform_admin"]
    carla = personas["citizen"].person
    badge = services.create_badge_class(pat, world.group, name="Co-designer", description="d", criteria="c")
    award = services.award_badge(pat, badge, carla)
    services.set_award_consent(personas["citizen"], award, True)
    html = client_as(personas["citizen"]).get(f"/people/{carla.pk}/").content.decode()
    assert "Co-designer" in html and "Choose which badges others see" in html and "not public" not in html
