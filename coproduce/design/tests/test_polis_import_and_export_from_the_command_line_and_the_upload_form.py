"""`coproduce design import DIR --lab SLUG` and `coproduce design export ID DIR`, and the staff upload
form (errors shown next to the file, naming the line)."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from coproduce.core.models import AuditEntry
from coproduce.design.cli import main
from coproduce.design.models import Conversation
from coproduce.design.polis_export import read_export


def run(argv):
    out = io.StringIO()
    return main(argv, stdout=out), out.getvalue()


def test_cli_imports_and_exports(polis, lab, tmp_path, capsys):
    folder = polis("london.youth.policing")
    code, text = run(["import", str(folder), "--lab", lab.slug, "--title", "Youth and policing"])
    assert code == 0, capsys.readouterr().err
    conversation = Conversation.objects.get(title="Youth and policing")
    assert f"conversation {conversation.pk}" in text and "groups" in text
    assert AuditEntry.objects.get(action="conversation.import").channel == "cli"
    code, text = run(["export", str(conversation.pk), str(tmp_path / "out")])
    assert code == 0 and len(read_export(tmp_path / "out").votes) == len(read_export(folder).votes)
    assert run(["import", str(folder), "--lab", "no-such-lab"])[0] == 1
    assert run(["export", "999999", str(tmp_path / "x")])[0] == 1
    assert run(["import", str(folder)])[0] == 2  # --lab is required


def upload(folder, name):
    return SimpleUploadedFile(name, (folder / name).read_bytes(), content_type="text/csv")


def test_staff_upload_an_export_and_download_it_as_a_zip(polis, lab, personas, client_as):
    folder = polis("london.youth.policing")
    client = client_as(personas["staff"])
    response = client.post(f"/labs/{lab.slug}/import/", {
        "comments": upload(folder, "comments.csv"), "votes": upload(folder, "votes.csv"),
        "participants": upload(folder, "participants-votes.csv"), "summary": upload(folder, "summary.csv"),
    })
    conversation = Conversation.objects.get(lab=lab)
    assert response.status_code == 302 and response["Location"] == conversation.get_absolute_url()
    assert conversation.analysis.vote_count > 0
    download = client.get(f"/labs/{lab.slug}/conversations/{conversation.pk}/export.zip")
    assert download["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(download.content)).namelist()
    assert sorted(names) == ["comments.csv", "participants-votes.csv", "summary.csv", "votes.csv"]


def test_a_broken_upload_is_reported_next_to_the_file_and_changes_nothing(polis, lab, personas, client_as):
    folder = polis("london.youth.policing")
    broken = SimpleUploadedFile("comments.csv", b"not,the,header\n1,2,3\n", content_type="text/csv")
    response = client_as(personas["staff"]).post(f"/labs/{lab.slug}/import/", {
        "comments": broken, "votes": upload(folder, "votes.csv")})
    assert response.status_code == 200
    assert "comments.csv line 1" in " ".join(response.context["form"].errors["comments"])
    assert not Conversation.objects.exists()
