"""Outcome, per-project explanations and the computation log.

Every rule returns an :class:`Outcome`:

* ``selected`` -- winning project ids in the order the rule picked them;
* ``explanations`` -- one :class:`Explanation` per project (file order): a stable machine code,
  the numbers behind it and an English sentence;
* ``log`` -- the full computation as a list of JSON-serialisable steps (exact values are written
  as integers or ``"p/q"`` strings, with float companions for reading), so that anyone can recount.

Explanation codes
-----------------
greedy family: ``selected``, ``did_not_fit`` (cost X with Y left), ``below_threshold``,
``not_reached`` (greedy-no-skip stopped earlier).
Equal Shares: ``selected`` (round, effective vote count, rho), ``selected_free`` (cost 0),
``unaffordable`` (its supporters' remaining money fell below its cost, and when),
``no_supporters``, ``added_by_completion`` (utilitarian completion), ``selected_by_greedy_comparison``
/ ``dropped_by_greedy_comparison`` (the comparison step switched to the greedy outcome),
``completion_did_not_fit``.
Phragmén: ``selected`` (round, load), ``not_reached`` (the rule stopped first).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any


def exact(x) -> int | str:
    """An exact number for the log: int when integral, otherwise "p/q"."""
    if isinstance(x, int):
        return x
    x = Fraction(int(x.numerator), int(x.denominator)) if not isinstance(x, Fraction) else x
    return x.numerator if x.denominator == 1 else f"{x.numerator}/{x.denominator}"


def approx(x) -> float | int:
    if isinstance(x, (int, float)):
        return x
    x = Fraction(int(x.numerator), int(x.denominator)) if not isinstance(x, Fraction) else x
    return x.numerator if x.denominator == 1 else float(x)


def money(x) -> str:
    """Human-readable amount: thousands separators, cents only when needed."""
    f = float(approx(x))
    if abs(f - round(f)) < 1e-9:
        return f"{int(round(f)):,}"
    return f"{f:,.2f}"


def plain(x) -> str:
    f = float(approx(x))
    if abs(f - round(f)) < 1e-9:
        return f"{int(round(f)):,}"
    return f"{f:,.4g}" if abs(f) < 1e4 else f"{f:,.1f}"


@dataclass
class Explanation:
    project_id: str
    selected: bool
    code: str
    numbers: dict[str, Any] = field(default_factory=dict)
    sentence: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "project_id": self.project_id,
            "selected": self.selected,
            "code": self.code,
            "numbers": self.numbers,
            "sentence": self.sentence,
        }


@dataclass
class Outcome:
    rule: str
    selected: list[str]
    spent: Fraction
    budget: Fraction
    explanations: list[Explanation] = field(default_factory=list)
    log: list[dict[str, Any]] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def selected_sorted(self) -> list[str]:
        return sorted(self.selected)

    def explanation(self, project_id: str) -> Explanation:
        for e in self.explanations:
            if e.project_id == project_id:
                return e
        raise KeyError(project_id)

    def to_dict(self, with_log: bool = True) -> dict[str, Any]:
        d = {
            "rule": self.rule,
            "selected": self.selected,
            "spent": approx(self.spent),
            "spent_exact": exact(self.spent),
            "budget": approx(self.budget),
            "details": self.details,
            "explanations": [e.to_dict() for e in self.explanations],
        }
        if with_log:
            d["log"] = self.log
        return d

    def to_json(self, with_log: bool = True) -> str:
        return json.dumps(self.to_dict(with_log), ensure_ascii=False)
