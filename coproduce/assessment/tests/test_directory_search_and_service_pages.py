"""The public directory: search and filter by area, organisation and language; staff edit entries."""

from coproduce.assessment import services
from coproduce.assessment.models import Service
from coproduce.core.models import AuditEntry


def names(response):
    return [s.name for s in response.context["page"]]


def test_filters(client, personas, world, care):
    services.create_service(personas["broker"], world.group, name="Millbrook Lunch Club", areas=[world.hood],
                            languages=["en"], audience="Older people")
    services.create_service(personas["platform_admin"], world.other_group, name="Fernside Walks",
                            areas=[world.other_hood], languages=["de"])
    assert names(client.get("/services/")) == ["Fernside Walks", "Home Care", "Millbrook Lunch Club"]
    assert names(client.get("/services/?q=older")) == ["Millbrook Lunch Club"]
    # a city-wide service serves every neighbourhood in it
    assert names(client.get(f"/services/?area={world.hood.pk}")) == ["Home Care", "Millbrook Lunch Club"]
    assert names(client.get("/services/?language=pl")) == ["Home Care"]
    assert names(client.get("/services/?organisation=council")) == ["Home Care"]
    page = client.get("/services/home-care/").content
    assert b"MO,TU,WE,TH,FR 09:00" in page and b"01632 960555" in page and b"Adults who need care" in page


def test_staff_edit_a_service_through_the_form(personas, client_as, care, world):
    response = client_as(personas["staff"]).post("/services/home-care/edit/", {
        "name": "Home Care and Support", "status": "active", "open311_type": "realtime",
        "area_choices": [world.district.pk], "language_codes": "en, ur", "opening_hours": "MO-FR 08:30-18:00\nSA 10:00-12:00 phone only",
        "phone_numbers": "01632 960556", "dimensions": "Kindness, Punctuality"})
    assert response.status_code == 302, response.context["form"].errors
    care = Service.objects.get(pk=care.pk)
    assert care.name == "Home Care and Support" and care.rating_dimensions == ["Kindness", "Punctuality"]
    assert [str(s) for s in care.schedules.all()] == ["MO,TU,WE,TH,FR 08:30–18:00", "SA 10:00–12:00 phone only"]
    assert sorted(care.languages.values_list("code", flat=True)) == ["en", "ur"]
    assert AuditEntry.objects.filter(action="service.update").exists()
    bad = client_as(personas["staff"]).post("/services/home-care/edit/", {
        "name": "X", "status": "active", "open311_type": "realtime", "opening_hours": "weekdays 9 to 5"})
    assert "opening_hours" in bad.context["form"].errors


def test_api_lists_services_and_rating_summaries(client, personas, care):
    services.rate_service(personas["citizen"], care, overall=4)
    data = client.get("/api/v1/assessment/services").json()
    assert data["count"] == 1 and data["items"][0]["languages"] == ["en", "pl"]
    summary = client.get("/api/v1/assessment/services/home-care/ratings/summary").json()
    assert summary["count"] == 1 and summary["average"] == 4.0 and summary["stars"]["4"] == 1
