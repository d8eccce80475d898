"""Citizen inspection pages for every persona, plus Ivy, a trained citizen inspector on the visit's
team: inspectors see their own team's visits (draft findings); the organisers (the council) see and run
everything; the inspected service's staff see the report once published, and their actions; the public
sees published reports only; everyone else is refused."""

import pytest

from coproduce.assessment import inspection_services as inspections
from coproduce.assessment.models import Finding, InspectionAction, Visit
from coproduce.testing import tiny_png

PERSONAS = ["anonymous", "citizen", "other_org", "staff", "broker", "org_admin", "platform_admin", "inspector"]
PNG = tiny_png()


def row(url, *codes):
    return url, dict(zip(PERSONAS, codes, strict=True))


MATRIX = [
    #  anonymous citizen other_org staff broker org_admin platform_admin inspector
    row("/services/inspections/", 200, 200, 200, 200, 200, 200, 200, 200),
    row("/services/inspections/council/manage/", 302, 403, 403, 403, 403, 200, 200, 403),
    row("/services/inspections/council/training/", 302, 403, 403, 403, 403, 200, 200, 403),
    row("/services/inspections/council/templates/new/", 302, 403, 403, 403, 403, 200, 200, 403),
    row("/services/inspections/council/visits/new/", 302, 403, 403, 403, 403, 200, 200, 403),
    row("/services/inspections/visits/{draft}/", 403, 403, 403, 403, 403, 200, 200, 200),
    row("/services/inspections/visits/{draft}/findings/{item}/", 302, 403, 403, 403, 403, 200, 200, 200),
    row("/services/inspections/visits/{draft}/actions/new/", 302, 403, 403, 403, 403, 200, 200, 200),
    row("/services/inspections/photos/{draft_photo}/", 403, 403, 403, 403, 403, 200, 200, 200),
    row("/services/inspections/visits/{published}/", 200, 200, 200, 200, 200, 200, 200, 200),
    row("/services/inspections/visits/{published}/findings/{item}/", 302, 403, 403, 403, 403, 403, 200, 403),
    row("/services/inspections/photos/{published_photo}/", 200, 200, 200, 200, 200, 200, 200, 200),
    row("/services/home-care/actions/", 302, 403, 403, 200, 403, 200, 200, 403),
]


@pytest.fixture
def ids(published, personas, world, care, settings, tmp_path):
    """`published` is the fixture's first visit; a second visit to the same service stays a draft."""
    from datetime import timedelta

    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    first = published.visit
    draft = inspections.schedule_visit(published.admin, published.template, care,
                                       visit_on=published.today + timedelta(days=3), team=[published.ivy.person])
    draft_finding = inspections.record_finding(published.ivy, draft, published.items[0], rating=1)
    draft_photo = inspections.add_photo(published.ivy, draft_finding, SimpleUploadedFile("a.png", PNG))
    published_photo = Finding.objects.filter(visit=first).first().photos.create(
        file=draft_photo.file.name, content_type="image/png", size=len(PNG))
    inspections.add_action(published.ivy, first, description="Fix the ramp", due_on=published.today)
    personas["inspector"] = published.ivy
    return {"draft": draft.pk, "published": first.pk, "item": published.items[0].pk,
            "draft_photo": draft_photo.pk, "published_photo": published_photo.pk}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url,expected", MATRIX, ids=[r[0] for r in MATRIX])
def test_page_access(persona, url, expected, personas, client_as, ids):
    response = client_as(personas[persona]).get(url.format(**ids))
    assert response.status_code == expected[persona], (persona, url, response.status_code)
    if expected[persona] == 302:
        assert response["Location"].startswith("/accounts/login/")


def test_draft_findings_are_hidden_and_actions_are_shown_only_to_the_service_and_the_team(
        ids, personas, client_as):
    draft_url = f"/services/inspections/visits/{ids['draft']}/"
    assert b"Ivy Inspector" in client_as(personas["inspector"]).get(draft_url).content
    report = f"/services/inspections/visits/{ids['published']}/"
    public = client_as(None).get(report).content.decode()
    assert "Mostly welcoming." in public and "Notes 2" in public
    assert "Fix the ramp" not in public and "Ivy Inspector" not in public
    for persona in ("staff", "inspector", "org_admin"):
        assert "Fix the ramp" in client_as(personas[persona]).get(report).content.decode(), persona
    assert "Fix the ramp" in client_as(personas["staff"]).get("/services/home-care/actions/").content.decode()


@pytest.mark.parametrize("persona", ["anonymous", "citizen", "other_org", "broker", "inspector"])
def test_only_the_services_staff_mark_actions_done(persona, ids, personas, client_as):
    action = InspectionAction.objects.get()
    client_as(personas[persona]).post(f"/services/inspections/actions/{action.pk}/", {"do": "done", "note": "x"})
    assert InspectionAction.objects.get().status == "open"
    client_as(personas["staff"]).post(f"/services/inspections/actions/{action.pk}/", {"do": "done", "note": "Done"})
    assert InspectionAction.objects.get().status == "done"


@pytest.mark.parametrize("persona", ["anonymous", "citizen", "other_org", "staff", "broker"])
def test_findings_and_reports_are_refused_to_everyone_outside_the_team(persona, ids, personas, client_as):
    client = client_as(personas[persona])
    client.post(f"/services/inspections/visits/{ids['draft']}/findings/{ids['item']}/", {"rating": "4"})
    client.post(f"/services/inspections/visits/{ids['draft']}/publish/", {"summary": "Fake"})
    assert Finding.objects.get(visit_id=ids["draft"]).rating == 1
    assert Visit.objects.get(pk=ids["draft"]).status == "scheduled"
