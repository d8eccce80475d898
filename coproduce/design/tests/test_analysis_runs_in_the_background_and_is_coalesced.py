"""Votes ask for the analysis to be recomputed in the background; while a run is waiting, no more are
queued. Pages and the API read the stored result (with its time and vote count)."""

import pytest
from django.core.management import call_command
from django.test import override_settings

from coproduce.design import services
from coproduce.design.models import Analysis, Conversation

DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.mark.django_db(transaction=True)
def test_many_votes_queue_one_run_which_the_worker_does(personas, world):
    from django_tasks_db.models import DBTaskResult

    staff = personas["staff"]
    lab = services.create_lab(staff, world.service, title="Queue lab")
    conversation = services.create_conversation(staff, lab, title="Queued")
    with override_settings(TASKS=DB_QUEUE):
        for text in ("One", "Two", "Three"):
            services.add_seed_statement(staff, conversation, text)
        for name in ("citizen", "broker", "other_org"):
            for number in range(3):
                fresh = Conversation.objects.select_related("lab__organisation").get(pk=conversation.pk)
                services.cast_vote(personas[name], fresh, number, 1)
        queued = DBTaskResult.objects.filter(task_path__endswith="recompute_analysis", status="READY")
        assert queued.count() == 1
        assert not Analysis.objects.filter(conversation=conversation).exists()
        assert Conversation.objects.get(pk=conversation.pk).analysis_pending
        call_command("worker", "--batch", "--interval", "0")
    analysis = Analysis.objects.get(conversation=conversation)
    assert analysis.vote_count == 9 and analysis.participant_count == 3
    assert not Conversation.objects.get(pk=conversation.pk).analysis_pending


def test_the_api_returns_the_stored_analysis(conversation, personas, api_as):
    services.cast_vote(personas["citizen"], conversation, 0, 1)
    data = api_as(None).get(f"/api/v1/design/conversations/{conversation.pk}/analysis").json()
    assert data["vote_count"] == 1 and data["pending"] is False
    assert set(data["result"]) >= {"groups", "consensus", "repness", "priorities"}


def test_pages_never_run_the_engine(conversation, personas, client_as, monkeypatch):
    services.cast_vote(personas["citizen"], conversation, 0, 1)

    def boom(*args, **kwargs):
        raise AssertionError("the page computed an analysis")

    monkeypatch.setattr("coproduce.design.services.analyse", boom)
    base = f"/labs/{conversation.lab.slug}/conversations/{conversation.pk}/"
    for url in (base, f"{base}map/"):
        assert client_as(personas["citizen"]).get(url).status_code == 200
