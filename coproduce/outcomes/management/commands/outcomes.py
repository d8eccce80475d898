"""`coproduce outcomes refresh [--month YYYY-MM]`: monthly readings for metric-fed indicators.

Run it once a month (e.g. from cron on the 1st: `coproduce outcomes refresh`); without `--month` it
refreshes the last complete month. `--since YYYY-MM` refreshes every month from then to the last
complete one (back-filling). Running it twice for a month replaces that month's readings.
"""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from coproduce.core.audit import Channel
from coproduce.outcomes import services


def _month(text: str) -> date:
    try:
        year, month = (int(part) for part in text.split("-"))
        return date(year, month, 1)
    except ValueError:
        raise CommandError(f"give a month as YYYY-MM, not {text!r}") from None


class Command(BaseCommand):
    help = "Outcomes tools. `refresh`: write this month's readings of indicators fed by platform metrics."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        refresh = sub.add_parser("refresh", help="Compute platform metrics for a month and store them as readings.")
        refresh.add_argument("--month", help="YYYY-MM (default: the last complete month)")
        refresh.add_argument("--since", help="YYYY-MM: refresh every month from this one to the last complete one")

    def handle(self, *args, subcommand, **options):
        if subcommand == "refresh":
            self.refresh(options.get("month"), options.get("since"))

    def refresh(self, month, since):
        last_complete = timezone.localdate().replace(day=1) - timedelta(days=1)
        if since:
            months, current = [], _month(since)
            while current <= last_complete:
                months.append(current)
                current = (current + timedelta(days=32)).replace(day=1)
        else:
            months = [_month(month) if month else last_complete.replace(day=1)]
        total = 0
        for index, first in enumerate(months, start=1):
            try:
                done = services.refresh_metric_readings(None, month=first, channel=Channel.CLI)
            except ValidationError as exc:
                raise CommandError("; ".join(m for ms in exc.message_dict.values() for m in ms)) from None
            total += len(done)
            self.stdout.write(f"[{index}/{len(months)}] {first:%Y-%m}: {len(done)} indicator(s) refreshed")
            for indicator, value in done:
                self.stdout.write(f"    {indicator.title}: {value}")
        self.stdout.write(self.style.SUCCESS(f"Refreshed {total} reading(s)."))
