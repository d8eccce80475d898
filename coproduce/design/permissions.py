"""Who may do what in co-design: small named predicates, registered with django-rules.

- A lab is run by the staff of its organisation (any working role there, or in an organisation it is
  part of): they set it up, add seed statements, enter paper votes, record feedback, work on themes,
  write insights and decisions, import and export conversations. Platform administrators may too.
- Statements are moderated by the lab's moderators and staff (moderators hold a working role).
- Anyone may read a lab, its conversations' statements, the opinion map and the public trail from
  feedback to decisions. Feedback items and themes stay with staff (they may hold personal stories).
- Taking part (voting, writing statements, answering questions) needs, for labs open to everyone, a login – or nothing at all where the
  conversation allows anonymous participation; for labs by invitation, an invitation; for labs for
  members, a role in the organisation named (or the lab's own). Lab staff may always take part.
  The services also refuse votes while the conversation is closed or the lab has stopped gathering.
"""

import rules

from coproduce.core.models import STAFF_ROLES, Role
from coproduce.core.permissions import is_platform_admin, person_of, roles_in, works_anywhere

from .models import Conversation, Lab


def lab_of(obj) -> Lab | None:
    if obj is None:
        return None
    if isinstance(obj, Lab):
        return obj
    if isinstance(obj, Conversation):
        return obj.lab
    return getattr(obj, "lab", None)


def conversation_of(obj) -> Conversation | None:
    if isinstance(obj, Conversation):
        return obj
    return getattr(obj, "conversation", None)


@rules.predicate
def runs_lab(user, obj) -> bool:
    lab = lab_of(obj)
    return lab is not None and bool(roles_in(user, lab.organisation) & STAFF_ROLES)


@rules.predicate
def moderates_lab(user, obj) -> bool:
    """Moderators and staff of the lab's organisation (a moderator holds a working role)."""
    lab = lab_of(obj)
    return lab is not None and bool(roles_in(user, lab.organisation) & (STAFF_ROLES | {Role.MODERATOR}))


@rules.predicate
def works_for_organisation(user, organisation) -> bool:
    return organisation is not None and bool(roles_in(user, organisation) & STAFF_ROLES)


def eligible_for_lab(user, lab: Lab) -> bool:
    """Does a logged-in user meet the lab's participation rule (open, by invitation, for members)?"""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if lab.participation == Lab.Participation.OPEN:
        return True
    if lab.participation == Lab.Participation.MEMBERS:
        return bool(roles_in(user, lab.participants_organisation))
    me = person_of(user)
    return me is not None and lab.invitations.filter(person=me).exists()


@rules.predicate
def is_eligible_participant(user, conversation) -> bool:
    """May this user (or anonymous visitor) take part in the conversation, by the lab's rule?"""
    conversation = conversation_of(conversation)
    if conversation is None:
        return False
    if not getattr(user, "is_authenticated", False):
        return conversation.anonymous_allowed and conversation.lab.participation == Lab.Participation.OPEN
    return eligible_for_lab(user, conversation.lab)


@rules.predicate
def may_give_feedback(user, lab) -> bool:
    lab = lab_of(lab)
    return lab is not None and eligible_for_lab(user, lab)


rules.add_perm("design.view_lab", rules.always_allow)
rules.add_perm("design.add_lab", works_for_organisation | is_platform_admin)  # obj: the organisation
rules.add_perm("design.start_lab", works_anywhere | is_platform_admin)  # may open the "new lab" page
rules.add_perm("design.manage_lab", runs_lab | is_platform_admin)
rules.add_perm("design.moderate", moderates_lab | is_platform_admin)
rules.add_perm("design.view_feedback", runs_lab | is_platform_admin)
rules.add_perm("design.give_feedback", may_give_feedback | runs_lab | is_platform_admin)
rules.add_perm("design.export_conversation", runs_lab | is_platform_admin)
# Whether the conversation takes votes right now (open, lab gathering) is checked by the services,
# which say so clearly, rather than refusing as if the person were not allowed.
rules.add_perm("design.participate", is_eligible_participant | runs_lab | is_platform_admin)
