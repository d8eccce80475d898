"""The `coproduce` command: every Django management command, plus the project's own
(demo, serve, apitoken, worker, pb, design, timebank, ...).

`coproduce pb tally ...` is routed straight to the pure outcome engine's CLI
(`coproduce.budgeting.tally.cli`) without setting up Django: counting a Pabulib file needs no
database or app, and loading every app would cost seconds before any work."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        if arguments[:2] == ["pb", "tally"]:
            from coproduce.budgeting.tally.cli import main as tally_main

            code = tally_main(arguments[1:], stdout=sys.stdout)
            sys.stdout.flush()
            sys.exit(code)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coproduce.settings")
        from django.core.management import execute_from_command_line

        execute_from_command_line(["coproduce", *arguments])
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): stop quietly, like other command-line tools.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)


if __name__ == "__main__":
    main()
