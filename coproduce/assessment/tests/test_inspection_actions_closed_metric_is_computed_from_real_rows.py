"""`assessment.inspection_actions_closed`: of the inspection actions due in the period, the percentage
the service completed by the deadline (reopened ones do not count; actions the team closed without
them being done do not count)."""

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from coproduce.assessment import inspection_services as inspections
from coproduce.assessment.models import InspectionAction
from coproduce.core.models import User
from coproduce.outcomes import metrics


def test_the_metric_from_real_rows(published, world):
    ivy, visit, today = published.ivy, published.visit, published.today
    sam = User.objects.get(username="sam")
    june = date(today.year + 1, 6, 1)

    def action(name, due):
        return inspections.add_action(ivy, visit, description=name, due_on=due)

    on_time = action("on time", june + timedelta(days=3))
    on_the_day = action("on the day", june + timedelta(days=10))
    late = action("late", june + timedelta(days=5))
    still_open = action("open", june + timedelta(days=20))
    closed_undone = action("closed by the team without being done", june + timedelta(days=6))
    reopened = action("reopened", june + timedelta(days=7))
    action("due in July", june + timedelta(days=40))
    for a in (on_time, on_the_day, late, reopened):
        inspections.complete_action(sam, a, note="done")
    inspections.close_action(ivy, on_time)
    inspections.close_action(ivy, closed_undone)
    inspections.close_action(ivy, reopened, reopen=True)

    def done_on(a, day):
        moment = timezone.make_aware(datetime.combine(day, datetime.min.time()) + timedelta(hours=15))
        InspectionAction.objects.filter(pk=a.pk).update(done_at=moment)

    done_on(on_time, june + timedelta(days=1))
    done_on(on_the_day, june + timedelta(days=10))
    done_on(late, june + timedelta(days=8))
    # Due in June: 6 actions; done by the deadline: on time, on the day → 2/6 = 33.3 %.
    value = metrics.compute("assessment.inspection_actions_closed", world.council, june, june + timedelta(days=30))
    assert value == Decimal("33.3")
    assert metrics.compute("assessment.inspection_actions_closed", world.service, june,
                           june + timedelta(days=30)) == Decimal("33.3")
    assert metrics.compute("assessment.inspection_actions_closed", world.group, june,
                           june + timedelta(days=30)) == Decimal(0)
    assert still_open.status == "open"
