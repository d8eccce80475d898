"""Co-commissioning's platform metrics, for outcome indicators and the social value report.

- `budgeting.vote_participants`: people who voted in the organisation's processes (and those of the
  organisations that are part of it) whose vote closed in the period. Ballots are secret and carry
  no time, so a vote counts in the period in which it closed. A voter is counted once per process
  however many of its budgets they voted in (their ballots share the process's voter key); a
  paper ballot from the box (no voting code) is one participant. Voters cannot be linked across
  processes, by design, so the same person voting in two processes counts twice.
- `budgeting.pledges_delivered`: time (minutes; kind "hours") that citizens and groups pledged to
  help deliver proposals that were funded, counted when the pledges were settled after the
  official count (status "collected", `settled_at` in the period).
"""

from datetime import date

from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduce.outcomes.metrics import moment, organisation_ids, register

from .models import Ballot, Pledge


def vote_participants(organisation, start: date, end: date) -> int:
    per_process = (
        Ballot.objects.filter(budget__process__organisation_id__in=organisation_ids(organisation),
                              budget__process__vote_ends__gte=moment(start),
                              budget__process__vote_ends__lt=min(moment(end), timezone.now()))
        .values("budget__process").annotate(n=Count("voter_key", distinct=True)).order_by()
    )
    return sum(row["n"] for row in per_process)


def pledges_delivered(organisation, start: date, end: date) -> int:
    return Pledge.objects.filter(
        proposal__process__organisation_id__in=organisation_ids(organisation), kind=Pledge.Kind.HOURS,
        status=Pledge.Status.COLLECTED, settled_at__gte=moment(start), settled_at__lt=moment(end),
    ).aggregate(total=Sum("minutes"))["total"] or 0


def register_metrics() -> None:
    register("budgeting.vote_participants", _("People who voted in participatory budgeting"), vote_participants,
             unit=_("people"), counts_people=True,
             description=_("Voters in processes whose vote closed in the period, once per process, "
                           "paper ballots included."))
    register("budgeting.pledges_delivered", _("Hours pledged to help deliver funded proposals"), pledges_delivered,
             kind="hours", unit=_("hours"),
             description=_("Time offered by citizens and groups to co-produce proposals that were funded, "
                           "counted when the pledges were settled after the official count."))
