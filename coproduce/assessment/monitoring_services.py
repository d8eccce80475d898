"""Every change of state of monitoring campaigns goes through a function here.

Each function checks permission, validates (raising `ValidationError({field: [message]})`, changing
nothing), runs in one transaction and writes the audit log. Observation values are validated against
their measure; errors are keyed by the measure's field name (`m<id>`).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core import audit
from coproduce.core.audit import Channel
from coproduce.core.models import Organisation, Person
from coproduce.core.permissions import person_of, require
from coproduce.core.validation import full_clean, unique_slug, validate_fields

from .lifecycle_services import lock as _lock
from .lifecycle_services import step_status
from .monitoring_models import Campaign, Measure, Observation, ObservationValue, Volunteer
from .monitoring_permissions import enrolment, forget_enrolments
from .services import _channel
from .survey_services import plain

Kind = Measure.Kind
MAX_CHOICES = 20
MAX_TEXT = 2000
MAX_MINUTES = 24 * 60
# Clocks of phones differ: an observation may be stamped this far ahead of the server's time.
CLOCK_SKEW = timedelta(minutes=5)
CAMPAIGN_FIELDS = {"title", "purpose", "method", "area", "partner", "starts_on", "ends_on", "timebank",
                   "credit_from"}
MEASURE_FIELDS = {"name", "kind", "unit", "help_text", "min_value", "max_value", "choices", "required"}


def _check_campaign(campaign: Campaign) -> None:
    errors = {}
    campaign.title = (campaign.title or "").strip()
    if not campaign.title:
        errors["title"] = [_("Please give the campaign a title.")]
    if campaign.starts_on is None:
        errors["starts_on"] = [_("Please give the day the campaign starts.")]
    elif campaign.ends_on is not None and campaign.ends_on < campaign.starts_on:
        errors["ends_on"] = [_("The campaign cannot end before it starts.")]
    if campaign.credit_from_id is not None:
        payer = campaign.credit_from
        if campaign.timebank_id is None or payer.timebank_id != campaign.timebank_id:
            errors["credit_from"] = [_("Choose a member account of the campaign's timebank.")]
    if errors:
        raise ValidationError(errors)
    full_clean(campaign, exclude=["organisation", "area", "timebank", "credit_from", "created_by", "slug"])


@transaction.atomic
def create_campaign(actor, organisation: Organisation, *, title: str, starts_on: date, channel=Channel.WEB,
                    **fields) -> Campaign:
    require(actor, "assessment.add_campaign", organisation)
    unknown = set(fields) - CAMPAIGN_FIELDS
    if unknown:
        raise ValidationError({name: [_("Unknown field.")] for name in unknown})
    campaign = Campaign(organisation=organisation, title=title, starts_on=starts_on,
                        created_by=actor if actor is not None and actor.pk else None, **fields)
    _check_campaign(campaign)
    campaign.slug = unique_slug(Campaign, campaign.title, fallback="campaign")
    campaign.save()
    audit.record(actor, "monitoring.campaign.create", campaign, organisation=organisation, channel=_channel(channel))
    return campaign


@transaction.atomic
def update_campaign(actor, campaign: Campaign, *, channel=Channel.WEB, **changes) -> Campaign:
    require(actor, "assessment.change_campaign", campaign)
    unknown = set(changes) - CAMPAIGN_FIELDS
    if unknown:
        raise ValidationError({name: [_("This field cannot be changed here.")] for name in unknown})
    _lock(campaign)
    if campaign.status == Campaign.Status.CLOSED:
        raise ValidationError({"status": [_("A closed campaign cannot be changed.")]})
    for name, value in changes.items():
        setattr(campaign, name, value)
    _check_campaign(campaign)
    campaign.save()
    audit.record(actor, "monitoring.campaign.update", campaign, organisation=campaign.organisation,
                 channel=_channel(channel), details={"fields": sorted(changes)})
    return campaign


@transaction.atomic
def set_campaign_status(actor, campaign: Campaign, status: str, *, channel=Channel.WEB) -> Campaign:
    """draft → open (needs a measure) → closed."""
    require(actor, "assessment.change_campaign", campaign)
    before = step_status(campaign, status, order_error=_("A campaign goes from draft to open to closed."),
                         content=campaign.measures, empty_error=_("Add a measure before opening the campaign."))
    audit.record(actor, "monitoring.campaign.status", campaign, organisation=campaign.organisation,
                 channel=_channel(channel), details={"from": before, "to": status})
    return campaign


# --- measures ----------------------------------------------------------------------------------


def _decimal(value) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _check_measure(measure: Measure) -> None:
    errors = {}
    measure.name = (measure.name or "").strip()
    if not measure.name:
        errors["name"] = [_("Please name what is observed.")]
    if measure.kind not in Kind.values:
        raise ValidationError({"kind": [_("Unknown kind of measure.")]})
    if measure.kind == Kind.CHOICE:
        choices = [str(c).strip() for c in (measure.choices or []) if str(c).strip()]
        if len(choices) < 2:
            errors["choices"] = [_("Give at least two choices, one per line.")]
        elif len(choices) > MAX_CHOICES or len({c.lower() for c in choices}) != len(choices):
            errors["choices"] = [_("Give at most %(n)s different choices.") % {"n": MAX_CHOICES}]
        measure.choices = choices
    else:
        measure.choices = []
    if measure.kind in (Kind.NUMBER, Kind.COUNT):
        for name in ("min_value", "max_value"):
            raw = getattr(measure, name)
            number = _decimal(raw)
            if raw not in (None, "") and number is None:
                errors[name] = [_("Enter a number.")]
            setattr(measure, name, number)
        low, high = measure.min_value, measure.max_value
        if low is not None and high is not None and low > high:
            errors["max_value"] = [_("The largest allowed is below the smallest allowed.")]
    else:
        measure.min_value = measure.max_value = None
        if measure.kind != Kind.NUMBER:
            measure.unit = "" if measure.kind != Kind.COUNT else measure.unit
    if errors:
        raise ValidationError(errors)
    full_clean(measure, exclude=["campaign"])


def _require_changeable(campaign: Campaign) -> None:
    if campaign.status == Campaign.Status.CLOSED:
        raise ValidationError({"status": [_("A closed campaign cannot be changed.")]})


def _require_no_values(measure: Measure) -> None:
    if measure.values.exists():
        raise ValidationError({"kind": [_("Observations already have a value for this measure; it cannot be "
                                          "changed any more.")]})


@transaction.atomic
def add_measure(actor, campaign: Campaign, *, name: str, kind: str, channel=Channel.WEB, **fields) -> Measure:
    require(actor, "assessment.change_campaign", campaign)
    _lock(campaign)
    _require_changeable(campaign)
    unknown = set(fields) - MEASURE_FIELDS
    if unknown:
        raise ValidationError({key: [_("Unknown field.")] for key in unknown})
    top = campaign.measures.aggregate(top=Max("position"))["top"]
    measure = Measure(campaign=campaign, name=name, kind=kind, position=0 if top is None else top + 1, **fields)
    if campaign.status != Campaign.Status.DRAFT and measure.required:
        # Observations already recorded have no value for it: a new measure of an open campaign is optional.
        measure.required = False
    _check_measure(measure)
    measure.save()
    audit.record(actor, "monitoring.measure.add", campaign, organisation=campaign.organisation,
                 channel=_channel(channel), details={"measure": measure.pk, "kind": kind})
    return measure


@transaction.atomic
def update_measure(actor, measure: Measure, *, channel=Channel.WEB, **changes) -> Measure:
    """A measure changes until the first value is recorded for it."""
    campaign = measure.campaign
    require(actor, "assessment.change_campaign", campaign)
    _lock(campaign)
    _require_changeable(campaign)
    _require_no_values(measure)
    unknown = set(changes) - MEASURE_FIELDS
    if unknown:
        raise ValidationError({key: [_("Unknown field.")] for key in unknown})
    for key, value in changes.items():
        setattr(measure, key, value)
    _check_measure(measure)
    measure.save()
    audit.record(actor, "monitoring.measure.change", campaign, organisation=campaign.organisation,
                 channel=_channel(channel), details={"measure": measure.pk, "fields": sorted(changes)})
    return measure


@transaction.atomic
def delete_measure(actor, measure: Measure, *, channel=Channel.WEB) -> None:
    campaign = measure.campaign
    require(actor, "assessment.change_campaign", campaign)
    _lock(campaign)
    _require_changeable(campaign)
    _require_no_values(measure)
    pk = measure.pk
    measure.delete()
    audit.record(actor, "monitoring.measure.delete", campaign, organisation=campaign.organisation,
                 channel=_channel(channel), details={"measure": pk})


# --- volunteers --------------------------------------------------------------------------------


@transaction.atomic
def enrol(actor, campaign: Campaign, person: Person | None = None, *, role=Volunteer.Role.VOLUNTEER,
          briefed_on: date | None = None, channel=Channel.WEB) -> Volunteer:
    """Join a campaign (yourself, while it is open), or be added by a coordinator (any role, any time
    before it closes; for someone offline: recorded on their behalf)."""
    me = person_of(actor)
    myself = person is None or (me is not None and person.pk == me.pk)
    if myself:
        require(actor, "assessment.join_campaign", campaign)
        person, role = me, Volunteer.Role.VOLUNTEER
    else:
        require(actor, "assessment.coordinate_campaign", campaign)
    _lock(campaign)
    _require_changeable(campaign)
    if role not in Volunteer.Role.values:
        raise ValidationError({"role": [_("Unknown role.")]})
    if briefed_on is not None and briefed_on > timezone.localdate():
        raise ValidationError({"briefed_on": [_("The briefing date cannot be in the future.")]})
    if Volunteer.objects.filter(campaign=campaign, person=person).exists():
        raise ValidationError({"person": [_("%(name)s already takes part in this campaign.") % {"name": person.name}]})
    volunteer = Volunteer.objects.create(campaign=campaign, person=person, role=role, briefed_on=briefed_on,
                                         enrolled_by=actor if actor is not None and actor.pk else None,
                                         channel=_channel(channel))
    forget_enrolments(actor)
    audit.record(actor, "monitoring.enrol", campaign, organisation=campaign.organisation,
                 on_behalf_of=None if myself else person, channel=channel,
                 details={"volunteer": volunteer.pk, "role": role})
    return volunteer


@transaction.atomic
def update_volunteer(actor, volunteer: Volunteer, *, role: str | None = None, briefed_on=None,
                     channel=Channel.WEB) -> Volunteer:
    campaign = volunteer.campaign
    require(actor, "assessment.coordinate_campaign", campaign)
    if role is not None:
        if role not in Volunteer.Role.values:
            raise ValidationError({"role": [_("Unknown role.")]})
        volunteer.role = role
    if briefed_on is not None:
        if briefed_on > timezone.localdate():
            raise ValidationError({"briefed_on": [_("The briefing date cannot be in the future.")]})
        volunteer.briefed_on = briefed_on
    volunteer.save(update_fields=["role", "briefed_on"])
    audit.record(actor, "monitoring.volunteer.change", campaign, organisation=campaign.organisation,
                 on_behalf_of=volunteer.person, channel=_channel(channel),
                 details={"volunteer": volunteer.pk, "role": volunteer.role})
    return volunteer


# --- observations ------------------------------------------------------------------------------


def clean_value(measure: Measure, value):
    """The stored form of one non-empty value, or ValidationError naming the measure's field."""
    def fail(message):
        raise ValidationError({measure.field: [message]})

    kind = measure.kind
    if kind in (Kind.NUMBER, Kind.COUNT):
        number = _decimal(value)
        if number is None:
            fail(_("Enter a number."))
        if kind == Kind.COUNT and (number != number.to_integral_value() or number < 0):
            fail(_("Enter a whole number of 0 or more."))
        low, high = measure.min_value, measure.max_value
        if (low is not None and number < low) or (high is not None and number > high):
            if low is not None and high is not None:
                fail(_("Enter a number from %(low)s to %(high)s.") % {"low": plain(low), "high": plain(high)})
            if low is not None:
                fail(_("Enter a number of at least %(low)s.") % {"low": plain(low)})
            fail(_("Enter a number of at most %(high)s.") % {"high": plain(high)})
        return int(number) if kind == Kind.COUNT else plain(number)
    if kind == Kind.CHOICE:
        if isinstance(value, str) and value.strip() in measure.choices:
            return measure.choices.index(value.strip())
        index = value if isinstance(value, int) and not isinstance(value, bool) else None
        if isinstance(value, str) and value.strip().isdigit():
            index = int(value.strip())
        if index is None or not 0 <= index < len(measure.choices):
            fail(_("Choose one of the choices."))
        return index
    if kind == Kind.YES_NO:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("yes", "true", "1", "on"):
            return True
        if text in ("no", "false", "0", "off"):
            return False
        fail(_("Answer yes or no."))
    text = str(value).strip()
    if len(text) > MAX_TEXT:
        fail(_("Please keep it under %(n)s characters.") % {"n": MAX_TEXT})
    return text


def _empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def validate_values(measures: list[Measure], given: dict) -> dict[int, object]:
    """{measure id: stored value}; every error at once, keyed `m<id>`. Keys: `m<id>`, id or str(id)."""
    return validate_fields(measures, given, prefix="m", clean=clean_value, empty=_empty,
                           unknown=_("This campaign has no such measure."), required=_("This measure needs a value."))


@dataclass
class Where:
    location: str = ""
    latitude: object = None
    longitude: object = None
    errors: dict = field(default_factory=dict)


def _where(location, latitude, longitude) -> Where:
    where = Where(location=" ".join(str(location or "").split()))
    if not where.location:
        where.errors["location"] = [_("Say where you observed.")]
    elif len(where.location) > 200:
        where.errors["location"] = [_("Keep the place under 200 characters.")]
    for name, raw, limit in (("latitude", latitude, 90), ("longitude", longitude, 180)):
        number = _decimal(raw)
        if raw not in (None, "") and (number is None or abs(number) > limit):
            where.errors[name] = [_("Enter a number from -%(n)s to %(n)s.") % {"n": limit}]
        elif number is not None:
            setattr(where, name, number.quantize(Decimal("0.000001")))
    if (where.latitude is None) != (where.longitude is None) and not where.errors:
        where.errors["longitude" if where.longitude is None else "latitude"] = [
            _("Give both latitude and longitude, or neither.")]
    return where


def _check_when(campaign: Campaign, observed_at) -> dict:
    if not isinstance(observed_at, datetime):
        return {"observed_at": [_("Give the date and time of the observation.")]}
    if timezone.is_naive(observed_at):
        observed_at = timezone.make_aware(observed_at)
    if observed_at > timezone.now() + CLOCK_SKEW:
        return {"observed_at": [_("The observation cannot be in the future.")]}
    day = timezone.localdate(observed_at)
    if day < campaign.starts_on or (campaign.ends_on is not None and day > campaign.ends_on):
        return {"observed_at": [_("The observation must fall within the campaign's dates.")]}
    return {}


def _minutes(value) -> tuple[int, dict]:
    number = _decimal(value if value not in (None, "") else 0)
    if number is None or number != number.to_integral_value() or not 0 <= number <= MAX_MINUTES:
        return 0, {"minutes_spent": [_("Enter whole minutes from 0 to %(n)s.") % {"n": MAX_MINUTES}]}
    return int(number), {}


def _checked(campaign, measures, values, observed_at, location, latitude, longitude, minutes_spent, notes):
    errors = {}
    where = _where(location, latitude, longitude)
    errors.update(where.errors)
    errors.update(_check_when(campaign, observed_at))
    minutes, problem = _minutes(minutes_spent)
    errors.update(problem)
    notes = (notes or "").strip()
    if len(notes) > MAX_TEXT:
        errors["notes"] = [_("Please keep it under %(n)s characters.") % {"n": MAX_TEXT}]
    try:
        cleaned = validate_values(measures, values or {})
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    if timezone.is_naive(observed_at):
        observed_at = timezone.make_aware(observed_at)
    return cleaned, where, minutes, notes, observed_at


@transaction.atomic
def record_observation(actor, campaign: Campaign, *, values: dict, observed_at, location: str, latitude=None,
                       longitude=None, minutes_spent=0, notes: str = "", volunteer: Volunteer | None = None,
                       channel=Channel.WEB) -> Observation:
    """A volunteer records an observation; or a coordinator enters one on the `volunteer`'s behalf (a
    paper sheet, a phone call: `channel`). Every value is checked; one bad value writes nothing."""
    _channel(channel)
    mine = None if actor is None else enrolment(actor, campaign)
    on_behalf = volunteer is not None and (mine is None or volunteer.pk != mine.pk)
    if on_behalf:
        require(actor, "assessment.coordinate_campaign", campaign)
        if volunteer.campaign_id != campaign.pk:
            raise ValidationError({"volunteer": [_("This person does not take part in this campaign.")]})
        if campaign.status != Campaign.Status.OPEN:
            raise ValidationError({"status": [_("Observations are recorded while the campaign is open.")]})
    else:
        require(actor, "assessment.record_observation", campaign)
        volunteer = mine
        if volunteer is None:  # a platform administrator who has not joined
            raise ValidationError({"volunteer": [_("Join the campaign, or choose whose observation this is.")]})
    measures = list(campaign.measures.all())
    cleaned, where, minutes, notes, observed_at = _checked(campaign, measures, values, observed_at, location,
                                                           latitude, longitude, minutes_spent, notes)
    observation = Observation.objects.create(
        campaign=campaign, volunteer=volunteer, observed_at=observed_at, location=where.location,
        latitude=where.latitude, longitude=where.longitude, minutes_spent=minutes, notes=notes, channel=channel,
        on_behalf=on_behalf, recorded_by=actor if actor is not None and actor.pk else None)
    ObservationValue.objects.bulk_create(
        [ObservationValue(observation=observation, measure_id=pk, value=value) for pk, value in cleaned.items()])
    Campaign.objects.filter(pk=campaign.pk).update(observation_count=F("observation_count") + 1,
                                                   results_version=F("results_version") + 1)
    audit.record(actor, "monitoring.observation.record", observation, organisation=campaign.organisation,
                 on_behalf_of=volunteer.person if on_behalf else None, channel=channel,
                 details={"campaign": campaign.pk, "values": len(cleaned), "minutes": minutes})
    return observation


@transaction.atomic
def correct_observation(actor, observation: Observation, *, values: dict, observed_at, location: str,
                        latitude=None, longitude=None, minutes_spent=0, notes: str = "",
                        channel=Channel.WEB) -> Observation:
    """Replace an observation's details and values (validated as when recorded). The audit log keeps
    what it said before. Credited minutes cannot change."""
    require(actor, "assessment.change_observation", observation)
    observation = Observation.objects.select_for_update().select_related("campaign").get(pk=observation.pk)
    campaign = observation.campaign
    if observation.status != Observation.Status.RECORDED:
        raise ValidationError({"status": [_("A withdrawn observation cannot be corrected.")]})
    measures = list(campaign.measures.all())
    cleaned, where, minutes, notes, observed_at = _checked(campaign, measures, values, observed_at, location,
                                                           latitude, longitude, minutes_spent, notes)
    if observation.credited_at is not None and minutes != observation.minutes_spent:
        raise ValidationError({"minutes_spent": [_("These minutes were credited already; they cannot change.")]})
    before = {"observed_at": observation.observed_at.isoformat(), "location": observation.location,
              "minutes": observation.minutes_spent,
              "values": {str(v.measure_id): v.value for v in observation.values.all()}}
    observation.observed_at, observation.location = observed_at, where.location
    observation.latitude, observation.longitude = where.latitude, where.longitude
    observation.minutes_spent, observation.notes = minutes, notes
    observation.save()
    observation.values.all().delete()
    ObservationValue.objects.bulk_create(
        [ObservationValue(observation=observation, measure_id=pk, value=value) for pk, value in cleaned.items()])
    Campaign.objects.filter(pk=campaign.pk).update(results_version=F("results_version") + 1)
    audit.record(actor, "monitoring.observation.correct", observation, organisation=campaign.organisation,
                 on_behalf_of=observation.volunteer.person, channel=_channel(channel), details={"before": before})
    return observation


@transaction.atomic
def withdraw_observation(actor, observation: Observation, *, reason: str = "", channel=Channel.WEB) -> Observation:
    """Take an observation out of the results (it stays, marked withdrawn, with the reason audited)."""
    require(actor, "assessment.change_observation", observation)
    observation = Observation.objects.select_for_update().select_related("campaign").get(pk=observation.pk)
    if observation.status != Observation.Status.RECORDED:
        raise ValidationError({"status": [_("This observation was withdrawn already.")]})
    observation.status = Observation.Status.WITHDRAWN
    observation.save(update_fields=["status"])
    Campaign.objects.filter(pk=observation.campaign_id).update(observation_count=F("observation_count") - 1,
                                                               results_version=F("results_version") + 1)
    audit.record(actor, "monitoring.observation.withdraw", observation, organisation=observation.campaign.organisation,
                 on_behalf_of=observation.volunteer.person, channel=_channel(channel),
                 details={"reason": (reason or "").strip()[:500]})
    return observation


from .monitoring_credit_services import CreditResult, credit_hours  # noqa: E402,F401
