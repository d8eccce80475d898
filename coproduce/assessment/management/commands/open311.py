"""`coproduce open311 apikey NAME`: print a new Open311 api_key for a client application (shown once;
only its hash is stored). `coproduce open311 revoke HINT` revokes keys starting with HINT."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from coproduce.assessment import services
from coproduce.assessment.models import Open311Client
from coproduce.core.audit import Channel


class Command(BaseCommand):
    help = "Manage Open311 client applications: `apikey NAME` prints a new api_key."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        key = sub.add_parser("apikey", help="Create an api_key for a client application and print it once.")
        key.add_argument("name")
        revoke = sub.add_parser("revoke", help="Revoke the api_key whose hint (first characters) is given.")
        revoke.add_argument("hint")

    def handle(self, *args, action, **options):
        if action == "apikey":
            try:
                _client, raw = services.create_open311_client(None, options["name"], channel=Channel.CLI)
            except ValidationError as exc:
                raise CommandError("; ".join(exc.messages)) from None
            self.stdout.write(raw)
        else:
            n = Open311Client.objects.filter(hint=options["hint"], revoked_at__isnull=True).update(
                revoked_at=timezone.now())
            if not n:
                raise CommandError("No active key with that hint.")
            self.stdout.write(f"Revoked {n} key(s).")
