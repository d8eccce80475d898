"""Notifications are background tasks (run immediately in tests), sent in the recipient's language."""

from django.core import mail

from coproduce.core import services


def test_granting_a_role_emails_the_person_in_their_language(personas, world):
    carla = personas["citizen"].person
    carla.preferred_language = "de"
    carla.save()
    services.add_membership(personas["platform_admin"], carla, world.council, "inspector")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["carla@example.org"]
    assert "Testville Council" in message.subject
    assert "Bürgerinspektor" in message.subject or "Testville Council" in message.body


def test_the_task_backend_is_the_database_queue_outside_tests():
    import os
    import subprocess
    import sys

    code = "import django;django.setup();from django.conf import settings;print(settings.TASKS['default']['BACKEND'])"
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="coproduce.settings", COPRODUCE_TESTING="0")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "django_tasks_db.DatabaseBackend"
