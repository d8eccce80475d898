"""A bank's administrators set its default limits, cross-bank switch, hourly values and network on the
settings page (`/timebanks/<slug>/settings/`) and through `PATCH /api/v1/timebanks/<slug>`; bad input
is refused next to its field and nothing is written, not even the fields that were right."""

from decimal import Decimal

import pytest

from coproduce.core.models import AuditEntry
from coproduce.timebank import services
from coproduce.timebank.models import Timebank


def settings_of(slug):
    bank = Timebank.objects.get(slug=slug)
    return (bank.overdraft_limit_minutes, bank.max_balance_minutes, bank.allow_cross_bank,
            bank.hourly_value_low, bank.hourly_value_high, bank.network_id)


def form(**changes):
    data = {"overdraft_limit_minutes": "120", "max_balance_minutes": "", "hourly_value_low": "12.20",
            "hourly_value_high": "18", "network": ""}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_banks_administrator_saves_settings_on_the_page(personas, client_as, ledger, world):
    otto = personas["other_org"]
    own = services.create_network(personas["platform_admin"], name="Fern Valley", slug="fern-valley",
                                  coordinator=world.other_group)
    client = client_as(otto)
    page = client.get("/timebanks/fernside/settings/").content.decode()
    assert "Fern Valley" in page and 'name="hourly_value_low"' in page and "Value of an hour given" in page
    response = client.post("/timebanks/fernside/settings/", form(network=str(own.pk)))
    assert response.status_code == 302
    # hours are worth 12.20 to 18.00 in the currency: stored in minor units; no maximum balance
    assert settings_of("fernside") == (120, None, False, Decimal("1220"), Decimal("1800"), own.pk)
    entry = AuditEntry.objects.get(action="timebank.update")
    assert entry.actor == otto and entry.details["before"]["overdraft_limit_minutes"] == "600"
    assert AuditEntry.objects.filter(action="timebank.set_network", actor=otto).exists()
    page = client.get("/timebanks/fernside/settings/").content.decode()
    assert 'value="12.20"' in page and 'value="120"' in page


@pytest.mark.parametrize("changes,field", [
    ({"hourly_value_low": "20", "hourly_value_high": "10"}, "hourly_value_high"),
    ({"hourly_value_low": "-1"}, "hourly_value_low"),
    ({"hourly_value_low": "1.234"}, "hourly_value_low"),
    ({"overdraft_limit_minutes": "-5"}, "overdraft_limit_minutes"),
    ({"overdraft_limit_minutes": "ten"}, "overdraft_limit_minutes"),
    ({"max_balance_minutes": "1.5"}, "max_balance_minutes"),
    ({"network": "999999"}, "network"),
])
def test_bad_settings_are_refused_next_to_their_field(changes, field, personas, client_as, ledger):
    before = settings_of("millbrook")
    response = client_as(personas["platform_admin"]).post("/timebanks/millbrook/settings/",
                                                          form(**{"network": str(ledger.network.pk), **changes}))
    assert response.status_code == 200
    assert field in response.context["form"].errors, response.context["form"].errors
    assert f'id="id_{field}_error"' in response.content.decode()
    assert settings_of("millbrook") == before
    assert not AuditEntry.objects.filter(action__in=["timebank.update", "timebank.set_network"]).exists()


def test_a_network_the_administrator_does_not_coordinate_is_not_offered(personas, client_as, ledger):
    valley = services.create_network(personas["platform_admin"], name="Valley", slug="valley")
    response = client_as(personas["other_org"]).post("/timebanks/fernside/settings/", form(network=str(valley.pk)))
    assert "network" in response.context["form"].errors
    assert settings_of("fernside")[5] == ledger.network.pk


def test_leaving_a_network_with_an_unsettled_clearing_position_writes_nothing(personas, client_as, ledger):
    pat = personas["platform_admin"]
    services.transfer(pat, ledger.carla, ledger.fay, 30, "Lift", payee_timebank=ledger.other_bank)
    before = settings_of("millbrook")
    response = client_as(pat).post("/timebanks/millbrook/settings/", form(network=""))
    assert "clearing position" in " ".join(response.context["form"].errors["network"])
    assert settings_of("millbrook") == before  # the limits and values were not saved either


def test_the_api_patches_settings_and_refuses_bad_fields(personas, api_as, ledger):
    api = api_as(personas["platform_admin"])
    valley = services.create_network(personas["platform_admin"], name="Valley", slug="valley")
    response = api.patch("/api/v1/timebanks/fernside", {
        "hourly_value_low": 1220, "hourly_value_high": "1800.50", "max_balance_minutes": None,
        "allow_cross_bank": False, "network": "valley"}, content_type="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["hourly_value_low"], body["hourly_value_high"]) == ("1220.00", "1800.50")
    assert body["max_balance_minutes"] is None and body["network"] == "valley" and not body["allow_cross_bank"]
    assert settings_of("fernside") == (600, None, False, Decimal("1220"), Decimal("1800.50"), valley.pk)

    before = settings_of("millbrook")
    for payload, field in [
        ({"hourly_value_low": 500, "hourly_value_high": 100}, "hourly_value_high"),
        ({"hourly_value_low": -1, "overdraft_limit_minutes": 30}, "hourly_value_low"),
        ({"overdraft_limit_minutes": -1}, "overdraft_limit_minutes"),
        ({"overdraft_limit_minutes": None}, "overdraft_limit_minutes"),
        ({"network": "no-such-network", "overdraft_limit_minutes": 30}, "network"),
        ({"allow_cross_bank": "yes"}, "allow_cross_bank"),
    ]:
        response = api.patch("/api/v1/timebanks/millbrook", payload, content_type="application/json")
        assert response.status_code == 400, (payload, response.content)
        error = response.json()["error"]
        assert error["code"] == "invalid" and field in str(error["fields"]), (payload, error)
        assert settings_of("millbrook") == before, payload


def test_social_value_uses_the_hourly_values_set_on_the_page(personas, client_as, ledger):
    from coproduce.timebank import reports

    pat = personas["platform_admin"]
    client_as(pat).post("/timebanks/millbrook/settings/", form(network=str(ledger.network.pk),
                                                              hourly_value_low="10", hourly_value_high="15"))
    value = reports.social_value(120, Timebank.objects.get(slug="millbrook"))
    assert (value.rate_low, value.low, value.high) == (Decimal("10.00"), Decimal("20.00"), Decimal("30.00"))
