"""Complaints that recruit helpers: accepting the invitation to help (part of the services layer).

A complainant who accepts chooses how (`HelpOffer.Route`):

- **contact** – the service's staff get in touch (the row is the offer; staff follow it up);
- **timebank** – an offer of their time in a timebank, created through `timebank.postings.create_offer`.
  Which bank, by this rule (`default_bank`): the bank of the service's organisation or of the nearest
  organisation it is part of; otherwise the person's only bank (active or asked to join); otherwise
  they choose among the banks of active organisations (`banks_to_choose`). When they are not a member
  yet, a request to join is made through `timebank.services.request_to_join` (for someone who phoned,
  a broker of the bank registers them with `register_member`), and the offer is posted once the
  broker has approved them (`post_pending_offer`). Someone who left the bank is asked to rejoin it
  (`timebank.services.request_to_rejoin`: the same membership and history, approved by a broker) and the
  offer waits in the same way. A suspended member gets no offer: the help offer is kept, the bank's
  brokers get a note to get in touch (`timebank.trust.note_for_brokers`), and once the member is active
  again the waiting offer can be posted. The offer's category is theirs to choose, by default
  the one whose name shares most words with the service and their words (`suggest_category`);
- **lab** – taking part in a design lab about the service: an open or invitation-only lab of the
  service's organisation (or one it is part of) that is gathering views (`labs_for`). The invitation
  is made through `design.services.invite`; it is what lets a person take part in an invitation-only
  lab. The platform makes it (the complainant's acceptance is the authority, checked here).

Staff record an acceptance for someone who phoned (`on_behalf=True`, audited as on behalf of them,
with the channel). Bad input changes nothing: everything runs in one transaction.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from coproduce.core import audit
from coproduce.core.audit import Channel
from coproduce.core.permissions import person_of, require
from coproduce.design import services as design_services
from coproduce.design.models import Invitation, Lab
from coproduce.timebank import placement, postings, trust
from coproduce.timebank import services as timebank_services
from coproduce.timebank.models import Category, Timebank, TimebankMember

from .models import Complaint, HelpOffer, Service


def _channel(channel: str) -> str:
    if channel not in Channel.ALL:
        raise ValidationError({"channel": [_("Unknown channel.")]})
    return channel


def help_stage_open(complaint: Complaint) -> str | None:
    """Which invitation to help is open now, if any (none once the report was referred elsewhere)."""
    if complaint.status in (Complaint.Status.RESOLVED, Complaint.Status.CLOSED):
        return HelpOffer.Stage.RESOLUTION
    if complaint.status != Complaint.Status.REFERRED:
        return HelpOffer.Stage.SUBMISSION
    return None


# --- where the help can go ---------------------------------------------------------------------


def banks_to_choose():
    return Timebank.objects.filter(organisation__is_active=True).select_related("organisation").order_by("name", "id")


def default_bank(service: Service, person) -> Timebank | None:
    """The bank of the service's organisation or the nearest one it is part of; else the person's
    only bank; else None (they choose)."""
    near = placement.nearest(service.organisation,
                             banks_to_choose().filter(organisation_id__in=service.organisation.lineage_ids()))
    if near is not None:
        return near
    if person is not None:
        theirs = list(banks_to_choose().filter(
            members__person=person,
            members__status__in=[TimebankMember.Status.ACTIVE, TimebankMember.Status.REQUESTED]).distinct()[:2])
        if len(theirs) == 1:
            return theirs[0]
    return None


def labs_for(service: Service):
    """Design labs about the service: open or by invitation, of its organisation (or one it is part
    of), gathering views."""
    return (Lab.objects.filter(organisation_id__in=service.organisation.lineage_ids(), stage=Lab.Stage.GATHER,
                               participation__in=[Lab.Participation.OPEN, Lab.Participation.INVITATION])
            .order_by("-created_at", "-id"))


def suggest_category(bank: Timebank, service: Service, how: str = "") -> Category | None:
    """The bank's category whose name shares most words (4+ letters) with the service's name, group,
    keywords and the person's words; the first of the bank's list when none share a word."""
    return placement.suggest_category(bank, " ".join([service.name, service.group, service.keywords, how]))


def offer_description(service: Service, how: str) -> str:
    how = (how or "").strip()
    if how:
        return _("To help improve %(service)s: %(how)s") % {"service": service.name, "how": how}
    return _("Time to help improve %(service)s.") % {"service": service.name}


# --- accepting ---------------------------------------------------------------------------------


def _pick(model, value, field: str, allowed, message: str):
    if value is None or value == "":
        return None
    if not isinstance(value, model):
        try:
            value = model.objects.filter(pk=int(value)).first()
        except (TypeError, ValueError):
            value = None
    if value is None or not allowed.filter(pk=value.pk).exists():
        raise ValidationError({field: [message]})
    return value


def _timebank_route(actor, complaint, person, offer, *, timebank, category, accept_agreement, on_behalf, channel):
    bank = _pick(Timebank, timebank, "timebank", banks_to_choose(), _("Unknown timebank."))
    bank = bank or default_bank(complaint.service, person)
    if bank is None:
        raise ValidationError({"timebank": [_("Choose a timebank.")]})
    if category not in (None, ""):
        category = _pick(Category, category, "category", Category.objects.for_bank(bank),
                         _("Choose a category from the bank's list."))
    category = category or suggest_category(bank, complaint.service, offer.how)
    member = TimebankMember.objects.filter(timebank=bank, person=person).first()
    if member is not None and member.status == TimebankMember.Status.SUSPENDED:
        offer.timebank_member, offer.timebank_category = member, category
        return  # no offer while suspended: `offer_help` leaves the brokers a note to get in touch
    if member is not None and member.status == TimebankMember.Status.LEFT:
        if on_behalf and not timebank_services.may_ask_to_rejoin_for(actor, member):
            raise ValidationError({"timebank": [_(
                "%(person)s left %(bank)s: only its brokers, or staff who support them, can ask for them "
                "to rejoin.") % {"person": person.name, "bank": bank.name}]})
        member = timebank_services.request_to_rejoin(actor, member, accept_agreement=accept_agreement,
                                                     channel=channel)
    elif member is None:
        if not on_behalf:
            member = timebank_services.request_to_join(actor, bank, accept_agreement=accept_agreement, channel=channel)
        elif actor.has_perm("timebank.manage_timebank", bank):
            member = timebank_services.register_member(actor, bank, person=person,
                                                       agreement_accepted=accept_agreement, channel=channel)
        else:
            raise ValidationError({"timebank": [_(
                "%(person)s is not a member of %(bank)s: only its brokers can register them.")
                % {"person": person.name, "bank": bank.name}]})
    offer.timebank_member, offer.timebank_category = member, category
    if member.status == TimebankMember.Status.ACTIVE:
        if not actor.has_perm("timebank.add_posting", member):
            raise ValidationError({"timebank": [_(
                "Only the brokers of %(bank)s can post an offer for a member.") % {"bank": bank.name}]})
        offer.timebank_offer = postings.create_offer(
            actor, member, category=category, description=offer_description(complaint.service, offer.how),
            channel=channel)


def _lab_route(actor, complaint, person, offer, *, lab):
    labs = labs_for(complaint.service)
    lab = _pick(Lab, lab, "lab", labs, _("Choose one of the service's design labs."))
    if lab is None:
        found = list(labs[:2])
        if len(found) != 1:
            raise ValidationError({"lab": [_("Choose one of the service's design labs.") if found else
                                           _("This service has no design lab taking part at the moment.")]})
        lab = found[0]
    if person.erased_at is not None:
        raise ValidationError({"person": [_("Unknown person.")]})
    invitation = Invitation.objects.filter(lab=lab, person=person).first()
    if invitation is None:
        invitation = design_services.invite(None, lab, person, channel=offer.channel)
    offer.lab_invitation = invitation


def _note_for_brokers(offer: HelpOffer) -> None:
    """A suspended member offered to help: no offer is posted (their brokers decide whether and how they
    take part again), and the brokers are left a note to get in touch. Nothing about the suspension is
    shown to the service's staff; the complainant is told a broker will be in touch."""
    complaint = offer.complaint
    trust.note_for_brokers(offer.timebank_member, _(
        "%(person)s offered to help with a report about %(service)s (report %(ref)s) while their membership "
        "is suspended, so no offer was posted. Please get in touch with them about it; once they are active "
        "again, the offer can be posted from the report's page.") % {
        "person": offer.person.name, "service": complaint.service.name, "ref": complaint.pk}, channel=offer.channel)


@transaction.atomic
def offer_help(actor, complaint: Complaint, *, route: str = HelpOffer.Route.CONTACT, how: str = "",
               timebank=None, category=None, accept_agreement: bool = False, lab=None, on_behalf: bool = False,
               channel=Channel.WEB) -> HelpOffer:
    """The complainant accepts the invitation to help, choosing how (see the module's docstring); staff
    may record it for someone who phoned (`on_behalf=True`)."""
    require(actor, "assessment.record_help_offer" if on_behalf else "assessment.offer_help", complaint)
    channel = _channel(channel)
    complaint = (Complaint.objects.select_for_update(of=("self",)).select_related("person", "service__organisation")
                 .get(pk=complaint.pk))
    person = complaint.person
    me = person_of(actor)
    if not on_behalf and (me is None or person is None or me.pk != person.pk):
        raise PermissionDenied("assessment.offer_help")  # even administrators accept only for themselves
    if person is None:
        raise ValidationError({"person": [_("We need to know who is offering: the report has no person.")]})
    if route not in HelpOffer.Route.values:
        raise ValidationError({"route": [_("Choose how you would like to help.")]})
    stage = help_stage_open(complaint)
    if stage is None:
        raise ValidationError({"stage": [_("This report was referred elsewhere.")]})
    if HelpOffer.objects.filter(complaint=complaint, stage=stage).exists():
        raise ValidationError({"stage": [_("You have already offered to help with this.")]})
    how = (how or "").strip()
    if len(how) > 2000:
        raise ValidationError({"how": [_("Please keep it under %(n)s characters.") % {"n": 2000}]})
    offer = HelpOffer(complaint=complaint, person=person, stage=stage, how=how, route=route, channel=channel)
    if route == HelpOffer.Route.TIMEBANK:
        _timebank_route(actor, complaint, person, offer, timebank=timebank, category=category,
                        accept_agreement=accept_agreement, on_behalf=on_behalf, channel=channel)
    elif route == HelpOffer.Route.LAB:
        _lab_route(actor, complaint, person, offer, lab=lab)
    offer.save()
    if offer.timebank_member is not None and offer.timebank_member.status == TimebankMember.Status.SUSPENDED:
        _note_for_brokers(offer)
    audit.record(actor, "helpoffer.create", offer, organisation=complaint.service.organisation,
                 on_behalf_of=person if on_behalf else None, channel=channel,
                 details={"stage": stage, "complaint": complaint.pk, "route": route,
                          "timebank_offer": offer.timebank_offer_id, "timebank_member": offer.timebank_member_id,
                          "lab_invitation": offer.lab_invitation_id})
    return offer


@transaction.atomic
def post_pending_offer(actor, offer: HelpOffer, *, channel=Channel.WEB) -> HelpOffer:
    """Once a broker has approved the person's request to join, post the offer of time they made
    (by the person themselves, or a broker of the bank who works for the service)."""
    if not (actor.has_perm("assessment.offer_help", offer.complaint)
            or actor.has_perm("assessment.record_help_offer", offer.complaint)):
        raise PermissionDenied("assessment.offer_help")
    offer = HelpOffer.objects.select_for_update(of=("self",)).select_related(
        "complaint__service__organisation", "timebank_member__timebank__organisation", "timebank_category").get(
        pk=offer.pk)
    member = offer.timebank_member
    if offer.route != HelpOffer.Route.TIMEBANK or member is None or offer.timebank_offer_id is not None:
        raise ValidationError({"timebank": [_("There is no offer of time waiting to be posted.")]})
    if member.status == TimebankMember.Status.SUSPENDED:
        raise ValidationError({"timebank": [_("The membership of %(bank)s is suspended.") % {"bank": member.timebank.name}]})
    if member.status != TimebankMember.Status.ACTIVE:
        raise ValidationError({"timebank": [_("The request to join %(bank)s has not been approved yet.")
                                            % {"bank": member.timebank.name}]})
    category = offer.timebank_category or suggest_category(member.timebank, offer.complaint.service, offer.how)
    offer.timebank_offer = postings.create_offer(
        actor, member, category=category, description=offer_description(offer.complaint.service, offer.how),
        channel=_channel(channel))
    offer.save(update_fields=["timebank_offer"])
    audit.record(actor, "helpoffer.post_offer", offer, organisation=offer.complaint.service.organisation,
                 channel=channel, details={"timebank_offer": offer.timebank_offer_id})
    return offer


def may_post_pending_offer(user, offer: HelpOffer) -> bool:
    member = offer.timebank_member
    return (offer.route == HelpOffer.Route.TIMEBANK and member is not None and offer.timebank_offer_id is None
            and member.status == TimebankMember.Status.ACTIVE and user.has_perm("timebank.add_posting", member)
            and (user.has_perm("assessment.offer_help", offer.complaint)
                 or user.has_perm("assessment.record_help_offer", offer.complaint)))


def accepting_choices(complaint: Complaint) -> dict:
    """What the form offers: the banks (with the default one), the labs about the service."""
    return {
        "banks": list(banks_to_choose()),
        "default_bank": default_bank(complaint.service, complaint.person),
        "labs": list(labs_for(complaint.service)[:20]),
    }

