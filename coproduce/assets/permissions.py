"""Who may do what on the asset map: small named predicates, registered with django-rules.

- A capability is the person's: they see, add and remove their own. Brokers and staff who *support*
  the person (a working role in an organisation the person belongs to, as `core.act_for_person`)
  see and record them on the person's behalf. A public capability is on the public asset map, shown
  by first name and neighbourhood only.
- Needs are recorded by the staff of a service (any working role, with core's rule that roles apply
  to the organisations that are part of it) for the people they support, or for the community.
  Staff see only their organisations' needs; the person a need is about sees it too.
- Matching suggestions are for brokers and staff only.
- The register of community assets is public once published; the staff of the owning organisation
  (or platform administrators) add and edit entries; anyone signed in may suggest one; moderators,
  the owning organisation's staff and platform administrators review suggestions.
"""

import rules

from coproduce.core.models import Role
from coproduce.core.permissions import (
    is_platform_admin,
    is_self,
    person_of,
    roles_by_organisation,
    works_anywhere,
    works_for,
    works_for_persons_organisation,
)


@rules.predicate
def has_a_person(user) -> bool:
    return person_of(user) is not None


@rules.predicate
def is_public_capability(user, capability) -> bool:
    return capability is not None and capability.visibility == "public"


@rules.predicate
def owns_capability(user, capability) -> bool:
    me = person_of(user)
    return me is not None and capability is not None and capability.person_id == me.pk


@rules.predicate
def supports_capability_person(user, capability) -> bool:
    return capability is not None and works_for_persons_organisation(user, capability.person)


@rules.predicate
def works_for_need_organisation(user, need) -> bool:
    return need is not None and works_for(user, need.organisation)


@rules.predicate
def is_need_subject(user, need) -> bool:
    me = person_of(user)
    return me is not None and need is not None and need.person_id is not None and need.person_id == me.pk


@rules.predicate
def is_published(user, asset) -> bool:
    return asset is not None and asset.status == "published"


@rules.predicate
def works_for_asset_owner(user, asset) -> bool:
    return asset is not None and asset.owner_id is not None and works_for(user, asset.owner)


@rules.predicate
def suggested_it(user, asset) -> bool:
    me = person_of(user)
    return me is not None and asset is not None and asset.suggested_by_id == me.pk


@rules.predicate
def moderates_anywhere(user) -> bool:
    return any(Role.MODERATOR in roles for roles in roles_by_organisation(user).values())


# Capabilities. `add_capability` takes the person the capability is for.
rules.add_perm("assets.add_capability", is_self | works_for_persons_organisation | is_platform_admin)
rules.add_perm(
    "assets.view_capability",
    is_public_capability | owns_capability | supports_capability_person | is_platform_admin,
)
rules.add_perm("assets.change_capability", owns_capability | supports_capability_person | is_platform_admin)
# Seeing the person behind a capability (full name, link to their page), not just a first name.
rules.add_perm("assets.identify_capability_person", owns_capability | supports_capability_person | is_platform_admin)

# Needs. `add_need` takes the organisation recording it.
rules.add_perm("assets.add_need", works_for | is_platform_admin)
rules.add_perm("assets.view_needs", works_anywhere | is_platform_admin)
rules.add_perm("assets.view_need", works_for_need_organisation | is_need_subject | is_platform_admin)
rules.add_perm("assets.change_need", works_for_need_organisation | is_platform_admin)

# Matching suggestions: brokers and staff only.
rules.add_perm("assets.view_suggestions", works_anywhere | is_platform_admin)
rules.add_perm("assets.suggest_for_need", works_for_need_organisation | is_platform_admin)
rules.add_perm("assets.suggest_for_capability", supports_capability_person | is_platform_admin)

# Community assets. `add_asset` takes the owning organisation.
rules.add_perm("assets.add_asset", works_for | is_platform_admin)
rules.add_perm("assets.add_any_asset", works_anywhere | is_platform_admin)
rules.add_perm(
    "assets.view_asset", is_published | works_for_asset_owner | suggested_it | moderates_anywhere | is_platform_admin
)
rules.add_perm("assets.change_asset", works_for_asset_owner | is_platform_admin)
rules.add_perm("assets.suggest_asset", has_a_person)
rules.add_perm("assets.moderate_assets", moderates_anywhere | works_anywhere | is_platform_admin)
rules.add_perm("assets.moderate_asset", moderates_anywhere | works_for_asset_owner | is_platform_admin)
