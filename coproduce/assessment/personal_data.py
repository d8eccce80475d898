"""What co-assessment holds about a person, and how it is erased.

Erasure removes the contact details from complaints (which stay, anonymous, so response-time figures
stay right), unlinks help offers, and unlinks ratings: the ratings keep counting in the summaries but
their comments are removed.
"""

from .models import Complaint, HelpOffer, Rating, RatingReport


def export(person) -> dict:
    return {
        "complaints": [
            {"service": c.service.name, "kind": c.kind, "description": c.description, "status": c.status,
             "address": c.address_string, "email": c.email, "phone": c.phone,
             "name": f"{c.first_name} {c.last_name}".strip(), "requested": c.requested_at.isoformat()}
            for c in Complaint.objects.filter(person=person).select_related("service").order_by("pk")
        ],
        "help_offers": [
            {"complaint": o.complaint_id, "stage": o.stage, "how": o.how, "follow_up": o.follow_up,
             "offered": o.created_at.isoformat()}
            for o in HelpOffer.objects.filter(person=person).order_by("pk")
        ],
        "ratings": [
            {"service": r.service.name, "overall": r.overall, "dimensions": r.dimensions, "comment": r.comment,
             "rated": r.rated_at.isoformat()}
            for r in Rating.objects.filter(person=person).select_related("service").order_by("pk")
        ],
        "reports_of_ratings": [
            {"rating": r.rating_id, "reason": r.reason, "reported": r.created_at.isoformat()}
            for r in RatingReport.objects.filter(reporter=person).order_by("pk")
        ],
    }


def erase(person) -> None:
    Complaint.objects.filter(person=person).update(
        person=None, first_name="", last_name="", email="", phone="", device_id="", account_id=""
    )
    HelpOffer.objects.filter(person=person).update(person=None, how="")
    Rating.objects.filter(person=person).update(person=None, comment="")
    RatingReport.objects.filter(reporter=person).update(reporter=None)
