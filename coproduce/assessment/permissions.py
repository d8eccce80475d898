"""Who may do what in co-assessment: small named predicates, registered with django-rules.

Staff of the organisation that runs a service (or of an organisation it is part of) manage its
directory entry, its complaints and reply to its ratings. Moderation of ratings belongs to moderators
and administrators, not to the staff being rated.
"""

import rules

from coproduce.core.models import Role
from coproduce.core.permissions import is_platform_admin, person_of, roles_in, works_for

from .models import Complaint, Rating, Service


def _service_of(obj) -> Service | None:
    if isinstance(obj, Service):
        return obj
    if isinstance(obj, (Complaint, Rating)):
        return obj.service
    return None


@rules.predicate
def works_for_service(user, obj) -> bool:
    service = _service_of(obj)
    return service is not None and works_for(user, service.organisation)


@rules.predicate
def moderates_service(user, obj) -> bool:
    service = _service_of(obj)
    return service is not None and bool(roles_in(user, service.organisation) & {Role.MODERATOR, Role.ADMIN})


@rules.predicate
def is_listed(user, service) -> bool:
    return service is not None and service.status != Service.Status.DEFUNCT and service.organisation.is_active


@rules.predicate
def is_open_for_reports(user, service) -> bool:
    return service is not None and service.status == Service.Status.ACTIVE


@rules.predicate
def has_person(user) -> bool:
    return person_of(user) is not None


@rules.predicate
def is_complainant(user, complaint) -> bool:
    me = person_of(user)
    return me is not None and complaint is not None and complaint.person_id == me.pk


@rules.predicate
def is_public_complaint(user, complaint) -> bool:
    return complaint is not None and complaint.is_public


@rules.predicate
def is_rater(user, rating) -> bool:
    me = person_of(user)
    return me is not None and rating is not None and rating.person_id == me.pk


@rules.predicate
def is_visible_rating(user, rating) -> bool:
    return rating is not None and rating.status == Rating.Status.VISIBLE


# --- permissions -------------------------------------------------------------------------------

# The directory.
rules.add_perm("assessment.view_service", is_listed | works_for_service | is_platform_admin)
rules.add_perm("assessment.add_service", works_for | is_platform_admin)  # obj: the organisation
rules.add_perm("assessment.change_service", works_for_service | is_platform_admin)
rules.add_perm("assessment.import_services", works_for | is_platform_admin)  # obj: the organisation
# Complaints and reports.
rules.add_perm("assessment.submit_complaint", rules.is_authenticated & has_person & is_open_for_reports)
rules.add_perm("assessment.file_on_behalf", works_for_service | is_platform_admin)
rules.add_perm(
    "assessment.view_complaint", is_public_complaint | is_complainant | works_for_service | is_platform_admin
)
rules.add_perm("assessment.view_private_updates", works_for_service | is_platform_admin)
rules.add_perm("assessment.manage_complaint", works_for_service | is_platform_admin)
rules.add_perm("assessment.view_complaint_queue", works_for_service | is_platform_admin)
rules.add_perm("assessment.offer_help", is_complainant)
rules.add_perm("assessment.record_help_offer", works_for_service | is_platform_admin)
# Ratings.
rules.add_perm("assessment.rate_service", rules.is_authenticated & has_person & is_open_for_reports)
rules.add_perm("assessment.view_rating", is_visible_rating | is_rater | moderates_service | is_platform_admin)
rules.add_perm("assessment.reply_rating", works_for_service | is_platform_admin)
rules.add_perm("assessment.report_rating", rules.is_authenticated & has_person & ~is_rater)
rules.add_perm("assessment.moderate_rating", moderates_service | is_platform_admin)
