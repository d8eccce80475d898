"""Co-commissioning's platform metrics, for outcome indicators and the social value report.

- `budgeting.vote_participants`: people who voted in the organisation's processes (and those of the
  organisations that are part of it) whose vote closed in the period. Ballots are secret and carry
  no time, so a vote counts in the period in which it closed. A voter is counted once per process
  however many of its budgets they voted in (their ballots share the process's voter key); a
  paper ballot from the box (no voting code) is one participant. Voters cannot be linked across
  processes, by design, so the same person voting in two processes counts twice.
- `budgeting.pledges_delivered`: time (minutes; kind "hours") that citizens and groups pledged to
  help deliver proposals that were funded, counted once delivered – not when promised: the pledge
  was collected (the proposal was funded) and the proposal's delivery is complete (it has
  milestones and all are done), in the period of its last milestone's date. Pledges handed over
  to a timebank as offers are left out: their hours count in `timebank.hours_exchanged` as the
  exchanges happen, so the social value report never counts them twice.
"""

from datetime import date

from django.db.models import Count, Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduce.outcomes.metrics import moment, organisation_ids, register

from .models import Ballot, Pledge, Proposal


def vote_participants(organisation, start: date, end: date) -> int:
    per_process = (
        Ballot.objects.filter(budget__process__organisation_id__in=organisation_ids(organisation),
                              budget__process__vote_ends__gte=moment(start),
                              budget__process__vote_ends__lt=min(moment(end), timezone.now()))
        .values("budget__process").annotate(n=Count("voter_key", distinct=True)).order_by()
    )
    return sum(row["n"] for row in per_process)


def pledges_delivered(organisation, start: date, end: date) -> int:
    delivered = (Proposal.objects.filter(process__organisation_id__in=organisation_ids(organisation))
                 .annotate(last_done=Max("milestones__done_on"),
                           open_steps=Count("milestones", filter=Q(milestones__done_on__isnull=True)))
                 .filter(open_steps=0, last_done__gte=start, last_done__lt=end).values("pk"))
    return Pledge.objects.filter(
        proposal_id__in=delivered, kind=Pledge.Kind.HOURS, status=Pledge.Status.COLLECTED,
        timebank_offer__isnull=True,
    ).aggregate(total=Sum("minutes"))["total"] or 0


def register_metrics() -> None:
    register("budgeting.vote_participants", _("People who voted in participatory budgeting"), vote_participants,
             unit=_("people"), counts_people=True,
             description=_("Voters in processes whose vote closed in the period, once per process, "
                           "paper ballots included."))
    register("budgeting.pledges_delivered", _("Pledged hours delivered on funded proposals"), pledges_delivered,
             kind="hours", unit=_("hours"),
             description=_("Time citizens and groups pledged to co-produce proposals that were funded, counted "
                           "when the proposal's delivery is complete (all its milestones done). Pledges handed "
                           "to a timebank count there, as exchanges, instead."))
