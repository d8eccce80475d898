"""Run pabutools live on the small instances (< 2,000 voters) and check the committed fixture
still holds its outcomes (so the fixture is not stale for the pabutools version installed)."""

import json
import sys
from pathlib import Path

import pytest

from coproduce.budgeting.tally import parse_file
from coproduce.budgeting.tally.datasets import require_pabulib_file

pytestmark = pytest.mark.pure

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "scripts"))

FIXTURE = Path(__file__).parent / "fixtures" / "pabutools_reference.json"
REFERENCE = json.loads(FIXTURE.read_text())
# cheap rules everywhere below 2,000 voters; add1 only where pabutools needs seconds, not minutes
CHEAP = [
    "greedy_votes",
    "greedy_points",
    "mes_cost",
    "mes_approval",
    "mes_points_cost",
    "mes_points",
    "phragmen",
]
# the instances with fewer than 2,000 voters (the others are covered by the fixture only)
SMALL = {
    "France_Toulouse_2019.pb",
    "Netherlands_Assen_2024.pb",
    "Poland_Czestochowa_2020_Bleszno.pb",
    "Switzerland_Zurich_D10.pb",
    "Switzerland_Zurich_S5.pb",
    "Switzerland_Zurich_S5R.pb",
    "US_Stanford_Dataset_PB_Rochester_NY_2019_vote_rankings.pb",
    "Worldwide_Mechanical_Turk_k_approval_7.pb",
}
ADD1_OK = {
    "Netherlands_Assen_2024.pb",
    "Switzerland_Zurich_D10.pb",
    "Switzerland_Zurich_S5.pb",
    "Switzerland_Zurich_S5R.pb",
    "Worldwide_Mechanical_Turk_k_approval_7.pb",
}


def small_cases():
    cases = []
    for name, inst in sorted(REFERENCE["instances"].items()):
        if name not in SMALL:
            continue
        for rid in inst["outcomes"]:
            if rid in CHEAP or (name in ADD1_OK and rid.endswith("add1")):
                cases.append((name, rid))
    return cases


def test_installed_pabutools_is_the_fixture_version():
    pytest.importorskip("pabutools")
    from importlib.metadata import version

    assert version("pabutools") == REFERENCE["pabutools_version"]


@pytest.mark.parametrize("name,rid", small_cases(), ids=[f"{n[:-3]}-{r}" for n, r in small_cases()])
def test_pabutools_live_agrees_with_fixture(name, rid):
    pytest.importorskip("pabutools")
    path = require_pabulib_file(name)
    assert parse_file(path).n_voters < 2000
    import make_tally_reference

    live = make_tally_reference.compute(path, [rid])[rid]["selected"]
    assert live == REFERENCE["instances"][name]["outcomes"][rid]["selected"]
