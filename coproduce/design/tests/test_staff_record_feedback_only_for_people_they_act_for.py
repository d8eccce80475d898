"""Staff record feedback on behalf of someone offline only for people they may act for (as with paper
votes); for anyone else the call is refused and nothing is written."""

import pytest
from django.core.exceptions import PermissionDenied

from coproduce.core import services as core_services
from coproduce.core.models import AuditEntry
from coproduce.design import services
from coproduce.design.models import Feedback


def test_feedback_on_behalf_of_an_own_member_is_recorded_as_such(lab, personas, world):
    staff = personas["staff"]
    nell = core_services.register_person(staff, world.service, consent=True, name="Nell Offline")
    item = services.add_feedback(staff, lab, text="Respite took weeks", person=nell, channel="phone")
    assert item.person == nell and item.recorded_by == staff and item.channel == "phone"
    entry = AuditEntry.objects.get(action="feedback.add")
    assert entry.on_behalf_of == nell and entry.actor == staff and entry.channel == "phone"


def test_feedback_cannot_be_attributed_to_someone_staff_do_not_act_for(lab, personas, world):
    stranger = core_services.register_person(personas["other_org"], world.other_group, consent=True,
                                             name="Someone Else")
    with pytest.raises(PermissionDenied):
        services.add_feedback(personas["staff"], lab, text="Words put in my mouth", person=stranger)
    assert not Feedback.objects.filter(lab=lab).exists()
    assert not AuditEntry.objects.filter(action="feedback.add").exists()


def test_the_system_still_records_feedback_for_anyone(lab, world, personas):
    stranger = core_services.register_person(personas["other_org"], world.other_group, consent=True,
                                             name="Imported Person")
    item = services.add_feedback(None, lab, text="From a survey import", person=stranger, kind="survey")
    assert item.person == stranger
