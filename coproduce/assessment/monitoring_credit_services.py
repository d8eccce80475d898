"""Crediting monitoring volunteers' time through the campaign's timebank.

A coordinator credits, in one transaction, the minutes of every recorded observation not credited yet:
one ledger transfer per volunteer (through `coproduce.timebank.services`, so the bank's limits, books
and audit apply), paid from the organisation's member account (`Campaign.credit_from`) or, when none is
set, from the bank's community pot. The observations are marked with their transfer, so running it
again credits nothing twice. Volunteers who are not active members of the bank are skipped (reported);
their observations wait for the next run.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core import audit
from coproduce.core.audit import Channel
from coproduce.core.permissions import require

from .lifecycle_services import lock
from .monitoring_models import Campaign, Observation


@dataclass
class CreditResult:
    transfers: list = field(default_factory=list)
    observations: int = 0
    minutes: int = 0
    skipped: list = field(default_factory=list)  # people who are not active members of the bank


@transaction.atomic
def credit_hours(actor, campaign: Campaign, *, channel=Channel.WEB) -> CreditResult:
    from coproduce.timebank import services as timebank
    from coproduce.timebank.models import TimebankMember

    require(actor, "assessment.coordinate_campaign", campaign)
    lock(campaign)
    if campaign.timebank_id is None:
        raise ValidationError({"timebank": [_("Link the campaign to a timebank to credit volunteers' hours.")]})
    pending = list(Observation.objects.select_for_update(of=("self",)).filter(
        campaign=campaign, status=Observation.Status.RECORDED, credited_at__isnull=True, minutes_spent__gt=0,
        volunteer__person__isnull=False).select_related("volunteer__person").order_by("pk"))
    by_person: dict = {}
    for observation in pending:
        by_person.setdefault(observation.volunteer.person, []).append(observation)
    members = {m.person_id: m for m in TimebankMember.objects.select_related("timebank__organisation", "person")
               .filter(timebank_id=campaign.timebank_id, person__in=list(by_person),
                       status=TimebankMember.Status.ACTIVE)}
    result = CreditResult()
    now = timezone.now()
    reason = (_("Monitoring: %(title)s") % {"title": campaign.title})[:200]
    for person, observations in sorted(by_person.items(), key=lambda item: item[0].pk):
        member = members.get(person.pk)
        if member is None or (campaign.credit_from_id is not None and member.pk == campaign.credit_from_id):
            result.skipped.append(person)
            continue
        minutes = sum(o.minutes_spent for o in observations)
        if campaign.credit_from_id is not None:
            posted = timebank.transfer(actor, campaign.credit_from, member, minutes, reason, channel=channel)
        else:
            posted = timebank.give_from_pot(actor, member, minutes, reason, channel=channel)
        Observation.objects.filter(pk__in=[o.pk for o in observations]).update(credit_transfer=posted,
                                                                                credited_at=now)
        result.transfers.append(posted)
        result.observations += len(observations)
        result.minutes += minutes
    audit.record(actor, "monitoring.credit_hours", campaign, organisation=campaign.organisation, channel=channel,
                 details={"transfers": [t.pk for t in result.transfers], "observations": result.observations,
                          "minutes": result.minutes, "skipped": [p.pk for p in result.skipped]})
    return result
