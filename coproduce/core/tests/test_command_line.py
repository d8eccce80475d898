"""The `coproduce` command: apitoken, createsuperuser --noinput, demo (once), check --deploy."""

import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from coproduce.core.models import ApiToken, AuditEntry, Organisation, Person, User


def test_apitoken_prints_a_token_that_authenticates(personas):
    out = StringIO()
    call_command("apitoken", "carla", stdout=out)
    raw = out.getvalue().strip()
    assert raw.startswith("cp_") and ApiToken.objects.filter(key_hash=ApiToken.hash(raw)).exists()
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    assert client.get("/api/v1/me").json()["name"] == "Carla Citizen"
    assert AuditEntry.objects.get(action="apitoken.create").channel == "cli"


def test_apitoken_refuses_unknown_and_inactive_users(personas):
    with pytest.raises(CommandError, match="No user"):
        call_command("apitoken", "nobody")
    personas["citizen"].is_active = False
    personas["citizen"].save()
    with pytest.raises(CommandError, match="not active"):
        call_command("apitoken", "carla")
    assert not ApiToken.objects.exists()


def test_createsuperuser_noinput_works(db, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a long enough password")
    call_command("createsuperuser", "--noinput", "--username", "root", "--email", "root@example.org",
                 stdout=StringIO())
    root = User.objects.get(username="root")
    assert root.is_superuser and root.check_password("a long enough password")


def test_demo_loads_once_and_prints_the_log_ins(db):
    out = StringIO()
    call_command("demo", stdout=out)
    assert "admin@riverton.example" in out.getvalue() and "s.patel@riverton.example" in out.getvalue()
    people, orgs = Person.objects.count(), Organisation.objects.count()
    assert people >= 55 and orgs >= 12
    assert Person.objects.filter(is_assisted=True, user__isnull=True).count() >= 10
    assert Organisation.objects.filter(kind="business").exists()
    again = StringIO()
    call_command("demo", stdout=again)
    assert "already loaded" in again.getvalue()
    assert (Person.objects.count(), Organisation.objects.count()) == (people, orgs)


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = dict(os.environ, HTTPS="1", DEBUG="0", SECRET_KEY="x" * 60 + "-production-secret-key-with-variety-123",
               ALLOWED_HOSTS="coproduce.example", COPRODUCE_VAR_DIR=str(tmp_path), COPRODUCE_TESTING="0")
    env.pop("PYTEST_CURRENT_TEST", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set only for the browser tests in this process
    result = subprocess.run([sys.executable, "-m", "coproduce.cli", "check", "--deploy", "--fail-level", "WARNING"],
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
