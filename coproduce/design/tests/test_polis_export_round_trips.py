import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coproduce.design.polis_export import (
    NEW_COMMENT_COLUMNS,
    Comment,
    ParticipantRow,
    PolisExport,
    Vote,
    read_export,
    write_export,
)

from .conftest import CONVERSATIONS

pytestmark = pytest.mark.pure


@pytest.mark.parametrize("conversation", CONVERSATIONS)
def test_read_write_read_is_identity_on_real_exports(conversation, polis_export, tmp_path):
    original = polis_export(conversation)
    write_export(original, tmp_path)
    again = read_export(tmp_path)
    assert again == original
    assert again.layout["comments.csv"] == "new"  # always written in the newer layout
    assert (tmp_path / "comments.csv").read_text(encoding="utf-8").splitlines()[0] == ",".join(NEW_COMMENT_COLUMNS)


def test_newer_layout_export_is_rewritten_byte_for_byte(polis, tmp_path):
    source = polis("bg2050-volunteers")
    write_export(read_export(source), tmp_path)
    for name in ("votes.csv", "participants-votes.csv"):
        assert (tmp_path / name).read_bytes() == (source / name).read_bytes(), name


text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\x00"), max_size=30)
ints = st.integers(0, 10**13)
votes_cell = st.sampled_from([-1, 0, 1])


@st.composite
def exports(draw):
    ids = draw(st.lists(st.integers(0, 500), unique=True, max_size=8))
    comments = [
        Comment(cid, draw(ints), draw(ints), draw(ints), draw(ints), draw(st.sampled_from([-1, 0, 1])), draw(text),
                draw(st.none() | st.booleans()), draw(st.none() | st.booleans()),
                draw(st.none() | st.floats(0, 1, allow_nan=False)))
        for cid in ids
    ]
    votes = [Vote(draw(ints), draw(text), draw(st.sampled_from(ids)), draw(ints), draw(votes_cell))
             for _ in range(draw(st.integers(0, 10) if ids else st.just(0)))]
    participants = columns = summary = None
    if draw(st.booleans()):
        columns = ids
        participants = [
            ParticipantRow(pid, draw(st.none() | st.integers(0, 4)), *(draw(ints) for _ in range(4)),
                           tuple(draw(st.none() | votes_cell) for _ in columns),
                           draw(st.none() | text.filter(bool)))
            for pid in draw(st.lists(st.integers(0, 10**6), unique=True, max_size=5))
        ]
    if draw(st.booleans()):
        summary = draw(st.lists(st.tuples(text.filter(lambda s: s and s[0] != "\ufeff"), text), max_size=4))
    return PolisExport(comments, votes, participants, columns, summary)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(exports())
def test_read_of_write_is_identity(export):
    with tempfile.TemporaryDirectory() as folder:
        write_export(export, Path(folder))
        assert read_export(folder) == export
