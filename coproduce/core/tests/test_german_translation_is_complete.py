"""Every user-facing string has a German translation: extraction finds nothing new, and nothing in the
German catalogue is untranslated or fuzzy. Fails loudly so new strings cannot slip through."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2]
PO = PACKAGE / "locale" / "de" / "LC_MESSAGES" / "django.po"


def msgids(text: str) -> set[str]:
    ids, current, mode = set(), None, None
    for line in text.splitlines():
        if line.startswith("msgid "):
            current, mode = line[6:].strip().strip('"'), "id"
        elif line.startswith('"') and mode == "id":
            current += line.strip().strip('"')
        elif line.startswith(("msgid_plural", "msgstr")):
            if mode == "id" and current:
                ids.add(current)
            mode = None
    return ids


def tools_available():
    if shutil.which("msgfmt") is None:
        if os.environ.get("CI"):
            pytest.fail("GNU gettext (msgfmt) is required in CI")
        pytest.skip("GNU gettext is not installed")


def test_nothing_is_untranslated_or_fuzzy():
    tools_available()
    result = subprocess.run(["msgfmt", "--check", "--statistics", "-o", os.devnull, str(PO)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    stats = result.stderr.strip()
    assert re.fullmatch(r"\d+ translated messages?\.", stats), f"German catalogue incomplete: {stats}"


def test_every_string_in_the_code_is_in_the_catalogue(tmp_path):
    tools_available()
    copy = tmp_path / "coproduce"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("tests", "__pycache__", "*.mo", "static"))
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="coproduce.settings")
    result = subprocess.run(
        [sys.executable, "-m", "coproduce.cli", "makemessages", "-l", "de", "--no-obsolete",
         "--ignore=conftest.py"],
        cwd=copy, env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    fresh = msgids((copy / "locale" / "de" / "LC_MESSAGES" / "django.po").read_text())
    committed = msgids(PO.read_text())
    missing = sorted(fresh - committed)
    assert not missing, f"{len(missing)} strings lack a German translation (run makemessages): {missing[:10]}"
