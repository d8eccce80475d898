"""Who may do what in a timebank: small named predicates, registered with django-rules.

- A bank is *managed* by its brokers and coordinators: role `broker` or `admin` in the bank's
  organisation (or an organisation it is part of, see `core.permissions.roles_in`). They manage
  their own bank only: members, limits, exchanges recorded on someone's behalf, corrections.
- A bank's *settings* (limits, network, agreement) are changed by the administrators of its
  organisation.
- A bank is created by a platform administrator, or by an administrator of the organisation the
  bank belongs to.
- A member sees their own account and the transfers on it, and pays from their own account; members
  never see other members' accounts or transfers.
- Anonymous visitors see nothing of the ledger.
"""

import rules

from coproduce.core.models import Role
from coproduce.core.permissions import administers, is_platform_admin, person_of, roles_in

MANAGING_ROLES = frozenset({Role.BROKER, Role.ADMIN})


def _organisation(obj):
    """The organisation of a bank, member, account or transfer."""
    from .models import Account, Timebank, TimebankMember, Transfer

    if isinstance(obj, Timebank):
        return obj.organisation
    if isinstance(obj, TimebankMember | Account | Transfer):
        return obj.timebank.organisation
    return obj


@rules.predicate
def manages_bank(user, obj) -> bool:
    """Broker or coordinator of the bank `obj` belongs to (a bank, member, account or transfer)."""
    if obj is None:
        return False
    return bool(roles_in(user, _organisation(obj)) & MANAGING_ROLES)


@rules.predicate
def administers_bank(user, timebank) -> bool:
    return timebank is not None and administers(user, timebank.organisation)


@rules.predicate
def is_the_member(user, member) -> bool:
    me = person_of(user)
    return me is not None and member is not None and member.person_id == me.pk


@rules.predicate
def holds_the_account(user, account) -> bool:
    me = person_of(user)
    return (
        me is not None and account is not None and account.member_id is not None
        and account.member.person_id == me.pk
    )


@rules.predicate
def is_party_to_transfer(user, transfer) -> bool:
    me = person_of(user)
    if me is None or transfer is None:
        return False
    from .models import TimebankMember

    return TimebankMember.objects.filter(
        person=me, account__in=[transfer.from_account_id, transfer.to_account_id]
    ).exists()


@rules.predicate
def has_a_person(user) -> bool:
    return person_of(user) is not None


@rules.predicate
def coordinates_network(user, network) -> bool:
    return network is not None and network.coordinator_id is not None and administers(user, network.coordinator)


rules.add_perm("timebank.add_network", is_platform_admin)
# The bank's administrators choose a network; the network's coordinator must be one of them too.
rules.add_perm("timebank.join_network", coordinates_network | is_platform_admin)
# `obj` is the organisation the new bank belongs to.
rules.add_perm("timebank.add_timebank", administers | is_platform_admin)
rules.add_perm("timebank.change_timebank", administers_bank | is_platform_admin)
rules.add_perm("timebank.manage_timebank", manages_bank | is_platform_admin)
rules.add_perm("timebank.view_ledger", manages_bank | is_platform_admin)
rules.add_perm("timebank.request_to_join", has_a_person)
rules.add_perm("timebank.view_member", is_the_member | manages_bank | is_platform_admin)
rules.add_perm("timebank.change_member", manages_bank | is_platform_admin)
rules.add_perm("timebank.accept_agreement", is_the_member | manages_bank | is_platform_admin)
# Paying from an account: the member themself, or a broker of their bank on their behalf.
rules.add_perm("timebank.pay_from", is_the_member | manages_bank | is_platform_admin)
rules.add_perm("timebank.view_account", holds_the_account | manages_bank | is_platform_admin)
rules.add_perm("timebank.view_transfer", is_party_to_transfer | manages_bank | is_platform_admin)
rules.add_perm("timebank.reverse_transfer", manages_bank | is_platform_admin)
# Reports name members (who only gives, who only receives): the bank's brokers and coordinators.
rules.add_perm("timebank.view_reports", manages_bank | is_platform_admin)
# Network-wide figures (aggregates only, nobody named): the network's coordinator.
rules.add_perm("timebank.view_network_reports", coordinates_network | is_platform_admin)
# Importing members and exporting members, offers and transfers (files hold personal data).
rules.add_perm("timebank.import_members", manages_bank | is_platform_admin)
rules.add_perm("timebank.export_data", manages_bank | is_platform_admin)

# --- co-delivery: availability, trust, offers, requests, exchanges -------------------------------
# References, safeguarding checks and broker notes (a member's "trust record") are seen and kept
# only by the brokers and coordinators of the member's own bank: never by the member, other members,
# staff of other organisations, or brokers of another bank of the same network.


def _bank_of(obj):
    """The bank of a member, offer, request, exchange or trust record (or a bank itself)."""
    from .models import Timebank

    if obj is None or isinstance(obj, Timebank):
        return obj
    if getattr(obj, "timebank_id", None) is not None:
        return obj.timebank
    member = getattr(obj, "member", None)
    return member.timebank if member is not None else None


@rules.predicate
def manages_bank_of(user, obj) -> bool:
    bank = _bank_of(obj)
    return bank is not None and bool(roles_in(user, bank.organisation) & MANAGING_ROLES)


@rules.predicate
def owns_posting(user, obj) -> bool:
    """The member an offer, request or availability record belongs to."""
    me = person_of(user)
    member = getattr(obj, "member", None)
    return me is not None and member is not None and member.person_id == me.pk


@rules.predicate
def takes_part_in(user, exchange) -> bool:
    me = person_of(user)
    if me is None or exchange is None:
        return False
    return any(part.member.person_id == me.pk for part in exchange.participants.all())


@rules.predicate
def is_active_member_of_bank(user, timebank) -> bool:
    me = person_of(user)
    if me is None or timebank is None:
        return False
    from .models import TimebankMember

    return TimebankMember.objects.filter(timebank=timebank, person=me, status=TimebankMember.Status.ACTIVE).exists()


rules.add_perm("timebank.view_trust", manages_bank_of | is_platform_admin)
rules.add_perm("timebank.change_trust", manages_bank_of | is_platform_admin)
# Availability and opt-outs: the member themself, or a broker of their bank (obj: the member).
rules.add_perm("timebank.change_availability", is_the_member | manages_bank_of | is_platform_admin)
# Offers and requests: created by the member (obj: the member) or by a broker on their behalf.
rules.add_perm("timebank.add_posting", is_the_member | manages_bank_of | is_platform_admin)
rules.add_perm("timebank.change_posting", owns_posting | manages_bank_of | is_platform_admin)
rules.add_perm("timebank.view_posting", owns_posting | manages_bank_of | is_platform_admin)
# Broker requirements on a request, matching by a broker, the requests queue and "why not X?".
rules.add_perm("timebank.broker", manages_bank_of | is_platform_admin)
# A member sees suggestions for their own requests (first name, neighbourhood and offer only).
rules.add_perm("timebank.view_suggestions", owns_posting | manages_bank_of | is_platform_admin)
# An open request of the bank can be taken on by any active member of the bank (obj: the bank).
rules.add_perm("timebank.offer_help", is_active_member_of_bank | manages_bank_of | is_platform_admin)
# An exchange: its participants act for themselves; the bank's brokers for anyone in it.
rules.add_perm("timebank.view_exchange", takes_part_in | manages_bank_of | is_platform_admin)
rules.add_perm("timebank.act_in_exchange", takes_part_in | manages_bank_of | is_platform_admin)
