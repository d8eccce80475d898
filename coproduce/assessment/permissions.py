"""Who may do what in co-assessment: small named predicates, registered with django-rules.

Staff of the organisation that runs a service (or of an organisation it is part of) manage its
directory entry, its complaints and reply to its ratings. Moderation of ratings belongs to moderators
and administrators, not to the staff being rated.
"""

import rules

from coproduce.core.models import Role
from coproduce.core.permissions import is_platform_admin, person_of, roles_in, works_for

from .models import Complaint, Finding, FindingPhoto, InspectionAction, Rating, Service, Survey, Visit


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


# --- surveys -----------------------------------------------------------------------------------
# Owners: the working staff of the organisation that runs the survey (for a community group, its
# members holding a working role). Plain members answer; they do not build.


@rules.predicate
def owns_survey(user, survey) -> bool:
    return isinstance(survey, Survey) and works_for(user, survey.organisation)


@rules.predicate
def survey_is_live(user, survey) -> bool:
    return isinstance(survey, Survey) and survey.status != Survey.Status.DRAFT


@rules.predicate
def survey_is_open(user, survey) -> bool:
    return isinstance(survey, Survey) and survey.status == Survey.Status.OPEN


@rules.predicate
def survey_is_anonymous(user, survey) -> bool:
    return isinstance(survey, Survey) and survey.is_anonymous


@rules.predicate
def lives_in_survey_area(user, survey) -> bool:
    """Identified surveys targeted at an area take answers from the people living in it."""
    if not isinstance(survey, Survey):
        return False
    if survey.area_id is None:
        return True
    me = person_of(user)
    return me is not None and me.home_area is not None and me.home_area.path.startswith(survey.area.path)


@rules.predicate
def survey_results_public(user, survey) -> bool:
    return isinstance(survey, Survey) and survey.status == Survey.Status.CLOSED and survey.results_published


rules.add_perm("assessment.add_survey", works_for | is_platform_admin)  # obj: the organisation
rules.add_perm("assessment.view_survey", survey_is_live | owns_survey | is_platform_admin)
rules.add_perm("assessment.change_survey", owns_survey | is_platform_admin)
rules.add_perm("assessment.answer_survey", survey_is_open & (
    survey_is_anonymous | (rules.is_authenticated & has_person & lives_in_survey_area)))
rules.add_perm("assessment.enter_paper_response", owns_survey | is_platform_admin)
rules.add_perm("assessment.view_survey_results", owns_survey | is_platform_admin | survey_results_public)
rules.add_perm("assessment.view_survey_identities", owns_survey | is_platform_admin)
rules.add_perm("assessment.view_survey_texts", owns_survey | is_platform_admin)


# --- citizen inspections and peer review --------------------------------------------------------
# The organisation running inspections (its staff) sets up templates, trains inspectors and schedules
# visits. The team records findings and publishes the report. The inspected service's staff see the
# published report and work on their actions. The public sees published reports only.


def _visit_of(obj) -> Visit | None:
    if isinstance(obj, Visit):
        return obj
    if isinstance(obj, Finding):
        return obj.visit
    if isinstance(obj, FindingPhoto):
        return obj.finding.visit
    if isinstance(obj, InspectionAction):
        return obj.visit
    return None


@rules.predicate
def runs_inspections(user, obj) -> bool:
    visit = _visit_of(obj)
    organisation = visit.organisation if visit is not None else getattr(obj, "organisation", None)
    return organisation is not None and works_for(user, organisation)


@rules.predicate
def on_visit_team(user, obj) -> bool:
    visit = _visit_of(obj)
    me = person_of(user)
    if visit is None or me is None:
        return False
    cache = getattr(user, "_coproduce_visit_teams", None)
    if cache is None:
        cache = user._coproduce_visit_teams = {}
    if visit.pk not in cache:
        cache[visit.pk] = visit.team.filter(pk=me.pk).exists()
    return cache[visit.pk]


@rules.predicate
def visit_published(user, obj) -> bool:
    visit = _visit_of(obj)
    return visit is not None and visit.status == Visit.Status.PUBLISHED


@rules.predicate
def visit_in_draft(user, obj) -> bool:
    visit = _visit_of(obj)
    return visit is not None and visit.status == Visit.Status.SCHEDULED


@rules.predicate
def works_for_inspected_service(user, obj) -> bool:
    visit = _visit_of(obj)
    return visit is not None and works_for(user, visit.service.organisation)


rules.add_perm("assessment.manage_inspections", works_for | is_platform_admin)  # obj: the organisation
rules.add_perm("assessment.view_visit", visit_published | on_visit_team | runs_inspections | is_platform_admin)
rules.add_perm("assessment.view_visit_draft", on_visit_team | runs_inspections | is_platform_admin)
rules.add_perm("assessment.record_findings", visit_in_draft & (on_visit_team | runs_inspections | is_platform_admin))
rules.add_perm("assessment.publish_report", visit_in_draft & (on_visit_team | runs_inspections | is_platform_admin))
rules.add_perm("assessment.manage_visit", runs_inspections | is_platform_admin)
rules.add_perm("assessment.add_action", on_visit_team | runs_inspections | is_platform_admin)
rules.add_perm("assessment.view_action", (visit_published & works_for_inspected_service) | on_visit_team
               | runs_inspections | is_platform_admin)
rules.add_perm("assessment.complete_action", visit_published & (works_for_inspected_service | is_platform_admin))
rules.add_perm("assessment.close_action", on_visit_team | runs_inspections | is_platform_admin)
rules.add_perm("assessment.view_photo", visit_published | on_visit_team | runs_inspections | is_platform_admin)
rules.add_perm("assessment.view_service_actions", works_for_service | is_platform_admin)


# --- monitoring campaigns ----------------------------------------------------------------------

from . import monitoring_permissions  # noqa: E402,F401  (registers the campaign permissions)
