"""`budgeting.vote_participants` counts distinct voters (once per process, paper ballots included) in the
organisation's processes whose vote closed in the period; `budgeting.pledges_delivered` the minutes of
time pledged to funded proposals whose delivery was completed in the period (not when promised). Both
are computed from real rows."""

from datetime import timedelta

from django.utils import timezone

from coproduce.budgeting import services
from coproduce.budgeting.models import Pledge, Process, Proposal
from coproduce.outcomes import metrics


def test_voters_and_pledged_hours_from_real_rows(pb, personas, world, phase):
    skate, library = pb.proposals["Skate park"], pb.proposals["Library late opening"]
    services.make_pledge(personas["staff"], skate, kind="hours", minutes=90)
    services.make_pledge(personas["broker"], skate, kind="hours", minutes=30)
    services.make_pledge(personas["broker"], library, kind="hours", minutes=600)  # the library loses
    services.make_pledge(personas["staff"], skate, kind="money", amount=5_000)  # money, not time
    phase(pb.process, "vote")
    carla = personas["citizen"]
    services.cast_ballot(carla, pb.city, choices=[skate.pk])
    services.cast_ballot(carla, pb.north, choices=[pb.proposals["North crossing"].pk])  # same voter, 2 budgets
    services.cast_ballot(carla, pb.city, choices=[skate.pk])  # a change is not a new voter
    for _ in range(2):
        services.enter_paper_ballot(personas["org_admin"], pb.city, choices=[skate.pk])
    services.set_phase(personas["org_admin"], pb.process, "results")
    pb.process.refresh_from_db()
    services.settle_pledges(personas["org_admin"], pb.process)

    today = timezone.localdate()
    council = world.council
    participants = metrics.get("budgeting.vote_participants")
    delivered = metrics.get("budgeting.pledges_delivered")
    assert delivered.kind == "hours" and participants.counts_people
    # Settled (promised) is not delivered: nothing counts until the skate park's milestones are all done.
    assert delivered.compute(council, today, today + timedelta(days=1)) == 0
    skate = Proposal.objects.get(pk=skate.pk)
    ramps = services.add_milestone(personas["org_admin"], skate, title="Ramps")
    lights = services.add_milestone(personas["org_admin"], skate, title="Lights")
    services.record_progress(personas["org_admin"], skate, progress=50, spent=0, done_milestones=[ramps])
    assert delivered.compute(council, today, today + timedelta(days=1)) == 0
    services.record_progress(personas["org_admin"], skate, progress=100, spent=0, done_milestones=[lights])
    assert participants.compute(council, today, today + timedelta(days=1)) == 3
    assert delivered.compute(council, today, today + timedelta(days=1)) == 120
    assert Pledge.objects.filter(proposal=library).get().status == Pledge.Status.RELEASED
    # other periods and other organisations see nothing
    assert participants.compute(council, today + timedelta(days=1), today + timedelta(days=30)) == 0
    assert delivered.compute(council, today - timedelta(days=30), today) == 0
    assert participants.compute(world.group, today, today + timedelta(days=1)) == 0
    # a vote still open is not counted yet
    Process.objects.filter(pk=pb.process.pk).update(vote_ends=timezone.now() + timedelta(days=3))
    assert participants.compute(council, today, today + timedelta(days=40)) == 0
