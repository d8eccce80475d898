import io
import json

import pytest

from coproduce.design.cli import main

pytestmark = pytest.mark.pure


def run(argv):
    out = io.StringIO()
    return main(argv, stdout=out), out.getvalue()


def test_json_output_has_the_contract_keys(polis):
    code, text = run(["analyse", str(polis("brexit-consensus")), "--json"])
    assert code == 0
    data = json.loads(text)
    assert {"groups", "consensus", "repness", "consensus_statements"} <= set(data)
    assert all(isinstance(k, str) for k in data["groups"]) and set(data["groups"].values()) == {0, 1}
    assert len(data["consensus"]) == 50 and all(0 < v < 1 for v in data["consensus"].values())
    assert set(data["repness"]) == {"0", "1"}
    for reps in data["repness"].values():
        assert reps and all({"comment_id", "direction"} <= set(r) for r in reps)
        assert all(r["direction"] in ("agree", "disagree") for r in reps)
    assert set(data["consensus_statements"]) >= {"agree", "disagree"}


def test_groups_from_export_uses_polis_group_id(polis, polis_export):
    code, text = run(["analyse", str(polis("15-per-hour-seattle")), "--json", "--groups-from-export"])
    assert code == 0
    groups = json.loads(text)["groups"]
    assert groups == {str(p): g for p, g in polis_export("15-per-hour-seattle").groups().items()}


def test_readable_summary(polis):
    code, text = run(["analyse", str(polis("london.youth.policing"))])
    assert code == 0
    assert "participants:" in text and "representative statements" in text and "consensus" in text
    assert not text.lstrip().startswith("{")


def test_errors_are_reported_with_exit_codes(tmp_path, capsys):
    (tmp_path / "comments.csv").write_text("bad header\n")
    (tmp_path / "votes.csv").write_text("timestamp,datetime,comment-id,voter-id,vote\n")
    assert run(["analyse", str(tmp_path)])[0] == 1
    assert "comments.csv line 1" in capsys.readouterr().err
    assert run(["analyse"])[0] == 2
    assert run(["frobnicate"])[0] == 2
    assert run(["analyse", str(tmp_path / "missing")])[0] == 1
