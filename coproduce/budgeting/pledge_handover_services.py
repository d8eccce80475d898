"""Pledged hours handed over to the timebank when a proposal is funded (part of the services layer).

When the pledges are settled (`services.settle_pledges`), each pledge of time to a funded proposal
whose pledger is an active member of a timebank becomes a real offer in that bank, made through
`timebank.postings.create_offer` by the platform on the member's behalf (their pledge is the
authority) and linked to the pledge (`Pledge.timebank_offer`). The bank is the one of the process's
organisation or the nearest organisation it is part of, else the pledger's oldest active membership;
the category is the bank's one sharing most words with the proposal (`timebank.placement`, as for
complainants who offer help).

It runs inside the settlement's transaction with the pledges locked, and only for pledges without
an offer, so settling twice (or two settlements at once) never makes two offers for one pledge.
Pledgers who are not members of any timebank get no offer: staff see them as "to invite"
(`overview`), and settling again after they have joined hands their pledge over.
"""

from django.utils.translation import gettext as _

from coproduce.core.audit import Channel
from coproduce.timebank import placement, postings
from coproduce.timebank.models import TimebankMember

from .models import Pledge, Process

MAX_DESCRIPTION = 2000


def _hours(minutes: int) -> str:
    hours, rest = divmod(minutes or 0, 60)
    return f"{hours}:{rest:02d}" if rest else str(hours)


def description(pledge: Pledge) -> str:
    proposal = pledge.proposal
    text = _("Help delivering “%(title)s”, a project funded in %(process)s: %(hours)s hours pledged.") % {
        "title": proposal.title, "process": proposal.process.title, "hours": _hours(pledge.minutes)}
    if pledge.description:
        text = f"{text} {pledge.description}"
    return text[:MAX_DESCRIPTION]


def _active_members(people) -> dict:
    """person id -> their active memberships (in banks of active organisations), oldest first."""
    found: dict = {}
    for member in (TimebankMember.objects.filter(person__in=people, status=TimebankMember.Status.ACTIVE,
                                                  timebank__organisation__is_active=True)
                   .select_related("timebank__organisation", "person").order_by("-pk")):
        found.setdefault(member.person_id, []).insert(0, member)
    return found


def member_for(process: Process, memberships: list):
    """The membership the offer goes to: in the bank nearest the process's organisation, else the oldest."""
    if not memberships:
        return None
    near = placement.nearest(process.organisation, reversed(memberships),
                             organisation_id=lambda m: m.timebank.organisation_id)
    return near or memberships[0]


def _waiting(process: Process, funded):
    return (Pledge.objects.filter(proposal__process=process, proposal_id__in=funded, kind=Pledge.Kind.HOURS,
                                  status=Pledge.Status.COLLECTED, timebank_offer__isnull=True, person__isnull=False,
                                  person__erased_at__isnull=True)
            .select_related("person", "proposal__process", "proposal__category").order_by("pk"))


def hand_over(process: Process, funded) -> dict:
    """Inside the settlement's transaction: offers for the funded proposals' pledges of time.
    Returns {"offers": [pledge, …], "to_invite": [pledge, …]}."""
    pledges = list(_waiting(process, funded).select_for_update(of=("self",)))
    memberships = _active_members({p.person_id for p in pledges})
    result = {"offers": [], "to_invite": []}
    for pledge in pledges:
        member = member_for(process, memberships.get(pledge.person_id, []))
        proposal = pledge.proposal
        words = " ".join([proposal.title, proposal.description, proposal.category.name if proposal.category else "",
                          pledge.description])
        category = placement.suggest_category(member.timebank, words) if member is not None else None
        if category is None:
            result["to_invite"].append(pledge)
            continue
        pledge.timebank_offer = postings.create_offer(None, member, category=category,
                                                      description=description(pledge), channel=Channel.SYSTEM)
        pledge.save(update_fields=["timebank_offer"])
        result["offers"].append(pledge)
    return result


def overview(process: Process) -> dict:
    """For the staff settlement page: pledges of time handed over (with their offers) and pledgers
    still to invite to a timebank (collected, no offer yet)."""
    handed = list(Pledge.objects.filter(proposal__process=process, timebank_offer__isnull=False)
                  .select_related("person", "proposal", "timebank_offer__member__timebank").order_by("pk"))
    funded_waiting = list(Pledge.objects.filter(
        proposal__process=process, kind=Pledge.Kind.HOURS, status=Pledge.Status.COLLECTED,
        timebank_offer__isnull=True, person__isnull=False, person__erased_at__isnull=True)
        .select_related("person", "proposal").order_by("pk"))
    members = _active_members({p.person_id for p in funded_waiting})
    return {"handed_over": handed,
            "to_invite": [p for p in funded_waiting if not members.get(p.person_id)],
            "to_settle_again": [p for p in funded_waiting if members.get(p.person_id)]}
