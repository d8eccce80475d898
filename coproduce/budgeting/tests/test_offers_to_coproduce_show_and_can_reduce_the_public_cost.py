"""Citizens and groups pledge time, skills, materials or money to help deliver a proposal. Pledges
show on the proposal; with the process setting on, pledged money reduces the cost the rule has to
find; money is collected only if the proposal is funded."""

import pytest
from django.core.exceptions import ValidationError

from coproduce.budgeting import services
from coproduce.budgeting.models import Pledge, Process, Tally


def test_pledges_show_on_the_proposal(pb, personas, client_as, world):
    skate = pb.proposals["Skate park"]
    client = client_as(personas["broker"])
    response = client.post(f"/budgeting/{pb.process.slug}/proposals/{skate.pk}/pledge/",
                           {"kind": "hours", "hours": "3.5", "group": world.group.pk})
    assert response.status_code == 302
    pledge = Pledge.objects.get()
    assert pledge.minutes == 210 and pledge.group == world.group and pledge.person == personas["broker"].person
    services.make_pledge(personas["citizen"], skate, kind="money", amount=12_345)
    page = client_as(None).get(skate.get_absolute_url()).content.decode()
    assert "Millbrook Timebank" in page and "£123.45" in page and "3:30" in page


def test_bad_pledges_are_refused(pb, personas, world):
    skate = pb.proposals["Skate park"]
    for kwargs, field in [({"kind": "money"}, "amount"), ({"kind": "money", "amount": 0}, "amount"),
                          ({"kind": "hours"}, "minutes"), ({"kind": "skills"}, "description"),
                          ({"kind": "gold"}, "kind"), ({"kind": "money", "amount": 5.5}, "amount"),
                          ({"kind": "hours", "minutes": 60, "group": world.other_group}, "group")]:
        with pytest.raises(ValidationError) as exc:
            services.make_pledge(personas["citizen"], skate, **kwargs)
        assert field in exc.value.message_dict, (kwargs, exc.value.message_dict)
    assert not Pledge.objects.exists()


def test_pledged_money_reduces_the_cost_the_rule_must_find(pb, personas, phase):
    Process.objects.filter(pk=pb.process.pk).update(pledges_reduce_cost=True)
    pb.process.refresh_from_db()
    library = pb.proposals["Library late opening"]  # costs 600 of a 1000 budget
    services.make_pledge(personas["broker"], library, kind="money", amount=20_000)  # £200 co-financing
    phase(pb.process, "vote")
    services.cast_ballot(personas["citizen"], pb.city, choices=[library.pk, pb.proposals["Skate park"].pk])
    services.set_phase(personas["org_admin"], pb.process, "results")
    tally = Tally.objects.get(budget=pb.city, official=True)
    rows = {r.proposal_id: r for r in tally.rows.all()}
    # 400 (600 minus the pledged 200) + 500 fit in 1000: both funded
    assert rows[library.pk].cost == 40_000 and rows[library.pk].selected and rows[pb.proposals["Skate park"].pk].selected
    assert tally.spent == 90_000
    result = services.settle_pledges(personas["org_admin"], pb.process)
    assert result == {"collected": 1, "released": 0, "offers": 0, "to_invite": 0}
    assert Pledge.objects.get().status == "collected"


def test_money_for_unfunded_proposals_is_released(pb, personas, phase):
    services.make_pledge(personas["broker"], pb.proposals["Library late opening"], kind="money", amount=1_000)
    phase(pb.process, "vote")
    services.cast_ballot(personas["citizen"], pb.city, choices=[pb.proposals["Skate park"].pk])
    services.set_phase(personas["org_admin"], pb.process, "results")
    assert services.settle_pledges(personas["org_admin"], pb.process) == {"collected": 0, "released": 1, "offers": 0, "to_invite": 0}
