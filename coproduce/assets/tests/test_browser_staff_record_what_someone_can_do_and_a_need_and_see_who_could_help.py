"""In a real browser (Debian's chromium, headless): Sam, on the phone with Dan (no internet), maps
what Dan can do on his behalf, records Dan's need with his consent and sees who could help; the
public map works offline. Every page visited passes axe-core, the forms with errors included."""

import pytest

from coproduce.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_record_what_someone_can_do_and_a_need_and_see_who_could_help(page, personas, amap, axe_check):
    from coproduce.assets.models import Capability, Need
    from coproduce.core.models import AuditEntry

    page.goto("/asset-map/map/")
    assert page.get_by_role("link", name="Millbrook Community Hall (Place, Millbrook)").count() == 1
    axe_check(page)

    browser_login(page, "sam@example.org")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Asset map").click()
    assert page.url.endswith("/asset-map/")
    axe_check(page)

    page.goto(f"/people/{amap.dan.pk}/")
    page.get_by_role("link", name="What can they do? Add to the asset map").click()
    assert page.get_by_role("heading", name="What can Dan Offline do?").is_visible()
    axe_check(page)
    knowledge = page.locator("#add-knowledge")
    knowledge.get_by_text("Add knowledge").click()
    knowledge.get_by_label("In your own words").fill("Knows the history of the mill")
    knowledge.get_by_label("Category").select_option(label="Learning and skills: Tutoring and homework help")
    knowledge.get_by_label("Who may see this").select_option("public")
    knowledge.get_by_label("How did they tell you?").select_option("phone")
    knowledge.get_by_role("button", name="Add to the asset map").click()
    assert page.locator("#id_knowledge-consent_error").is_visible()
    assert not Capability.objects.filter(description__contains="mill").exists()
    axe_check(page)
    knowledge = page.locator("#add-knowledge")
    knowledge.get_by_label("They agreed to this being recorded", exact=False).check()
    knowledge.get_by_role("button", name="Add to the asset map").click()
    assert page.get_by_text("Added to the asset map.").is_visible()
    capability = Capability.objects.get(description="Knows the history of the mill")
    assert capability.on_behalf and capability.channel == "phone" and capability.person == amap.dan
    assert AuditEntry.objects.get(action="capability.add", object_id=str(capability.pk)).on_behalf_of == amap.dan

    page.goto("/asset-map/needs/")
    axe_check(page)
    page.get_by_role("link", name="Record a need").click()
    page.get_by_label("Recorded by service").select_option(label="Social Care")
    page.get_by_label("Person (optional)", exact=True).select_option(label="Dan Offline")
    page.get_by_label("Category", exact=True).select_option(label="Home and garden: Gardening")
    page.get_by_label("What is needed").fill("Hedge trimming")
    page.get_by_label("Keywords (optional)", exact=True).fill("hedges")
    page.get_by_label("Neighbourhood", exact=True).select_option(label="Millbrook")
    page.get_by_label("Who consented to recording this need").select_option("guardian")
    page.get_by_label("How consent was given").select_option("phone")
    page.get_by_role("button", name="Record the need").click()
    assert page.locator("#id_consent_by_name_error").is_visible()
    assert not Need.objects.filter(description="Hedge trimming").exists()
    axe_check(page)
    page.get_by_label("Name of who consented, if not the person").fill("Dora Offline")
    page.get_by_role("button", name="Record the need").click()
    assert page.get_by_text("The need is recorded.").is_visible()
    need = Need.objects.get(description="Hedge trimming")
    assert need.consent_by == "guardian" and need.consent_by_name == "Dora Offline"
    suggestions = page.get_by_role("region", name="People who could help")
    assert suggestions.get_by_text("Carla", exact=True).is_visible()
    assert suggestions.get_by_text("Mentions hedges").is_visible()
    axe_check(page)
