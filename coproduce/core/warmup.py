"""Work a server worker does once, in the background, right after it starts: filling the caches kept
per process (the asset map's matching indexes, `assets.matchindex.warm`), so that no visitor's first
request pays for building them.

Apps register a warmer in their `ready()` (`register(key, warm)`); `coproduce serve` calls `start()`
in every gunicorn worker after it forks (the `post_fork` hook). Nothing else calls `start()`, so
migrate, the tests and every other command never warm anything. `start()` returns at once: the
warmers run in a daemon thread with its own database connection, closed when they finish. A warmer
that meets a database error (not migrated yet, or down) is skipped with a warning: the first
request that needs its cache builds it instead, as it would without warming.
"""

import logging
import threading
from collections.abc import Callable

from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)
_warmers: dict[str, Callable[[], object]] = {}


def register(key: str, warm: Callable[[], object]) -> None:
    _warmers[key] = warm


def run() -> dict[str, str]:
    """Run every warmer now, in this thread: key -> "warm" or why it was skipped."""
    outcome = {}
    for key, warm in _warmers.items():
        try:
            warm()
            outcome[key] = "warm"
        except DatabaseError as error:
            logger.warning("warm-up of %s skipped: %s", key, error)
            outcome[key] = f"skipped: {error}"
    return outcome


def start() -> threading.Thread:
    """Run the warmers in a background thread; return it (started)."""

    def work():
        try:
            run()
        finally:
            connections.close_all()  # this thread's connections only

    thread = threading.Thread(target=work, name="coproduce-warm-up", daemon=True)
    thread.start()
    return thread


def post_fork(server, worker) -> None:
    """gunicorn's hook, run in each new worker process."""
    start()
