"""`coproduce demo`: load the demo town of Riverton once (running it again changes nothing)."""

import importlib

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from coproduce.core import demo


class Command(BaseCommand):
    help = "Load the demo town once and print the demo log-ins."

    def handle(self, *args, **options):
        if demo.already_loaded():
            self.stdout.write("The demo town is already loaded; nothing changed.")
            self.stdout.write(f"Demo log-ins use the password: {demo.DEMO_PASSWORD}")
            return
        with transaction.atomic():
            town = demo.load_core()
            for config in apps.get_app_configs():
                if not config.name.startswith("coproduce.") or config.name == "coproduce.core":
                    continue
                try:
                    module = importlib.import_module(f"{config.name}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{config.name}.demo":
                        raise
                    continue
                self.stdout.write(f"Loading the {config.label} demo…")
                module.load(town)
        self.stdout.write(self.style.SUCCESS("The demo town of Riverton is ready."))
        self.stdout.write(f"Log in at /accounts/login/ with password {demo.DEMO_PASSWORD!r} as:")
        width = max(len(email) for email, _ in town.logins)
        for email, what in town.logins:
            self.stdout.write(f"  {email.ljust(width)}  {what}")
