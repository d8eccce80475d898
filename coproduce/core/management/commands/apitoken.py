"""`coproduce apitoken USERNAME`: print a new API token for that user."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from coproduce.core import services
from coproduce.core.audit import Channel


class Command(BaseCommand):
    help = "Create an API token for USERNAME (a user name or email address) and print it once."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="command line")

    def handle(self, *args, username, name, **options):
        User = get_user_model()
        user = User.objects.filter(username=username).first() or User.objects.filter(email__iexact=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        try:
            # The operator at the server's command line acts as the system.
            _token, raw = services.create_api_token(None, user, name, channel=Channel.CLI)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        self.stdout.write(raw)
