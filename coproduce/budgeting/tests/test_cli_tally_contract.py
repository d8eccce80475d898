"""`coproduce pb tally` contract: cli.main(["tally", FILE, ...], stdout=...) -> exit code."""

import io
import json

import pytest

from coproduce.budgeting.tally import parse_file, tally
from coproduce.budgeting.tally.cli import main
from coproduce.budgeting.tally.datasets import require_pabulib_file

pytestmark = pytest.mark.pure

SMALL_PB = """META
key;value
budget;110
vote_type;approval
rule;greedy
PROJECTS
project_id;cost
10;60
9;50
x;40
VOTES
voter_id;vote
1;10,9
2;10
3;x,9
"""


def run(argv):
    buf = io.StringIO()
    code = main(argv, stdout=buf)
    return code, buf.getvalue()


def test_json_line_per_file_with_the_contract_keys(tmp_path):
    f = tmp_path / "small.pb"
    f.write_text(SMALL_PB)
    code, out = run(["tally", str(f), "--json"])
    assert code == 0
    lines = out.strip().split("\n")
    assert len(lines) == 1
    rec = json.loads(lines[0])
    assert rec["file"] == str(f)
    assert rec["selected"] == ["10", "9"]  # sorted as strings, not as numbers
    assert rec["selected_in_order"] == ["9", "10"]  # tie on votes: the cheaper first
    assert rec["spent"] == 110
    assert rec["rule"] == "official:greedy"


def test_multiple_files_in_order_and_one_unreadable(tmp_path):
    good = tmp_path / "good.pb"
    good.write_text(SMALL_PB)
    broken = tmp_path / "broken.pb"
    broken.write_text(SMALL_PB.replace("3;x,9", "3;x,nope"))
    missing = tmp_path / "missing.pb"
    code, out = run(["tally", str(good), str(broken), str(missing), str(good), "--json"])
    assert code != 0
    recs = [json.loads(line) for line in out.strip().split("\n")]
    assert [r["file"] for r in recs] == [str(good), str(broken), str(missing), str(good)]
    assert "error" not in recs[0] and "error" not in recs[3]
    assert "VOTES" in recs[1]["error"] and "line 15" in recs[1]["error"] and "nope" in recs[1]["error"]
    assert "error" in recs[2]
    assert recs[0]["selected"] == recs[3]["selected"]


def test_rule_options_reach_the_engine():
    path = str(require_pabulib_file("Netherlands_Assen_2024.pb"))
    e = parse_file(path)
    for argv, kwargs in [
        (["--rule", "mes"], dict(rule="mes")),
        (["--rule", "mes", "--utility", "approval"], dict(rule="mes", utility="approval")),
        (
            ["--rule", "mes", "--completion", "add1-utilitarian"],
            dict(rule="mes", completion="add1-utilitarian"),
        ),
        (["--rule", "mes-add1", "--tie-break", "lexico"], dict(rule="mes-add1", tie_break="lexico")),
        (["--rule", "phragmen", "--exact"], dict(rule="phragmen", exact=True)),
        (["--rule", "greedy-no-skip"], dict(rule="greedy-no-skip")),
        ([], dict(rule="official")),
    ]:
        code, out = run(["tally", path, "--json", *argv])
        assert code == 0, out
        rec = json.loads(out)
        expected = tally(e, **kwargs)
        assert rec["selected"] == sorted(expected.selected)
        assert rec["spent"] == float(expected.spent) or rec["spent"] == int(expected.spent)


def test_unknown_official_rule_gives_an_error_line_and_others_still_run():
    unknown = str(require_pabulib_file("Switzerland_Zurich_S5.pb"))
    known = str(require_pabulib_file("Netherlands_Assen_2024.pb"))
    code, out = run(["tally", unknown, known, "--json"])
    assert code == 1
    a, b = (json.loads(x) for x in out.strip().split("\n"))
    assert "unknown" in a["error"] and "selected" not in a
    assert b["selected"] and "error" not in b


def test_readable_table_without_json(tmp_path):
    f = tmp_path / "small.pb"
    f.write_text(SMALL_PB)
    code, out = run(["tally", str(f)])
    assert code == 0
    assert "official:greedy" in out and "spent: 110" in out
    assert "did not fit: cost 40 with 0 left" in out


def test_bad_arguments_return_2_without_exiting():
    code, out = run(["tally", "x.pb", "--rule", "dictator"])
    assert code == 2 and "invalid choice" in out
    code, out = run(["frobnicate"])
    assert code == 2
    code, out = run(["tally", "--help"])
    assert code == 0 and "--rule" in out
