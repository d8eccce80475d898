"""Bad input to the asset map's services, API and forms is refused with a reason next to the field,
and nothing is written (no row, no audit entry)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from coproduce.assets import services
from coproduce.assets.models import Capability, CommunityAsset, Need
from coproduce.core.models import AuditEntry

from .conftest import category


def _counts():
    return (Capability.objects.count(), Need.objects.count(), CommunityAsset.objects.count(),
            AuditEntry.objects.exclude(action__startswith="apitoken.").count())


@pytest.fixture
def unchanged(amap):
    before = _counts()
    yield
    assert _counts() == before


def _refused(field, call):
    with pytest.raises(ValidationError) as exc:
        call()
    assert field in exc.value.message_dict, exc.value.message_dict


CAPABILITY_CASES = [
    ("kind", dict(kind="juggling")),
    ("description", dict(description="   ")),
    ("description", dict(description="x" * 1001)),
    ("category", dict(category=None)),
    ("windows", dict(kind="time", category=None, windows=[])),
    ("windows", dict(windows=[[100, 50]])),
    ("visibility", dict(visibility="everyone")),
    ("channel", dict(channel="pigeon")),
]


@pytest.mark.parametrize("field,changes", CAPABILITY_CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CAPABILITY_CASES)])
def test_bad_capabilities(field, changes, personas, unchanged):
    carla = personas["citizen"]
    fields = dict(kind="skill", description="Cooking", category=category("cooking")) | changes
    _refused(field, lambda: services.add_capability(carla, carla.person, **fields))


def test_a_bank_s_own_category_is_not_on_the_shared_list(personas, unchanged, world):
    from coproduce.timebank.models import Category

    carla = personas["citizen"]
    own = Category(timebank=None, group="home", group_name="Home", slug="x", name="X", active=False)
    _refused("category", lambda: services.add_capability(carla, carla.person, kind="skill", description="x",
                                                         category=own))


def test_recording_for_someone_needs_their_consent_and_how_it_was_heard(personas, amap, unchanged):
    sam = personas["staff"]
    fields = dict(kind="skill", description="Cooking", category=category("cooking"))
    _refused("consent", lambda: services.add_capability(sam, amap.dan, channel="phone", **fields))
    _refused("channel", lambda: services.add_capability(sam, amap.dan, channel="web", consent=True, **fields))


NEED_CASES = [
    ("description", dict(description="")),
    ("category", dict(category=None)),
    ("neighbourhood", dict(neighbourhood=None)),
    ("consent_by", dict(consent_by="")),
    ("consent_by_name", dict(consent_by="guardian")),
    ("consent_at", dict(consent_at=timezone.now() + timedelta(days=1))),
    ("consent_channel", dict(consent_channel="")),
    ("windows", dict(windows="Mondays")),
    ("regular", dict(regular="yes")),
]


@pytest.mark.parametrize("field,changes", NEED_CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(NEED_CASES)])
def test_bad_needs(field, changes, personas, amap, world, unchanged):
    fields = dict(person=amap.dan, category=category("errands"), description="Shopping", neighbourhood=world.hood,
                  consent_by="person", consent_channel="phone") | changes
    _refused(field, lambda: services.record_need(personas["staff"], world.service, **fields))


def test_a_need_only_for_people_the_service_supports(personas, world, unchanged):
    carla = personas["citizen"].person  # a member of the community group, not of Social Care
    _refused("person", lambda: services.record_need(
        personas["staff"], world.service, person=carla, category=category("errands"), description="Shopping",
        neighbourhood=world.hood, consent_by="person", consent_channel="phone"))


ASSET_CASES = [
    ("name", dict(name=" ")),
    ("kind", dict(kind="castle")),
    ("neighbourhood", dict(neighbourhood=None)),
    ("longitude", dict(latitude="51.5")),
    ("latitude", dict(latitude="95", longitude="0")),
    ("longitude", dict(latitude="1", longitude="-181")),
    ("latitude", dict(latitude="north", longitude="1")),
    ("email", dict(email="not-an-email")),
    ("opening_windows", dict(opening_windows=[[1]])),
    ("colour", dict(colour="red")),
]


@pytest.mark.parametrize("field,changes", ASSET_CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(ASSET_CASES)])
def test_bad_assets(field, changes, personas, world, unchanged):
    fields = dict(name="Park", kind="place", neighbourhood=world.hood) | changes
    _refused(field, lambda: services.create_asset(personas["org_admin"], owner=world.council, **fields))
    _refused(field, lambda: services.suggest_asset(personas["citizen"], **fields))


def test_a_bad_edit_leaves_the_asset_as_it_was(personas, amap, unchanged):
    _refused("latitude", lambda: services.update_asset(personas["org_admin"], amap.hall, latitude=None))
    amap.hall.refresh_from_db()
    assert str(amap.hall.latitude) == "51.500000" and str(amap.hall.longitude) == "-0.120000"


def test_a_reviewed_suggestion_cannot_be_reviewed_again_and_a_refusal_needs_a_reason(personas, amap):
    pat = personas["platform_admin"]
    _refused("moderation_note", lambda: services.moderate_asset(pat, amap.suggestion, accept=False))
    services.moderate_asset(pat, amap.suggestion, accept=True)
    _refused("status", lambda: services.moderate_asset(pat, amap.suggestion, accept=False, note="No"))


API_CASES = [
    ("/api/v1/assets/capabilities", {"kind": "skill", "description": "Bread", "category": "no-such"}, "category"),
    ("/api/v1/assets/capabilities", {"kind": "skill", "description": "Bread"}, "category"),
    ("/api/v1/assets/capabilities", {"kind": "time", "description": "Free", "windows": [[1, 2, 3]]}, "windows"),
    ("/api/v1/assets/capabilities", {"kind": "time", "description": "Free", "windows": [["a", "b"]]}, "windows.0.0"),
    ("/api/v1/assets/capabilities", {"kind": "skill"}, "description"),
    ("/api/v1/assets/capabilities", {"kind": "skill", "description": "Bread", "category": "cooking",
                                     "neighbourhood": "atlantis"}, "neighbourhood"),
    ("/api/v1/assets/suggestions", {"name": "Pond", "kind": "place", "neighbourhood": "millbrook",
                                    "latitude": "91", "longitude": "0"}, "latitude"),
    ("/api/v1/assets/suggestions", {"name": "Pond", "kind": "place"}, "neighbourhood"),
]


@pytest.mark.parametrize("url,body,field", API_CASES, ids=[f"{c[2]}-{i}" for i, c in enumerate(API_CASES)])
def test_bad_api_input(url, body, field, personas, api_as, unchanged):
    response = api_as(personas["citizen"]).post(url, body, content_type="application/json")
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid" and field in error["fields"], error


def test_bad_need_over_the_api(personas, api_as, amap, unchanged):
    body = {"organisation": "social-care", "person": amap.dan.pk, "category": "errands", "description": "Shopping",
            "neighbourhood": "millbrook", "consent_by": "guardian", "consent_channel": "phone"}
    response = api_as(personas["staff"]).post("/api/v1/assets/needs", body, content_type="application/json")
    assert response.status_code == 400
    assert "consent_by_name" in response.json()["error"]["fields"]
    body["organisation"] = "nowhere"
    response = api_as(personas["staff"]).post("/api/v1/assets/needs", body, content_type="application/json")
    assert response.status_code == 400 and "organisation" in response.json()["error"]["fields"]


def test_form_errors_are_shown_next_to_the_field(personas, client_as, amap, world, unchanged):
    sam = client_as(personas["staff"])
    response = sam.post(f"/asset-map/can-do/{amap.dan.pk}/", {
        "kind_posted": "skill", "skill-kind": "skill", "skill-description": "Cooking",
        "skill-category": category("cooking").pk, "skill-visibility": "public", "skill-channel": "phone"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_skill-consent_error"' in html and "record that they agreed" in html
    response = sam.post("/asset-map/needs/new/", {
        "organisation": world.service.pk, "person": amap.dan.pk, "category": category("errands").pk,
        "description": "Shopping", "neighbourhood": world.hood.pk, "consent_by": "guardian",
        "consent_channel": "phone"})
    assert 'id="id_consent_by_name_error"' in response.content.decode()
