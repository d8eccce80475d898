"""A decision cannot be published while the lab is still gathering views: the service refuses with a
clear error and nothing changes."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from coproduce.design import services
from coproduce.design.models import Decision


@pytest.fixture
def draft(lab, conversation, personas):
    statement = conversation.statements.get(number=0)
    insight = services.create_insight(personas["staff"], lab, title="Respite", statements=[statement])
    return services.create_decision(personas["staff"], lab, title="Faster respite", insights=[insight])


def test_publishing_while_gathering_is_refused(draft, personas, client_as):
    with pytest.raises(ValidationError) as exc:
        services.publish_decision(personas["staff"], draft)
    assert "still gathering" in exc.value.message_dict["lab"][0]
    assert Decision.objects.get(pk=draft.pk).status == "draft" and not mail.outbox
    response = client_as(personas["staff"]).post(f"/labs/{draft.lab.slug}/decisions/{draft.pk}/publish/",
                                                 follow=True)
    assert "still gathering" in response.content.decode()
    assert Decision.objects.get(pk=draft.pk).status == "draft"


def test_publishing_after_gathering_works_once(draft, personas):
    services.set_stage(personas["staff"], draft.lab, "synthesise")
    services.publish_decision(personas["staff"], draft)
    assert Decision.objects.get(pk=draft.pk).status == "published"
    with pytest.raises(ValidationError):
        services.publish_decision(personas["staff"], draft)


def test_a_decision_must_cite_insights(lab, personas):
    with pytest.raises(ValidationError) as exc:
        services.create_decision(personas["staff"], lab, title="Out of thin air")
    assert "insights" in exc.value.message_dict


def test_an_insight_must_cite_evidence(lab, personas):
    with pytest.raises(ValidationError):
        services.create_insight(personas["staff"], lab, title="A hunch")
