"""Personal data export includes complaints, help offers and ratings; erasure anonymises them but
keeps the numbers (response times, rating summaries)."""

from coproduce.assessment import services
from coproduce.assessment.models import Complaint, Rating, RatingSummary
from coproduce.core import services as core_services


def test_export_and_erase(personas, care):
    carla = personas["citizen"]
    complaint = services.submit_complaint(carla, care, description="Late", offer_help=True, help_how="Happy to")
    services.rate_service(carla, care, overall=2, comment="Slow replies")
    data = core_services.export_person_data(carla, carla.person)
    section = data["assessment"]
    assert section["complaints"][0]["description"] == "Late" and section["ratings"][0]["comment"] == "Slow replies"
    assert section["help_offers"][0]["how"] == "Happy to"
    core_services.erase_person(personas["platform_admin"], carla.person)
    complaint = Complaint.objects.get(pk=complaint.pk)
    assert complaint.person is None and complaint.email == "" and complaint.description == "Late"
    rating = Rating.objects.get()
    assert rating.person is None and rating.comment == "" and rating.overall == 2
    assert RatingSummary.objects.get(service=care).count == 1
