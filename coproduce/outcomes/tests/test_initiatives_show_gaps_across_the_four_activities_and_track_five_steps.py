"""A co-production initiative serves an outcome, links work of the four activities by reference (no
import of the other apps), shows the gaps, and tracks its five steps – all without JavaScript."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from coproduce.outcomes import services
from coproduce.outcomes.models import InitiativeStep


@pytest.fixture
def cafe(personas, world, published):
    return services.create_initiative(personas["staff"], world.service, published.outcomes.first(),
                                      title="Memory café", description="For carers of people with dementia.")


def test_an_initiative_starts_with_five_steps_and_four_gaps(cafe, client_as):
    assert list(InitiativeStep.objects.filter(initiative=cafe).values_list("step", flat=True).order_by("id")) == [
        "map", "focus", "people", "market", "grow"]
    page = client_as(None).get("/outcomes/organisations/social-care/initiatives/").content.decode()
    assert page.count('class="gap">gap<') == 4
    assert "No initiative covers yet: Co-commission, Co-design, Co-deliver, Co-assess" in page


def test_linking_activities_closes_gaps(cafe, personas, client_as):
    sam = personas["staff"]
    client = client_as(sam)
    response = client.post(f"/outcomes/initiatives/{cafe.slug}/activities/new/", {
        "kind": "design", "app_label": "design", "object_id": "12", "title": "Café design lab",
        "url": "/labs/cafe/"})
    assert response.status_code == 302
    services.link_activity(sam, cafe, kind="deliver", app_label="timebank", object_id=4, title="Volunteer rota")
    with pytest.raises(ValidationError):
        services.link_activity(sam, cafe, kind="deliver", app_label="timebank", object_id=4, title="Again")
    with pytest.raises(ValidationError):
        services.link_activity(sam, cafe, kind="co-invent", app_label="x", object_id=0, title="")
    page = client_as(None).get("/outcomes/organisations/social-care/initiatives/").content.decode()
    assert page.count('class="gap">gap<') == 2 and "No initiative covers yet: Co-commission, Co-assess" in page
    detail = client_as(None).get(f"/outcomes/initiatives/{cafe.slug}/").content.decode()
    assert '<a href="/labs/cafe/">Café design lab</a>' in detail and "Volunteer rota" in detail
    assert "Unlink" not in detail  # the public sees no staff controls
    dashboard = client_as(None).get("/outcomes/organisations/social-care/").content.decode()
    assert "Memory café" in dashboard


def test_steps_are_edited_through_a_plain_form(cafe, personas, client_as):
    client = client_as(personas["staff"])
    url = f"/outcomes/initiatives/{cafe.slug}/steps/focus/"
    bad = client.post(url, {"notes": "x", "started_on": "2025-03-01", "completed_on": "2025-02-01"})
    assert bad.status_code == 200 and b"completed_on_error" in bad.content
    good = client.post(url, {"notes": "Carers asked for Tuesdays", "started_on": "2025-03-01",
                             "completed_on": "2025-04-01"})
    assert good.status_code == 302
    step = InitiativeStep.objects.get(initiative=cafe, step="focus")
    assert step.completed_on == date(2025, 4, 1) and step.notes == "Carers asked for Tuesdays"
    assert client.get(f"/outcomes/initiatives/{cafe.slug}/steps/nonsense/").status_code == 404


def test_an_initiative_of_a_draft_framework_is_private(personas, world, draft, client_as):
    ada = personas["org_admin"]
    hidden = services.create_initiative(ada, world.council, draft.outcomes.first(), title="Befriending")
    assert client_as(None).get(f"/outcomes/initiatives/{hidden.slug}/").status_code == 403
    assert client_as(ada).get(f"/outcomes/initiatives/{hidden.slug}/").status_code == 200
    assert b"Befriending" not in client_as(None).get("/outcomes/organisations/council/initiatives/").content
    # Staff of another organisation cannot hang their initiative on an outcome they cannot see.
    with pytest.raises(ValidationError):
        services.create_initiative(personas["staff"], world.service, draft.outcomes.first(), title="Sneaky")
