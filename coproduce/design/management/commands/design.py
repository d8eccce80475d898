"""`coproduce design ...`: co-design tools (e.g. `coproduce design analyse DIR --json`)."""

import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Co-design: `design analyse DIR [--json] [--groups-from-export]`, `design import DIR --lab SLUG`, `design export CONVERSATION_ID DIR`."

    def run_from_argv(self, argv):
        from coproduce.design.cli import main

        sys.exit(main(argv[2:], stdout=sys.stdout))
