"""Background work for co-commissioning (django-tasks; `coproduce worker`, immediate in tests)."""

from django_tasks import task


@task()
def compute_tally(*, tally_id: int) -> str:
    """Count a budget's ballots once and store the outcome (see `services.compute_tally`)."""
    from . import services

    return services.compute_tally(tally_id).status
