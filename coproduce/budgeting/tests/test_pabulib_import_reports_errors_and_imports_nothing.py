"""A broken Pabulib file is refused with the section and line of the problem, through the web page,
the service and the command line, and nothing at all is imported."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from coproduce.budgeting import services
from coproduce.budgeting.models import Ballot, Process, Proposal, Tally

GOOD = """META
key;value
description;Tiny test
country;Testland
unit;Testville
instance;2026
num_projects;3
num_votes;4
budget;1000
vote_type;approval
rule;greedy
PROJECTS
project_id;cost;name
1;600;Library
2;500;Skate park
3;300.50;Benches
VOTES
voter_id;vote
v1;1,2
v2;1
v3;2,3
v4;3
"""


def nothing_imported():
    return not (
        Process.objects.exists()
        or Proposal.objects.exists()
        or Ballot.objects.exists()
        or Tally.objects.exists()
    )


@pytest.mark.parametrize(
    "broken,where",
    [
        (GOOD.replace("v3;2,3", "v3;2,9"), "VOTES section, line 21"),
        (GOOD.replace("3;300.50;Benches", "3;lots;Benches"), "PROJECTS section, line 16"),
        (GOOD.replace("PROJECTS\n", ""), "PROJECTS"),
        (GOOD.replace("3;300.50;Benches", "3;300.505;Benches"), "two decimal places"),
        (GOOD.replace("3;300.50;Benches", "3;1e400;Benches"), "PROJECTS section, line 16"),
        (GOOD.replace("budget;1000", "budget;1e999999999"), "META section, line 9"),
    ],
)
def test_broken_files_are_refused_with_their_line(broken, where, personas, world):
    with pytest.raises(ValidationError) as exc:
        services.import_pabulib(personas["org_admin"], world.council, broken)
    assert where in " ".join(exc.value.message_dict["file"]), exc.value.message_dict
    assert nothing_imported()


def test_web_upload_shows_the_error_next_to_the_file(personas, client_as, world):
    client = client_as(personas["org_admin"])
    broken = GOOD.replace("v3;2,3", "v3;2,9").encode()
    response = client.post(
        "/budgeting/import-pabulib/",
        {"organisation": world.council.pk, "file": SimpleUploadedFile("x.pb", broken)},
    )
    assert response.status_code == 200 and "VOTES section, line 21" in str(
        response.context["form"].errors["file"]
    )
    assert nothing_imported()
    response = client.post(
        "/budgeting/import-pabulib/",
        {
            "organisation": world.council.pk,
            "file": SimpleUploadedFile("x.pb", GOOD.encode()),
            "title": "Tiny",
        },
    )
    process = Process.objects.get()
    assert response.status_code == 302 and response["Location"] == process.get_absolute_url()
    assert process.phase == "results" and process.proposals.count() == 3
    assert Ballot.objects.count() == 4 and set(Ballot.objects.values_list("channel", flat=True)) == {"import"}
    tally = Tally.objects.get()
    assert tally.status == "done" and sorted(
        Proposal.objects.get(pk=pk).external_id for pk in tally.selected
    ) == ["2", "3"]
    assert Proposal.objects.get(external_id="3").cost == 30050


def test_other_organisations_cannot_import_for_the_council(personas, world):
    from django.core.exceptions import PermissionDenied

    for persona in ("citizen", "staff", "other_org"):
        with pytest.raises(PermissionDenied):
            services.import_pabulib(personas[persona], world.council, GOOD)
    assert nothing_imported()


def test_command_line_import(tmp_path, world, capsys):
    path = tmp_path / "broken.pb"
    path.write_text(GOOD.replace("v3;2,3", "v3;2,9"))
    with pytest.raises(CommandError) as exc:
        call_command("pb_import", str(path), "--organisation", world.council.slug)
    assert "VOTES section, line 21" in str(exc.value) and "nothing was imported" in str(exc.value)
    assert nothing_imported()
    path.write_text(GOOD)
    call_command("pb_import", str(path), "--organisation", world.council.slug)
    out = capsys.readouterr().out
    assert "Imported" in out and "funded: 3, 2" in out or "funded: 2, 3" in out
    with pytest.raises(CommandError):
        call_command("pb_import", str(path), "--organisation", "nope")
