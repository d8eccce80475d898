"""Real Polis conversations import as conversations; analysing them gives exactly what
`coproduce design analyse` gives on the folder; exporting gives the same comments, votes and current
votes back, and importing that export again gives the same analysis."""

import io
import json

import pytest

from coproduce.design import services
from coproduce.design.cli import main
from coproduce.design.models import Analysis, Vote, VoteEvent
from coproduce.design.polis_export import read_export

CONVERSATIONS = ["london.youth.policing", "brexit-consensus", "15-per-hour-seattle", "bg2050-volunteers"]


def cli_analysis(folder) -> dict:
    out = io.StringIO()
    assert main(["analyse", str(folder), "--json"], stdout=out) == 0
    return json.loads(out.getvalue())


def current_votes(export) -> dict:
    latest = {}
    for i in sorted(range(len(export.votes)), key=lambda i: (export.votes[i].timestamp, i)):
        v = export.votes[i]
        latest[(v.voter_id, v.comment_id)] = v.vote
    return latest


@pytest.mark.parametrize("name", CONVERSATIONS)
def test_import_analyse_export_and_import_again(name, polis, lab, tmp_path):
    folder = polis(name)
    original = read_export(folder)
    conversation = services.import_polis(None, lab, original, source=str(folder))
    assert conversation.title == dict(original.summary)["topic"]
    assert conversation.statements.count() == len(original.comments)
    assert VoteEvent.objects.filter(conversation=conversation).count() == len(original.votes)
    assert Vote.objects.filter(conversation=conversation).count() == len(current_votes(original))

    ours = Analysis.objects.get(conversation=conversation).result
    theirs = cli_analysis(folder)
    assert ours["groups"] == theirs["groups"]
    assert ours["consensus"].keys() == theirs["consensus"].keys()
    for sid, value in theirs["consensus"].items():
        assert ours["consensus"][sid] == pytest.approx(value, abs=1e-12), sid
    assert ours["consensus_statements"]["group_informed"] == theirs["consensus_statements"]["group_informed"]

    services.export_polis(None, conversation, tmp_path / "out", channel="cli")
    back = read_export(tmp_path / "out")
    def comment_key(c):
        return (c.comment_id, c.author_id, c.timestamp, c.moderated, c.body, bool(c.is_meta), bool(c.is_seed))

    assert sorted(map(comment_key, back.comments)) == sorted(map(comment_key, original.comments))
    def vote_key(v):
        return (v.timestamp, v.comment_id, v.voter_id, v.vote)

    assert sorted(map(vote_key, back.votes)) == sorted(map(vote_key, original.votes))
    cells = {(r.participant, c): v for r in back.participants
             for c, v in zip(back.participant_columns, r.votes, strict=True) if v is not None}
    assert cells == current_votes(original)
    assert {c.comment_id: c.group_informed_consensus for c in back.comments} == pytest.approx(
        {int(k): v for k, v in ours["consensus"].items()} | {
            c.comment_id: None for c in original.comments if str(c.comment_id) not in ours["consensus"]})

    again = services.import_polis(None, lab, back)
    assert Analysis.objects.get(conversation=again).result["consensus"] == pytest.approx(ours["consensus"])
