"""Plain data classes describing one participatory-budgeting election.

An :class:`Election` is what a Pabulib ``.pb`` file contains: META key/values, the projects
(id, cost, optional name/categories and any other column), the budget, the vote type and the
ballots.  Ballots are kept in a compact CSR layout (numpy arrays) rather than one Python object per
voter, so that elections with 100,000 voters stay cheap to hold and to tally:

* ``ballot_ptr`` (``int64``, length ``n_voters + 1``): ballot ``i`` occupies entries
  ``ballot_ptr[i]:ballot_ptr[i+1]``;
* ``ballot_idx`` (``int32``): the index (into ``projects``) of each listed project, in the order of
  the file (for ordinal ballots: most preferred first);
* ``ballot_points``: points given to each listed project (cumulative / scoring ballots), ``int64``
  when every value is an integer, otherwise an object array of :class:`fractions.Fraction`.

All money amounts are exact :class:`fractions.Fraction` values.  Nothing here imports Django.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

VOTE_TYPES = ("approval", "cumulative", "ordinal", "scoring", "choose-1")


# Bounds on the numbers a .pb file may hold.  No real budget, cost or threshold comes near 10**15
# (in any currency unit), so floats keep whole amounts exact and float arithmetic cannot overflow;
# points are smaller still so that sums over millions of voters fit in int64.
MAX_AMOUNT = 10**15
MAX_POINTS = 10**9
MAX_DECIMALS = 9
_MAX_EXPONENT = 40  # checked before Fraction() builds 10**exponent


class NumberRangeError(ValueError):
    """A well-formed number outside the bounds above; ``str()`` says which bound (``"is too large ..."``)."""


def to_fraction(text: str | int | Fraction, limit: int = MAX_AMOUNT) -> Fraction:
    """Parse a number written in a .pb file ("1200", "1200.50", "1 200,50" is *not* accepted).

    Raises ValueError on garbage and :class:`NumberRangeError` (a ValueError) on a number larger
    than ``limit`` in size or with more than ``MAX_DECIMALS`` decimal places."""
    if isinstance(text, Fraction):
        return text
    if isinstance(text, int):
        return Fraction(text)
    s = str(text).strip()
    if "," in s and "." not in s:
        s = s.replace(",", ".")  # decimal comma, as pabutools accepts it
    mantissa, e, exponent = s.lower().partition("e")
    if e and exponent.lstrip("+-").isdigit() and abs(int(exponent)) > _MAX_EXPONENT:
        raise NumberRangeError(f"is too large or too small: {s!r}")
    x = Fraction(s)  # raises ValueError on garbage
    if abs(x) > limit:
        raise NumberRangeError(f"is too large: {s!r} (at most {limit:,})")
    if 10**MAX_DECIMALS % x.denominator:
        raise NumberRangeError(f"has more than {MAX_DECIMALS} decimal places: {s!r}")
    return x


def number_str(x: Fraction | int) -> str:
    """Write an exact number the way .pb files do: integers plainly, others as decimals."""
    x = Fraction(x)
    if x.denominator == 1:
        return str(x.numerator)
    d = x.denominator
    while d % 2 == 0:
        d //= 2
    while d % 5 == 0:
        d //= 5
    if d == 1:  # terminating decimal: write it exactly
        digits = 0
        y = x
        while y.denominator != 1:
            y *= 10
            digits += 1
        sign = "-" if y < 0 else ""
        s = str(abs(y.numerator)).rjust(digits + 1, "0")
        return f"{sign}{s[:-digits]}.{s[-digits:]}"
    return repr(float(x))


def json_number(x: Fraction | int | float) -> int | float:
    """A JSON-friendly number: an int when exact, otherwise a float."""
    if isinstance(x, float):
        return x
    x = Fraction(x)
    return x.numerator if x.denominator == 1 else float(x)


@dataclass(frozen=True)
class Project:
    """One project.  ``fields`` holds every column of the PROJECTS row as written in the file."""

    id: str
    cost: Fraction
    name: str = ""
    categories: tuple[str, ...] = ()
    fields: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def official_selected(self) -> bool | None:
        """The file's ``selected`` column (None when the file has none)."""
        v = self.fields.get("selected")
        if v is None or v.strip() == "" or v.strip().lower() == "none":
            return None
        try:
            return Fraction(v) != 0
        except ValueError:
            return None


@dataclass
class Election:
    """One election (instance + profile)."""

    meta: dict[str, str]
    projects: list[Project]
    vote_type: str
    budget: Fraction
    ballot_ptr: np.ndarray
    ballot_idx: np.ndarray
    ballot_points: np.ndarray | None = None
    project_columns: list[str] = field(default_factory=lambda: ["project_id", "cost"])
    vote_columns: list[str] = field(default_factory=lambda: ["voter_id", "vote"])
    voter_columns: dict[str, list[str]] = field(default_factory=dict)
    voter_ids: list[str] | None = None
    source: str = ""

    # -- construction helpers ---------------------------------------------------------------
    @classmethod
    def from_ballots(
        cls,
        projects: list[tuple[str, int | Fraction]] | list[Project],
        ballots: list[list[str]] | list[dict[str, int]],
        budget: int | Fraction,
        vote_type: str = "approval",
        meta: dict[str, str] | None = None,
    ) -> Election:
        """Build an election from Python lists (tests, the web app).

        ``ballots`` are lists of project ids (approval / ordinal, most preferred first) or, for
        cumulative / scoring, dicts ``{project_id: points}``.
        """
        projs: list[Project] = []
        for p in projects:
            if isinstance(p, Project):
                projs.append(p)
            else:
                pid, cost = p
                projs.append(
                    Project(
                        str(pid),
                        to_fraction(cost),
                        fields={"project_id": str(pid), "cost": number_str(to_fraction(cost))},
                    )
                )
        index = {p.id: i for i, p in enumerate(projs)}
        ptr = [0]
        idx: list[int] = []
        pts: list[Fraction] = []
        for b in ballots:
            if isinstance(b, dict):
                for pid, v in b.items():
                    idx.append(index[str(pid)])
                    pts.append(to_fraction(v))
            else:
                for pid in b:
                    idx.append(index[str(pid)])
            ptr.append(len(idx))
        points = None
        if vote_type in ("cumulative", "scoring"):
            if all(v.denominator == 1 for v in pts):
                points = np.array([int(v) for v in pts], dtype=np.int64)
            else:
                points = np.array(pts, dtype=object)
        m = {"budget": number_str(to_fraction(budget)), "vote_type": vote_type}
        if meta:
            m.update(meta)
        m["budget"] = number_str(to_fraction(budget))
        m["vote_type"] = vote_type
        return cls(
            meta=m,
            projects=projs,
            vote_type=vote_type,
            budget=to_fraction(budget),
            ballot_ptr=np.array(ptr, dtype=np.int64),
            ballot_idx=np.array(idx, dtype=np.int32),
            ballot_points=points,
            vote_columns=["voter_id", "vote"] + (["points"] if points is not None else []),
        )

    # -- convenience ------------------------------------------------------------------------
    @property
    def n_voters(self) -> int:
        return len(self.ballot_ptr) - 1

    @property
    def n_projects(self) -> int:
        return len(self.projects)

    @property
    def project_index(self) -> dict[str, int]:
        return {p.id: i for i, p in enumerate(self.projects)}

    @property
    def rule(self) -> str:
        return self.meta.get("rule", "").strip()

    @property
    def threshold(self) -> Fraction | None:
        v = self.meta.get("min_project_score_threshold")
        if v is None or not v.strip():
            return None
        return to_fraction(v)

    @property
    def max_length(self) -> int | None:
        v = self.meta.get("max_length")
        if v is None or not v.strip():
            return None
        try:
            return int(to_fraction(v))
        except ValueError:
            return None

    def ballot(self, i: int) -> list[str]:
        """The project ids of ballot ``i`` in file order."""
        s, e = self.ballot_ptr[i], self.ballot_ptr[i + 1]
        return [self.projects[j].id for j in self.ballot_idx[s:e]]

    def ballot_points_of(self, i: int) -> list[Fraction] | None:
        if self.ballot_points is None:
            return None
        s, e = self.ballot_ptr[i], self.ballot_ptr[i + 1]
        return [Fraction(v) if not isinstance(v, Fraction) else v for v in self.ballot_points[s:e].tolist()]

    def costs(self) -> list[Fraction]:
        return [p.cost for p in self.projects]
