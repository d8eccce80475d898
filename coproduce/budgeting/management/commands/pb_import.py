"""`coproduce pb_import FILE.pb --organisation SLUG`: a Pabulib file becomes a process with its ballots.

The file is checked first; an error names the section and the line, and nothing is imported. The
official count is queued at once (run `coproduce worker`, or pass --count-now to count here).
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from coproduce.core.audit import Channel
from coproduce.core.models import Organisation


class Command(BaseCommand):
    help = "Import a Pabulib .pb file as a participatory-budgeting process with its ballots."

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE.pb")
        parser.add_argument("--organisation", required=True, help="Slug of the organisation running the process.")
        parser.add_argument("--title", default="")
        parser.add_argument("--count-now", action="store_true", help="Count the ballots here instead of in the worker.")

    def handle(self, *args, file, organisation, title, count_now, **options):
        from coproduce.budgeting import services
        from coproduce.budgeting.models import Tally

        org = Organisation.objects.filter(slug=organisation).first()
        if org is None:
            raise CommandError(f"No organisation {organisation!r}.")
        try:
            text = Path(file).read_bytes().decode("utf-8-sig")
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror or exc}") from None
        except UnicodeDecodeError:
            raise CommandError(f"{file}: the file is not UTF-8 text.") from None

        def progress(done, total):
            width = 30
            filled = width * done // max(total, 1)
            self.stderr.write(f"\rballots [{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending="")
            if done == total:
                self.stderr.write("")

        backend = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}
        try:
            if count_now:
                with override_settings(TASKS=backend):
                    process = services.import_pabulib(None, org, text, title=title, channel=Channel.CLI, progress=progress)
            else:
                process = services.import_pabulib(None, org, text, title=title, channel=Channel.CLI, progress=progress)
        except ValidationError as exc:
            raise CommandError(f"{file}: " + "; ".join(exc.messages) + " (nothing was imported)") from None
        tally = Tally.objects.filter(process=process, official=True).first()
        self.stdout.write(f"Imported {process.title!r} as /budgeting/{process.slug}/ "
                          f"({process.proposals.count()} projects, {tally.n_ballots if tally and tally.n_ballots else 'all'} ballots).")
        if tally is not None:
            self.stdout.write(f"Official count: {tally.get_status_display().lower()}"
                              + (f"; funded: {', '.join(p.engine_id for p in process.proposals.filter(pk__in=tally.selected))}"
                                 if tally.status == Tally.Status.DONE else ""))
