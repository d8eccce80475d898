"""Statements written by participants in a pre-moderated conversation stay hidden until a moderator
(or staff of the lab's organisation) approves them; post-moderated ones show at once until rejected."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coproduce.core import services as core_services
from coproduce.design import services


def texts(client, conversation):
    page = client.get(f"/labs/{conversation.lab.slug}/conversations/{conversation.pk}/").context["page"]
    return [s.text for s in page]


def test_pre_moderated_statement_is_hidden_until_approved(conversation, personas, client_as):
    statement = services.submit_statement(personas["citizen"], conversation, "Evening support please")
    everyone = client_as(None)
    assert "Evening support please" not in texts(everyone, conversation)
    with pytest.raises(ValidationError):  # nobody can vote on it yet
        services.cast_vote(personas["broker"], conversation, statement.number, 1)
    services.moderate_statement(personas["staff"], statement, accept=True)
    assert "Evening support please" in texts(everyone, conversation)
    services.cast_vote(personas["broker"], conversation, statement.number, 1)


def test_a_moderator_of_the_organisation_moderates(conversation, personas, world):
    moderator = personas["other_org"]
    statement = services.submit_statement(personas["citizen"], conversation, "Too many forms")
    with pytest.raises(PermissionDenied):
        services.moderate_statement(moderator, statement, accept=True)
    with pytest.raises(PermissionDenied):
        services.moderate_statement(personas["citizen"], statement, accept=True)
    core_services.add_membership(personas["platform_admin"], moderator.person, world.council, "moderator")
    services.moderate_statement(moderator, statement, accept=False)
    statement.refresh_from_db()
    assert statement.status == -1 and statement.moderated_by == moderator


def test_post_moderated_statements_show_at_once_until_rejected(lab, personas, client_as):
    conversation = services.create_conversation(personas["staff"], lab, title="Open mic", moderation="post")
    statement = services.submit_statement(personas["citizen"], conversation, "More benches")
    assert "More benches" in texts(client_as(None), conversation)
    services.moderate_statement(personas["staff"], statement, accept=False)
    assert "More benches" not in texts(client_as(None), conversation)


def test_the_moderation_queue_lists_waiting_statements(conversation, personas, client_as):
    services.submit_statement(personas["citizen"], conversation, "Waiting one")
    page = client_as(personas["staff"]).get(
        f"/labs/{conversation.lab.slug}/conversations/{conversation.pk}/moderation/").context["page"]
    assert [s.text for s in page] == ["Waiting one"]
