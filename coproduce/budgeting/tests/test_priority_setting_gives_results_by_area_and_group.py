"""A priority-setting process: citizens rank services or policies (or spread points); results by
score overall, by area and by age group, hiding groups with fewer than 5 ballots."""

from datetime import date

from coproduce.budgeting import services
from coproduce.budgeting.models import Process, Tally
from coproduce.core import services as core_services


def test_ranked_priorities_with_breakdowns(personas, world, phase, client_as):
    admin = personas["org_admin"]
    process = services.create_process(admin, world.council, title="Where should savings fall?",
                                      kind=Process.Kind.PRIORITIES, method=Process.Method.RANKED, max_choices=2,
                                      min_age=11)
    options = [services.add_option(admin, process, title=t) for t in ("Fewer grass cuts", "Parking charges",
                                                                     "Library hours")]
    budget = process.budgets.get()
    phase(process, "vote")
    voters = []
    for i in range(12):  # 7 in Millbrook aged 11-17, 5 in Fernside aged 35-64
        hood, born = (world.hood, date(date.today().year - 13, 1, 1)) if i < 7 else (world.other_hood, date(1980, 1, 1))
        person = core_services.register_person(admin, world.council, consent=True, name=f"Voter {i}",
                                               home_area=hood, birth_date=born)
        from coproduce.conftest import make_user

        user = make_user(f"voter{i}")
        user.person.delete()
        person.user = user
        person.save()
        voters.append(user)
    for i, user in enumerate(voters):
        first = options[0] if i < 7 else options[1]
        services.cast_ballot(user, budget, choices=[first.pk, options[2].pk])
    services.set_phase(admin, process, "results")
    tally = Tally.objects.get(budget=budget, official=True)
    rows = {r.proposal_id: r for r in tally.rows.all()}
    assert rows[options[2].pk].score == 12 and rows[options[0].pk].score == 14 and rows[options[1].pk].score == 10
    assert rows[options[0].pk].position == 1
    assert rows[options[0].pk].breakdown["by_group"] == {"11-17": 14, "35-64": 0}
    page = client_as(None).get(f"/budgeting/{process.slug}/budgets/{budget.pk}/results/")
    assert page.context["groups"] == ["11-17", "35-64"] and len(page.context["areas"]) == 2
    assert b"Scores by age group" in page.content
