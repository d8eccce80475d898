"""A capability can be edited, not only added or removed: by the person on the website, or by a broker
or staff member who supports them, in conversation and recorded on their behalf. Bad input names the
field and changes nothing."""

import pytest
from django.core.exceptions import ValidationError

from coproduce.assets import capability_services
from coproduce.assets.models import Capability
from coproduce.core.models import AuditEntry

from .conftest import category


def _form(prefix, **fields):
    return {f"{prefix}-{name}": value for name, value in fields.items()}


def test_the_person_edits_their_own_on_the_page(personas, client_as, amap, world):
    carla = personas["citizen"]
    page = client_as(carla).get(f"/asset-map/capabilities/{amap.carla_gardening.pk}/edit/")
    assert page.status_code == 200
    assert "I love gardening and can mow lawns" in page.content.decode()  # the form starts from what it says
    assert "skill-channel" not in page.content.decode()  # no "how did they tell you" for oneself
    response = client_as(carla).post(f"/asset-map/capabilities/{amap.carla_gardening.pk}/edit/", _form(
        "skill", kind="skill", description="Mows lawns and trims hedges", category=category("gardening").pk,
        keywords="lawns, hedges, trimming", neighbourhood=world.other_hood.pk, visibility="supporters",
        days=["5", "6"], time_from="09:00", time_until="12:00"))
    assert response.status_code == 302 and response["Location"] == f"/asset-map/capabilities/{amap.carla_gardening.pk}/"
    c = Capability.objects.get(pk=amap.carla_gardening.pk)
    assert c.description == "Mows lawns and trims hedges" and c.keywords == "lawns, hedges, trimming"
    assert c.neighbourhood == world.other_hood and c.visibility == "supporters"
    assert c.windows == [[5 * 1440 + 540, 5 * 1440 + 720], [6 * 1440 + 540, 6 * 1440 + 720]]
    entry = AuditEntry.objects.get(action="capability.change", object_id=str(c.pk))
    assert entry.actor == carla and entry.on_behalf_of is None and entry.channel == "web"
    assert entry.details["fields"] == ["description", "keywords", "neighbourhood", "visibility", "windows"]


def test_staff_edit_on_their_behalf_with_channel_and_consent(personas, client_as, amap):
    sam = personas["staff"]
    url = f"/asset-map/capabilities/{amap.dan_diy.pk}/edit/"
    fields = dict(kind="skill", description="Fixes shelves, doors and fences", category=category("diy").pk,
                  keywords="fences", visibility="supporters", channel="in_person")
    refused = client_as(sam).post(url, _form("skill", **fields))  # no consent recorded
    assert refused.status_code == 200
    assert "Ask them, and record that they agreed" in refused.content.decode()
    assert Capability.objects.get(pk=amap.dan_diy.pk).description == "Fixes shelves and doors"
    assert not AuditEntry.objects.filter(action="capability.change").exists()

    response = client_as(sam).post(url, _form("skill", consent="on", **fields))
    assert response.status_code == 302
    c = Capability.objects.get(pk=amap.dan_diy.pk)
    assert c.description == "Fixes shelves, doors and fences" and c.keywords == "fences"
    entry = AuditEntry.objects.get(action="capability.change", object_id=str(c.pk))
    assert entry.actor == sam and entry.on_behalf_of == amap.dan and entry.channel == "in_person"
    assert entry.details == {"fields": ["description", "keywords"], "person": amap.dan.pk}


@pytest.mark.parametrize("changes,field", [
    ({"description": "   "}, "description"),
    ({"description": "x" * 1001}, "description"),
    ({"category": None}, "category"),
    ({"visibility": "everyone"}, "visibility"),
    ({"windows": [[600, 500]]}, "windows"),
    ({"channel": "web"}, "channel"),
    ({"channel": "pigeon"}, "channel"),
    ({"consent": False}, "consent"),
])
def test_bad_input_names_the_field_and_changes_nothing(personas, amap, changes, field):
    good = dict(description="Fixes shelves", category=category("diy"), keywords="", windows=[],
                visibility="supporters", channel="phone", consent=True)
    with pytest.raises(ValidationError) as exc:
        capability_services.change_capability(personas["staff"], amap.dan_diy, **(good | changes))
    assert field in exc.value.message_dict
    c = Capability.objects.get(pk=amap.dan_diy.pk)
    assert (c.description, c.category_id, c.visibility) == ("Fixes shelves and doors", category("diy").pk,
                                                            "supporters")
    assert not AuditEntry.objects.filter(action="capability.change").exists()


def test_spare_time_keeps_needing_times(personas, amap):
    from coproduce.assets import services
    from coproduce.assets import windows as weekly

    carla = personas["citizen"]
    spare = services.add_capability(carla, carla.person, kind="time", description="Tuesday mornings",
                                    windows=weekly.from_days([1], __import__("datetime").time(9),
                                                             __import__("datetime").time(12)))
    with pytest.raises(ValidationError) as exc:
        capability_services.change_capability(carla, spare, description="Tuesday mornings", windows=[])
    assert "windows" in exc.value.message_dict
    assert Capability.objects.get(pk=spare.pk).windows == spare.windows


def test_saving_without_a_change_writes_nothing(personas, amap):
    c = amap.carla_gardening
    capability_services.change_capability(
        personas["citizen"], c, description=c.description, category=c.category, keywords=c.keywords,
        neighbourhood=c.neighbourhood, windows=c.windows, visibility=c.visibility)
    assert not AuditEntry.objects.filter(action="capability.change").exists()
