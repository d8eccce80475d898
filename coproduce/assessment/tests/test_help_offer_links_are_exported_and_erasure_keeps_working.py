"""A person's data export shows where their offers to help went (bank, offer, lab); erasing them still
works and keeps the counts (the help offers stay, unlinked from them)."""

from coproduce.assessment import services
from coproduce.assessment.models import HelpOffer
from coproduce.assessment.queries import response_metrics
from coproduce.core import services as core_services


def test_export_and_erase(personas, care, helping, staff):
    carla = personas["citizen"]
    complaint = services.submit_complaint(carla, care, description="Late")
    services.offer_help(carla, complaint, route="timebank", timebank=helping.millbrook.pk, how="Visits")
    for status in ("acknowledged", "resolved"):
        complaint = services.change_complaint_status(staff, complaint, status)
    services.offer_help(carla, complaint, route="lab", how="Ideas")
    offers = core_services.export_person_data(carla, carla.person)["assessment"]["help_offers"]
    assert offers[0]["route"] == "timebank" and offers[0]["timebank"] == "Millbrook Timebank"
    posted = HelpOffer.objects.get(stage="submission").timebank_offer_id
    assert posted is not None and offers[0]["timebank_offer"] == posted
    assert offers[0]["timebank_membership"] == "active"
    assert offers[1]["route"] == "lab" and offers[1]["design_lab"] == "Redesigning home care visits"
    core_services.erase_person(personas["platform_admin"], carla.person)
    assert HelpOffer.objects.count() == 2
    assert not HelpOffer.objects.exclude(person=None).exists() and not HelpOffer.objects.exclude(how="").exists()
    assert response_metrics([care.pk])[care.pk]["helpers"] == 1
