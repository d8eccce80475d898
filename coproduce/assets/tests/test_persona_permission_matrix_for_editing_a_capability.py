"""Who may edit a capability: the person, and the brokers and staff who support them (and platform
administrators). Another member, a broker of another organisation, an unrelated administrator and
the public are refused, on the page and in the service, and nothing changes."""

import pytest
from django.core.exceptions import PermissionDenied

from coproduce.assets import capability_services
from coproduce.assets.models import Capability
from coproduce.core.models import AuditEntry

from .conftest import category

# Dan's DIY: Sam (staff at Social Care) and Ada (council admin) support him. Carla's gardening: Bea.
ALLOWED = {
    "dan_diy": {"staff", "org_admin", "platform_admin"},
    "carla_gardening": {"citizen", "broker", "platform_admin"},
}
PERSONAS = ["anonymous", "citizen", "other_org", "staff", "broker", "org_admin", "platform_admin"]


@pytest.mark.parametrize("which", sorted(ALLOWED))
def test_posting_the_edit_form(which, personas, client_as, amap):
    capability = getattr(amap, which)
    url = f"/asset-map/capabilities/{capability.pk}/edit/"
    for persona in PERSONAS:
        prefix = capability.kind
        data = {f"{prefix}-kind": capability.kind, f"{prefix}-description": f"Edited by {persona}",
                f"{prefix}-category": capability.category_id, f"{prefix}-visibility": capability.visibility,
                f"{prefix}-channel": "phone", f"{prefix}-consent": "on"}
        response = client_as(personas[persona]).post(url, data)
        now = Capability.objects.get(pk=capability.pk).description
        if persona in ALLOWED[which]:
            assert response.status_code == 302, (persona, response.status_code)
            assert now == f"Edited by {persona}"
        else:
            expected = 302 if persona == "anonymous" else 403
            assert response.status_code == expected, (persona, response.status_code)
            if persona == "anonymous":
                assert response["Location"].startswith("/accounts/login/")
            assert now != f"Edited by {persona}", persona


@pytest.mark.parametrize("persona", ["anonymous", "citizen", "other_org", "broker"])
def test_the_service_refuses_who_does_not_support_dan(persona, personas, amap):
    with pytest.raises(PermissionDenied):
        capability_services.change_capability(
            personas[persona], amap.dan_diy, description="Taken over", category=category("diy"),
            channel="phone", consent=True)
    assert Capability.objects.get(pk=amap.dan_diy.pk).description == "Fixes shelves and doors"
    assert not AuditEntry.objects.filter(action="capability.change").exists()


def test_the_edit_link_shows_only_to_who_may_edit(personas, client_as, amap):
    url = f"/asset-map/capabilities/{amap.carla_gardening.pk}/"
    link = f"/asset-map/capabilities/{amap.carla_gardening.pk}/edit/"
    assert link in client_as(personas["citizen"]).get(url).content.decode()
    assert link in client_as(personas["broker"]).get(url).content.decode()
    assert link not in client_as(personas["staff"]).get(url).content.decode()
    assert link not in client_as(None).get(url).content.decode()
