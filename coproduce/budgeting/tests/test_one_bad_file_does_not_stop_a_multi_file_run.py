"""`coproduce pb tally a.pb b.pb c.pb`: a file the reader refuses, and a file on which counting
fails for any unexpected reason, each give their own `"error"` line; the files after them are still
counted, in order, and the exit status is 1."""

import io
import json

import pytest

from coproduce.budgeting.tally import cli

from .test_cli_tally_contract import SMALL_PB

pytestmark = pytest.mark.pure


def run(argv):
    buf = io.StringIO()
    code = cli.main(argv, stdout=buf)
    return code, [json.loads(line) for line in buf.getvalue().splitlines()]


def test_an_overflowing_cost_gives_an_error_line_and_the_next_file_still_runs(tmp_path):
    good = tmp_path / "good.pb"
    good.write_text(SMALL_PB)
    huge = tmp_path / "huge.pb"
    huge.write_text(SMALL_PB.replace("9;50", "9;1e400"))
    for rule in ("official", "greedy", "mes", "mes-add1", "phragmen"):
        code, lines = run(["tally", str(huge), str(good), "--rule", rule, "--json"])
        assert code == 1
        assert [line["file"] for line in lines] == [str(huge), str(good)]
        assert lines[0]["error"].startswith("PROJECTS section, line 9: cost of project '9' is too large")
        assert "error" not in lines[1] and lines[1]["selected"]


def test_an_unexpected_failure_on_one_file_is_reported_and_the_others_still_run(tmp_path, monkeypatch):
    first, bad, last = (tmp_path / f"{name}.pb" for name in ("first", "bad", "last"))
    for path in (first, bad, last):
        path.write_text(SMALL_PB)
    real_tally = cli.tally

    def tally(election, **options):
        if election.source == str(bad):
            raise ZeroDivisionError("division by zero")
        return real_tally(election, **options)

    monkeypatch.setattr(cli, "tally", tally)
    code, lines = run(["tally", str(first), str(bad), str(last), "--json"])
    assert code == 1
    assert [line["file"] for line in lines] == [str(first), str(bad), str(last)]
    assert lines[1] == {
        "file": str(bad),
        "error": "could not count this file (ZeroDivisionError: division by zero)",
    }
    assert lines[0]["selected"] == lines[2]["selected"] == ["10", "9"]

    buf = io.StringIO()  # the table output reports it the same way
    assert cli.main(["tally", str(bad), str(last)], stdout=buf) == 1
    assert f"{bad}: error: could not count this file (ZeroDivisionError" in buf.getvalue()
    assert f"{last}\n  rule: official:greedy" in buf.getvalue()
