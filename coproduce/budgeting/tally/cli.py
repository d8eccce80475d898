"""Command line: ``coproduce pb tally FILE.pb [FILE.pb ...] [options]``.

``main(argv)`` receives the arguments after ``pb``, e.g. ``["tally", "a.pb", "--json"]``::

    tally FILE.pb [FILE.pb ...] [--rule official|greedy|greedy-no-skip|greedy-threshold|mes|mes-add1|phragmen]
          [--utility cost|approval] [--completion none|add1|utilitarian|add1-utilitarian]
          [--tie-break default|lexico] [--exact] [--json]

``--rule official`` (default) applies the rule in the file's META, with the META ``tie_break``
when the file has one and ``--tie-break`` is not given.  ``--json`` prints one JSON
object per file per line (``file``, ``selected`` sorted as strings, ``spent``, ``rule``, ...); a file
that cannot be read or tallied gives ``{"file": ..., "error": ...}`` and the others still run.
The exit status is 0 when every file was tallied, 1 otherwise (2 for bad arguments).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from .explain import approx, money
from .pabulib import PabulibFormatError, parse_file
from .rules import COMPLETIONS, RULES, UTILITIES, RuleError, tally
from .ties import TIE_BREAKS


class _ArgError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # do not sys.exit from inside the web app / tests
        raise _ArgError(message)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="coproduce pb", description="Participatory-budgeting tools for Pabulib .pb files.")
    sub = p.add_subparsers(dest="command")
    t = sub.add_parser(
        "tally",
        help="compute the winning projects of .pb files",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    t.add_argument("files", nargs="+", metavar="FILE.pb")
    t.add_argument("--rule", choices=RULES, default="official")
    t.add_argument(
        "--utility", choices=UTILITIES, default="cost", help="utilities for Equal Shares (default cost)"
    )
    t.add_argument("--completion", choices=COMPLETIONS, default=None, help="completion for --rule mes")
    t.add_argument(
        "--tie-break",
        choices=TIE_BREAKS,
        default=None,
        dest="tie_break",
        help="default: the file's META tie_break under --rule official, otherwise 'default'",
    )
    t.add_argument(
        "--exact", action="store_true", help="exact rational arithmetic throughout (official results)"
    )
    t.add_argument("--json", action="store_true", help="one JSON object per file per line")
    return p


def main(argv: list[str] | None = None, stdout: TextIO | None = None) -> int:
    out = stdout if stdout is not None else sys.stdout
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = _parser()
    if not argv or argv[0] in ("-h", "--help"):
        parser.print_help(out)
        return 0 if argv else 2
    if argv[0] == "tally" and any(a in ("-h", "--help") for a in argv[1:]):
        parser._subparsers._group_actions[0].choices["tally"].print_help(out)  # type: ignore[union-attr]
        return 0
    try:
        args = parser.parse_args(argv)
    except _ArgError as exc:
        print(f"coproduce pb: error: {exc}", file=out)
        return 2
    if args.command != "tally":
        print("coproduce pb: error: unknown command (try: tally)", file=out)
        return 2
    failed = 0
    for path in args.files:
        try:
            election = parse_file(path)
            outcome = tally(
                election,
                rule=args.rule,
                utility=args.utility,
                completion=args.completion,
                tie_break=args.tie_break,
                exact=args.exact,
            )
        except Exception as exc:  # one bad file must not stop the others (see _error_text)
            failed += 1
            msg = _error_text(exc)
            if args.json:
                out.write(json.dumps({"file": path, "error": msg}, ensure_ascii=False) + "\n")
            else:
                out.write(f"{path}: error: {msg}\n\n")
            continue
        if args.json:
            rec = {
                "file": path,
                "rule": outcome.rule,
                "selected": sorted(outcome.selected),
                "selected_in_order": outcome.selected,
                "spent": approx(outcome.spent),
                "budget": approx(election.budget),
                "voters": election.n_voters,
                "exact": bool(args.exact),
                "tie_break": outcome.details["tie_break"],
            }
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        else:
            _table(out, path, election, outcome)
    return 1 if failed else 0


def _error_text(exc: Exception) -> str:
    """The text of a file's error line.  The reader raises PabulibFormatError (section, line,
    problem) and the rules RuleError / ValueError saying what they cannot count; anything else is a
    fault of this program on that file, reported with its type rather than ending the whole run."""
    if isinstance(exc, OSError):
        return f"cannot read file: {exc.strerror or exc}"
    if isinstance(exc, (PabulibFormatError, RuleError, ValueError)):
        return str(exc)
    return f"could not count this file ({type(exc).__name__}: {exc})"


def _table(out: TextIO, path: str, election, outcome) -> None:
    out.write(f"{path}\n")
    out.write(
        f"  rule: {outcome.rule}   voters: {election.n_voters:,}   budget: {money(election.budget)}   "
        f"spent: {money(outcome.spent)}   funded: {len(outcome.selected)} of {election.n_projects}\n"
    )
    ids = [e.project_id for e in outcome.explanations]
    w = max([len("project")] + [len(i) for i in ids])
    costs = {p.id: money(p.cost) for p in election.projects}
    cw = max([len("cost")] + [len(c) for c in costs.values()])
    out.write(f"  {'project'.ljust(w)}  {'cost'.rjust(cw)}  funded  why\n")
    order = {pid: k for k, pid in enumerate(outcome.selected)}
    rows = sorted(
        outcome.explanations, key=lambda e: (0, order[e.project_id]) if e.selected else (1, e.project_id)
    )
    for e in rows:
        out.write(
            f"  {e.project_id.ljust(w)}  {costs[e.project_id].rjust(cw)}  {'yes' if e.selected else 'no ':>6}  {e.sentence}\n"
        )
    out.write("\n")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
