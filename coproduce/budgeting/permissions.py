"""Who may do what in co-commissioning. Objects are processes (or `None` for "anywhere").

- Anyone may see a published process, its proposals and (from the results phase) its results.
- People with a log-in propose, comment, support and pledge (phase rules are checked by services).
- Staff of the organisation (any working role, including in the organisations it is part of) enter
  proposals, pledges and ballots received on paper, by phone or in person, and moderate.
- The organisation's commissioners and administrators run the process: settings, phases, budgets,
  review, voting codes, the census list, counting and imports.
- Nobody, not even a platform administrator, can see how a person voted: there is no permission
  for it because the data does not link ballots to people.
"""

import rules

from coproduce.core.models import Role
from coproduce.core.permissions import is_platform_admin, roles_by_organisation, roles_in, works_for

COMMISSIONING_ROLES = frozenset({Role.COMMISSIONER, Role.ADMIN})


def _org(process):
    return getattr(process, "organisation", None)


@rules.predicate
def works_for_process(user, process) -> bool:
    return process is not None and works_for(user, _org(process))


@rules.predicate
def commissions(user, process) -> bool:
    return process is not None and bool(roles_in(user, _org(process)) & COMMISSIONING_ROLES)


@rules.predicate
def commissions_for(user, organisation) -> bool:
    return organisation is not None and bool(roles_in(user, organisation) & COMMISSIONING_ROLES)


@rules.predicate
def commissions_anywhere(user) -> bool:
    return any(roles & COMMISSIONING_ROLES for roles in roles_by_organisation(user).values())


@rules.predicate
def is_published(user, process) -> bool:
    return process is not None and process.is_published and process.organisation.is_active


@rules.predicate
def results_are_public(user, process) -> bool:
    return process is not None and process.results_are_public


can_run = commissions | is_platform_admin
can_staff = works_for_process | is_platform_admin

rules.add_perm("budgeting.view_process", is_published | can_staff)
rules.add_perm("budgeting.add_process", commissions_for | is_platform_admin)
rules.add_perm("budgeting.add_any_process", commissions_anywhere | is_platform_admin)
rules.add_perm("budgeting.change_process", can_run)
rules.add_perm("budgeting.review_proposal", can_run)
rules.add_perm("budgeting.manage_voting", can_run)  # codes, census list
rules.add_perm("budgeting.run_tally", can_run)
rules.add_perm("budgeting.manage_delivery", can_staff)
rules.add_perm("budgeting.act_on_behalf", can_staff)  # paper / phone / stall proposals, pledges, ballots
rules.add_perm("budgeting.import_proposals", can_run)
rules.add_perm("budgeting.moderate", can_staff)
rules.add_perm("budgeting.propose", is_published & rules.is_authenticated)
rules.add_perm("budgeting.take_part", is_published & rules.is_authenticated)  # comment, support, pledge
rules.add_perm("budgeting.vote", is_published)  # eligibility is checked when the ballot is cast
rules.add_perm("budgeting.view_results", (is_published & results_are_public) | can_staff)
rules.add_perm("budgeting.import_pabulib", commissions_for | is_platform_admin)
