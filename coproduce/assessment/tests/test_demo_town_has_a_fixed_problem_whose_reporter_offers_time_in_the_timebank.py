"""`coproduce demo` tells the complaints-to-helpers story: a timebank member reports a broken bench,
the council fixes it, and her offer to help is a real offer in the timebank linked to the report."""

from io import StringIO

from django.core.management import call_command

from coproduce.assessment.models import Complaint, HelpOffer


def test_demo(db):
    call_command("demo", stdout=StringIO())
    offer = HelpOffer.objects.select_related("complaint", "timebank_offer__member").get(
        route=HelpOffer.Route.TIMEBANK)
    assert offer.complaint.status == Complaint.Status.RESOLVED
    assert offer.stage == HelpOffer.Stage.RESOLUTION
    assert offer.timebank_offer is not None
    assert offer.timebank_offer.member.person_id == offer.complaint.person_id == offer.person_id
    assert "Parks and Green Spaces" in offer.timebank_offer.description
    assert "repaint the park benches" in offer.timebank_offer.description
