"""`coproduce worker`: run background tasks (emails, recomputation) as they are queued."""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the background task worker (database queue; no extra broker needed)."

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="Run what is queued, then stop.")
        parser.add_argument("--interval", type=float, default=1.0)

    def handle(self, *args, batch, interval, **options):
        arguments = ["--interval", str(interval)]
        if batch:
            arguments.append("--batch")
        call_command("db_worker", *arguments)
