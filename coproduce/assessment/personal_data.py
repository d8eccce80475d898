"""What co-assessment holds about a person, and how it is erased.

Erasure removes the contact details from complaints (which stay, anonymous, so response-time figures
stay right), unlinks help offers (and blanks their words; the timebank offer or lab invitation they led to is
erased by the timebank and design apps), and unlinks ratings: the ratings keep counting in the summaries but
their comments are removed. Identified survey responses are unlinked and their free-text answers
blanked (the other answers keep counting in the results; the survey's cached results are recomputed). Inspectors' training records are deleted and
they leave their visit teams (findings and reports stay, as the team's work). Monitoring observations
stay for the campaigns' aggregates, with the volunteer's identity removed (the enrolment is unlinked from
the person) and their free-text notes and text values blanked.
"""

from django.db.models import F

from .models import (
    Campaign,
    Complaint,
    HelpOffer,
    InspectorTraining,
    Measure,
    Observation,
    ObservationValue,
    Rating,
    RatingReport,
    Survey,
    SurveyAnswer,
    SurveyResponse,
    Visit,
    Volunteer,
)


def export(person) -> dict:
    return {
        "complaints": [
            {"service": c.service.name, "kind": c.kind, "description": c.description, "status": c.status,
             "address": c.address_string, "email": c.email, "phone": c.phone,
             "name": f"{c.first_name} {c.last_name}".strip(), "requested": c.requested_at.isoformat()}
            for c in Complaint.objects.filter(person=person).select_related("service").order_by("pk")
        ],
        "help_offers": [
            {"complaint": o.complaint_id, "stage": o.stage, "how": o.how, "follow_up": o.follow_up,
             "offered": o.created_at.isoformat(), "route": o.route, "channel": o.channel,
             "timebank": o.timebank_member.timebank.name if o.timebank_member_id else None,
             "timebank_offer": o.timebank_offer_id,
             "timebank_membership": o.timebank_member.status if o.timebank_member_id else None,
             "design_lab": o.lab_invitation.lab.title if o.lab_invitation_id else None}
            for o in HelpOffer.objects.filter(person=person).select_related(
                "timebank_member__timebank", "lab_invitation__lab").order_by("pk")
        ],
        "ratings": [
            {"service": r.service.name, "overall": r.overall, "dimensions": r.dimensions, "comment": r.comment,
             "rated": r.rated_at.isoformat()}
            for r in Rating.objects.filter(person=person).select_related("service").order_by("pk")
        ],
        "survey_responses": [
            {"survey": r.survey.title, "channel": r.channel, "submitted": r.submitted_at.isoformat(),
             "answers": {a.question.text: a.value for a in r.answers.all()}}
            for r in SurveyResponse.objects.filter(person=person).select_related("survey")
            .prefetch_related("answers__question").order_by("pk")
        ],
        "inspector_training": [
            {"organisation": t.organisation.name, "course": t.course, "trained_by": t.trained_by,
             "trained_on": t.trained_on.isoformat(), "expires_on": t.expires_on.isoformat() if t.expires_on else None}
            for t in InspectorTraining.objects.filter(person=person).select_related("organisation").order_by("pk")
        ],
        "inspection_visits": [
            {"service": v.service.name, "visit_on": v.visit_on.isoformat(), "kind": v.kind, "status": v.status}
            for v in Visit.objects.filter(team=person).select_related("service").order_by("pk")
        ],
        "monitoring_enrolments": [
            {"campaign": v.campaign.title, "role": v.role, "enrolled": v.enrolled_at.isoformat(),
             "briefed_on": v.briefed_on.isoformat() if v.briefed_on else None}
            for v in Volunteer.objects.filter(person=person).select_related("campaign").order_by("pk")
        ],
        "monitoring_observations": [
            {"campaign": o.campaign.title, "observed_at": o.observed_at.isoformat(), "location": o.location,
             "latitude": str(o.latitude) if o.latitude is not None else None,
             "longitude": str(o.longitude) if o.longitude is not None else None, "minutes": o.minutes_spent,
             "notes": o.notes, "status": o.status, "channel": o.channel, "on_behalf": o.on_behalf,
             "entered": o.entered_at.isoformat(), "credited": o.credited_at is not None,
             "values": {v.measure.name: v.value for v in o.values.all()}}
            for o in Observation.objects.filter(volunteer__person=person).select_related("campaign")
            .prefetch_related("values__measure").order_by("pk")
        ],
        "reports_of_ratings": [
            {"rating": r.rating_id, "reason": r.reason, "reported": r.created_at.isoformat()}
            for r in RatingReport.objects.filter(reporter=person).order_by("pk")
        ],
    }


def erase(person) -> None:
    Complaint.objects.filter(person=person).update(
        person=None, first_name="", last_name="", email="", phone="", device_id="", account_id=""
    )
    HelpOffer.objects.filter(person=person).update(person=None, how="")
    Rating.objects.filter(person=person).update(person=None, comment="")
    RatingReport.objects.filter(reporter=person).update(reporter=None)
    responses = SurveyResponse.objects.filter(person=person)
    Survey.objects.filter(pk__in=responses.values("survey_id")).update(results_version=F("results_version") + 1)
    SurveyAnswer.objects.filter(response__in=responses, question__kind="text").update(value="")
    responses.update(person=None)
    InspectorTraining.objects.filter(person=person).delete()
    for visit in Visit.objects.filter(team=person):
        visit.team.remove(person)
    observations = Observation.objects.filter(volunteer__person=person)
    Campaign.objects.filter(pk__in=observations.values("campaign_id")).update(results_version=F("results_version") + 1)
    ObservationValue.objects.filter(observation__in=observations, measure__kind=Measure.Kind.TEXT).update(value="")
    observations.update(notes="")
    Volunteer.objects.filter(person=person).update(person=None, enrolled_by=None)
    if person.user_id:
        Observation.objects.filter(recorded_by_id=person.user_id).update(recorded_by=None)
