"""Who may do what with outcomes: small named predicates, registered with django-rules.

- A **draft** framework (and everything in it: goals, outcomes, indicators, readings, initiatives)
  is private to the staff of its organisation (and of the organisations it is part of); a
  **published** one is public.
- Staff of the organisation change frameworks, record readings, run initiatives, self-assessments
  and social value reports, and award badges; publishing a framework takes an administrator or a
  commissioner. The owner of an indicator may record its readings.
- Self-assessments and social value reports are for the organisation's staff.
- A badge award is seen by the person, the issuing organisation's staff and – only with the
  person's consent – everyone. The person (or staff, for an assisted member) changes that consent.

Objects: frameworks, indicators, initiatives are passed as the object; organisation-level
permissions take the organisation.
"""

import rules

from coproduce.core.models import Role
from coproduce.core.permissions import (
    administers,
    is_platform_admin,
    is_self,
    person_of,
    roles_in,
    works_for,
    works_for_persons_organisation,
)


def _framework(obj):
    """The framework behind a framework, goal, outcome, indicator or initiative."""
    if obj is None:
        return None
    if hasattr(obj, "framework"):
        return obj.framework
    if hasattr(obj, "outcome"):  # an initiative
        return obj.outcome.framework
    return obj


def _owner(obj):
    """The organisation that owns the object (an organisation owns itself)."""
    if obj is None or hasattr(obj, "lineage_ids"):
        return obj
    if hasattr(obj, "organisation"):
        return obj.organisation
    return _owner(_framework(obj))


@rules.predicate
def is_published(user, obj) -> bool:
    framework = _framework(obj)
    return framework is not None and framework.status == "published"


@rules.predicate
def works_for_owner(user, obj) -> bool:
    """Staff of the organisation owning the framework / initiative / report / badge."""
    return bool(works_for(user, _owner(obj)))


@rules.predicate
def publishes_for_owner(user, obj) -> bool:
    roles = roles_in(user, _owner(obj))
    return bool(roles & {Role.ADMIN, Role.COMMISSIONER})


@rules.predicate
def owns_indicator(user, indicator) -> bool:
    me = person_of(user)
    return me is not None and indicator is not None and getattr(indicator, "owner_id", None) == me.pk


@rules.predicate
def is_award_holder(user, award) -> bool:
    return award is not None and is_self(user, award.person)


@rules.predicate
def works_for_issuer(user, award) -> bool:
    return award is not None and bool(works_for(user, award.badge.organisation))


@rules.predicate
def award_is_public(user, award) -> bool:
    return award is not None and award.show_on_profile and award.revoked_at is None


@rules.predicate
def holder_is_assisted(user, award) -> bool:
    return award is not None and award.person.is_assisted


@rules.predicate
def works_for_holder(user, award) -> bool:
    return award is not None and works_for_persons_organisation(user, award.person)


staff = works_for_owner | is_platform_admin

rules.add_perm("outcomes.view_framework", is_published | staff)
rules.add_perm("outcomes.add_framework", works_for | is_platform_admin)  # obj: organisation
rules.add_perm("outcomes.change_framework", staff)
rules.add_perm("outcomes.publish_framework", publishes_for_owner | is_platform_admin)
rules.add_perm("outcomes.record_reading", staff | owns_indicator)  # obj: indicator
# Exact small counts of people (below the open-data threshold): obj: framework or indicator.
rules.add_perm("outcomes.view_exact_counts", staff)

rules.add_perm("outcomes.view_initiative", is_published | staff)
rules.add_perm("outcomes.add_initiative", works_for | is_platform_admin)  # obj: organisation
rules.add_perm("outcomes.change_initiative", staff)

# Organisation-level (obj: organisation).
rules.add_perm("outcomes.manage_self_assessment", works_for | is_platform_admin)
rules.add_perm("outcomes.manage_social_value", works_for | is_platform_admin)
rules.add_perm("outcomes.manage_badges", works_for | is_platform_admin)
rules.add_perm("outcomes.administer", administers | is_platform_admin)

# Badge awards (obj: award).
rules.add_perm("outcomes.view_award", is_award_holder | works_for_issuer | award_is_public | is_platform_admin)
rules.add_perm("outcomes.change_award_consent",
               is_award_holder | (holder_is_assisted & works_for_holder) | is_platform_admin)
rules.add_perm("outcomes.revoke_award", works_for_issuer | is_platform_admin)
