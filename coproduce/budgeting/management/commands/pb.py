"""`coproduce pb ...`: participatory-budgeting tools.

  coproduce pb tally FILE.pb [...]                 count a Pabulib file (the outcome engine's CLI)
  coproduce pb import FILE.pb --organisation SLUG  import a Pabulib file as a process with its ballots
"""

import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Participatory budgeting: `pb tally FILE.pb [...]`, `pb import FILE.pb --organisation SLUG`."

    def run_from_argv(self, argv):
        arguments = argv[2:]
        if arguments[:1] == ["import"]:
            try:
                call_command("pb_import", *arguments[1:])
            except CommandError as exc:
                sys.stderr.write(f"coproduce pb import: error: {exc}\n")
                sys.exit(1)
            sys.exit(0)
        from coproduce.budgeting.tally.cli import main

        sys.exit(main(arguments, stdout=sys.stdout))
