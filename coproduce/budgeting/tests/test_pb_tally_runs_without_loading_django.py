"""`coproduce pb tally` goes straight to the pure outcome engine: the real command works with no
usable Django settings and never imports django, so counting a file costs no app start-up. The
engine package itself imports no django either."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .test_cli_tally_contract import SMALL_PB

pytestmark = pytest.mark.pure

ROOT = Path(__file__).resolve().parents[3]


def _environment(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO")}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    return {**env, **extra}


def test_the_command_counts_a_file_with_unusable_django_settings_and_imports_no_django(tmp_path):
    path = tmp_path / "small.pb"
    path.write_text(SMALL_PB)
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "coproduce.cli", "pb", "tally", str(path), "--json"],
        capture_output=True,
        text=True,
        # If anything set Django up, this settings module would fail to import.
        env=_environment(DJANGO_SETTINGS_MODULE="no_such_settings_module"),
    )
    assert done.returncode == 0, done.stderr
    line = json.loads(done.stdout)
    assert (line["selected"], line["spent"], line["rule"]) == (["10", "9"], 110, "official:greedy")
    imported = [line.split("|")[-1].strip() for line in done.stderr.splitlines() if "|" in line]
    assert "coproduce.budgeting.tally.cli" in imported
    assert not [m for m in imported if m.split(".")[0] == "django"]


def test_the_command_keeps_the_exit_codes_and_error_lines(tmp_path):
    good = tmp_path / "good.pb"
    good.write_text(SMALL_PB)
    run = [sys.executable, "-m", "coproduce.cli", "pb", "tally"]
    env = _environment()
    done = subprocess.run(
        [*run, str(good), str(tmp_path / "missing.pb"), "--json"], capture_output=True, text=True, env=env
    )
    assert done.returncode == 1
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert lines[0]["selected"] == ["10", "9"] and "error" in lines[1]
    done = subprocess.run([*run, str(good), "--rule", "nonsense"], capture_output=True, text=True, env=env)
    assert done.returncode == 2 and "--rule" in done.stdout


def test_the_engine_package_imports_no_django():
    code = (
        "import sys, coproduce.budgeting.tally, coproduce.budgeting.tally.cli;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=_environment()
    )
    assert out.stdout.strip() == "[]"
