"""`coproduce daily` runs every app's once-a-day jobs in turn: a job that fails is reported and the
command exits non-zero, but the jobs after it still run; `--only` and `--today` choose what and when."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from coproduce.core import daily


def test_every_app_registers_its_jobs():
    out = StringIO()
    call_command("daily", "--list", stdout=out)
    keys = [line.split(":")[0] for line in out.getvalue().splitlines()]
    assert set(keys) >= {"timebank-digest", "standing-donations", "inspection-chase", "indicator-readings"}


def test_a_failing_job_is_reported_and_the_others_still_run(monkeypatch):
    ran = []

    def broken(day):
        raise RuntimeError("mail server down")

    monkeypatch.setattr(daily, "_jobs", {})
    daily.register("first", broken, "fails")
    daily.register("second", lambda day: ran.append(day) or "done", "works")
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="1 daily job"):
        call_command("daily", "--today", "2026-03-02", stdout=out, stderr=err)
    assert ran == [date(2026, 3, 2)]
    assert "second: done" in out.getvalue()
    assert "first: FAILED RuntimeError: mail server down" in err.getvalue()


def test_only_runs_the_named_jobs_and_refuses_unknown_names_and_bad_days(monkeypatch):
    ran = []
    monkeypatch.setattr(daily, "_jobs", {})
    daily.register("a", lambda day: ran.append("a") or "", "")
    daily.register("b", lambda day: ran.append("b") or "", "")
    call_command("daily", "--only", "b", stdout=StringIO())
    assert ran == ["b"]
    with pytest.raises(CommandError, match="No daily job c"):
        call_command("daily", "--only", "c")
    with pytest.raises(CommandError, match="--today"):
        call_command("daily", "--today", "31/01/2026")
    assert ran == ["b"]
