"""Every core page, for every persona: who gets in (200), who is sent to log in (302) and who is
refused (403). Refusals are asserted as carefully as grants."""

import pytest

from coproduce.testing import PERSONAS, assert_answer, row

MATRIX = [
    #             anonymous citizen other_org staff broker org_admin platform_admin
    row("/", 200, 200, 200, 200, 200, 200, 200),
    row("/organisations/", 200, 200, 200, 200, 200, 200, 200),
    row("/organisations/council/", 200, 200, 200, 200, 200, 200, 200),
    row("/organisations/council/members/", 302, 403, 403, 403, 403, 200, 200),
    row("/organisations/social-care/members/", 302, 403, 403, 200, 403, 200, 200),
    row("/organisations/timebank/register/", 302, 403, 403, 403, 200, 403, 200),
    row("/organisations/social-care/register/", 302, 403, 403, 200, 403, 200, 200),
    row("/people/", 302, 403, 200, 200, 200, 200, 200),
    row("/people/{carla}/", 302, 200, 403, 403, 200, 403, 200),
    row("/people/{carla}/edit/", 302, 200, 403, 403, 403, 403, 200),
    row("/people/{carla}/export.json", 302, 200, 403, 403, 403, 403, 200),
    row("/people/{carla}/erase/", 302, 200, 403, 403, 403, 403, 200),
    row("/audit/", 302, 403, 200, 403, 403, 200, 200),
    row("/me/tokens/", 302, 200, 200, 200, 200, 200, 200),
    row("/topics/", 200, 200, 200, 200, 200, 200, 200),
    row("/topics/housing/", 200, 200, 200, 200, 200, 200, 200),
    row("/areas/", 200, 200, 200, 200, 200, 200, 200),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url,expected", MATRIX, ids=[r[0] for r in MATRIX])
def test_page_access(persona, url, expected, personas, client_as):
    carla = personas["citizen"].person
    response = client_as(personas[persona]).get(url.format(carla=carla.pk))
    assert_answer(response, expected[persona], persona, url)


def test_people_directory_shows_only_people_of_the_viewers_organisations(personas, client_as):
    response = client_as(personas["other_org"]).get("/people/")
    names = [p.name for p in response.context["page"]]
    assert "Otto Other" in names
    assert "Carla Citizen" not in names
    response = client_as(personas["broker"]).get("/people/")
    names = [p.name for p in response.context["page"]]
    assert "Carla Citizen" in names and "Otto Other" not in names


def test_topic_followers_are_shown_only_to_staff_and_only_with_consent(personas, client_as, world):
    carla = personas["citizen"].person
    carla.interests.add(world.topic)
    assert b"Carla Citizen" not in client_as(personas["broker"]).get("/topics/housing/").content
    carla.contact_about_interests = True
    carla.save()
    assert b"Carla Citizen" in client_as(personas["broker"]).get("/topics/housing/").content
    assert b"Carla Citizen" not in client_as(None).get("/topics/housing/").content
    assert b"Carla Citizen" not in client_as(personas["other_org"]).get("/topics/housing/").content


def test_audit_log_of_an_organisation_administrator_is_scoped_to_their_organisations(personas, client_as, world):
    from coproduce.core import services

    services.add_membership(personas["platform_admin"], personas["staff"].person, world.council, "moderator")
    services.add_membership(personas["other_org"], personas["citizen"].person, world.other_group, "member")
    council_view = client_as(personas["org_admin"]).get("/audit/").context["page"]
    assert {e.organisation_id for e in council_view} == {world.council.pk}
    other_view = client_as(personas["other_org"]).get("/audit/").context["page"]
    assert {e.organisation_id for e in other_view} == {world.other_group.pk}
