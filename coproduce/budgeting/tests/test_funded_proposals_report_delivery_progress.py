"""After the results, staff record milestones, progress and spending on funded proposals only."""

import pytest
from django.core.exceptions import ValidationError

from coproduce.budgeting import services


def test_progress_and_milestones(pb, personas, phase, client_as):
    phase(pb.process, "vote")
    skate, library = pb.proposals["Skate park"], pb.proposals["Library late opening"]
    services.cast_ballot(personas["citizen"], pb.city, choices=[skate.pk])
    services.set_phase(personas["org_admin"], pb.process, "delivery")
    client = client_as(personas["org_admin"])
    base = f"/budgeting/{pb.process.slug}/proposals/{skate.pk}"
    assert client.post(f"{base}/milestones/", {"title": "Planning permission"}).status_code == 302
    milestone = skate.milestones.get()
    assert client.post(f"{base}/progress/", {"progress": "40", "spent": "120.50", "done": [milestone.pk]}
                       ).status_code == 302
    skate.refresh_from_db()
    milestone.refresh_from_db()
    assert skate.progress == 40 and skate.spent == 12_050 and milestone.done_on is not None
    page = client_as(None).get(skate.get_absolute_url()).content.decode()
    assert "40% done" in page and "£120.50" in page
    with pytest.raises(ValidationError):
        services.record_progress(personas["org_admin"], library, progress=10, spent=0)  # not funded
    assert client_as(personas["citizen"]).post(f"{base}/progress/", {"progress": "90", "spent": "1"}).status_code == 403
