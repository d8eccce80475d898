"""Who may do what in the core: small named predicates, registered with django-rules.

Views, the API and the CLI all ask the same question: `user.has_perm("core.<name>", obj)`, or
`require(user, "core.<name>", obj)` which raises PermissionDenied. Roles held in an organisation also
apply to the organisations that are part of it. Platform administrators are superusers.
"""

import rules
from django.core.exceptions import PermissionDenied

from .models import STAFF_ROLES, Membership, Organisation, Person, Role


def person_of(user) -> Person | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_coproduce_person", False)
    if cached is False:
        cached = Person.objects.filter(user=user, erased_at__isnull=True).first()
        user._coproduce_person = cached
    return cached


def roles_by_organisation(user) -> dict[int, set[str]]:
    """{organisation id: roles held there}, loaded once per user object (i.e. per request)."""
    cached = getattr(user, "_coproduce_roles", None)
    if cached is None:
        cached = {}
        person = person_of(user)
        if person is not None:
            for org_id, role in Membership.objects.filter(person=person).values_list("organisation_id", "role"):
                cached.setdefault(org_id, set()).add(role)
        user._coproduce_roles = cached
    return cached


def roles_in(user, organisation: Organisation | None) -> set[str]:
    """Roles the user holds in this organisation or any organisation it is part of."""
    if organisation is None:
        return set()
    held = roles_by_organisation(user)
    if not held:
        return set()
    roles: set[str] = set()
    for org_id in organisation.lineage_ids():
        roles |= held.get(org_id, set())
    return roles


def forget_roles(user) -> None:
    for attr in ("_coproduce_roles", "_coproduce_person"):
        if hasattr(user, attr):
            delattr(user, attr)


def require(user, perm: str, obj=None) -> None:
    if user is None or not user.has_perm(perm, obj):
        raise PermissionDenied(perm)


def organisations_where(user, roles) -> set[int]:
    """Ids of organisations (including the ones part of them) where the user holds one of `roles`."""
    held = roles_by_organisation(user)
    direct = {org_id for org_id, have in held.items() if have & set(roles)}
    if not direct:
        return set()
    result, frontier = set(direct), set(direct)
    while frontier:
        frontier = set(Organisation.objects.filter(parent_id__in=frontier).values_list("id", flat=True)) - result
        result |= frontier
    return result


def staffed_organisations(user):
    """The active organisations `user` works for as staff (every active one for a platform administrator):
    the organisations they may create things for."""
    if user.is_superuser:
        return Organisation.objects.filter(is_active=True)
    return Organisation.objects.filter(pk__in=organisations_where(user, STAFF_ROLES), is_active=True)


# --- predicates --------------------------------------------------------------------------------

is_platform_admin = rules.is_superuser & rules.is_active


@rules.predicate
def works_for(user, organisation) -> bool:
    return bool(roles_in(user, organisation) & STAFF_ROLES)


@rules.predicate
def administers(user, organisation) -> bool:
    return Role.ADMIN in roles_in(user, organisation)


@rules.predicate
def works_anywhere(user) -> bool:
    return any(roles & STAFF_ROLES for roles in roles_by_organisation(user).values())


@rules.predicate
def administers_anywhere(user) -> bool:
    return any(Role.ADMIN in roles for roles in roles_by_organisation(user).values())


@rules.predicate
def is_self(user, person) -> bool:
    me = person_of(user)
    return me is not None and person is not None and me.pk == person.pk


def _person_org_ids(person) -> set[int]:
    return set(person.memberships.values_list("organisation_id", flat=True))


@rules.predicate
def works_for_persons_organisation(user, person) -> bool:
    if person is None:
        return False
    return bool(_person_org_ids(person) & organisations_where(user, STAFF_ROLES))


@rules.predicate
def administers_persons_organisation(user, person) -> bool:
    if person is None:
        return False
    return bool(_person_org_ids(person) & organisations_where(user, {Role.ADMIN}))


@rules.predicate
def is_assisted(user, person) -> bool:
    return person is not None and person.is_assisted


@rules.predicate
def is_active_organisation(user, organisation) -> bool:
    return organisation is not None and organisation.is_active


# --- permissions -------------------------------------------------------------------------------

rules.add_perm("core.view_organisation", is_active_organisation | works_for | is_platform_admin)
rules.add_perm("core.change_organisation", administers | is_platform_admin)
rules.add_perm("core.add_organisation", is_platform_admin)
rules.add_perm("core.view_members", works_for | is_platform_admin)
# Staff may enrol people as members; only administrators grant working roles.
rules.add_perm("core.add_member", works_for | is_platform_admin)
rules.add_perm("core.grant_role", administers | is_platform_admin)
rules.add_perm("core.register_person", works_for | is_platform_admin)

rules.add_perm("core.view_person", is_self | works_for_persons_organisation | is_platform_admin)
rules.add_perm(
    "core.change_person",
    is_self | (is_assisted & works_for_persons_organisation) | administers_persons_organisation | is_platform_admin,
)
rules.add_perm("core.act_for_person", works_for_persons_organisation | is_platform_admin)
rules.add_perm("core.export_person", is_self | administers_persons_organisation | is_platform_admin)
rules.add_perm(
    "core.erase_person",
    is_self | (is_assisted & administers_persons_organisation) | is_platform_admin,
)
rules.add_perm("core.view_people", works_anywhere | is_platform_admin)
rules.add_perm("core.view_topic_followers", works_anywhere | is_platform_admin)
rules.add_perm("core.manage_areas", is_platform_admin)
rules.add_perm("core.manage_topics", is_platform_admin | administers_anywhere)
rules.add_perm("core.view_audit", is_platform_admin | administers_anywhere)
rules.add_perm("core.use_api", rules.is_active)
