"""Staff mark proposals feasible or not with a public reason and their own cost estimate, and merge
duplicates (supports and offers move to the proposal kept)."""

import pytest
from django.core.exceptions import ValidationError

from coproduce.budgeting import services
from coproduce.budgeting.models import Proposal


def test_review_with_reason_and_cost(pb, personas, client_as):
    idea = services.submit_proposal(personas["citizen"], pb.process, title="Outdoor gym", cost_estimate=10_000)
    client = client_as(personas["org_admin"])
    url = f"/budgeting/{pb.process.slug}/proposals/{idea.pk}/review/"
    response = client.post(url, {"decision": "feasible", "reason": "", "cost": "250"})
    assert response.status_code == 400 and "reason" in response.context["form"].errors
    response = client.post(url, {"decision": "feasible", "reason": "Parks can host it.", "cost": "250",
                                 "budget": pb.city.pk})
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.status == "feasible" and idea.cost == 25_000 and idea.cost_estimate == 10_000
    page = client_as(None).get(idea.get_absolute_url())
    assert b"Parks can host it." in page.content and "£250" in page.content.decode()


def test_infeasible_needs_no_cost_but_feasible_over_budget_is_refused(pb, personas):
    idea = services.submit_proposal(personas["citizen"], pb.process, title="Concert hall")
    with pytest.raises(ValidationError) as exc:
        services.review_proposal(personas["org_admin"], idea, feasible=True, reason="ok")
    assert "cost" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.review_proposal(personas["org_admin"], idea, feasible=True, reason="ok", cost=10**7)
    assert "more than the whole budget" in str(exc.value)
    services.review_proposal(personas["org_admin"], idea, feasible=False, reason="Far beyond the budget.")
    assert Proposal.objects.get(pk=idea.pk).status == "infeasible"


def test_merging_duplicates_moves_supports_and_offers(pb, personas):
    keep = pb.proposals["Benches by the river"]
    dup = services.submit_proposal(personas["broker"], pb.process, title="River benches please")
    services.toggle_support(personas["citizen"], dup)
    services.toggle_support(personas["broker"], dup)
    services.toggle_support(personas["citizen"], keep)
    services.make_pledge(personas["broker"], dup, kind="money", amount=5_000)
    services.merge_proposals(personas["org_admin"], dup, keep, reason="Same idea.")
    dup.refresh_from_db()
    keep.refresh_from_db()
    assert dup.status == "merged" and dup.merged_into == keep and dup.support_count == 0
    assert keep.support_count == 2 and keep.pledged_money == 5_000
    with pytest.raises(ValidationError):
        services.merge_proposals(personas["org_admin"], keep, dup, reason="Back again.")
