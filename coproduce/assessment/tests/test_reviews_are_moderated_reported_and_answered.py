"""People report abusive reviews; moderators (not the service's own staff) hide them; staff reply."""

import pytest
from django.core.exceptions import PermissionDenied

from coproduce.assessment import services
from coproduce.assessment.models import RatingReport, RatingSummary
from coproduce.core.models import AuditEntry


@pytest.fixture
def rating(personas, care):
    return services.rate_service(personas["citizen"], care, overall=1, comment="Rude words here")


def test_report_then_hide_removes_it_from_the_summary_and_the_page(personas, rating, client_as):
    broker = client_as(personas["broker"])
    assert broker.post(f"/services/ratings/{rating.pk}/report/", {"reason": "Abusive"}).status_code == 302
    assert RatingReport.objects.get().outcome == "open"
    admin = client_as(personas["org_admin"])
    assert b"Abusive" in admin.get("/services/moderation/").content
    admin.post(f"/services/ratings/{rating.pk}/moderate/", {"decision": "hide", "note": "Language"})
    rating.refresh_from_db()
    assert rating.status == "hidden" and RatingReport.objects.get().outcome == "hidden"
    assert RatingSummary.objects.get(service=rating.service).count == 0
    assert b"Rude words" not in client_as(None).get("/services/home-care/ratings/").content
    assert AuditEntry.objects.filter(action="rating.hide").exists()


def test_the_services_own_staff_cannot_moderate_but_can_reply_publicly(personas, rating, client_as, staff):
    with pytest.raises(PermissionDenied):
        services.moderate_rating(staff, rating, hide=True)
    assert client_as(staff).get("/services/moderation/").status_code == 403
    client_as(staff).post(f"/services/ratings/{rating.pk}/reply/", {"text": "Sorry, we will call you."})
    assert b"Sorry, we will call you." in client_as(None).get("/services/home-care/ratings/").content
    for persona in ("citizen", "broker", "other_org"):
        with pytest.raises(PermissionDenied):
            services.reply_to_rating(personas[persona], rating, "Not mine to answer")


def test_people_cannot_report_their_own_review_and_anonymous_cannot_report(personas, rating, client_as):
    assert client_as(personas["citizen"]).post(f"/services/ratings/{rating.pk}/report/",
                                               {"reason": "x"}).status_code == 403
    assert client_as(None).post(f"/services/ratings/{rating.pk}/report/", {"reason": "x"}).status_code == 302
    assert not RatingReport.objects.exists()
