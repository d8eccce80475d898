"""Visits are made by trained inspectors (a valid training record and the inspector role) who do not
work for the service; a report is published only when every item is rated and summarised, and is final
then; actions go open → done (by the service) → closed (by the team), or back to open. Peer reviews
by experts by experience are the same mechanism, as a kind of visit."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coproduce.assessment import inspection_services as inspections
from coproduce.assessment.models import InspectionAction, Visit
from coproduce.conftest import make_user, member
from coproduce.core.models import User


def test_untrained_expired_and_insider_team_members_are_refused(inspection, personas, world, care):
    admin, today = inspection.admin, inspection.today
    newcomer = member(make_user("nia"), world.council, "inspector")
    with pytest.raises(ValidationError) as caught:
        inspections.schedule_visit(admin, inspection.template, care, visit_on=today, team=[newcomer.person])
    assert "Not trained" in str(caught.value)
    inspections.record_training(admin, world.council, newcomer.person, course="Course", trained_by="Trainer",
                                trained_on=today - timedelta(days=400), expires_on=today - timedelta(days=35))
    with pytest.raises(ValidationError):
        inspections.schedule_visit(admin, inspection.template, care, visit_on=today, team=[newcomer.person])
    # Trained, but working for the inspected service.
    sam = personas["staff"]
    member(sam, world.council, "inspector")
    inspections.record_training(admin, world.council, sam.person, course="Course", trained_by="Trainer",
                                trained_on=today - timedelta(days=5))
    with pytest.raises(ValidationError) as caught:
        inspections.schedule_visit(admin, inspection.template, care, visit_on=today, team=[sam.person])
    assert "work for the service" in str(caught.value)
    # Training needs the inspector role; only organisers record it.
    with pytest.raises(ValidationError) as caught:
        inspections.record_training(admin, world.council, personas["citizen"].person, course="C", trained_by="T",
                                    trained_on=today)
    assert "person" in caught.value.message_dict
    with pytest.raises(PermissionDenied):
        inspections.record_training(personas["staff"], world.council, inspection.ivy.person, course="C",
                                    trained_by="T", trained_on=today)
    assert Visit.objects.count() == 1


def test_a_report_needs_every_item_rated_and_a_summary_and_is_final(inspection):
    ivy, visit, items = inspection.ivy, inspection.visit, inspection.items
    inspections.record_finding(ivy, visit, items[0], rating=3, notes="Fine")
    with pytest.raises(ValidationError) as caught:
        inspections.publish_report(ivy, visit, summary="")
    assert set(caught.value.message_dict) == {"summary", "findings"}
    with pytest.raises(ValidationError):
        inspections.record_finding(ivy, visit, items[1], rating=5)  # the scale has 4 points
    inspections.record_finding(ivy, visit, items[1], rating=4)
    inspections.publish_report(ivy, visit, summary="Good.")
    visit.refresh_from_db()
    assert visit.status == "published" and visit.published_at is not None
    with pytest.raises(PermissionDenied):
        inspections.record_finding(ivy, visit, items[1], rating=1)


def test_actions_go_from_open_to_done_to_closed_or_back(published, personas):
    ivy, visit, today = published.ivy, published.visit, published.today
    sam = User.objects.get(username="sam")
    with pytest.raises(ValidationError):
        inspections.add_action(ivy, visit, description="Too early", due_on=visit.visit_on - timedelta(days=1))
    action = inspections.add_action(ivy, visit, description="Fix the ramp", due_on=today + timedelta(days=7))
    for outsider in ("citizen", "broker", "other_org"):
        with pytest.raises(PermissionDenied):
            inspections.complete_action(personas[outsider], action, note="x")
    with pytest.raises(PermissionDenied):
        inspections.close_action(sam, action)  # the team closes, not the service
    with pytest.raises(ValidationError):
        inspections.complete_action(sam, action, note="")
    inspections.complete_action(sam, action, note="Handrail added")
    inspections.close_action(ivy, action, reopen=True)
    action.refresh_from_db()
    assert action.status == "open" and action.done_at is None
    inspections.complete_action(sam, action, note="Handrail really added")
    inspections.close_action(ivy, action)
    assert InspectionAction.objects.get(pk=action.pk).status == "closed"


def test_peer_reviews_use_the_same_mechanism(inspection, world, care):
    template = inspections.create_template(inspection.admin, world.council, title="Peer review", kind="peer_review",
                                           scale=["No", "Partly", "Yes"], items=[("Listened to?", "")])
    visit = inspections.schedule_visit(inspection.admin, template, care, visit_on=inspection.today,
                                       team=[inspection.ivy.person])
    assert visit.kind == "peer_review"
    inspections.record_finding(inspection.ivy, visit, template.items.get(), rating=3)
    inspections.publish_report(inspection.ivy, visit, summary="People felt heard.")
    assert Visit.objects.get(pk=visit.pk).status == "published"
