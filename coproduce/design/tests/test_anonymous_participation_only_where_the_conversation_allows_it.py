"""Without a login, people take part only where the conversation allows it (and the lab is open to
everyone); their votes are tied to their browser session."""

from django.test import Client

from coproduce.design import services
from coproduce.design.models import Participant, Vote


def test_anonymous_votes_are_refused_unless_allowed(conversation, client_as):
    url = f"/labs/{conversation.lab.slug}/conversations/{conversation.pk}/"
    response = client_as(None).post(f"{url}vote/", {"statement": 0, "vote": 1})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not Vote.objects.exists()
    assert client_as(None).get(url).context["can_take_part"] is False


def test_anonymous_votes_are_tied_to_the_session(lab, personas):
    conversation = services.create_conversation(personas["staff"], lab, title="Drop-in", anonymous_allowed=True)
    services.add_seed_statement(personas["staff"], conversation, "Open later")
    services.add_seed_statement(personas["staff"], conversation, "Open earlier")
    url = f"/labs/{lab.slug}/conversations/{conversation.pk}/"
    alice, bob = Client(), Client()
    alice.post(f"{url}vote/", {"statement": 0, "vote": 1})
    alice.post(f"{url}vote/", {"statement": 0, "vote": -1})
    bob.post(f"{url}vote/", {"statement": 0, "vote": 1})
    participants = Participant.objects.filter(conversation=conversation, person__isnull=True)
    assert participants.count() == 2 and all(p.session_key for p in participants)
    assert sorted(Vote.objects.filter(conversation=conversation).values_list("value", flat=True)) == [-1, 1]
    assert alice.get(url).context["participant"].session_key == alice.session.session_key


def test_anonymous_api_votes_need_the_session_csrf_token(lab, personas):
    conversation = services.create_conversation(personas["staff"], lab, title="Drop-in", anonymous_allowed=True)
    services.add_seed_statement(personas["staff"], conversation, "Open later")
    strict = Client(enforce_csrf_checks=True)
    url = f"/api/v1/design/conversations/{conversation.pk}/votes"
    assert strict.post(url, {"statement": 0, "vote": 1}, content_type="application/json").status_code == 403
    assert Client().post(url, {"statement": 0, "vote": 1}, content_type="application/json").status_code == 200


def test_anonymous_participation_needs_a_lab_open_to_everyone(personas, world):
    import pytest
    from django.core.exceptions import ValidationError

    lab = services.create_lab(personas["staff"], world.service, title="Invited only", participation="invitation")
    with pytest.raises(ValidationError) as exc:
        services.create_conversation(personas["staff"], lab, title="Closed circle", anonymous_allowed=True)
    assert "anonymous_allowed" in exc.value.message_dict
