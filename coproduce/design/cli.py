"""Command line for co-design:

* ``coproduce design analyse DIR [--json] [--groups-from-export]`` – opinion analysis of a Polis export
  folder (pure: no database);
* ``coproduce design import DIR --lab SLUG [--title TITLE]`` – import a Polis export folder as a
  conversation of a design lab, and analyse it;
* ``coproduce design export CONVERSATION_ID DIR`` – write a conversation as a Polis export folder.

``main(argv)`` receives the arguments after ``design`` and returns an exit code
(0 success, 1 broken input, 2 usage error).  Import and export act as the system (the operator at
the server's command line), recorded in the audit log with the channel "cli".
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
    i = sub.add_parser("import", help="import a Polis export folder as a conversation of a design lab")
    i.add_argument("dir", metavar="DIR", help="folder with comments.csv, votes.csv (and participants-votes.csv)")
    i.add_argument("--lab", required=True, metavar="SLUG", help="the design lab to add the conversation to")
    i.add_argument("--title", default="", help="title of the conversation (default: the topic in summary.csv)")
    e = sub.add_parser("export", help="write a conversation as a Polis export folder")
    e.add_argument("conversation", metavar="CONVERSATION_ID", type=int)
    e.add_argument("dir", metavar="DIR", help="folder to write (created if missing)")
    return parser


def progress_bar(stream, width: int = 30):
    """A `progress(step, done, total)` callback drawing one text progress bar per step on `stream`."""
    def draw(step: str, done: int, total: int) -> None:
        filled = width * done // max(total, 1)
        stream.write(f"\r{step:<14} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done >= total:
            stream.write("\n")
        stream.flush()

    return draw


def _import(args, out) -> int:
    """Needs Django (run through `coproduce design import`)."""
    from coproduce.core.audit import Channel
    from coproduce.design import services
    from coproduce.design.models import Lab

    lab = Lab.objects.filter(slug=args.lab).first()
    if lab is None:
        print(f"error: no design lab {args.lab!r}", file=sys.stderr)
        return 1
    try:
        print(f"reading {args.dir} ...", file=out)
        export = read_export(args.dir)
        print(f"importing {len(export.comments)} statements and {len(export.votes)} votes ...", file=out)
        conversation = services.import_polis(None, lab, export, title=args.title, source=str(args.dir),
                                             channel=Channel.CLI, analyse_now=True, progress=progress_bar(sys.stderr))
    except PolisExportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    analysis = conversation.analysis
    print(f"conversation {conversation.pk}: {conversation.title!r} in lab {lab.slug!r}; analysed "
          f"{analysis.vote_count} votes of {analysis.participant_count} participants into {analysis.group_count} "
          f"groups", file=out)
    return 0


def _export(args, out) -> int:
    """Needs Django (run through `coproduce design export`)."""
    from coproduce.core.audit import Channel
    from coproduce.design import services
    from coproduce.design.models import Conversation

    conversation = Conversation.objects.select_related("lab__organisation").filter(pk=args.conversation).first()
    if conversation is None:
        print(f"error: no conversation {args.conversation}", file=sys.stderr)
        return 1
    services.export_polis(None, conversation, args.dir, channel=Channel.CLI)
    print(f"wrote conversation {conversation.pk} ({conversation.title!r}) to {args.dir}", file=out)
    return 0


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
    if args.command == "import":
        return _import(args, out)
    if args.command == "export":
        return _export(args, out)
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
