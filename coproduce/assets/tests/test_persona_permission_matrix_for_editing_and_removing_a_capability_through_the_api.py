"""Who may edit (PATCH) and remove (DELETE) a capability through the API: the same people as on the
web pages – the person, the brokers and staff who support them (on their behalf, with consent) and
platform administrators. Everyone else is refused (401 without a token, 403 with one) and nothing
changes; an unknown capability is 404."""

import pytest

from coproduce.assets.models import Capability
from coproduce.core.models import AuditEntry

PERSONAS = ["anonymous", "citizen", "other_org", "staff", "broker", "org_admin", "platform_admin"]
# Dan's DIY: Sam (staff at Social Care) and Ada (council admin) support him. Carla's gardening: Bea.
ALLOWED = {
    "dan_diy": {"staff", "org_admin", "platform_admin"},
    "carla_gardening": {"citizen", "broker", "platform_admin"},
}


def refused(persona) -> int:
    return 401 if persona == "anonymous" else 403


@pytest.mark.parametrize("which", sorted(ALLOWED))
def test_patch(which, personas, api_as, amap):
    capability = getattr(amap, which)
    url = f"/api/v1/assets/capabilities/{capability.pk}"
    for persona in PERSONAS:
        body = {"description": f"Edited by {persona}", "channel": "phone", "consent": True}
        response = api_as(personas[persona]).patch(url, body, content_type="application/json")
        now = Capability.objects.get(pk=capability.pk)
        if persona in ALLOWED[which]:
            assert response.status_code == 200, (persona, response.content[:300])
            assert response.json()["description"] == now.description == f"Edited by {persona}"
            assert now.category_id == capability.category_id and now.visibility == capability.visibility
        else:
            assert response.status_code == refused(persona), (persona, response.content[:300])
            assert response.json()["error"]["code"] in {"unauthenticated", "forbidden"}
            assert now.description != f"Edited by {persona}"
    edits = AuditEntry.objects.filter(action="capability.change", object_id=str(capability.pk))
    assert edits.count() == len(ALLOWED[which])


@pytest.mark.parametrize("which,persona", [(which, persona) for which in sorted(ALLOWED) for persona in PERSONAS])
def test_delete(which, persona, personas, api_as, amap):
    capability = getattr(amap, which)
    response = api_as(personas[persona]).delete(f"/api/v1/assets/capabilities/{capability.pk}")
    if persona in ALLOWED[which]:
        assert response.status_code == 204, response.content[:300]
        assert not Capability.objects.filter(pk=capability.pk).exists()
        entry = AuditEntry.objects.get(action="capability.remove", object_id=str(capability.pk))
        assert entry.channel == "api"
        acting_for_someone = persona != "citizen"
        assert (entry.on_behalf_of_id == capability.person_id) is acting_for_someone
    else:
        assert response.status_code == refused(persona), response.content[:300]
        assert Capability.objects.filter(pk=capability.pk).exists()
        assert not AuditEntry.objects.filter(action="capability.remove").exists()


@pytest.mark.parametrize("method", ["patch", "delete"])
def test_an_unknown_capability_is_not_found(method, personas, api_as, amap):
    response = getattr(api_as(personas["platform_admin"]), method)(
        "/api/v1/assets/capabilities/999999", {"description": "x"}, content_type="application/json")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
