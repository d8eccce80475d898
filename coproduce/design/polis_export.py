"""Read and write Polis export folders (pure Python, no Django).

An export folder holds ``comments.csv`` and ``votes.csv`` and optionally
``participants-votes.csv`` and ``summary.csv``.  Two layouts are in the wild:

* older: ``comments.csv`` = timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body
  and ``participants-votes.csv`` without the ``xid`` column;
* newer: ``comments.csv`` = timestamp,comment-id,author-id,agrees,disagrees,moderated,is-meta,is-seed,
  group-informed-consensus,comment-body and ``participants-votes.csv`` with ``xid``.

``votes.csv`` is timestamp,datetime,comment-id,voter-id,vote in both.  Each file
is recognised by its own header, so mixed folders read fine.  Broken input
raises :class:`PolisExportError` naming the file, the line and the problem.

:func:`write_export` always writes the newer layout.  The older comments layout
carries a ``datetime`` text per comment that the newer one does not; it is not
kept in :class:`Comment` (the timestamp is), so ``read(write(x)) == x`` holds
for everything :func:`read_export` returns.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass, field
from pathlib import Path

COMMENTS, VOTES, PARTICIPANTS, SUMMARY = "comments.csv", "votes.csv", "participants-votes.csv", "summary.csv"

OLD_COMMENT_COLUMNS = [
    "timestamp", "datetime", "comment-id", "author-id", "agrees", "disagrees", "moderated", "comment-body",
]
NEW_COMMENT_COLUMNS = [
    "timestamp", "comment-id", "author-id", "agrees", "disagrees", "moderated",
    "is-meta", "is-seed", "group-informed-consensus", "comment-body",
]
VOTE_COLUMNS = ["timestamp", "datetime", "comment-id", "voter-id", "vote"]
PARTICIPANT_FIXED_OLD = ["participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree"]
PARTICIPANT_FIXED_NEW = ["participant", "xid", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree"]


class PolisExportError(ValueError):
    """Broken export input; ``file`` and ``line`` (1-based, may be None) say where."""

    def __init__(self, file: str, line: int | None, problem: str):
        self.file, self.line, self.problem = file, line, problem
        where = f"{file} line {line}" if line is not None else file
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class Comment:
    comment_id: int
    author_id: int
    timestamp: int
    agrees: int
    disagrees: int
    moderated: int  # -1 moderated out, 0 not moderated, 1 moderated in
    body: str
    is_meta: bool | None = None
    is_seed: bool | None = None
    group_informed_consensus: float | None = None


@dataclass(frozen=True)
class Vote:
    timestamp: int
    datetime: str
    comment_id: int
    voter_id: int
    vote: int  # 1 agree, -1 disagree, 0 pass


@dataclass(frozen=True)
class ParticipantRow:
    participant: int
    group_id: int | None
    n_comments: int
    n_votes: int
    n_agree: int
    n_disagree: int
    votes: tuple[int | None, ...]  # one cell per ``PolisExport.participant_columns``
    xid: str | None = None


@dataclass
class PolisExport:
    comments: list[Comment]
    votes: list[Vote]
    participants: list[ParticipantRow] | None = None
    participant_columns: list[int] | None = None  # comment ids heading the vote columns
    summary: list[tuple[str, str]] | None = None
    layout: dict[str, str] = field(default_factory=dict, compare=False)  # file -> "old"/"new"

    # convenience views -------------------------------------------------
    def vote_rows(self) -> list[tuple[int, int, int, int]]:
        """(participant, statement, vote, timestamp) rows for the analysis engine."""
        return [(v.voter_id, v.comment_id, v.vote, v.timestamp) for v in self.votes]

    def moderation(self) -> dict[int, int]:
        return {c.comment_id: c.moderated for c in self.comments}

    def meta_ids(self) -> set[int]:
        return {c.comment_id for c in self.comments if c.is_meta}

    def groups(self) -> dict[int, int]:
        """Polis's own group assignment (participants with a group-id)."""
        if self.participants is None:
            raise PolisExportError(PARTICIPANTS, None, "file is missing, so there is no group-id column")
        return {r.participant: r.group_id for r in self.participants if r.group_id is not None}


# -- reading -------------------------------------------------------------

def _open(folder: Path, name: str, required: bool) -> str | None:
    path = folder / name
    if not path.exists():
        if required:
            raise PolisExportError(name, None, f"file not found in {folder}")
        return None
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise PolisExportError(name, None, f"not valid UTF-8 ({exc.reason} at byte {exc.start})") from exc


def _rows(name: str, text: str):
    """Yield (line, row) with the physical line number where each record starts."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start = 1
    try:
        for row in reader:
            yield start, row
            start = reader.line_num + 1
    except csv.Error as exc:
        raise PolisExportError(name, reader.line_num, f"malformed CSV: {exc}") from exc


class _Parser:
    def __init__(self, name: str, line: int):
        self.name, self.line = name, line

    def fail(self, problem: str):
        raise PolisExportError(self.name, self.line, problem)

    def int(self, value: str, column: str, optional: bool = False) -> int | None:
        if value == "" and optional:
            return None
        try:
            return int(value)
        except ValueError:
            self.fail(f"column {column!r}: expected an integer, got {value!r}")

    def float(self, value: str, column: str) -> float | None:
        if value == "":
            return None
        try:
            return float(value)
        except ValueError:
            self.fail(f"column {column!r}: expected a number, got {value!r}")

    def bool(self, value: str, column: str) -> bool | None:
        if value == "":
            return None
        if value in ("true", "false"):
            return value == "true"
        self.fail(f"column {column!r}: expected true or false, got {value!r}")

    def vote(self, value: str, column: str, optional: bool = False) -> int | None:
        v = self.int(value, column, optional)
        if v is not None and v not in (-1, 0, 1):
            self.fail(f"column {column!r}: vote must be -1, 0 or 1, got {value!r}")
        return v


def _header(name: str, rows, layouts: dict[str, list[str]]) -> tuple[str, list[str]]:
    try:
        _, header = next(rows)
    except StopIteration:
        raise PolisExportError(name, 1, "file is empty (no header)") from None
    header = [h.lstrip("\ufeff") if i == 0 else h for i, h in enumerate(header)]
    for layout, cols in layouts.items():
        if header == cols:
            return layout, header
    expected = " or ".join(",".join(c) for c in layouts.values())
    raise PolisExportError(name, 1, f"unexpected header {','.join(header)!r}; expected {expected}")


def _check_width(p: _Parser, row: list[str], width: int) -> None:
    if len(row) != width:
        p.fail(f"expected {width} fields, found {len(row)}")


def read_comments(name: str, text: str) -> tuple[list[Comment], str]:
    rows = _rows(name, text)
    layout, header = _header(name, rows, {"old": OLD_COMMENT_COLUMNS, "new": NEW_COMMENT_COLUMNS})
    out, seen = [], {}
    for line, row in rows:
        p = _Parser(name, line)
        _check_width(p, row, len(header))
        r = dict(zip(header, row, strict=True))
        mod = p.int(r["moderated"], "moderated")
        if mod not in (-1, 0, 1):
            p.fail(f"column 'moderated': must be -1, 0 or 1, got {r['moderated']!r}")
        c = Comment(
            comment_id=p.int(r["comment-id"], "comment-id"),
            author_id=p.int(r["author-id"], "author-id"),
            timestamp=p.int(r["timestamp"], "timestamp"),
            agrees=p.int(r["agrees"], "agrees"),
            disagrees=p.int(r["disagrees"], "disagrees"),
            moderated=mod,
            body=r["comment-body"],
            is_meta=p.bool(r["is-meta"], "is-meta") if layout == "new" else None,
            is_seed=p.bool(r["is-seed"], "is-seed") if layout == "new" else None,
            group_informed_consensus=(
                p.float(r["group-informed-consensus"], "group-informed-consensus") if layout == "new" else None
            ),
        )
        if c.comment_id in seen:
            p.fail(f"comment-id {c.comment_id} already given on line {seen[c.comment_id]}")
        seen[c.comment_id] = line
        out.append(c)
    return out, layout


def read_votes(name: str, text: str, comment_ids: set[int] | None = None) -> list[Vote]:
    rows = _rows(name, text)
    _, header = _header(name, rows, {"new": VOTE_COLUMNS})
    out = []
    for line, row in rows:
        p = _Parser(name, line)
        _check_width(p, row, len(header))
        v = Vote(
            timestamp=p.int(row[0], "timestamp"),
            datetime=row[1],
            comment_id=p.int(row[2], "comment-id"),
            voter_id=p.int(row[3], "voter-id"),
            vote=p.vote(row[4], "vote"),
        )
        if comment_ids is not None and v.comment_id not in comment_ids:
            p.fail(f"vote on comment-id {v.comment_id}, which is not in {COMMENTS}")
        out.append(v)
    return out


def read_participants(name: str, text: str) -> tuple[list[ParticipantRow], list[int], str]:
    rows = _rows(name, text)
    try:
        _, header = next(rows)
    except StopIteration:
        raise PolisExportError(name, 1, "file is empty (no header)") from None
    header[0] = header[0].lstrip("\ufeff") if header else ""
    layout = "new" if header[: len(PARTICIPANT_FIXED_NEW)] == PARTICIPANT_FIXED_NEW else "old"
    fixed = PARTICIPANT_FIXED_NEW if layout == "new" else PARTICIPANT_FIXED_OLD
    if header[: len(fixed)] != fixed:
        raise PolisExportError(
            name, 1, f"header must start with {','.join(PARTICIPANT_FIXED_NEW)} (xid optional), "
            f"got {','.join(header[:len(fixed)])!r}"
        )
    p = _Parser(name, 1)
    columns = [p.int(h, f"header comment column {h!r}") for h in header[len(fixed):]]
    if len(set(columns)) != len(columns):
        p.fail("repeated comment-id in header")
    out, seen = [], {}
    cells = {"": None, "1": 1, "-1": -1, "0": 0}
    for line, row in rows:
        p = _Parser(name, line)
        _check_width(p, row, len(header))
        r = dict(zip(fixed, row, strict=False))
        pr = ParticipantRow(
            participant=p.int(r["participant"], "participant"),
            xid=(r["xid"] or None) if layout == "new" else None,
            group_id=p.int(r["group-id"], "group-id", optional=True),
            n_comments=p.int(r["n-comments"], "n-comments"),
            n_votes=p.int(r["n-votes"], "n-votes"),
            n_agree=p.int(r["n-agree"], "n-agree"),
            n_disagree=p.int(r["n-disagree"], "n-disagree"),
            votes=tuple(cells[v] if v in cells else p.vote(v, f"comment {c}", optional=True)
                        for c, v in zip(columns, row[len(fixed):], strict=True)),
        )
        if pr.participant in seen:
            p.fail(f"participant {pr.participant} already given on line {seen[pr.participant]}")
        seen[pr.participant] = line
        out.append(pr)
    return out, columns, layout


def read_summary(name: str, text: str) -> list[tuple[str, str]]:
    out = []
    for line, row in _rows(name, text):
        if len(row) != 2:
            raise PolisExportError(name, line, f"expected 2 fields (key,value), found {len(row)}")
        out.append((row[0].lstrip("\ufeff") if line == 1 else row[0], row[1]))
    return out


def read_export(folder: str | os.PathLike) -> PolisExport:
    """Read a Polis export folder into plain data (see module docstring)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise PolisExportError(str(folder), None, "not a directory")
    comments, c_layout = read_comments(COMMENTS, _open(folder, COMMENTS, True))
    votes = read_votes(VOTES, _open(folder, VOTES, True), {c.comment_id for c in comments})
    layout = {COMMENTS: c_layout, VOTES: "new"}
    participants = columns = summary = None
    text = _open(folder, PARTICIPANTS, False)
    if text is not None:
        participants, columns, layout[PARTICIPANTS] = read_participants(PARTICIPANTS, text)
    text = _open(folder, SUMMARY, False)
    if text is not None:
        summary = read_summary(SUMMARY, text)
    return PolisExport(comments, votes, participants, columns, summary, layout)


# -- writing -------------------------------------------------------------

def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _write(path: Path, rows) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        for row in rows:
            w.writerow([_cell(v) for v in row])


def write_export(export: PolisExport, folder: str | os.PathLike) -> None:
    """Write ``export`` to ``folder`` in the newer Polis layout."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    _write(folder / COMMENTS, [NEW_COMMENT_COLUMNS] + [
        [c.timestamp, c.comment_id, c.author_id, c.agrees, c.disagrees, c.moderated,
         c.is_meta, c.is_seed, c.group_informed_consensus, c.body]
        for c in export.comments
    ])
    _write(folder / VOTES, [VOTE_COLUMNS] + [
        [v.timestamp, v.datetime, v.comment_id, v.voter_id, v.vote] for v in export.votes
    ])
    if export.participants is not None:
        columns = export.participant_columns or []
        _write(folder / PARTICIPANTS, [PARTICIPANT_FIXED_NEW + [str(c) for c in columns]] + [
            [r.participant, r.xid, r.group_id, r.n_comments, r.n_votes, r.n_agree, r.n_disagree, *r.votes]
            for r in export.participants
        ])
    if export.summary is not None:
        _write(folder / SUMMARY, [list(kv) for kv in export.summary])
