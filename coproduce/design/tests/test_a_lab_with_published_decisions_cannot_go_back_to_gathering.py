"""Once a decision of a lab is published, the lab cannot be moved back to the gather stage: the service
refuses with an error on the field `stage`, nothing is written (stage and audit log unchanged), and the
lab page shows the error. Moves between the later stages stay possible."""

import pytest
from django.core.exceptions import ValidationError

from coproduce.core.models import AuditEntry
from coproduce.design import services
from coproduce.design.models import Lab


@pytest.fixture
def draft(lab, conversation, personas):
    statement = conversation.statements.get(number=0)
    insight = services.create_insight(personas["staff"], lab, title="Respite", statements=[statement])
    return services.create_decision(personas["staff"], lab, title="Faster respite", insights=[insight])


def test_going_back_to_gathering_is_refused_after_publishing(draft, personas, client_as):
    staff, lab = personas["staff"], draft.lab
    services.set_stage(staff, lab, "decide")
    services.publish_decision(staff, draft)
    audited = AuditEntry.objects.filter(action="lab.stage").count()
    with pytest.raises(ValidationError) as exc:
        services.set_stage(staff, lab, "gather")
    assert "published decisions" in exc.value.message_dict["stage"][0]
    assert Lab.objects.get(pk=lab.pk).stage == "decide"
    assert AuditEntry.objects.filter(action="lab.stage").count() == audited
    response = client_as(staff).post(f"/labs/{lab.slug}/stage/", {"stage": "gather"}, follow=True)
    assert "cannot go back to gathering" in response.content.decode()
    assert Lab.objects.get(pk=lab.pk).stage == "decide"


def test_later_stages_stay_free_to_move_between(draft, personas):
    staff, lab = personas["staff"], draft.lab
    services.set_stage(staff, lab, "synthesise")
    services.publish_decision(staff, draft)
    services.set_stage(staff, lab, "test")
    services.set_stage(staff, lab, "synthesise")
    assert Lab.objects.get(pk=lab.pk).stage == "synthesise"


def test_without_published_decisions_the_lab_can_go_back_to_gathering(draft, personas):
    staff, lab = personas["staff"], draft.lab
    services.set_stage(staff, lab, "decide")
    services.set_stage(staff, lab, "gather")  # the decision is only a draft
    assert Lab.objects.get(pk=lab.pk).stage == "gather"
    entry = AuditEntry.objects.filter(action="lab.stage").latest("pk")
    assert entry.details == {"from": "decide", "to": "gather"}
