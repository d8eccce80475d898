"""The follow-up to tell someone of a decision by phone or letter (with staff's note) is part of that
person's data download, and erasing the person deletes it."""

from coproduce.core import services as core_services
from coproduce.design import services
from coproduce.design.models import FollowUp


def test_follow_up_is_exported_then_erased(lab, personas, phoned_decision):
    staff, (decision, nell) = personas["staff"], phoned_decision
    services.publish_decision(staff, decision)
    services.record_told_offline(staff, FollowUp.objects.get(person=nell), channel="phone", note="Rang Tuesday")

    data = core_services.export_person_data(personas["platform_admin"], nell)["design"]["decisions_to_tell_you_offline"]
    assert data == [{"lab": lab.title, "decision": "Respite within 48 hours", "told": data[0]["told"],
                     "how": "phone", "note": "Rang Tuesday"}] and data[0]["told"]
    core_services.erase_person(personas["platform_admin"], nell)
    assert not FollowUp.objects.filter(person=nell).exists()
