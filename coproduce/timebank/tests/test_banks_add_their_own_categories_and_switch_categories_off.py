"""A bank's administrators add its own categories and switch shared or own categories off and on
(`timebank.category_services`, the categories page and API); every change is audited; a category
switched off takes no new offers; bad input is refused next to its field with nothing written."""

import pytest
from django.core.exceptions import ValidationError

from coproduce.core.models import AuditEntry
from coproduce.timebank import category_services, postings
from coproduce.timebank.models import Category


def shared(slug):
    return Category.objects.get(timebank=None, slug=slug)


def test_the_page_adds_a_category_and_switches_one_off_and_on(personas, client_as, ledger):
    otto = client_as(personas["other_org"])
    page = otto.get("/timebanks/fernside/categories/").content.decode()
    assert "Gardening" in page and "Home and garden" in page and 'name="group"' in page
    response = otto.post("/timebanks/fernside/categories/", {"name": "Chopping logs", "group": "home",
                                                             "sensitive": "on"})
    assert response.status_code == 302
    logs = Category.objects.get(timebank=ledger.other_bank, slug="chopping-logs")
    assert logs.sensitive and logs.group == "home" and logs.group_name == "Home and garden"
    assert logs in Category.objects.for_bank(ledger.other_bank)
    assert logs not in Category.objects.for_bank(ledger.bank)

    gardening = shared("gardening")
    assert otto.post(f"/timebanks/fernside/categories/{gardening.pk}/hide/").status_code == 302
    assert gardening not in Category.objects.for_bank(ledger.other_bank)
    assert gardening in Category.objects.for_bank(ledger.bank)  # only Fernside switched it off
    with pytest.raises(ValidationError) as refused:
        postings.create_offer(personas["other_org"], ledger.fay, category=gardening, description="Hedges")
    assert "category" in refused.value.message_dict
    otto.post(f"/timebanks/fernside/categories/{gardening.pk}/show/")
    assert gardening in Category.objects.for_bank(ledger.other_bank)
    otto.post(f"/timebanks/fernside/categories/{logs.pk}/hide/")
    logs.refresh_from_db()
    assert not logs.active
    actions = list(AuditEntry.objects.filter(action__startswith="timebank.category").order_by("id")
                   .values_list("action", flat=True))
    assert actions == ["timebank.category.add", "timebank.category.hide", "timebank.category.show",
                       "timebank.category.hide"]


@pytest.mark.parametrize("data,field", [
    ({"name": "", "group": "home"}, "name"),
    ({"name": "Gardening", "group": "home"}, "name"),  # the shared list has it already
    ({"name": "!!!", "group": "home"}, "name"),
    ({"name": "Logs", "group": "no-such-group"}, "group"),
])
def test_bad_categories_are_refused_next_to_their_field(data, field, personas, client_as, ledger):
    response = client_as(personas["other_org"]).post("/timebanks/fernside/categories/", data)
    assert response.status_code == 200 and field in response.context["form"].errors
    assert not Category.objects.filter(timebank__isnull=False).exists()
    assert not AuditEntry.objects.filter(action__startswith="timebank.category").exists()


def test_another_banks_category_cannot_be_switched(personas, ledger):
    pat = personas["platform_admin"]
    theirs = category_services.add_category(pat, ledger.bank, name="Logs", group="home")
    with pytest.raises(ValidationError) as refused:
        category_services.hide_category(pat, ledger.other_bank, theirs.pk)
    assert "category" in refused.value.message_dict
    theirs.refresh_from_db()
    assert theirs.active and not ledger.other_bank.hidden_categories.exists()


def test_the_api_lists_adds_and_switches_categories(personas, api_as, ledger):
    api = api_as(personas["other_org"])
    response = api.post("/api/v1/timebanks/fernside/categories", {"name": "Logs", "group": "home"},
                        content_type="application/json")
    assert response.status_code == 201 and response.json()["shared"] is False
    response = api.post("/api/v1/timebanks/fernside/categories", {"name": "Logs", "group": "home"},
                        content_type="application/json")
    assert response.status_code == 400 and "name" in response.json()["error"]["fields"]
    response = api.post(f"/api/v1/timebanks/fernside/categories/{shared('diy').pk}/hide")
    assert response.status_code == 200 and response.json()["in_use"] is False
    listed = {c["slug"]: c for c in api_as(None).get("/api/v1/timebanks/fernside/categories").json()}
    assert listed["diy"]["in_use"] is False and listed["logs"]["in_use"] and listed["gardening"]["in_use"]
