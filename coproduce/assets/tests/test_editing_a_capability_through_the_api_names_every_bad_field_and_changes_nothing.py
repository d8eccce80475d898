"""PATCH of a capability changes only the fields given (the others keep their value), records staff
edits as on the person's behalf with the channel, and refuses bad input with a 400 naming every bad
field at once – the checks of the web pages (`assets.services.clean_capability`) – writing nothing."""

import pytest

from coproduce.assets.models import Capability
from coproduce.core.models import AuditEntry


def patch(client, capability, body):
    return client.patch(f"/api/v1/assets/capabilities/{capability.pk}", body, content_type="application/json")


def test_only_the_given_fields_change_and_staff_edit_on_the_persons_behalf(personas, api_as, amap):
    diy = amap.dan_diy
    response = patch(api_as(personas["staff"]), diy, {"keywords": "shelves, doors", "channel": "phone",
                                                      "consent": True})
    assert response.status_code == 200, response.content
    now = Capability.objects.get(pk=diy.pk)
    assert (now.keywords, now.description, now.category_id, now.visibility, now.windows) == (
        "shelves, doors", diy.description, diy.category_id, diy.visibility, diy.windows)
    entry = AuditEntry.objects.get(action="capability.change", object_id=str(diy.pk))
    assert entry.on_behalf_of_id == amap.dan.pk and entry.channel == "phone"
    assert entry.details["fields"] == ["keywords"]


def test_category_and_weekly_times_change_and_a_skill_cannot_lose_its_category(personas, api_as, amap):
    carla = api_as(personas["citizen"])
    gardening = amap.carla_gardening
    response = patch(carla, gardening, {"category": "tutoring", "windows": [[540, 600]], "visibility": "public"})
    assert response.status_code == 200, response.content
    assert response.json()["category"] == "tutoring" and response.json()["windows"] == [[540, 600]]
    response = patch(carla, gardening, {"category": None})
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"category": ["Choose a category."]}


BAD = [
    ("citizen", {"description": "  "}, {"description"}),
    ("citizen", {"description": None}, {"description"}),
    ("citizen", {"category": "no-such-thing"}, {"category"}),
    ("citizen", {"neighbourhood": "atlantis"}, {"neighbourhood"}),
    ("citizen", {"visibility": "everyone"}, {"visibility"}),
    ("citizen", {"windows": [[600, 540]]}, {"windows"}),
    ("citizen", {"channel": "pigeon"}, {"channel"}),
    ("citizen", {"keywords": "k" * 201}, {"keywords"}),
    ("citizen", {"category": "no-such-thing", "description": "", "visibility": "x"},
     {"category", "description", "visibility"}),
    ("broker", {"description": "On her behalf", "channel": "phone"}, {"consent"}),
    ("broker", {"description": "On her behalf", "channel": "web", "consent": True}, {"channel"}),
]


@pytest.mark.parametrize("persona,body,fields", BAD, ids=[str(b) for _p, b, _f in BAD])
def test_bad_input_names_each_field_and_writes_nothing(persona, body, fields, personas, api_as, amap):
    gardening = amap.carla_gardening
    before = Capability.objects.filter(pk=gardening.pk).values().get()
    response = patch(api_as(personas[persona]), gardening, body)
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid" and set(error["fields"]) == fields
    assert all(error["fields"][name][0] for name in fields)
    assert Capability.objects.filter(pk=gardening.pk).values().get() == before
    assert not AuditEntry.objects.filter(action="capability.change").exists()


def test_a_wrongly_typed_field_is_refused_by_the_schema(personas, api_as, amap):
    response = patch(api_as(personas["citizen"]), amap.carla_gardening, {"consent": "yes", "windows": "weekends"})
    assert response.status_code == 400
    assert {"consent", "windows"} <= set(response.json()["error"]["fields"])
