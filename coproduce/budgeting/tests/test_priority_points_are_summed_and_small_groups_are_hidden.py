"""Priority setting with points to spread: each option's score is the sum of the points it was given;
the breakdowns by area and by age group show only groups of at least five ballots, on the results page
and in the downloadable count, so that a small group cannot be picked out."""

import json
from datetime import date

from coproduce.budgeting import services
from coproduce.budgeting.models import Process, Tally
from coproduce.conftest import make_user
from coproduce.core import services as core_services


def _voter(admin, world, i, hood, born):
    person = core_services.register_person(admin, world.council, consent=True, name=f"Voter {i}", home_area=hood,
                                           birth_date=born)
    user = make_user(f"points{i}")
    user.person.delete()
    person.user = user
    person.save()
    return user


def test_points_and_suppressed_small_groups(personas, world, phase, client_as):
    admin = personas["org_admin"]
    process = services.create_process(admin, world.council, title="Spread 10 points across services",
                                      kind=Process.Kind.PRIORITIES, method=Process.Method.CUMULATIVE, points_total=10,
                                      max_choices=3)
    parks, buses, youth = (services.add_option(admin, process, title=t) for t in ("Parks", "Buses", "Youth club"))
    budget = process.budgets.get()
    phase(process, "vote")
    teen, adult = date(date.today().year - 14, 1, 1), date(1970, 6, 1)
    # Six teenagers in Millbrook give 7 to the youth club and 3 to parks; three adults in Fernside give 10 to buses.
    for i in range(6):
        services.cast_ballot(_voter(admin, world, i, world.hood, teen), budget,
                             points={str(youth.pk): 7, str(parks.pk): 3})
    for i in range(6, 9):
        services.cast_ballot(_voter(admin, world, i, world.other_hood, adult), budget, points={str(buses.pk): 10})
    services.set_phase(admin, process, "results")
    tally = Tally.objects.get(budget=budget, official=True)
    rows = {r.proposal_id: r for r in tally.rows.all()}
    assert (rows[youth.pk].score, rows[buses.pk].score, rows[parks.pk].score) == (42, 30, 18)
    assert [rows[p.pk].position for p in (youth, buses, parks)] == [1, 2, 3]
    # Fernside's three ballots (and the 35-64 band's) are hidden from every breakdown.
    # (A ballot's area is the voter's district, so the teenagers' area is named after Millbrook's district.)
    (district,) = rows[youth.pk].breakdown["by_area"]
    assert rows[youth.pk].breakdown == {"by_area": {district: 42}, "by_group": {"11-17": 42}}
    assert rows[buses.pk].breakdown == {"by_area": {district: 0}, "by_group": {"11-17": 0}}
    page = client_as(None).get(f"/budgeting/{process.slug}/budgets/{budget.pk}/results/")
    assert page.status_code == 200
    assert page.context["groups"] == ["11-17"] and len(page.context["areas"]) == 1
    assert "35-64" not in page.content.decode()
    count = client_as(None).get(f"/budgeting/{process.slug}/budgets/{budget.pk}/results/count.json")
    text = count.content.decode()
    assert "35-64" not in text and json.loads(text)
