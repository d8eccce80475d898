"""Staff record a complaint for someone who phoned: channel phone, on behalf of that person."""

from coproduce.assessment.models import Complaint
from coproduce.core import services as core_services
from coproduce.core.models import AuditEntry


def test_phone_complaint_is_recorded_on_behalf(personas, care, client_as, world, staff):
    nell = core_services.register_person(staff, world.service, consent=True, name="Nell Offline",
                                         phone="01632 960123")
    response = client_as(staff).post("/services/home-care/report/on-behalf/", {
        "person": nell.pk, "channel": "phone", "kind": "complaint", "description": "Carer did not come.",
        "offer_help": "on"})
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.person == nell and complaint.channel == "phone" and complaint.phone == "01632 960123"
    entry = AuditEntry.objects.get(action="complaint.submit")
    assert entry.on_behalf_of == nell and entry.channel == "phone" and entry.actor == staff
    assert complaint.help_offers.get().person == nell


def test_staff_elsewhere_cannot_file_for_this_service(personas, care, client_as):
    for persona in ("broker", "other_org", "citizen"):
        assert client_as(personas[persona]).get("/services/home-care/report/on-behalf/").status_code == 403
    assert not Complaint.objects.exists()
