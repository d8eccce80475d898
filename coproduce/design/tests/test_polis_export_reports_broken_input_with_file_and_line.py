import pytest

from coproduce.design.polis_export import PolisExportError, read_export

pytestmark = pytest.mark.pure

COMMENTS = (
    "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
    "1,d,0,5,0,0,1,a\n"
    "2,d,1,5,0,0,1,\"b\nc\"\n"
    "3,d,2,5,0,0,0,e\n"
)
VOTES = "timestamp,datetime,comment-id,voter-id,vote\n1,d,0,7,1\n2,d,1,7,-1\n"


def folder(tmp_path, comments=COMMENTS, votes=VOTES, pv=None, summary=None):
    for name, text in [("comments.csv", comments), ("votes.csv", votes),
                       ("participants-votes.csv", pv), ("summary.csv", summary)]:
        if text is not None:
            (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def error(tmp_path, **files) -> PolisExportError:
    with pytest.raises(PolisExportError) as info:
        read_export(folder(tmp_path, **files))
    return info.value


def test_missing_required_file(tmp_path):
    (tmp_path / "comments.csv").write_text(COMMENTS)
    with pytest.raises(PolisExportError) as info:
        read_export(tmp_path)
    assert info.value.file == "votes.csv" and "not found" in str(info.value)


def test_not_a_directory(tmp_path):
    with pytest.raises(PolisExportError, match="not a directory"):
        read_export(tmp_path / "nope")


def test_bad_vote_value_names_file_line_and_column(tmp_path):
    e = error(tmp_path, votes=VOTES + "3,d,0,8,2\n")
    assert (e.file, e.line) == ("votes.csv", 4)
    assert "vote must be -1, 0 or 1" in e.problem and str(e).startswith("votes.csv line 4:")


def test_non_integer_id(tmp_path):
    e = error(tmp_path, votes=VOTES + "3,d,zero,8,1\n")
    assert (e.file, e.line) == ("votes.csv", 4) and "comment-id" in e.problem and "'zero'" in e.problem


def test_line_numbers_count_physical_lines_of_multiline_records(tmp_path):
    e = error(tmp_path, comments=COMMENTS.replace("3,d,2,5,0,0,0,e", "3,d,2,5,0,0,7,e"))
    assert (e.file, e.line) == ("comments.csv", 5)
    assert "moderated" in e.problem


def test_wrong_number_of_fields(tmp_path):
    e = error(tmp_path, comments=COMMENTS + "4,d,3,5,0,0\n")
    assert (e.file, e.line) == ("comments.csv", 6) and "expected 8 fields, found 6" in e.problem


def test_unknown_header(tmp_path):
    e = error(tmp_path, votes="when,comment,who,vote\n")
    assert (e.file, e.line) == ("votes.csv", 1) and "unexpected header" in e.problem


def test_empty_file(tmp_path):
    e = error(tmp_path, comments="")
    assert (e.file, e.line) == ("comments.csv", 1) and "empty" in e.problem


def test_duplicate_comment_id(tmp_path):
    e = error(tmp_path, comments=COMMENTS + "4,d,0,5,0,0,0,dup\n")
    assert e.line == 6 and "already given on line 2" in e.problem


def test_vote_on_unknown_comment(tmp_path):
    e = error(tmp_path, votes=VOTES + "3,d,99,8,1\n")
    assert e.line == 4 and "comment-id 99" in e.problem


def test_unterminated_quote(tmp_path):
    e = error(tmp_path, comments=COMMENTS + "5,d,4,5,0,0,0,\"never closed\n")
    assert e.file == "comments.csv" and "malformed CSV" in e.problem


def test_broken_participants_votes(tmp_path):
    pv = "participant,group-id,n-comments,n-votes,n-agree,n-disagree,0,1\n7,0,0,2,1,1,1,x\n"
    e = error(tmp_path, pv=pv)
    assert (e.file, e.line) == ("participants-votes.csv", 2) and "comment 1" in e.problem
    e = error(tmp_path, pv="who,group-id\n")
    assert (e.file, e.line) == ("participants-votes.csv", 1)


def test_broken_summary(tmp_path):
    e = error(tmp_path, summary="topic,x\nurl\n")
    assert (e.file, e.line) == ("summary.csv", 2)


def test_invalid_utf8(tmp_path):
    folder(tmp_path)
    (tmp_path / "votes.csv").write_bytes(b"timestamp,datetime,comment-id,voter-id,vote\n1,\xff,0,7,1\n")
    with pytest.raises(PolisExportError, match="UTF-8"):
        read_export(tmp_path)
