"""`coproduce timebank verify`: check the books of every timebank; exit non-zero on any difference.

`coproduce timebank import FILE --bank SLUG [--dry-run] --as USERNAME`: import members (and opening
balances) from CSV as USERNAME (a broker or coordinator of the bank); every bad line is listed with
its number and nothing is imported unless every line is good. `coproduce timebank export --bank SLUG
--what members|offers|transfers --format csv|json [--output FILE]`: write the bank's members, offers
or transfers.

Checks that every account's stored balance equals the sum of its movements, that every bank's books
balance (its accounts, clearing included, sum to zero), that every network's clearing positions sum
to zero and that cross-bank legs come in matching pairs.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from coproduce.core.audit import Channel
from coproduce.timebank import ledger


class Command(BaseCommand):
    help = ("Timebank tools. `verify`: check every balance and every bank's books; `import`: members from CSV; "
            "`export`: members or transfers as CSV or JSON.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("verify", help="Check stored balances against the transfers; exit 1 on any difference.")
        sub.add_parser("digest", help="Email each broker today's unmatched requests (at most once a day).")
        sub.add_parser("standing-donations", help="Give this month's standing donations not yet given.")
        imp = sub.add_parser("import", help="Import members (and opening balances) from a CSV file. Running it "
                             "without --dry-run confirms that everyone in the file agreed to be registered "
                             "and accepted the bank's member agreement.")
        imp.add_argument("file", metavar="FILE")
        imp.add_argument("--bank", required=True, help="Slug of the timebank.")
        imp.add_argument("--dry-run", action="store_true", help="Check every line; import nothing.")
        imp.add_argument("--as", dest="username", required=True,
                         help="Username or email of the broker or coordinator doing the import.")
        exp = sub.add_parser("export", help="Write a bank's members, offers or transfers as CSV or JSON.")
        exp.add_argument("--bank", required=True, help="Slug of the timebank.")
        exp.add_argument("--what", required=True, choices=["members", "offers", "transfers"])
        exp.add_argument("--format", dest="fmt", required=True, choices=["csv", "json"])
        exp.add_argument("--as", dest="username", default=None,
                         help="Export as this user (default: the system, as the operator of the server).")
        exp.add_argument("--output", "-o", default="-", help="File to write (default: standard output).")

    def handle(self, *args, subcommand, **options):
        if subcommand == "verify":
            self.verify()
        elif subcommand == "digest":
            from coproduce.timebank import notifications

            sent = notifications.send_digests()
            self.stdout.write(f"Sent {sent} digest(s) of unmatched requests.")
        elif subcommand == "standing-donations":
            from coproduce.timebank import standing

            counts = standing.run_due()
            self.stdout.write(f"Standing donations: {counts['given']} given, {counts['refused']} refused by a "
                              f"limit, {counts['already']} already given this month.")
        elif subcommand == "import":
            self.import_members(options["file"], options["bank"], options["dry_run"], options["username"])
        elif subcommand == "export":
            self.export(options["bank"], options["what"], options["fmt"], options["username"], options["output"])

    def _bank(self, slug):
        from coproduce.timebank.models import Timebank

        bank = Timebank.objects.select_related("organisation").filter(slug=slug).first()
        if bank is None:
            raise CommandError(f"No timebank {slug!r}.")
        return bank

    def _user(self, username):
        """The acting user, by username or email, as `coproduce apitoken` finds them."""
        User = get_user_model()
        user = User.objects.filter(username=username).first() or User.objects.filter(email__iexact=username).first()
        if user is None or not user.is_active:
            raise CommandError(f"No active user {username!r}.")
        return user

    def import_members(self, file, slug, dry_run, username):
        from coproduce.timebank import csvio

        bank, user = self._bank(slug), self._user(username)
        try:
            data = Path(file).read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror or exc}") from None

        def progress(done, total):
            width = 30
            filled = width * done // max(total, 1)
            self.stderr.write(f"\rmembers [{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending="")
            if done == total:
                self.stderr.write("")

        try:
            result = csvio.import_members(user, bank, data, dry_run=dry_run, filename=Path(file).name,
                                          channel=Channel.CLI, progress=progress)
        except PermissionDenied:
            raise CommandError(f"{username} may not import members into {bank.slug}.") from None
        except csvio.ImportFileError as exc:
            raise CommandError(f"{file}: {exc} (nothing was imported)") from None
        for problem in result.problems:
            column = f" [{problem.column}]" if problem.column else ""
            self.stderr.write(f"{file}:{problem.line}:{column} {problem.message}")
        if not result.ok:
            raise CommandError(f"{len(result.problems)} problem(s) in {file}; nothing was imported.")
        if dry_run:
            self.stdout.write(f"Dry run: all {len(result.rows)} lines are good; nothing was imported.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported {result.imported} members into {bank.slug}."))

    def export(self, slug, what, fmt, username, output):
        from coproduce.timebank import csvio

        bank = self._bank(slug)
        user = self._user(username) if username else None
        try:
            content = csvio.export(user, bank, what, fmt, channel=Channel.CLI, as_system=user is None)
        except PermissionDenied:
            raise CommandError(f"{username} may not export from {bank.slug}.") from None
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        if output == "-":
            for piece in content:
                self.stdout.write(piece, ending="")
            return
        with open(output, "w", encoding="utf-8", newline="") as stream:
            for piece in content:
                stream.write(piece)
        self.stderr.write(f"Wrote the {what} of {bank.slug} to {output}.")

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
