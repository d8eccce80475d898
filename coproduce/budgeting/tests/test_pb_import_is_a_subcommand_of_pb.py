"""`coproduce pb import FILE.pb --organisation SLUG` imports a Pabulib file (the issue's CLI shape), and
refuses a broken file with the section and line, importing nothing."""

import pytest

from coproduce.budgeting.management.commands.pb import Command
from coproduce.budgeting.models import Ballot, Process

from .test_pabulib_import_reports_errors_and_imports_nothing import GOOD


def run(*arguments):
    with pytest.raises(SystemExit) as exit_:
        Command().run_from_argv(["coproduce", "pb", *arguments])
    return exit_.value.code


def test_pb_import_creates_the_process_with_its_ballots(world, tmp_path):
    path = tmp_path / "tiny.pb"
    path.write_text(GOOD)
    assert run("import", str(path), "--organisation", world.council.slug, "--count-now") == 0
    process = Process.objects.get()
    assert process.organisation == world.council
    assert Ballot.objects.count() == 4


def test_pb_import_of_a_broken_file_names_the_line_and_imports_nothing(world, tmp_path, capsys):
    path = tmp_path / "broken.pb"
    path.write_text(GOOD.replace("v3;2,3", "v3;2,9"))
    assert run("import", str(path), "--organisation", world.council.slug) == 1
    assert "line 21" in capsys.readouterr().err
    assert not Process.objects.exists() and not Ballot.objects.exists()
