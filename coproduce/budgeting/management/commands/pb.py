"""`coproduce pb ...`: participatory-budgeting tools (e.g. `coproduce pb tally FILE.pb --json`)."""

import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Participatory budgeting: `pb tally FILE.pb [...]`. Run `coproduce pb tally --help`."

    def run_from_argv(self, argv):
        from coproduce.budgeting.tally.cli import main

        sys.exit(main(argv[2:], stdout=sys.stdout))
