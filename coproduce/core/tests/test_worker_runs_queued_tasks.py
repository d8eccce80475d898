"""Outside tests, tasks wait in the database queue until `coproduce worker` runs them."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings

from coproduce.core import tasks

DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.mark.django_db(transaction=True)
def test_a_queued_email_is_sent_by_the_worker():
    from django_tasks_db.models import DBTaskResult

    with override_settings(TASKS=DB_QUEUE):  # django-tasks rebuilds its backends on setting_changed
        result = tasks.send_email.enqueue(
            to="queue@example.org", subject_key="registered_on_behalf", context={"organisation": "Testville"},
            language="en",
        )
        assert len(mail.outbox) == 0
        assert DBTaskResult.objects.filter(id=result.id, status="READY").exists()
        call_command("worker", "--batch", "--interval", "0")
        assert DBTaskResult.objects.get(id=result.id).status == "SUCCESSFUL"
        assert len(mail.outbox) == 1 and mail.outbox[0].to == ["queue@example.org"]
        assert "Testville" in mail.outbox[0].subject
