"""The `coproduce` command: every Django management command, plus the project's own
(demo, serve, apitoken, worker, pb, design, timebank, ...)."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coproduce.settings")
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["coproduce", *(sys.argv[1:] if argv is None else argv)])
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): stop quietly, like other command-line tools.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)


if __name__ == "__main__":
    main()
