"""A Polis upload larger than `services.BACKGROUND_IMPORT_BYTES` is stored and imported by a background
task: the form sends staff to a status page that shows the import's progress and, when done, links to
the conversation (or says what was wrong, with nothing imported). Small uploads are imported at once.
The command line import draws a progress bar."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from coproduce.conftest import shared_data
from coproduce.core.models import AuditEntry
from coproduce.design import services
from coproduce.design.cli import main
from coproduce.design.models import Conversation, PolisUpload, VoteEvent
from coproduce.design.polis_export import read_export

FILES = {"comments": "comments.csv", "votes": "votes.csv", "participants": "participants-votes.csv",
         "summary": "summary.csv"}


def form(folder, **replace):
    data = {"title": "Bowling Green 2050"}
    for field, name in FILES.items():
        content = replace.get(field, (folder / name).read_bytes())
        data[field] = SimpleUploadedFile(name, content, content_type="text/csv")
    return data


@pytest.fixture
def bg2050(monkeypatch):
    folder = shared_data("polis", "bg2050-volunteers")
    size = sum((folder / name).stat().st_size for name in FILES.values())
    monkeypatch.setattr(services, "BACKGROUND_IMPORT_BYTES", size // 2)  # well over the threshold
    return folder


def test_a_large_upload_is_imported_by_a_task_and_its_status_page_shows_it(bg2050, lab, personas, client_as,
                                                                           monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    steps = []
    real = services._set_progress
    monkeypatch.setattr(services, "_set_progress", lambda upload, percent, step, **f: (
        steps.append((percent, PolisUpload.objects.get(pk=upload.pk).status)), real(upload, percent, step, **f)))
    client = client_as(personas["staff"])
    response = client.post(f"/labs/{lab.slug}/import/", form(bg2050))
    upload = PolisUpload.objects.get(lab=lab)
    assert response.status_code == 302 and response["Location"] == upload.get_absolute_url()
    assert [p for p, _status in steps] == [5, 10, 30, 80, 100]  # the task reported as it went
    assert steps[0][1] == PolisUpload.Status.QUEUED and steps[-1][1] == PolisUpload.Status.RUNNING
    assert upload.status == PolisUpload.Status.DONE and upload.progress == 100 and upload.finished_at
    conversation = upload.conversation
    assert conversation.title == "Bowling Green 2050"
    assert VoteEvent.objects.filter(conversation=conversation).count() == len(read_export(bg2050).votes)
    assert conversation.analysis.group_count >= 2
    assert not list(tmp_path.rglob("*.csv"))  # the stored files are gone once imported
    assert AuditEntry.objects.filter(action__in=["conversation.import_queued", "conversation.import"]).count() == 2
    page = client.get(upload.get_absolute_url())
    text = page.content.decode()
    assert "Imported" in text and 'value="100"' in text and conversation.get_absolute_url() in text
    assert "hx-trigger" not in text  # finished: no more polling


def test_while_it_runs_the_page_polls_and_shows_the_step(lab, personas, client_as):
    upload = PolisUpload.objects.create(lab=lab, status=PolisUpload.Status.RUNNING, progress=30,
                                        step="Importing 896 statements and 29719 votes")
    client = client_as(personas["staff"])
    full = client.get(upload.get_absolute_url()).content.decode()
    assert "<h1>" in full and 'value="30"' in full and "Importing 896 statements" in full
    assert 'hx-trigger="every 2s"' in full and "Check again" in full
    partial = client.get(upload.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()
    assert "<h1>" not in partial and 'id="upload-status"' in partial


def test_a_broken_large_upload_fails_saying_why_and_imports_nothing(bg2050, lab, personas, client_as, settings,
                                                                    tmp_path):
    settings.MEDIA_ROOT = tmp_path
    votes = (bg2050 / "votes.csv").read_bytes() + b"1234567890,Mon Jan 01,99999,1,1\n"
    response = client_as(personas["staff"]).post(f"/labs/{lab.slug}/import/", form(bg2050, votes=votes),
                                                 follow=True)
    upload = PolisUpload.objects.get(lab=lab)
    assert upload.status == PolisUpload.Status.FAILED and "votes.csv" in upload.error
    assert not Conversation.objects.filter(lab=lab).exists()
    assert "Nothing was imported" in response.content.decode() and not list(tmp_path.rglob("*.csv"))


def test_a_small_upload_is_still_imported_at_once(lab, personas, client_as):
    folder = shared_data("polis", "london.youth.policing")
    response = client_as(personas["staff"]).post(f"/labs/{lab.slug}/import/", form(folder))
    conversation = Conversation.objects.get(lab=lab)
    assert response["Location"] == conversation.get_absolute_url() and not PolisUpload.objects.exists()


def test_the_command_line_import_draws_a_progress_bar(lab, capsys):
    folder = shared_data("polis", "london.youth.policing")
    assert main(["import", str(folder), "--lab", lab.slug], stdout=io.StringIO()) == 0
    err = capsys.readouterr().err
    total = len(read_export(folder).votes)
    assert f"[{'#' * 30}] {total}/{total}" in err and err.count("\r") >= 4
