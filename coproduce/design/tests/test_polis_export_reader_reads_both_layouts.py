import pytest

from coproduce.design.polis_export import Comment, ParticipantRow, Vote, read_export

pytestmark = pytest.mark.pure

OLD_COMMENTS = (
    "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
    "1403067224363,Wed Jun 18 11:53:44 WIB 2014,1,5,2,1,1,\"Pay, fairly\"\n"
    "1403067224364,Wed Jun 18 11:53:45 WIB 2014,0,5,0,0,-1,plain\n"
)
NEW_COMMENTS = (
    "timestamp,comment-id,author-id,agrees,disagrees,moderated,is-meta,is-seed,group-informed-consensus,comment-body\n"
    "1726860676783,0,0,1,0,1,false,true,0.5,\"two\nlines\"\n"
    "1726860676784,1,3,0,1,0,true,,,x\n"
)
VOTES = (
    "timestamp,datetime,comment-id,voter-id,vote\n"
    "1,Mon Jul 17 02:17:32 WIB 2017,0,7,1\n"
    "2,Mon Jul 17 02:17:33 WIB 2017,1,7,-1\n"
    "3,Mon Jul 17 02:17:34 WIB 2017,0,8,0\n"
)
OLD_PV = "participant,group-id,n-comments,n-votes,n-agree,n-disagree,0,1\n7,0,0,2,1,1,1,-1\n8,,0,1,0,0,0,\n"
NEW_PV = "participant,xid,group-id,n-comments,n-votes,n-agree,n-disagree,0,1\n7,abc,1,0,2,1,1,1,-1\n8,,,0,1,0,0,0,\n"
SUMMARY = "topic,A topic\nurl,https://pol.is/x\nconversation-description,\"multi\nline\"\n"


def make(tmp_path, comments, pv=None, summary=None):
    (tmp_path / "comments.csv").write_text(comments, encoding="utf-8")
    (tmp_path / "votes.csv").write_text(VOTES, encoding="utf-8")
    if pv is not None:
        (tmp_path / "participants-votes.csv").write_text(pv, encoding="utf-8")
    if summary is not None:
        (tmp_path / "summary.csv").write_text(summary, encoding="utf-8")
    return tmp_path


def test_older_layout(tmp_path):
    e = read_export(make(tmp_path, OLD_COMMENTS, OLD_PV, SUMMARY))
    assert e.layout == {"comments.csv": "old", "votes.csv": "new", "participants-votes.csv": "old"}
    assert e.comments[0] == Comment(1, 5, 1403067224363, 2, 1, 1, "Pay, fairly")
    assert e.comments[1].moderated == -1 and e.comments[1].is_meta is None
    assert e.votes[1] == Vote(2, "Mon Jul 17 02:17:33 WIB 2017", 1, 7, -1)
    assert e.participant_columns == [0, 1]
    assert e.participants[0] == ParticipantRow(7, 0, 0, 2, 1, 1, (1, -1), None)
    assert e.participants[1].group_id is None and e.participants[1].votes == (0, None)
    assert e.groups() == {7: 0}
    assert e.summary[2] == ("conversation-description", "multi\nline")
    assert e.moderation() == {1: 1, 0: -1}


def test_newer_layout(tmp_path):
    e = read_export(make(tmp_path, NEW_COMMENTS, NEW_PV))
    assert e.layout["comments.csv"] == "new" and e.layout["participants-votes.csv"] == "new"
    c0, c1 = e.comments
    assert c0.body == "two\nlines" and c0.is_seed is True and c0.is_meta is False
    assert c0.group_informed_consensus == 0.5
    assert c1.is_meta is True and c1.is_seed is None and c1.group_informed_consensus is None
    assert e.meta_ids() == {1}
    assert e.participants[0].xid == "abc" and e.participants[0].group_id == 1
    assert e.participants[1].xid is None
    assert e.summary is None


def test_optional_files_may_be_missing(tmp_path):
    e = read_export(make(tmp_path, OLD_COMMENTS))
    assert e.participants is None and e.summary is None and e.participant_columns is None
    assert e.vote_rows() == [(7, 0, 1, 1), (7, 1, -1, 2), (8, 0, 0, 3)]


@pytest.mark.parametrize("conversation,layout,n_comments,n_participants", [
    ("15-per-hour-seattle", "old", 54, 339),
    ("bg2050-volunteers", "new", 371, 126),
    ("vtaiwan.uberx", "old", 197, 1921),
])
def test_real_exports(conversation, layout, n_comments, n_participants, polis_export):
    e = polis_export(conversation)
    assert e.layout["comments.csv"] == layout
    assert len(e.comments) == n_comments
    assert len(e.participants) == n_participants


def test_participants_votes_equal_latest_vote_per_participant_and_comment(polis_export):
    e = polis_export("brexit-consensus")
    latest = {}
    for _, v in sorted(enumerate(e.votes), key=lambda iv: (iv[1].timestamp, iv[0])):
        latest[(v.voter_id, v.comment_id)] = v.vote
    for row in e.participants:
        for cid, cell in zip(e.participant_columns, row.votes, strict=True):
            assert latest.get((row.participant, cid)) == cell
