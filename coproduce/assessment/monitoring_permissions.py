"""Who may do what in monitoring campaigns (registered with django-rules, imported by `permissions`).

The organisation running a campaign (its working staff) builds it and coordinates it; enrolled
coordinators coordinate it too (add volunteers, enter paper sheets, correct observations, credit hours,
see who recorded what). Enrolled volunteers record observations while it is open and correct their own.
Everyone sees a campaign once it is open: its purpose, method and aggregates, never who recorded what.
"""

import rules

from coproduce.core.permissions import is_platform_admin, person_of, works_for

from .monitoring_models import Campaign, Observation, Volunteer


def _campaign_of(obj) -> Campaign | None:
    if isinstance(obj, Campaign):
        return obj
    if isinstance(obj, Observation):
        return obj.campaign
    return None


def enrolment(user, campaign: Campaign | None) -> Volunteer | None:
    """The user's enrolment in the campaign (cached on the user object for the request)."""
    me = person_of(user)
    if me is None or campaign is None:
        return None
    cache = user.__dict__.setdefault("_coproduce_campaign_enrolments", {})
    if campaign.pk not in cache:
        cache[campaign.pk] = Volunteer.objects.filter(campaign=campaign, person=me).first()
    return cache[campaign.pk]


def forget_enrolments(user) -> None:
    if user is not None:
        user.__dict__.pop("_coproduce_campaign_enrolments", None)


@rules.predicate
def runs_campaign(user, obj) -> bool:
    campaign = _campaign_of(obj)
    return campaign is not None and works_for(user, campaign.organisation)


@rules.predicate
def coordinates_campaign(user, obj) -> bool:
    mine = enrolment(user, _campaign_of(obj))
    return mine is not None and mine.role == Volunteer.Role.COORDINATOR


@rules.predicate
def is_enrolled(user, obj) -> bool:
    return enrolment(user, _campaign_of(obj)) is not None


@rules.predicate
def campaign_is_live(user, obj) -> bool:
    campaign = _campaign_of(obj)
    return campaign is not None and campaign.status != Campaign.Status.DRAFT


@rules.predicate
def campaign_is_open(user, obj) -> bool:
    campaign = _campaign_of(obj)
    return campaign is not None and campaign.status == Campaign.Status.OPEN


@rules.predicate
def recorded_it(user, observation) -> bool:
    mine = enrolment(user, _campaign_of(observation))
    return isinstance(observation, Observation) and mine is not None and observation.volunteer_id == mine.pk


@rules.predicate
def has_a_person(user) -> bool:
    return person_of(user) is not None


coordinates = runs_campaign | coordinates_campaign | is_platform_admin

rules.add_perm("assessment.add_campaign", works_for | is_platform_admin)  # obj: the organisation
rules.add_perm("assessment.view_campaign", campaign_is_live | runs_campaign | is_enrolled | is_platform_admin)
rules.add_perm("assessment.change_campaign", runs_campaign | is_platform_admin)
rules.add_perm("assessment.coordinate_campaign", coordinates)
rules.add_perm("assessment.join_campaign", campaign_is_open & rules.is_authenticated & has_a_person & ~is_enrolled)
rules.add_perm("assessment.record_observation", campaign_is_open & is_enrolled)
rules.add_perm("assessment.change_observation", coordinates | (campaign_is_open & recorded_it))
