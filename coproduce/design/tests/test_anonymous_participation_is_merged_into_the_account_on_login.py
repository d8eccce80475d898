"""Someone who takes part anonymously (where a conversation allows it) and then logs in or signs up in
the same browser keeps what they did: their anonymous votes, answers and statements become their
account's. Where they had already voted with their account, the later vote on a statement wins."""

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from coproduce.core.models import AuditEntry
from coproduce.design import services
from coproduce.design.models import Participant, Statement, Vote, VoteEvent


def drop_in(lab, staff, statements=3):
    conversation = services.create_conversation(staff, lab, title="Drop-in", anonymous_allowed=True,
                                                moderation="post")
    for i in range(statements):
        services.add_seed_statement(staff, conversation, f"Statement {i}")
    return conversation


def current(conversation, user):
    return dict(Vote.objects.filter(conversation=conversation, participant__person=user.person)
                .values_list("statement__number", "value"))


def test_logging_in_through_the_login_form_takes_the_anonymous_votes_along(lab, personas):
    conversation = drop_in(lab, personas["staff"])
    url = f"/labs/{lab.slug}/conversations/{conversation.pk}/"
    browser = Client()
    browser.post(f"{url}vote/", {"statement": 0, "vote": 1})
    browser.post(f"{url}vote/", {"statement": 1, "vote": -1})
    browser.post(f"{url}statements/", {"text": "Evening sessions please"})
    anonymous = Participant.objects.get(conversation=conversation, person__isnull=True)
    response = browser.post("/accounts/login/", {"login": "carla@example.org", "password": "correct horse battery"})
    assert response.status_code == 302
    carla = personas["citizen"]
    assert current(conversation, carla) == {0: 1, 1: -1}
    mine = Participant.objects.get(conversation=conversation, person=carla.person)
    assert mine.pk == anonymous.pk and mine.session_key is None  # the same participant, now hers
    assert Statement.objects.get(text="Evening sessions please").author == mine
    assert not Participant.objects.filter(conversation=conversation, person__isnull=True).exists()
    assert AuditEntry.objects.filter(action="participant.merge", actor=carla).count() == 1
    assert browser.get(url).context["participant"] == mine


def test_signing_up_takes_the_anonymous_votes_into_the_new_account(lab, personas, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "none"
    conversation = drop_in(lab, personas["staff"])
    url = f"/labs/{lab.slug}/conversations/{conversation.pk}/"
    browser = Client()
    browser.post(f"{url}vote/", {"statement": 2, "vote": 0})
    response = browser.post("/accounts/signup/", {"email": "newcomer@example.org", "username": "newcomer",
                                                  "password1": "a long enough passphrase 42",
                                                  "password2": "a long enough passphrase 42"})
    assert response.status_code == 302, response.content[:2000]
    participant = Participant.objects.get(conversation=conversation, votes__isnull=False)
    assert participant.person is not None and participant.person.user.username == "newcomer"
    assert Vote.objects.get(participant=participant).value == 0


def test_where_both_voted_the_later_vote_wins_and_the_history_moves(lab, personas, client_as):
    carla = personas["citizen"]
    conversation = drop_in(lab, personas["staff"])
    url = f"/labs/{lab.slug}/conversations/{conversation.pk}/"
    services.cast_vote(carla, conversation, 0, 1)  # earlier, with her account
    services.cast_vote(carla, conversation, 1, 1)
    browser = Client()
    browser.post(f"{url}vote/", {"statement": 0, "vote": -1})  # later, anonymously: wins
    browser.post(f"{url}vote/", {"statement": 2, "vote": 0})  # only anonymous: taken
    Vote.objects.filter(participant__person=carla.person, statement__number=1).update(
        updated_at=timezone.now() + timedelta(minutes=5))
    browser.post(f"{url}vote/", {"statement": 1, "vote": -1})  # earlier than her own vote on 1: loses
    browser.force_login(carla)
    assert current(conversation, carla) == {0: -1, 1: 1, 2: 0}
    mine = Participant.objects.get(conversation=conversation, person=carla.person)
    assert not Participant.objects.filter(conversation=conversation, person__isnull=True).exists()
    assert VoteEvent.objects.filter(participant=mine).count() == 5  # every vote cast is still in the history
    assert conversation.analysis.participant_count <= 1


def test_nothing_is_merged_for_someone_who_never_took_part_anonymously(lab, personas):
    conversation = drop_in(lab, personas["staff"])
    stranger = Client()
    stranger.post(f"/labs/{lab.slug}/conversations/{conversation.pk}/vote/", {"statement": 0, "vote": 1})
    browser = Client()
    browser.get(f"/labs/{lab.slug}/conversations/{conversation.pk}/")  # looked, did not take part
    browser.force_login(personas["citizen"])
    assert Participant.objects.get(conversation=conversation, votes__isnull=False).person is None  # theirs
    assert not AuditEntry.objects.filter(action="participant.merge").exists()
