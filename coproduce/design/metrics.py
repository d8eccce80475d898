"""Co-design's platform metrics, for outcome indicators."""

from datetime import date

from django.utils.translation import gettext_lazy as _

from coproduce.outcomes.metrics import moment, organisation_ids, register

from .models import Statement, VoteEvent


def participants(organisation, start: date, end: date) -> int:
    """People (or anonymous participants) who voted or wrote a statement in the organisation's labs."""
    orgs = organisation_ids(organisation)
    voters = set(
        VoteEvent.objects.filter(conversation__lab__organisation_id__in=orgs, at__gte=moment(start),
                                 at__lt=moment(end)).values_list("participant_id", flat=True)
    )
    writers = set(
        Statement.objects.filter(conversation__lab__organisation_id__in=orgs, created_at__gte=moment(start),
                                 created_at__lt=moment(end), author__isnull=False, is_seed=False)
        .values_list("author_id", flat=True)
    )
    return len(voters | writers)


def register_metrics() -> None:
    register("design.participants", _("Co-design participants"), participants, unit=_("people"),
             counts_people=True, description=_("People who voted on or wrote statements in design labs."))
