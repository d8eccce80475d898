"""Pabulib's optional `latitude`/`longitude` project columns (the shared Warsaw 2026 file has them for
most projects): an import gives each project its point (empty cells: no point), and the export writes
them back with the same characters; a point entered in the app is exported too."""

import pytest

from coproduce.budgeting import services
from coproduce.budgeting.models import Process, Proposal
from coproduce.budgeting.tally import parse_string
from coproduce.budgeting.tally.datasets import require_pabulib_file


def small_warsaw(n_votes: int = 40) -> str:
    """The real file's META and PROJECTS with its first `n_votes` ballots (to keep the test quick)."""
    text = require_pabulib_file("Poland_Warszawa_2026.pb").read_text(encoding="utf-8")
    head, votes = text.split("\nVOTES\n", 1)
    lines = votes.splitlines()
    head = "\n".join(f"num_votes;{n_votes}" if line.startswith("num_votes;") else line for line in head.splitlines())
    return head + "\nVOTES\n" + "\n".join(lines[: n_votes + 1]) + "\n"


@pytest.fixture
def warsaw(personas, world):
    text = small_warsaw()
    process = services.import_pabulib(personas["org_admin"], world.council, text)
    return text, process


def test_points_are_imported_when_present(warsaw):
    text, process = warsaw
    original = {p.id: p.fields for p in parse_string(text).projects}
    with_point = 0
    for proposal in Proposal.objects.filter(process=process):
        fields = original[proposal.external_id]
        if fields["latitude"]:
            with_point += 1
            assert proposal.latitude == float(fields["latitude"]) and proposal.longitude == float(fields["longitude"])
        else:
            assert proposal.latitude is None and proposal.longitude is None
    assert with_point == 57  # 83 projects, 26 without a point in the file


def test_the_export_writes_the_same_coordinates(warsaw, personas):
    text, process = warsaw
    budget = process.budgets.get()
    exported = {p.id: p.fields for p in parse_string(services.export_pabulib(personas["org_admin"], budget)).projects}
    for project in parse_string(text).projects:
        for column in ("latitude", "longitude"):
            assert exported[project.id][column] == project.fields[column], (project.id, column)


def test_a_point_entered_in_the_app_is_exported(pb, personas, phase):
    skate = pb.proposals["Skate park"]
    Proposal.objects.filter(pk=skate.pk).update(latitude=51.50722, longitude=-0.1275)
    services.set_phase(personas["org_admin"], pb.process, "results")
    process = Process.objects.get(pk=pb.process.pk)
    budget = process.budgets.get(pk=pb.city.pk)
    exported = {p.id: p.fields for p in parse_string(services.export_pabulib(personas["org_admin"], budget)).projects}
    assert exported[str(skate.pk)]["latitude"] == "51.50722" and exported[str(skate.pk)]["longitude"] == "-0.1275"
    assert exported[str(pb.proposals["Benches by the river"].pk)]["latitude"] == ""
