"""`coproduce inspections chase [--today YYYY-MM-DD]`: email each service's staff about its overdue
inspection actions. Run it daily (cron or a systemd timer); an action is chased at most once a day,
so running it more often sends nothing new."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from coproduce.assessment.inspection_services import chase_overdue_actions


class Command(BaseCommand):
    help = "Citizen inspections: `chase` emails services about overdue actions (at most once a day)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        chase = sub.add_parser("chase", help="Email services about their overdue inspection actions.")
        chase.add_argument("--today", help="The date to count overdue from (default: today).")

    def handle(self, *args, action, **options):
        today = None
        if options.get("today"):
            try:
                today = date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError("--today must be a date like 2026-01-31") from None
        result = chase_overdue_actions(today)
        self.stdout.write(f"Chased {result['actions']} overdue actions of {result['services']} services.")
