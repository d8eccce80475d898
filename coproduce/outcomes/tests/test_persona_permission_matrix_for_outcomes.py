"""Every outcomes page and API endpoint, for every persona: who gets in, who is sent to log in, and
who is refused. Draft frameworks are private to their organisation's staff; published ones are
public; staff of other organisations are refused. Refusals are asserted as carefully as grants."""

from datetime import date
from decimal import Decimal

import pytest

from coproduce.outcomes import services
from coproduce.outcomes.models import BadgeAward
from coproduce.testing import PERSONAS, assert_answer, row


@pytest.fixture
def things(personas, world, draft, published, indicator_of):
    ada, sam = personas["org_admin"], personas["staff"]
    outcome = published.outcomes.first()
    initiative = services.create_initiative(sam, world.service, outcome, title="Memory café")
    report = services.create_social_value_report(sam, world.service, title="2025", period_start=date(2025, 1, 1),
                                                 period_end=date(2025, 12, 31), low_rate_minor=1221,
                                                 high_rate_minor=1750)
    badge = services.create_badge_class(sam, world.service, name="Time broker", description="Brokers time.",
                                        criteria="Completed broker training.")
    award = BadgeAward.objects.create(badge=badge, person=personas["citizen"].person)
    return {
        "draft": draft.slug, "pub": published.slug, "dind": indicator_of(draft).pk, "pind": indicator_of(published).pk,
        "goal": draft.goals.first().pk, "ini": initiative.slug, "sv": report.pk, "badge": badge.slug,
        "award": award.uuid, "carla": personas["citizen"].person.pk, "ada": ada,
    }


MATRIX = [
    #                                                   anon  cit  other staff broker oadm padm
    row("/outcomes/", 200, 200, 200, 200, 200, 200, 200),
    row("/outcomes/organisations/council/", 200, 200, 200, 200, 200, 200, 200),
    row("/outcomes/organisations/social-care/", 200, 200, 200, 200, 200, 200, 200),
    row("/outcomes/frameworks/{draft}/", 403, 403, 403, 403, 403, 200, 200),
    row("/outcomes/frameworks/{pub}/", 200, 200, 200, 200, 200, 200, 200),
    row("/outcomes/indicators/{dind}/", 403, 403, 403, 403, 403, 200, 200),
    row("/outcomes/indicators/{pind}/", 200, 200, 200, 200, 200, 200, 200),
    row("/outcomes/organisations/council/frameworks/new/", 302, 403, 403, 403, 403, 200, 200),
    row("/outcomes/organisations/social-care/frameworks/new/", 302, 403, 403, 200, 403, 200, 200),
    row("/outcomes/frameworks/{draft}/goals/new/", 302, 403, 403, 403, 403, 200, 200),
    row("/outcomes/goals/{goal}/outcomes/new/", 302, 403, 403, 403, 403, 200, 200),
    row("/outcomes/indicators/{dind}/readings/new/", 302, 403, 403, 403, 403, 200, 200),
    row("/outcomes/indicators/{pind}/readings/new/", 302, 403, 403, 200, 403, 200, 200),
    row("/outcomes/indicators/{pind}/targets/new/", 302, 403, 403, 200, 403, 200, 200),
    row("/outcomes/indicators/{pind}/edit/", 302, 403, 403, 200, 403, 200, 200),
    row("/outcomes/indicators/{pind}/import/", 302, 403, 403, 200, 403, 200, 200),
    row("/outcomes/organisations/social-care/initiatives/", 200, 200, 200, 200, 200, 200, 200),
    row("/outcomes/organisations/social-care/initiatives/new/", 302, 403, 403, 200, 403, 200, 200),
    row("/outcomes/initiatives/{ini}/", 200, 200, 200, 200, 200, 200, 200),
    row("/outcomes/initiatives/{ini}/activities/new/", 302, 403, 403, 200, 403, 200, 200),
    row("/outcomes/initiatives/{ini}/steps/map/", 302, 403, 403, 200, 403, 200, 200),
    row("/outcomes/organisations/social-care/self-assessment/", 302, 403, 403, 200, 403, 200, 200),
    row("/outcomes/organisations/social-care/self-assessment/new/", 302, 403, 403, 200, 403, 200, 200),
    row("/outcomes/organisations/social-care/social-value/", 302, 403, 403, 200, 403, 200, 200),
    row("/outcomes/social-value/{sv}/", 302, 403, 403, 200, 403, 200, 200),
    row("/outcomes/social-value/{sv}/print/", 302, 403, 403, 200, 403, 200, 200),
    row("/outcomes/social-value/{sv}/report.pdf", 302, 403, 403, 200, 403, 200, 200),
    row("/outcomes/organisations/social-care/badges/", 200, 200, 200, 200, 200, 200, 200),
    row("/outcomes/badges/{badge}/", 200, 200, 200, 200, 200, 200, 200),
    row("/outcomes/awards/{award}/", 403, 200, 403, 200, 403, 200, 200),
    row("/outcomes/awards/{award}/credential.json", 403, 200, 403, 200, 403, 200, 200),
    row("/outcomes/people/{carla}/badges/", 404, 200, 404, 404, 200, 404, 200),
    row("/outcomes/organisations/social-care/open-data.json", 200, 200, 200, 200, 200, 200, 200),
    row("/outcomes/organisations/social-care/open-data/indicators.csv", 200, 200, 200, 200, 200, 200, 200),
    row("/outcomes/organisations/council/open-data/badges.csv", 200, 200, 200, 200, 200, 200, 200),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url,expected", MATRIX, ids=[r[0] for r in MATRIX])
def test_page_access(persona, url, expected, personas, client_as, things):
    response = client_as(personas[persona]).get(url.format(**things))
    assert_answer(response, expected[persona], persona, url)


def test_drafts_appear_on_the_dashboard_only_for_their_staff(personas, client_as, things):
    for persona, sees in [("anonymous", False), ("staff", False), ("other_org", False), ("org_admin", True)]:
        content = client_as(personas[persona]).get("/outcomes/organisations/council/").content
        assert (b"A connected Testville" in content) is sees, persona
        assert b"Share who feel lonely often" in content if sees else b"Share who feel lonely often" not in content


def test_publishing_takes_an_administrator_or_commissioner(personas, client_as, things, world):
    from django.core.exceptions import PermissionDenied

    from coproduce.outcomes.models import Framework

    care = Framework.objects.get(slug=things["pub"])
    with pytest.raises(PermissionDenied):
        services.set_framework_published(personas["staff"], care, False)  # Sam is staff, not admin
    with pytest.raises(PermissionDenied):
        services.set_framework_published(personas["other_org"], care, False)
    services.set_framework_published(personas["org_admin"], care, False)
    assert client_as(None).get(f"/outcomes/frameworks/{care.slug}/").status_code == 403


API = [
    #                                                         anon cit other staff broker oadm padm
    ("get", "/api/v1/outcomes/indicators", None, [200, 200, 200, 200, 200, 200, 200]),
    ("get", "/api/v1/outcomes/indicators/{pind}", None, [200, 200, 200, 200, 200, 200, 200]),
    ("get", "/api/v1/outcomes/indicators/{dind}", None, [403, 403, 403, 403, 403, 200, 200]),
    ("get", "/api/v1/outcomes/indicators/{pind}/readings", None, [200, 200, 200, 200, 200, 200, 200]),
    ("get", "/api/v1/outcomes/indicators/{dind}/readings", None, [403, 403, 403, 403, 403, 200, 200]),
    ("post", "/api/v1/outcomes/indicators/{pind}/readings", {"on": "2025-01-31", "value": "42.5"},
     [401, 403, 403, 201, 403, 201, 201]),
    ("post", "/api/v1/outcomes/indicators/{dind}/readings", {"on": "2025-01-31", "value": "20"},
     [401, 403, 403, 403, 403, 201, 201]),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("method,url,body,codes", API, ids=[f"{a[0]} {a[1]}" for a in API])
def test_api_access(persona, method, url, body, codes, personas, api_as, things):
    expected = dict(zip(PERSONAS, codes, strict=True))[persona]
    kwargs = {"content_type": "application/json", "data": body} if body is not None else {}
    response = getattr(api_as(personas[persona]), method)(url.format(**things), **kwargs)
    assert response.status_code == expected, (persona, response.content[:300])
    if response.status_code >= 400:
        assert response.json()["error"]["code"] in {"unauthenticated", "forbidden"}
    if response.status_code == 201:
        assert response.json()["value"] in ("42.5000", "20.0000", "42.5", "20")


def test_the_api_lists_drafts_only_to_their_staff(personas, api_as, things):
    def titles(persona):
        return {i["title"] for i in api_as(personas[persona]).get("/api/v1/outcomes/indicators").json()["items"]}

    assert titles("anonymous") == {"Members"}
    assert titles("staff") == {"Members"}
    assert titles("org_admin") == {"Members", "Share who feel lonely often"}


def test_a_bad_reading_through_the_api_changes_nothing(personas, api_as, things):
    from coproduce.outcomes.models import Reading

    client = api_as(personas["staff"])
    before = Reading.objects.count()
    response = client.post(f"/api/v1/outcomes/indicators/{things['pind']}/readings",
                           data={"on": "2999-01-01", "value": "5"}, content_type="application/json")
    assert response.status_code == 400 and "on" in response.json()["error"]["fields"]
    response = client.post(f"/api/v1/outcomes/indicators/{things['pind']}/readings",
                           data={"on": "2024-06-30", "value": "5"}, content_type="application/json")
    assert response.status_code == 400  # a reading for that date exists
    assert Reading.objects.count() == before
    assert Decimal(client.get(f"/api/v1/outcomes/indicators/{things['pind']}").json()["latest_reading_value"]) == 20
