"""Greedy, MES (cost / approval / points utilities), MES with add1 and sequential Phragmén select
exactly the projects pabutools selects, on every shared instance, with lexicographic tie-breaking.

The pabutools outcomes come from fixtures/pabutools_reference.json, written once by
scripts/make_tally_reference.py (pabutools takes minutes on the large files); see
test_reference_fixture_is_current_on_small_instances.py for the live check.  The fixture's
"notes" explain how cumulative and ordinal ballots are read on each side.
"""

import hashlib
import json
from pathlib import Path

import pytest

from coproduce.budgeting.tally import parse_file, tally
from coproduce.budgeting.tally.datasets import require_pabulib_file

pytestmark = pytest.mark.pure

FIXTURE = Path(__file__).parent / "fixtures" / "pabutools_reference.json"
REFERENCE = json.loads(FIXTURE.read_text())

# reference id -> our call (all with tie_break="lexico")
CALLS = {
    "greedy_votes": dict(rule="greedy", score="votes"),
    "greedy_points": dict(rule="greedy", score="points"),
    "mes_cost": dict(rule="mes", utility="cost", weights="support"),
    "mes_approval": dict(rule="mes", utility="approval", weights="support"),
    "mes_cost_add1": dict(rule="mes-add1", utility="cost", weights="support"),
    "mes_points_cost": dict(rule="mes", utility="cost", weights="points"),
    "mes_points": dict(rule="mes", utility="approval", weights="points"),
    "mes_points_cost_add1": dict(rule="mes-add1", utility="cost", weights="points"),
    "phragmen": dict(rule="phragmen"),
}
CASES = [(name, rid) for name, inst in sorted(REFERENCE["instances"].items()) for rid in inst["outcomes"]]
_cache: dict = {}


def election(name):
    if name not in _cache:
        _cache.clear()
        _cache[name] = parse_file(require_pabulib_file(name))
    return _cache[name]


def test_fixture_covers_every_instance_and_rule():
    assert len(REFERENCE["instances"]) == 12
    for name, inst in REFERENCE["instances"].items():
        needed = {"greedy_votes", "mes_cost", "mes_approval", "mes_cost_add1", "phragmen"}
        if inst["vote_type"] == "cumulative":
            needed |= {"greedy_points", "mes_points_cost", "mes_points", "mes_points_cost_add1"}
        assert needed <= set(inst["outcomes"]), name
    assert REFERENCE["pabutools_version"]


@pytest.mark.parametrize("name", sorted(REFERENCE["instances"]))
def test_fixture_was_computed_from_these_exact_files(name):
    path = require_pabulib_file(name)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == REFERENCE["instances"][name]["sha256"]


@pytest.mark.parametrize("name,rid", CASES, ids=[f"{n[:-3]}-{r}" for n, r in CASES])
def test_same_winners_as_pabutools(name, rid):
    expected = REFERENCE["instances"][name]["outcomes"][rid]["selected"]
    out = tally(election(name), tie_break="lexico", **CALLS[rid])
    assert out.selected_sorted == expected
    assert out.spent <= election(name).budget
