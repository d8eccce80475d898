"""Real Pabulib files: import → count in the app gives the same winners as `coproduce pb tally FILE
--json`, and the app's export (anonymous voters) recounts to the same winners again.

Uses the smaller shared files to keep test time low (the 90,000-ballot Łódź file is in the bench)."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from coproduce.budgeting import services
from coproduce.budgeting.models import Ballot, Proposal, Tally
from coproduce.budgeting.tally import cli, parse_string, tally
from coproduce.conftest import shared_data

FILES = [
    "Netherlands_Assen_2024.pb",
    "Poland_Czestochowa_2020_Bleszno.pb",
    "France_Toulouse_2019.pb",
    "Poland_Swiecie_2023.pb",
]


def cli_winners(path: Path) -> list[str]:
    out = io.StringIO()
    assert cli.main(["tally", str(path), "--json"], stdout=out) == 0
    return json.loads(out.getvalue())["selected"]


@pytest.mark.parametrize("name", FILES)
def test_import_count_and_export_agree_with_the_command_line(name, personas, world, client_as):
    path = shared_data("pabulib", name)
    text = path.read_text(encoding="utf-8-sig")
    process = services.import_pabulib(personas["org_admin"], world.council, text)
    budget = process.budgets.get()
    election = parse_string(text)
    assert Ballot.objects.filter(budget=budget).count() == election.n_voters
    official = Tally.objects.get(budget=budget, official=True)
    assert official.status == "done", official.error
    app_winners = sorted(
        Proposal.objects.filter(pk__in=official.selected).values_list("external_id", flat=True)
    )
    assert app_winners == cli_winners(path)
    exported = (
        client_as(None)
        .get(f"/budgeting/{process.slug}/budgets/{budget.pk}/results/ballots.pb")
        .content.decode()
    )
    again = parse_string(exported)
    assert again.n_voters == election.n_voters and again.n_projects == election.n_projects
    assert sorted(tally(again, rule="official").selected) == app_winners
    assert again.meta["rule"] == election.meta["rule"]


def test_the_real_command_agrees(personas, world):
    path = shared_data("pabulib", "Netherlands_Assen_2024.pb")
    process = services.import_pabulib(
        personas["org_admin"], world.council, path.read_text(encoding="utf-8-sig")
    )
    official = Tally.objects.get(process=process, official=True)
    app_winners = sorted(
        Proposal.objects.filter(pk__in=official.selected).values_list("external_id", flat=True)
    )
    result = subprocess.run(
        [sys.executable, "-m", "coproduce.cli", "pb", "tally", str(path), "--json"],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        check=True,
    )
    assert json.loads(result.stdout.splitlines()[0])["selected"] == app_winners
