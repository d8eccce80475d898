"""Overdue inspection actions are chased: the inspected service's staff get one email a day listing
the actions of published reports that are open past their deadline; every chase is recorded, and a
second run the same day sends nothing."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command

from coproduce.assessment import inspection_services as inspections
from coproduce.assessment.models import ActionChase, InspectionAction


@pytest.fixture
def actions(published):
    v, today = published.visit, published.today
    overdue = inspections.add_action(published.ivy, v, description="Fix the ramp handrail", due_on=today - timedelta(days=2))
    future = inspections.add_action(published.ivy, v, description="Train reception staff", due_on=today + timedelta(days=9))
    done = inspections.add_action(published.ivy, v, description="Repaint the step edge", due_on=today - timedelta(days=3))
    inspections.complete_action(_sam(), done,
                                note="Painted yellow")
    return overdue, future, done


def _sam():
    from coproduce.core.models import User

    return User.objects.get(username="sam")


def test_overdue_actions_are_chased_once_a_day(actions, published, settings):
    overdue, future, done = actions
    published.service.email = "homecare@example.org"
    published.service.save()
    today = published.today
    mail.outbox.clear()
    assert inspections.chase_overdue_actions(today) == {"services": 1, "actions": 1}
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["homecare@example.org", "sam@example.org"]
    assert "Fix the ramp handrail" in message.body and "Train reception" not in message.body
    assert "Repaint" not in message.body and "Home Care" in message.subject
    assert list(ActionChase.objects.values_list("action_id", "chased_on", "recipients")) == [(overdue.pk, today, 2)]
    # The same day again: nothing new.
    assert inspections.chase_overdue_actions(today) == {"services": 0, "actions": 0}
    assert len(mail.outbox) == 1 and ActionChase.objects.count() == 1
    # The next day it is chased again, and once it is done, never.
    assert inspections.chase_overdue_actions(today + timedelta(days=1))["actions"] == 1
    assert len(mail.outbox) == 2 and ActionChase.objects.count() == 2
    inspections.complete_action(_sam(), InspectionAction.objects.get(pk=overdue.pk), note="Handrail fixed")
    assert inspections.chase_overdue_actions(today + timedelta(days=2))["actions"] == 0
    assert len(mail.outbox) == 2


def test_actions_of_unpublished_reports_are_not_chased(inspection):
    from coproduce.assessment.models import InspectionAction as Action

    Action.objects.create(visit=inspection.visit, service=inspection.service, description="Draft action",
                          due_on=inspection.today - timedelta(days=5))
    mail.outbox.clear()
    assert inspections.chase_overdue_actions(inspection.today) == {"services": 0, "actions": 0}
    assert mail.outbox == [] and not ActionChase.objects.exists()


def test_the_command_chases(actions, published, capsys):
    mail.outbox.clear()
    call_command("inspections", "chase", "--today", published.today.isoformat())
    assert "Chased 1 overdue actions of 1 services." in capsys.readouterr().out
    assert len(mail.outbox) == 1
    call_command("inspections", "chase", "--today", published.today.isoformat())
    assert len(mail.outbox) == 1


def test_the_daily_task_chases(actions, published):
    from coproduce.assessment.tasks import chase_overdue_inspection_actions

    mail.outbox.clear()
    chase_overdue_inspection_actions.enqueue()
    assert len(mail.outbox) == 1 and ActionChase.objects.count() == 1
