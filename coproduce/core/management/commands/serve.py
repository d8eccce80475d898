"""`coproduce serve`: the production web server (gunicorn; static files through whitenoise)."""

import multiprocessing
import os

from django.core.management import call_command
from django.core.management.base import BaseCommand
from gunicorn.app.base import BaseApplication

from coproduce.core import warmup


class _Gunicorn(BaseApplication):
    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from django.db import connections

        from coproduce.wsgi import application

        connections.close_all()  # loaded before the workers fork (preload_app): none may share a connection
        return application


class Command(BaseCommand):
    help = "Serve coproduce with gunicorn on HOST:PORT (defaults 127.0.0.1:8000)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        default_workers = min(2 * multiprocessing.cpu_count() + 1, 9)
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", default_workers)))
        parser.add_argument("--no-collectstatic", action="store_true", help="Skip collecting static files first.")

    def handle(self, *args, host, port, workers, no_collectstatic, **options):
        if not no_collectstatic:
            call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"coproduce is serving on http://{host}:{port}/ ({workers} workers)")
        _Gunicorn(
            {
                "bind": f"{host}:{port}",
                "workers": workers,
                "threads": int(os.environ.get("THREADS", "4")),
                "accesslog": "-",
                # Load Django, the URLconf and the API once, before forking: every worker starts warm
                # (no first requests slowed by imports) and shares that memory.
                "preload_app": True,
                "timeout": 60,
                "graceful_timeout": 20,
                # Each worker fills its per-process caches in the background (`core.warmup`).
                "post_fork": warmup.post_fork,
            }
        ).run()
