"""The demo town gets a participatory budget with every channel represented and counted results."""

from coproduce.budgeting import demo
from coproduce.budgeting.models import Ballot, Pledge, Process, Proposal, Tally
from coproduce.core import demo as core_demo


def test_demo_loads_a_counted_riverton_process(db, client_as):
    town = core_demo.load_core()
    demo.load(town)
    process = Process.objects.get(title="Riverton Decides 2026")
    assert process.budgets.count() == 4 and process.budgets.filter(area__isnull=True).count() == 1
    assert process.phase == "results"
    assert Proposal.objects.filter(process=process, channel__in=["paper", "phone"]).exists()
    assert Pledge.objects.filter(proposal__process=process, kind="money").exists()
    channels = set(Ballot.objects.filter(budget__process=process).values_list("channel", flat=True))
    assert channels == {"web", "paper"}
    tallies = Tally.objects.filter(process=process, official=True, is_current=True, status="done")
    assert tallies.count() == 4 and all(t.selected for t in tallies)
    priorities = Process.objects.get(kind="priorities")
    assert Tally.objects.get(process=priorities, is_current=True).status == "done"
    city = process.budgets.get(area__isnull=True)
    page = client_as(None).get(f"/budgeting/{process.slug}/budgets/{city.pk}/results/")
    assert page.status_code == 200 and b"Turnout by channel" in page.content
