"""Reading and writing Pabulib ``.pb`` files.

Format (see pabulib.org and the equalshares compute tool's ``pb_file_format.md``): three sections
``META``, ``PROJECTS`` and ``VOTES``; each starts with a title line, then a header line of
``;``-separated column names (``key;value`` for META), then data rows.  Fields follow CSV
conventions with ``;`` as separator: a field containing ``;`` or ``"`` is double-quoted and inner
quotes are doubled.  In VOTES, ``vote`` lists project ids separated by commas (most preferred first
for ordinal ballots) and, for cumulative / scoring ballots, ``points`` lists the points in the same
order.

The parser is built for speed on large files: the VOTES section (which holds almost all of the
bytes) is split with ``str.split`` and converted with a handful of bulk operations into numpy CSR
arrays; the csv module is only used for the small META / PROJECTS sections, or for VOTES when it
actually contains quotes.

Any violation raises :class:`PabulibFormatError` naming the section, the 1-based line number in the
file and the problem; nothing is returned in that case.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path

import numpy as np

from .model import MAX_POINTS, VOTE_TYPES, Election, NumberRangeError, Project, number_str, to_fraction

SECTIONS = ("META", "PROJECTS", "VOTES")
_SECTION_RE = re.compile(r"^[ \t]*(META|PROJECTS|VOTES)[ \t;]*$", re.IGNORECASE | re.MULTILINE)


class PabulibFormatError(ValueError):
    """A .pb file breaks the format.  ``section``, ``line`` (1-based) and ``problem`` say where/why."""

    def __init__(self, section: str, line: int, problem: str):
        self.section = section
        self.line = line
        self.problem = problem
        super().__init__(f"{section} section, line {line}: {problem}")


# ------------------------------------------------------------------------------------------------
# reading
# ------------------------------------------------------------------------------------------------
def parse_file(path: str | Path) -> Election:
    """Parse a .pb file from disk."""
    data = Path(path).read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PabulibFormatError(
            "FILE", 1 + data[: exc.start].count(b"\n"), "the file is not UTF-8 text"
        ) from None
    election = parse_string(text)
    election.source = str(path)
    return election


def _csv_rows(lines: list[str], first_line: int) -> list[tuple[int, list[str]]]:
    """Rows of a section with csv quoting rules; returns (line number, fields) skipping blanks."""
    out = []
    for k, line in enumerate(lines):
        if not line.strip():
            continue
        try:
            row = next(csv.reader([line], delimiter=";", quotechar='"', strict=True))
        except csv.Error as exc:
            raise _Err(first_line + k, f"badly quoted field ({exc})") from None
        out.append((first_line + k, row))
    return out


class _Err(Exception):
    """Internal: an error whose section is filled in by the caller."""

    def __init__(self, line: int, problem: str):
        self.line = line
        self.problem = problem


def _number(text: str, line: int, what: str, **limit) -> Fraction:
    """``to_fraction(text)``, or an error on ``line`` saying that ``what`` is not a number or is out of range."""
    try:
        return to_fraction(text, **limit)
    except NumberRangeError as exc:
        raise _Err(line, f"{what} {exc}") from None
    except (ValueError, ZeroDivisionError):
        raise _Err(line, f"{what} is not a number: {text!r}") from None


def _meta_number(meta: dict[str, str], where: dict[str, int], key: str) -> Fraction:
    try:
        return _number(meta[key], where[key], key)
    except _Err as err:
        raise PabulibFormatError("META", err.line, err.problem) from None


def _find_sections(text: str) -> dict[str, int]:
    """Offsets of the title lines of the three sections (fast: str.find on a lower-cased copy)."""
    found: dict[str, int] = {}
    for name in SECTIONS:
        spellings = (name, name.lower(), name.capitalize())
        if any(sp in text for sp in spellings):
            low, needle = text, None
        else:
            low, needle = text.lower(), name.lower()
        _scan_section(text, low, name, spellings if needle is None else (needle,), found)
    return found


def _scan_section(text: str, low: str, name: str, needles: tuple[str, ...], found: dict[str, int]) -> None:
    for needle in needles:
        pos = 0
        while True:
            k = low.find(needle, pos)
            if k < 0:
                break
            pos = k + 1
            line_start = low.rfind("\n", 0, k) + 1
            line_end = low.find("\n", k)
            if line_end < 0:
                line_end = len(low)
            if low[line_start:k].strip(" \t") or low[k + len(needle) : line_end].strip(" \t;"):
                continue
            if name in found:
                first = text.count("\n", 0, found[name]) + 1
                raise PabulibFormatError(
                    name,
                    text.count("\n", 0, line_start) + 1,
                    f"second {name} section (first one at line {first})",
                )
            found[name] = line_start


def parse_string(text: str) -> Election:
    """Parse the text of a .pb file."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.endswith("\n"):
        text += "\n"
    n_lines = text.count("\n")

    found = _find_sections(text)
    for name in SECTIONS:
        if name not in found:
            raise PabulibFormatError(name, max(n_lines, 1), f"missing {name} section")
    order = sorted(found, key=found.get)
    if text[: found[order[0]]].strip():
        k = 0
        while not text.split("\n")[k].strip():
            k += 1
        raise PabulibFormatError(order[0], k + 1, "text before the first section title")
    # per section: (line number of its title, text after the title line up to the next title)
    parts = {}
    for j, name in enumerate(order):
        title_end = text.find("\n", found[name]) + 1
        end = found[order[j + 1]] if j + 1 < len(order) else len(text)
        parts[name] = (text.count("\n", 0, found[name]) + 1, text[title_end:end])

    # ---- META -------------------------------------------------------------------------------
    title, body = parts["META"]
    try:
        meta, meta_line = _parse_meta(body.split("\n"), title + 1)
    except _Err as err:
        raise PabulibFormatError("META", err.line, err.problem) from None
    if "budget" not in meta:
        raise PabulibFormatError("META", title + 1, "missing required key 'budget'")
    budget = _meta_number(meta, meta_line, "budget")
    if budget < 0:
        raise PabulibFormatError("META", meta_line["budget"], "budget is negative")
    if "vote_type" not in meta:
        raise PabulibFormatError("META", title + 1, "missing required key 'vote_type'")
    vote_type = meta["vote_type"].strip().lower()
    if vote_type not in VOTE_TYPES:
        raise PabulibFormatError("META", meta_line["vote_type"], f"unknown vote_type {meta['vote_type']!r}")
    for key in ("min_project_score_threshold", "max_length", "min_length"):
        if key in meta and meta[key].strip() and meta[key].strip().lower() != "none":
            _meta_number(meta, meta_line, key)

    # ---- PROJECTS ---------------------------------------------------------------------------
    title, body = parts["PROJECTS"]
    try:
        projects, project_columns = _parse_projects(body.split("\n"), title + 1)
    except _Err as err:
        raise PabulibFormatError("PROJECTS", err.line, err.problem) from None
    if "num_projects" in meta:
        declared = int(_meta_number(meta, meta_line, "num_projects"))
        if declared != len(projects):
            raise PabulibFormatError(
                "META",
                meta_line["num_projects"],
                f"num_projects is {declared} but PROJECTS lists {len(projects)}",
            )

    # ---- VOTES ------------------------------------------------------------------------------
    title, body = parts["VOTES"]
    try:
        votes = _parse_votes(body, title + 1, projects, vote_type)
    except _Err as err:
        raise PabulibFormatError("VOTES", err.line, err.problem) from None
    ptr, idx, points, vote_columns, voter_ids, voter_columns = votes
    if "num_votes" in meta:
        declared = int(_meta_number(meta, meta_line, "num_votes"))
        if declared != len(ptr) - 1:
            raise PabulibFormatError(
                "META", meta_line["num_votes"], f"num_votes is {declared} but VOTES lists {len(ptr) - 1}"
            )

    return Election(
        meta=meta,
        projects=projects,
        vote_type=vote_type,
        budget=budget,
        ballot_ptr=ptr,
        ballot_idx=idx,
        ballot_points=points,
        project_columns=project_columns,
        vote_columns=vote_columns,
        voter_columns=voter_columns,
        voter_ids=voter_ids,
    )


def _header(lines: list[str], first: int, section: str) -> tuple[list[str], int]:
    """The column header of a section: (column names, index of the header in ``lines``)."""
    k = 0
    while k < len(lines) and not lines[k].strip():
        k += 1
    if k >= len(lines):
        raise _Err(first, f"missing the column header line of {section}")
    try:
        row = next(csv.reader([lines[k]], delimiter=";", quotechar='"'))
    except csv.Error as exc:  # pragma: no cover - csv is lenient here
        raise _Err(first + k, f"bad header ({exc})") from None
    cols = [c.strip() for c in row]
    if len(set(cols)) != len(cols):
        raise _Err(first + k, f"duplicate column name in header {';'.join(cols)!r}")
    if any(not c for c in cols):
        raise _Err(first + k, "empty column name in header")
    return cols, k


def _parse_meta(lines: list[str], first: int) -> tuple[dict[str, str], dict[str, int]]:
    cols, k = _header(lines, first, "META")
    if [c.lower() for c in cols] != ["key", "value"]:
        raise _Err(first + k, f"META header must be 'key;value', found {';'.join(cols)!r}")
    meta: dict[str, str] = {}
    where: dict[str, int] = {}
    for line_no, row in _csv_rows(lines[k + 1 :], first + k + 1):
        if len(row) != 2:
            raise _Err(line_no, f"expected 2 columns (key;value), found {len(row)}")
        key = row[0].strip()
        if not key:
            raise _Err(line_no, "empty key")
        if key in meta:
            raise _Err(line_no, f"duplicate key {key!r}")
        meta[key] = row[1].strip()
        where[key] = line_no
    return meta, where


def _parse_projects(lines: list[str], first: int) -> tuple[list[Project], list[str]]:
    cols, k = _header(lines, first, "PROJECTS")
    for need in ("project_id", "cost"):
        if need not in cols:
            raise _Err(first + k, f"PROJECTS header has no '{need}' column")
    ci, ii = cols.index("cost"), cols.index("project_id")
    ni = cols.index("name") if "name" in cols else None
    cat = "category" if "category" in cols else ("categories" if "categories" in cols else None)
    projects: list[Project] = []
    seen: set[str] = set()
    for line_no, row in _csv_rows(lines[k + 1 :], first + k + 1):
        if len(row) != len(cols):
            raise _Err(line_no, f"expected {len(cols)} columns, found {len(row)}")
        row = [c.strip() for c in row]
        pid = row[ii]
        if not pid:
            raise _Err(line_no, "empty project_id")
        if any(ch in pid for ch in ',;"'):
            raise _Err(line_no, f"project_id {pid!r} contains ',', ';' or a quote")
        if pid in seen:
            raise _Err(line_no, f"duplicate project_id {pid!r}")
        seen.add(pid)
        cost = _number(row[ci], line_no, f"cost of project {pid!r}")
        if cost < 0:
            raise _Err(line_no, f"cost of project {pid!r} is negative")
        cats: tuple[str, ...] = ()
        if cat is not None:
            v = row[cols.index(cat)]
            if v and v.lower() != "none":
                cats = tuple(c.strip() for c in v.split(",") if c.strip())
        name = row[ni] if ni is not None else ""
        projects.append(Project(pid, cost, name, cats, dict(zip(cols, row))))
    return projects, cols


class LazyList(Sequence):
    """A per-voter text column kept as byte spans and decoded on first use."""

    def __init__(self, data: bytes, starts: np.ndarray, ends: np.ndarray):
        self._data, self._starts, self._ends = data, starts, ends
        self._items: list[str] | None = None

    def _load(self) -> list[str]:
        if self._items is None:
            d = self._data
            self._items = [
                d[a:b].decode("utf-8").strip() for a, b in zip(self._starts.tolist(), self._ends.tolist())
            ]
        return self._items

    def __getitem__(self, i):
        return self._load()[i]

    def __len__(self) -> int:
        return len(self._starts)

    def __eq__(self, other) -> bool:
        return list(self) == list(other)


def _tokens_from_spans(arr: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> list[str]:
    """All comma-separated tokens of the fields [starts, ends) of the byte array, in order."""
    nz = ends > starts
    if not nz.any():
        return []
    s, e = starts[nz], ends[nz]
    lengths = e - s + 1  # each field plus its terminator byte (';' or newline)
    ends_in_sub = np.cumsum(lengths)
    total = int(ends_in_sub[-1])
    # positions of all wanted bytes: concatenated ranges [s, e] without a Python loop
    pos = np.arange(total, dtype=np.int64) + np.repeat(s - (ends_in_sub - lengths), lengths)
    sub = arr[pos]
    sub[ends_in_sub - 1] = 44  # terminator -> ','
    toks = sub.tobytes().decode("utf-8").split(",")
    toks.pop()
    if (sub == 32).any() or (sub == 9).any():
        toks = [t.strip() for t in toks]
    return toks


def _parse_votes(body: str, first: int, projects: list[Project], vote_type: str):
    # header (skipping blank lines)
    k = 0
    pos = 0
    while True:
        nl = body.find("\n", pos)
        if nl < 0:
            nl = len(body)
        if body[pos:nl].strip() or nl >= len(body):
            break
        pos = nl + 1
        k += 1
    cols, _ = _header([body[pos:nl]], first + k, "VOTES")
    if "vote" not in cols:
        raise _Err(first + k, "VOTES header has no 'vote' column")
    weighted = vote_type in ("cumulative", "scoring")
    if weighted and "points" not in cols:
        raise _Err(first + k, f"VOTES header has no 'points' column (required for {vote_type} ballots)")
    data_first = first + k + 1  # file line of the first data row
    rest = body[nl + 1 :]
    # strip trailing blank lines
    trimmed = rest.rstrip(" \t\n")
    rest = trimmed + "\n" if trimmed else ""
    index = {p.id: j for j, p in enumerate(projects)}
    h = len(cols)
    if rest and '"' not in rest and "\n\n" not in rest:
        fast = _parse_votes_fast(rest, data_first, cols, projects, index, vote_type)
        if fast is not None:
            return fast
    # general path: csv rows (quotes, blank lines)
    raw = rest.split("\n")[:-1] if rest else []
    pairs = _csv_rows(raw, data_first)
    line_nos = [p[0] for p in pairs]
    rows = [p[1] for p in pairs]
    for ln, row in pairs:
        if len(row) != h:
            raise _Err(ln, f"expected {h} columns, found {len(row)}")
    columns = {c: [row[j] for row in rows] for j, c in enumerate(cols)}
    return _finish_votes(cols, columns, line_nos, projects, index, vote_type, None, None)


def _parse_votes_fast(rest: str, data_first: int, cols, projects, index, vote_type):
    data = rest.encode("utf-8")
    arr = np.frombuffer(data, dtype=np.uint8)
    nl = np.flatnonzero(arr == 10)
    n = len(nl)
    h = len(cols)
    semi = np.flatnonzero(arr == 59)
    per_row = np.diff(np.searchsorted(semi, nl), prepend=0)
    bad = np.flatnonzero(per_row != h - 1)
    if len(bad):
        r = int(bad[0])
        start = 0 if r == 0 else int(nl[r - 1]) + 1
        if not data[start : int(nl[r])].strip():
            return None  # a whitespace-only line: let the general path skip it
        raise _Err(data_first + r, f"expected {h} columns, found {int(per_row[r]) + 1}")
    row_start = np.empty(n, dtype=np.int64)
    row_start[0] = 0
    row_start[1:] = nl[:-1] + 1
    semi2 = semi.reshape(n, h - 1) if h > 1 else np.zeros((n, 0), dtype=np.int64)

    def span(j: int) -> tuple[np.ndarray, np.ndarray]:
        a = row_start if j == 0 else semi2[:, j - 1] + 1
        b = nl if j == h - 1 else semi2[:, j]
        return a, b

    spans = {c: span(j) for j, c in enumerate(cols)}
    return _finish_votes(cols, None, None, projects, index, vote_type, (arr, data), spans, data_first)


def _finish_votes(cols, columns, line_nos, projects, index, vote_type, raw, spans, data_first=0):
    """Shared tail of both VOTES paths: tokens -> CSR arrays with validation."""
    if spans is not None:
        arr, data = raw
        n = len(spans["vote"][0])

        def line_of(r: int) -> int:
            return data_first + r

        def field_tokens(c: str):
            a, b = spans[c]
            lengths = b - a
            commas = np.flatnonzero(arr == 44)
            cnt = np.searchsorted(commas, b) - np.searchsorted(commas, a) + 1
            cnt[lengths == 0] = 0
            return _tokens_from_spans(arr, a, b), cnt.astype(np.int64)
    else:
        n = len(columns["vote"])

        def line_of(r: int) -> int:
            return line_nos[r]

        def field_tokens(c: str):
            vals = [",".join(t.strip() for t in v.split(",")) if v.strip() else "" for v in columns[c]]
            cnt = np.fromiter((v.count(",") + 1 if v else 0 for v in vals), dtype=np.int64, count=len(vals))
            joined = ",".join(v for v in vals if v)
            return (joined.split(",") if joined else []), cnt

    tokens, counts = field_tokens("vote")
    ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(counts, out=ptr[1:])
    mapped = list(map(index.get, tokens))
    if None in mapped:
        t = mapped.index(None)
        r = int(np.searchsorted(ptr, t, side="right") - 1)
        tok = tokens[t]
        if tok == "":
            raise _Err(line_of(r), "empty project id in vote (stray comma)")
        raise _Err(line_of(r), f"unknown project {tok!r} in vote")
    idx = np.array(mapped, dtype=np.int32)
    P = max(len(projects), 1)
    if len(idx):
        owner = np.repeat(np.arange(n, dtype=np.int64), counts)
        srt = np.sort(owner * P + idx)
        dup = np.flatnonzero(srt[1:] == srt[:-1])
        if len(dup):
            r, j = divmod(int(srt[dup[0]]), P)
            raise _Err(line_of(r), f"project {projects[j].id!r} appears twice in one vote")
    if vote_type == "choose-1" and n and counts.max() > 1:
        r = int(np.flatnonzero(counts > 1)[0])
        raise _Err(line_of(r), "a choose-1 vote lists more than one project")

    points = None
    if vote_type in ("cumulative", "scoring"):
        ptoks, pcounts = field_tokens("points")
        badc = np.flatnonzero(pcounts != counts)
        if len(badc):
            r = int(badc[0])
            raise _Err(
                line_of(r), f"vote lists {int(counts[r])} projects but points lists {int(pcounts[r])} values"
            )
        try:
            points = np.array(ptoks, dtype=np.int64) if ptoks else np.zeros(0, dtype=np.int64)
        except (ValueError, OverflowError):
            vals = []
            for t, tok in enumerate(ptoks):
                try:
                    vals.append(_number(tok.strip(), 0, "points value", limit=MAX_POINTS))
                except _Err as err:
                    r = int(np.searchsorted(ptr, t, side="right") - 1)
                    raise _Err(line_of(r), err.problem) from None
            if all(v.denominator == 1 for v in vals):
                points = np.array([int(v) for v in vals], dtype=np.int64)
            else:
                points = np.array(vals, dtype=object)
        if len(points) and points.dtype != object:
            big = np.flatnonzero(np.abs(points) > MAX_POINTS)
            if len(big):
                r = int(np.searchsorted(ptr, int(big[0]), side="right") - 1)
                raise _Err(
                    line_of(r),
                    f"points value is too large: {ptoks[int(big[0])].strip()!r} (at most {MAX_POINTS:,})",
                )
        if vote_type == "cumulative" and len(points):
            neg = np.flatnonzero(points < 0)
            if len(neg):
                r = int(np.searchsorted(ptr, int(neg[0]), side="right") - 1)
                raise _Err(line_of(r), "negative points in a cumulative vote")

    others = [c for c in cols if c not in ("voter_id", "vote", "points")]
    if spans is not None:
        voter_columns = {c: LazyList(data, *spans[c]) for c in others}
        voter_ids = LazyList(data, *spans["voter_id"]) if "voter_id" in cols else None
    else:
        voter_columns = {c: [v.strip() for v in columns[c]] for c in others}
        voter_ids = [v.strip() for v in columns["voter_id"]] if "voter_id" in cols else None
    return ptr, idx, points, cols, voter_ids, voter_columns


# ------------------------------------------------------------------------------------------------
# writing
# ------------------------------------------------------------------------------------------------
def _q(value: str) -> str:
    """Quote a field if needed (CSV conventions with ';')."""
    if any(ch in value for ch in ';"\n\r') or value != value.strip():
        return '"' + value.replace('"', '""') + '"'
    return value


def write_string(election: Election, anonymise: bool = True, voter_columns: bool = True) -> str:
    """The election as .pb text.

    META, PROJECTS and the ballots are written losslessly (every META key, every project column,
    vote order, points).  With ``anonymise`` (the default) voter ids are replaced by 1..n; with
    ``voter_columns=False`` the other per-voter columns (age, sex, ...) are dropped as well.
    """
    out = io.StringIO()
    meta = dict(election.meta)
    meta["budget"] = (
        meta.get("budget")
        if meta.get("budget") and to_fraction(meta["budget"]) == election.budget
        else number_str(election.budget)
    )
    meta["vote_type"] = election.vote_type
    if "num_projects" in meta:
        meta["num_projects"] = str(election.n_projects)
    if "num_votes" in meta:
        meta["num_votes"] = str(election.n_voters)
    out.write("META\nkey;value\n")
    for key, value in meta.items():
        out.write(f"{_q(key)};{_q(value)}\n")
    cols = list(election.project_columns)
    for need in ("project_id", "cost"):
        if need not in cols:
            cols.insert(0 if need == "project_id" else 1, need)
    out.write("PROJECTS\n" + ";".join(_q(c) for c in cols) + "\n")
    for p in election.projects:
        fields = dict(p.fields)
        fields["project_id"] = p.id
        if "cost" not in fields or to_fraction(fields["cost"]) != p.cost:
            fields["cost"] = number_str(p.cost)
        if "name" in cols and "name" not in fields:
            fields["name"] = p.name
        out.write(";".join(_q(fields.get(c, "")) for c in cols) + "\n")

    weighted = election.ballot_points is not None
    vcols = ["voter_id", "vote"] + (["points"] if weighted else [])
    extra = [c for c in election.vote_columns if c not in vcols] if voter_columns else []
    extra = [c for c in extra if c in election.voter_columns]
    header = vcols + extra
    out.write("VOTES\n" + ";".join(_q(c) for c in header) + "\n")
    ids = [p.id for p in election.projects]
    quote_ids = any(any(ch in i for ch in ';",') for i in ids)
    if quote_ids:
        raise ValueError("project ids containing ';', ',' or '\"' cannot be written in a vote list")
    ptr = election.ballot_ptr.tolist()
    idx = election.ballot_idx.tolist()
    pts = election.ballot_points.tolist() if weighted else None
    n = election.n_voters
    if anonymise or election.voter_ids is None:
        vids = [str(i + 1) for i in range(n)]
    else:
        vids = [_q(v) for v in election.voter_ids]
    extra_cols = [[_q(v) for v in election.voter_columns[c]] for c in extra]
    lines = []
    for i in range(n):
        s, e = ptr[i], ptr[i + 1]
        parts = [vids[i], ",".join(ids[j] for j in idx[s:e])]
        if weighted:
            parts.append(
                ",".join(number_str(Fraction(v)) if not isinstance(v, int) else str(v) for v in pts[s:e])
            )
        for col in extra_cols:
            parts.append(col[i])
        lines.append(";".join(parts))
    out.write("\n".join(lines))
    if lines:
        out.write("\n")
    return out.getvalue()


def write_file(
    election: Election, path: str | Path, anonymise: bool = True, voter_columns: bool = True
) -> None:
    Path(path).write_text(
        write_string(election, anonymise=anonymise, voter_columns=voter_columns), encoding="utf-8"
    )
