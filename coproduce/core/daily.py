"""Jobs that run once a day: `coproduce daily`, from one cron line or systemd timer.

Apps register their jobs in `ready()` (`register(key, job, help)`); core never imports them. A job is
`job(today) -> str`: it does today's work and says what it did in one line. Every registered job is
safe to run more than once a day — it records what it has done (a digest sent, a donation given, an
action chased, a month's reading written) and does nothing twice — so an operator can run the
command again after a failure, and two machines running it at once do no harm.

`run(today, only=...)` runs the jobs in the order they were registered; one that fails is logged
and reported, and the others still run.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    key: str
    run: Callable[[date], str]
    help: str


_jobs: dict[str, Job] = {}


def register(key: str, job: Callable[[date], str], help: str) -> None:
    _jobs[key] = Job(key, job, help)


def jobs() -> list[Job]:
    return list(_jobs.values())


@dataclass(frozen=True)
class Outcome:
    key: str
    ok: bool
    text: str


def run(today: date, only: list[str] | None = None) -> list[Outcome]:
    """Run every registered job (or those named in `only`) for `today`. Unknown names raise KeyError."""
    chosen = [_jobs[key] for key in only] if only else jobs()
    outcomes = []
    for job in chosen:
        try:
            outcomes.append(Outcome(job.key, True, job.run(today)))
        except Exception as error:  # one failing job must not stop the others
            logger.exception("daily job %s failed", job.key)
            outcomes.append(Outcome(job.key, False, f"{type(error).__name__}: {error}"))
    return outcomes
