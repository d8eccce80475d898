"""Staff running a process change a budget's name, amount and district before the vote; from the vote on
the change is refused and nothing changes. An amount below a proposal already on the ballot, a district
outside the process or one that already has a budget are refused too."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coproduce.budgeting import services
from coproduce.budgeting.models import Budget
from coproduce.core.models import Area, AuditEntry


def test_edit_before_the_vote(pb, personas, world, client_as):
    url = f"/budgeting/{pb.process.slug}/budgets/{pb.north.pk}/edit/"
    client = client_as(personas["org_admin"])
    page = client.get(url)
    assert page.status_code == 200 and 'value="500"' in page.content.decode()
    response = client.post(url, {"name": "North and Millbrook", "amount": "750.50", "area": world.district.pk})
    assert response.status_code == 302
    north = Budget.objects.get(pk=pb.north.pk)
    assert (north.name, north.amount, north.area_id) == ("North and Millbrook", 75_050, world.district.pk)
    entry = AuditEntry.objects.get(action="budget.update")
    assert entry.details["before"] == {"name": "North", "amount": 50_000, "area": world.district.pk}


def test_bad_edits_are_refused_and_change_nothing(pb, personas, world):
    admin = personas["org_admin"]
    south = Area.objects.get(slug="south")
    cases = [
        ({"name": "City", "amount": 59_999, "area": None}, "amount"),  # the library (£600) is on its ballot
        ({"name": "North", "amount": 50_000, "area": south}, "area"),  # South has its budget
        ({"name": "", "amount": 50_000, "area": world.district}, "name"),
        ({"name": "North", "amount": -1, "area": world.district}, "amount"),
    ]
    for changes, field in cases:
        budget = Budget.objects.get(pk=(pb.city if changes["name"] == "City" else pb.north).pk)
        budget.process = pb.process
        with pytest.raises(ValidationError) as info:
            services.update_budget(admin, budget, **changes)
        assert field in info.value.message_dict, (changes, info.value.message_dict)
    with pytest.raises(PermissionDenied):
        services.update_budget(personas["citizen"], pb.north, name="Mine", amount=1, area=world.district)
    assert list(Budget.objects.order_by("pk").values_list("name", "amount")) == [
        ("Whole city", 100_000), ("North", 50_000), ("South", 50_000)]
    assert not AuditEntry.objects.filter(action="budget.update").exists()


def test_from_the_vote_on_the_budget_is_fixed(pb, personas, world, phase, client_as):
    phase(pb.process, "vote")
    with pytest.raises(ValidationError) as info:
        services.update_budget(personas["org_admin"], pb.north, name="North", amount=90_000, area=world.district)
    assert "phase" in info.value.message_dict
    url = f"/budgeting/{pb.process.slug}/budgets/{pb.north.pk}/edit/"
    response = client_as(personas["org_admin"]).post(url, {"name": "North", "amount": "900", "area": world.district.pk})
    assert response.status_code == 400 and "This cannot be done now" in response.content.decode()
    assert Budget.objects.get(pk=pb.north.pk).amount == 50_000
