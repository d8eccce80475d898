"""Command line for the opinion analysis: ``coproduce design analyse DIR [--json] [--groups-from-export]``.

``main(argv)`` receives the arguments after ``design`` and returns an exit code
(0 success, 1 broken input, 2 usage error).
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap

from .analysis import analyse
from .polis_export import PolisExportError, read_export


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="coproduce design", description="Opinion analysis of co-design conversations.")
    sub = parser.add_subparsers(dest="command", required=True)
    a = sub.add_parser("analyse", help="analyse a Polis export folder")
    a.add_argument("dir", metavar="DIR", help="folder with comments.csv, votes.csv (and participants-votes.csv)")
    a.add_argument("--json", action="store_true", help="print one JSON object")
    a.add_argument("--groups-from-export", action="store_true",
                   help="take the groups from the group-id column of participants-votes.csv instead of clustering")
    return parser


def _summary(result, export, out) -> None:
    text = {c.comment_id: c.body for c in export.comments}

    def show(sid) -> str:
        return textwrap.shorten(text.get(sid, "").replace("\n", " "), 90, placeholder="...")

    print(f"participants: {len(result.participants)}, in conversation: {len(result.in_conversation)}, "
          f"statements: {len(result.statements)}", file=out)
    how = "from the export" if result.groups_source == "given" else "by clustering"
    print(f"groups ({how}): {result.k}, sizes {result.group_sizes}", file=out)
    if result.silhouettes:
        print("silhouette by k: " + ", ".join(f"{k}: {s:.3f}" for k, s in sorted(result.silhouettes.items())),
              file=out)
    for g, reps in result.repness.items():
        print(f"\ngroup {g} ({result.group_sizes[g]} participants), representative statements:", file=out)
        for r in reps:
            print(f"  [{r.statement}] {r.direction:8s} {r.n_success}/{r.n_trials} "
                  f"p={r.p_success:.2f} r={r.repness:.2f}  {show(r.statement)}", file=out)
    print("\nconsensus statements:", file=out)
    for direction in ("agree", "disagree"):
        for c in result.consensus_statements[direction]:
            print(f"  [{c.statement}] {direction:8s} {c.n_success}/{c.n_trials} p={c.p_success:.2f}  "
                  f"{show(c.statement)}", file=out)
    print("\nhighest group-informed consensus:", file=out)
    for sid, v in sorted(result.consensus.items(), key=lambda kv: -kv[1])[:5]:
        print(f"  [{sid}] {v:.3f}  {show(sid)}", file=out)


def main(argv: list[str], stdout=None) -> int:
    out = stdout if stdout is not None else sys.stdout
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse already printed the usage message
        return int(exc.code or 0)
    try:
        export = read_export(args.dir)
        groups = export.groups() if args.groups_from_export else None
    except PolisExportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    result = analyse(export.vote_rows(), export.moderation(), export.meta_ids(),
                     statements=[c.comment_id for c in export.comments], groups=groups)
    if args.json:
        json.dump(result.to_json(), out, ensure_ascii=False, sort_keys=False)
        out.write("\n")
    else:
        _summary(result, export, out)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main(sys.argv[1:]))
