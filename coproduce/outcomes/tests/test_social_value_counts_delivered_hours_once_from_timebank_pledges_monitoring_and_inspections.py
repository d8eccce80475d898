"""The social value report's hours come from real rows of every module, each hour counted once and only
when given: pledged hours when the funded proposal is delivered (not when promised), a pledge handed to
a timebank only as the exchange it became, monitoring minutes credited through a timebank exchange only
as that exchange, and inspection time (per team member × team) once the visit's report is published.
Checked against a hand computation."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from coproduce.assessment import inspection_services as inspections
from coproduce.assessment import monitoring_services as monitoring
from coproduce.assessment.tests.conftest import care, inspection, river  # noqa: F401  (fixtures)
from coproduce.budgeting import services as budgeting
from coproduce.budgeting.models import Pledge, Process, Proposal
from coproduce.budgeting.tests.conftest import pb, phase  # noqa: F401  (fixtures)
from coproduce.conftest import make_user, member
from coproduce.core import services as core
from coproduce.core.models import Person
from coproduce.outcomes import queries, services
from coproduce.timebank import services as timebank
from coproduce.timebank.models import TimebankMember


def _hours_by_source(report) -> dict:
    return {line.source: line.minutes for line in queries.social_value_summary(report).hours}


def test_hours_from_real_rows_match_the_hand_computation(personas, world, pb, phase, river, inspection):  # noqa: F811
    ada, bea, pat = personas["org_admin"], personas["broker"], personas["platform_admin"]
    today = river.today
    # Millbrook's timebank group is part of the council here, so one council report covers every module.
    world.group.parent = world.council
    world.group.save()
    report = services.create_social_value_report(
        ada, world.council, title="Testville", period_start=today - timedelta(days=60), period_end=today,
        low_rate_minor=1200, high_rate_minor=1800)

    # Timebank: Hal pays Gill 600 minutes for garden clearing.
    bank = timebank.create_timebank(pat, name="Millbrook Timebank", slug="millbrook", organisation=world.group)
    carla = timebank.register_member(bea, bank, person=personas["citizen"].person)
    gill = timebank.register_member(bea, bank, name="Generous Gill")
    hal = timebank.register_member(bea, bank, name="Hal Helped")
    timebank.transfer(bea, hal, gill, 600, "Garden clearing")

    # Budgeting: Carla (a member) pledges 150 minutes, Nell (offline, no bank) 90, to the funded skate park.
    nell = core.register_person(ada, world.council, consent=True, name="Nell Offline")
    skate = pb.proposals["Skate park"]
    budgeting.make_pledge(personas["citizen"], skate, kind="hours", minutes=150)
    budgeting.make_pledge(ada, skate, kind="hours", minutes=90, on_behalf_of=nell, channel="phone")
    phase(pb.process, "vote")
    budgeting.cast_ballot(personas["citizen"], pb.city, choices=[skate.pk])
    budgeting.set_phase(ada, pb.process, "results")
    process = Process.objects.get(pk=pb.process.pk)
    budgeting.settle_pledges(ada, process)
    skate = Proposal.objects.get(pk=skate.pk)
    assert Pledge.objects.filter(timebank_offer__isnull=False).count() == 1  # Carla's became an offer
    milestone = budgeting.add_milestone(ada, skate, title="Ramps painted")
    # Promised, not delivered yet: no pledged hours count.
    assert _hours_by_source(report)["budgeting.pledges_delivered"] == 0
    # Carla gives her pledged time through the timebank (Gill pays her for painting the ramps)...
    timebank.transfer(bea, gill, carla, 150, "Painting the skate park ramps")
    # ...and the delivery is complete.
    budgeting.record_progress(ada, skate, progress=100, spent=50_000, done_milestones=[milestone])

    # Monitoring: Carla's 50 minutes are credited from Gill's account (a timebank exchange); Dot, who
    # is in no bank, gives 40 minutes that stay uncredited.
    monitoring.update_campaign(river.bea, river.campaign, timebank=bank,
                               credit_from=TimebankMember.objects.get(pk=gill.pk))
    values = {river.ph.field: "7", river.temp.field: "10", river.turbidity.field: "0"}
    monitoring.record_observation(personas["citizen"], river.campaign, values=values, location="Weir",
                                  observed_at=timezone.now() - timedelta(hours=3), minutes_spent=50)
    dot = monitoring.enrol(river.bea, river.campaign, Person.objects.create(name="Dot Offline"))
    monitoring.record_observation(river.bea, river.campaign, volunteer=dot, values=values, location="Weir",
                                  observed_at=timezone.now() - timedelta(hours=2), minutes_spent=40)
    credited = monitoring.credit_hours(river.bea, river.campaign)
    assert credited.minutes == 50 and credited.transfers[0].kind == "exchange"

    # Inspections: Ivy and Ian spend 150 minutes each on a published visit; the fixture's unpublished
    # visit and a future one with time planned count nothing yet.
    ian = member(make_user("ian", name="Ian Inspector"), world.council, "inspector")
    inspections.record_training(ada, world.council, ian.person, course="Citizen inspector training",
                                trained_by="Healthwatch", trained_on=today - timedelta(days=30),
                                expires_on=today + timedelta(days=300))
    visit = inspections.schedule_visit(ada, inspection.template, inspection.service,
                                       visit_on=today - timedelta(days=5), team=[inspection.ivy.person, ian.person],
                                       minutes=120)
    for item in inspection.items:
        inspections.record_finding(ada, visit, item, rating=3, notes="Fine.")
    inspections.publish_report(ada, visit, summary="Welcoming.", minutes=150)
    inspections.schedule_visit(ada, inspection.template, inspection.service,
                               visit_on=today - timedelta(days=2), team=[ian.person], minutes=200)

    # By hand:
    #   timebank exchanges: 600 (garden) + 150 (Carla's pledge, delivered) + 50 (monitoring credit) = 800
    #   pledges delivered:  90 (Nell's; Carla's 150 are the exchange above, not counted again)
    #   monitoring:         40 (Dot's; Carla's 50 are the exchange above)
    #   inspections:        150 × 2 team members = 300
    #   total 1,230 minutes = 20.5 h; low 20.5 × £12 = £246.00, high 20.5 × £18 = £369.00
    assert _hours_by_source(report) == {
        "timebank.hours_exchanged": 800, "budgeting.pledges_delivered": 90,
        "assessment.monitoring_hours": 40, "assessment.inspection_hours": 300,
    }
    summary = queries.social_value_summary(report)
    assert summary.total_minutes == 1230
    assert (summary.value_low_minor, summary.value_high_minor) == (24_600, 36_900)


def test_bad_inspection_time_is_refused_and_nothing_is_written(personas, inspection):  # noqa: F811
    from coproduce.assessment.models import Visit

    before = Visit.objects.count()
    for bad in (-5, "two hours", 1.5):
        with pytest.raises(ValidationError) as excinfo:
            inspections.schedule_visit(inspection.admin, inspection.template, inspection.service,
                                       visit_on=inspection.today, team=[inspection.ivy.person], minutes=bad)
        assert "minutes" in excinfo.value.message_dict
    assert Visit.objects.count() == before
