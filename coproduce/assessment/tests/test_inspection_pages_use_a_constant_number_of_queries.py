"""The inspection list, a report and a service's actions page cost the same number of queries however
many reports, findings and actions there are."""

from datetime import timedelta

from coproduce.assessment import inspection_services as inspections


def _more(published, care, n):
    for i in range(n):
        visit = inspections.schedule_visit(published.admin, published.template, care,
                                           visit_on=published.today - timedelta(days=20 + i),
                                           team=[published.ivy.person])
        for item in published.items:
            inspections.record_finding(published.ivy, visit, item, rating=3, notes="ok")
        inspections.publish_report(published.ivy, visit, summary=f"Report {i}")
        for k in range(3):
            inspections.add_action(published.ivy, visit, description=f"Action {i}.{k}",
                                   due_on=published.today + timedelta(days=k))


def test_list_pages(published, care, personas, client_as, django_assert_max_num_queries):
    _more(published, care, 12)
    staff = client_as(personas["staff"])
    with django_assert_max_num_queries(12):
        assert client_as(None).get("/services/inspections/").status_code == 200
    with django_assert_max_num_queries(16):
        page = staff.get("/services/home-care/actions/")
    assert page.status_code == 200 and b"Action 0.2" in page.content
    # A report's page: as many queries with no actions as with three actions and more findings.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from coproduce.assessment.models import Visit

    busy = Visit.objects.exclude(pk=published.visit.pk).first()
    counts = []
    for visit in (published.visit, busy):
        client = client_as(published.ivy)
        client.get("/services/inspections/")  # warm the session
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/services/inspections/visits/{visit.pk}/").status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1] and counts[0] <= 32, counts
