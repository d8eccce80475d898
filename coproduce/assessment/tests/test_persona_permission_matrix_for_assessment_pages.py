"""Every co-assessment page, for every persona: who gets in (200), who is sent to log in (302) and who
is refused (403). Staff of the service manage its complaints; others are refused; the public sees only
public updates."""

import pytest

from coproduce.assessment import services
from coproduce.testing import PERSONAS, assert_answer, row

MATRIX = [
    #  anonymous citizen other_org staff broker org_admin platform_admin
    row("/services/", 200, 200, 200, 200, 200, 200, 200),
    row("/services/home-care/", 200, 200, 200, 200, 200, 200, 200),
    row("/services/home-care/ratings/", 200, 200, 200, 200, 200, 200, 200),
    row("/services/metrics/", 200, 200, 200, 200, 200, 200, 200),
    row("/services/home-care/edit/", 302, 403, 403, 200, 403, 200, 200),
    row("/services/home-care/open311/", 302, 403, 403, 200, 403, 200, 200),
    row("/services/new/social-care/", 302, 403, 403, 200, 403, 200, 200),
    row("/services/new/timebank/", 302, 403, 403, 403, 200, 403, 200),
    row("/services/import/", 302, 403, 200, 200, 200, 200, 200),
    row("/services/home-care/report/", 302, 200, 200, 200, 200, 200, 200),
    row("/services/home-care/report/on-behalf/", 302, 403, 403, 200, 403, 200, 200),
    row("/services/home-care/complaints/", 302, 403, 403, 200, 403, 200, 200),
    row("/services/home-care/rate/", 302, 200, 200, 200, 200, 200, 200),
    row("/services/home-care/rate/on-behalf/", 302, 403, 403, 200, 403, 200, 200),
    row("/services/complaints/mine/", 302, 200, 200, 200, 200, 200, 200),
    row("/services/complaints/{private}/", 403, 200, 403, 200, 403, 200, 200),
    row("/services/complaints/{public}/", 200, 200, 200, 200, 200, 200, 200),
    row("/services/moderation/", 302, 403, 200, 403, 403, 200, 200),  # admins moderate their own
]


@pytest.fixture
def complaints(personas, care):
    private = services.submit_complaint(personas["citizen"], care, description="About my care", is_public=False)
    public = services.submit_complaint(personas["citizen"], care, description="Broken ramp", is_public=True)
    return {"private": private.pk, "public": public.pk}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url,expected", MATRIX, ids=[r[0] for r in MATRIX])
def test_page_access(persona, url, expected, personas, client_as, care, complaints):
    response = client_as(personas[persona]).get(url.format(**complaints))
    assert_answer(response, expected[persona], persona, url)


@pytest.mark.parametrize("persona", ["anonymous", "citizen", "other_org", "broker"])
def test_status_changes_and_notes_are_refused_to_everyone_but_the_services_staff(persona, personas, client_as,
                                                                                 complaints):
    from coproduce.assessment.models import Complaint, ComplaintUpdate

    client = client_as(personas[persona])
    pk = complaints["public"]
    client.post(f"/services/complaints/{pk}/status/", {"status": "acknowledged"})
    client.post(f"/services/complaints/{pk}/note/", {"text": "sneaky"})
    assert Complaint.objects.get(pk=pk).status == "received"
    assert not ComplaintUpdate.objects.exists()


def test_the_public_and_the_complainant_see_only_public_updates(personas, client_as, complaints, staff):
    from coproduce.assessment.models import Complaint

    complaint = Complaint.objects.get(pk=complaints["public"])
    services.change_complaint_status(staff, complaint, "acknowledged", note="We will fix the ramp.")
    services.add_complaint_note(staff, complaint, "Contractor is slow, chase on Friday.", is_public=False)
    for persona in ("anonymous", "citizen", "broker"):
        page = client_as(personas[persona]).get(complaint.get_absolute_url()).content
        assert b"We will fix the ramp." in page and b"Contractor is slow" not in page, persona
        assert b"carla@example.org" not in page
    staff_page = client_as(staff).get(complaint.get_absolute_url()).content
    assert b"Contractor is slow" in staff_page and b"carla@example.org" in staff_page


def test_staff_of_another_service_cannot_manage_these_complaints(personas, world, complaints):
    from django.core.exceptions import PermissionDenied

    from coproduce.assessment.models import Complaint
    from coproduce.conftest import make_user, member

    other_staff = member(make_user("olga"), world.group, "staff")
    with pytest.raises(PermissionDenied):
        services.change_complaint_status(other_staff, Complaint.objects.get(pk=complaints["public"]), "acknowledged")
