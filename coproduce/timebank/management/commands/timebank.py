"""`coproduce timebank verify`: check the books of every timebank; exit non-zero on any difference.

Checks that every account's stored balance equals the sum of its movements, that every bank's books
balance (its accounts, clearing included, sum to zero), that every network's clearing positions sum
to zero and that cross-bank legs come in matching pairs.
"""

from django.core.management.base import BaseCommand, CommandError

from coproduce.timebank import ledger


class Command(BaseCommand):
    help = "Timebank ledger tools. `verify`: check every balance and every bank's books."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("verify", help="Check stored balances against the transfers; exit 1 on any difference.")

    def handle(self, *args, subcommand, **options):
        if subcommand == "verify":
            self.verify()

    def verify(self):
        report = ledger.verify()
        self.stdout.write(
            f"Checked {report.accounts} accounts, {report.transfers} transfers, {report.banks} banks, "
            f"{report.networks} networks."
        )
        for slug, total in sorted(report.bank_totals.items()):
            state = "balances" if total == 0 else f"OUT BY {total} minutes"
            self.stdout.write(f"  bank {slug}: books {state}")
        for network, positions in sorted(report.network_clearing.items()):
            shown = ", ".join(f"{slug} {minutes:+d}" for slug, minutes in sorted(positions.items()))
            self.stdout.write(f"  network {network}: clearing positions {shown or '-'} (sum {sum(positions.values())})")
        if not report.ok:
            for difference in report.differences:
                self.stderr.write(f"  DIFFERENCE {difference}")
            raise CommandError(f"{len(report.differences)} difference(s) found in the timebank books.")
        self.stdout.write(self.style.SUCCESS("All balances equal their movements; every bank's books balance."))
