"""`coproduce daily [--today YYYY-MM-DD] [--only KEY ...] [--list]`: run the once-a-day jobs every app
registers (`coproduce.core.daily`). Exit status 1 when any job failed; the others still ran."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from coproduce.core import daily


class Command(BaseCommand):
    help = "Run the once-a-day jobs (digests, standing donations, chasing, indicator readings). Safe to repeat."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="The day to run for (default: today).")
        parser.add_argument("--only", nargs="+", metavar="KEY", help="Run only these jobs.")
        parser.add_argument("--list", action="store_true", help="List the jobs and stop.")

    def handle(self, *args, today, only, list, **options):
        if list:
            for job in daily.jobs():
                self.stdout.write(f"{job.key}: {job.help}")
            return
        try:
            day = date.fromisoformat(today) if today else timezone.localdate()
        except ValueError:
            raise CommandError("--today must be a date like 2026-01-31") from None
        known = {job.key for job in daily.jobs()}
        unknown = [key for key in only or [] if key not in known]
        if unknown:
            raise CommandError(f"No daily job {', '.join(unknown)}; known: {', '.join(sorted(known))}.")
        failed = 0
        for outcome in daily.run(day, only):
            if outcome.ok:
                self.stdout.write(f"{outcome.key}: {outcome.text}")
            else:
                failed += 1
                self.stderr.write(f"{outcome.key}: FAILED {outcome.text}")
        if failed:
            raise CommandError(f"{failed} daily job(s) failed; the others ran.")
