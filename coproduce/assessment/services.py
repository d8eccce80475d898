"""Every change of state in co-assessment goes through a function here.

Each function checks permission, validates (raising `ValidationError({field: [message]})`, changing
nothing), runs in one transaction, writes the audit log and enqueues notifications.

Surveys have their services in `survey_services`, citizen inspections in `inspection_services` (same
rules, kept apart so each file stays readable).
"""

import hashlib
import re
import secrets
from datetime import datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from coproduce.core import audit
from coproduce.core.audit import Channel
from coproduce.core.models import Organisation, Person
from coproduce.core.on_behalf import check_on_behalf
from coproduce.core.permissions import person_of, require
from coproduce.core.validation import full_clean, unique_slug

from . import tasks
from .models import (
    Complaint,
    ComplaintUpdate,
    HelpOffer,
    Open311Client,
    Phone,
    Rating,
    RatingMonth,
    RatingReport,
    RatingSummary,
    Schedule,
    Service,
    ServiceAttribute,
    ServiceLanguage,
)

MAX_RATING_DIMENSIONS = 4
MAX_COMMENT = 2000
SERVICE_FIELDS = {
    "name", "alternate_name", "description", "audience", "eligibility", "minimum_age", "maximum_age",
    "application_process", "email", "url", "fees_description", "status", "open311_code", "open311_type",
    "keywords", "group", "service_notice", "agency_responsible", "rating_dimensions",
}


class RateLimited(Exception):
    """Too many submissions from one client application or address in the last minute."""

    def __init__(self, retry_after: int = 60):
        super().__init__(_("Too many requests: try again in a minute."))
        self.retry_after = retry_after


def _channel(channel: str) -> str:
    if channel not in Channel.ALL:
        raise ValidationError({"channel": [_("Unknown channel.")]})
    return channel


# --- the service directory ---------------------------------------------------------------------

_DAY_RE = re.compile(r"^(MO|TU|WE|TH|FR|SA|SU)(,(MO|TU|WE|TH|FR|SA|SU))*$")


def _validate_schedules(schedules) -> list[dict]:
    cleaned = []
    for i, item in enumerate(schedules or []):
        byday = (item.get("byday") or "").upper().replace(" ", "")
        opens, closes = item.get("opens_at"), item.get("closes_at")
        if byday and not _DAY_RE.match(byday):
            raise ValidationError({"schedules": [_("Line %(n)s: days must be like MO,TU,WE.") % {"n": i + 1}]})
        if (opens is None) != (closes is None) or (opens and closes and opens >= closes):
            raise ValidationError({"schedules": [_("Line %(n)s: give an opening time before the closing time.")
                                                 % {"n": i + 1}]})
        cleaned.append({"byday": byday, "opens_at": opens, "closes_at": closes,
                        "description": (item.get("description") or "")[:255]})
    return cleaned


def _validate_dimensions(dimensions) -> list[str]:
    names = [str(d).strip()[:40] for d in (dimensions or []) if str(d).strip()]
    if len(names) > MAX_RATING_DIMENSIONS:
        raise ValidationError({"rating_dimensions": [
            _("Ask about at most %(n)s things besides the overall rating.") % {"n": MAX_RATING_DIMENSIONS}]})
    if len(set(n.lower() for n in names)) != len(names):
        raise ValidationError({"rating_dimensions": [_("Each dimension once, please.")]})
    return names


def _set_details(service: Service, *, areas=None, languages=None, schedules=None, phones=None) -> None:
    if areas is not None:
        service.areas.set(areas)
    if languages is not None:
        service.languages.all().delete()
        pairs = {}
        for item in languages:
            code, name = (item, "") if isinstance(item, str) else (item[0], item[1] or "")
            code = (code or "").strip().lower()[:12]
            if code:
                pairs.setdefault(code, name[:80])
        ServiceLanguage.objects.bulk_create([ServiceLanguage(service=service, code=c, name=n) for c, n in pairs.items()])
    if schedules is not None:
        service.schedules.all().delete()
        Schedule.objects.bulk_create([Schedule(service=service, **item) for item in schedules])
    if phones is not None:
        service.phones.all().delete()
        Phone.objects.bulk_create([Phone(service=service, number=n.strip()[:40]) for n in phones if n.strip()])


def _validate_service(service: Service) -> None:
    if service.open311_code == "":
        service.open311_code = None
    if service.open311_code and not re.fullmatch(r"[A-Za-z0-9_.-]+", service.open311_code):
        raise ValidationError({"open311_code": [_("Use letters, digits, dots, dashes and underscores only.")]})
    if (service.minimum_age is not None and service.maximum_age is not None
            and service.minimum_age > service.maximum_age):
        raise ValidationError({"maximum_age": [_("The maximum age is below the minimum age.")]})
    service.rating_dimensions = _validate_dimensions(service.rating_dimensions)
    full_clean(service)


@transaction.atomic
def create_service(actor, organisation: Organisation, *, name: str, areas=(), languages=(), schedules=(),
                   phones=(), slug: str = "", channel=Channel.WEB, **fields) -> Service:
    require(actor, "assessment.add_service", organisation)
    unknown = set(fields) - SERVICE_FIELDS
    if unknown:
        raise ValidationError({field: [_("Unknown field.")] for field in unknown})
    if not (name or "").strip():
        raise ValidationError({"name": [_("Please give a name.")]})
    service = Service(organisation=organisation, name=name.strip(), slug=slug or unique_slug(Service, name, fallback="service"), **fields)
    _validate_service(service)
    schedules = _validate_schedules(schedules)
    service.save()
    RatingSummary.objects.create(service=service)
    _set_details(service, areas=list(areas), languages=list(languages), schedules=schedules, phones=list(phones))
    audit.record(actor, "service.create", service, organisation=organisation, channel=_channel(channel))
    return service


@transaction.atomic
def update_service(actor, service: Service, *, areas=None, languages=None, schedules=None, phones=None,
                   channel=Channel.WEB, **changes) -> Service:
    require(actor, "assessment.change_service", service)
    unknown = set(changes) - SERVICE_FIELDS
    if unknown:
        raise ValidationError({field: [_("This field cannot be changed here.")] for field in unknown})
    before = {field: str(getattr(service, field)) for field in changes}
    for field, value in changes.items():
        setattr(service, field, value)
    _validate_service(service)
    schedules = _validate_schedules(schedules) if schedules is not None else None
    service.updated_at = timezone.now()
    service.save()
    _set_details(service, areas=areas, languages=languages, schedules=schedules, phones=phones)
    audit.record(actor, "service.update", service, organisation=service.organisation, channel=_channel(channel),
                 details={"before": {k: v for k, v in before.items() if str(getattr(service, k)) != v}})
    return service


ATTRIBUTE_CODE_RE = re.compile(r"^[A-Za-z0-9_.-]+$")
MAX_ATTRIBUTES = 50
MAX_ATTRIBUTE_VALUES = 100
LIST_DATATYPES = (ServiceAttribute.Datatype.SINGLE, ServiceAttribute.Datatype.MULTI)


def _clean_attribute(service: Service, item: dict, order: int) -> ServiceAttribute:
    """One attribute of a service definition, checked; errors keyed by the attribute's field."""
    errors: dict[str, list] = {}
    code = str(item.get("code") or "").strip()
    if not code:
        errors["code"] = [_("Please give a code.")]
    elif not ATTRIBUTE_CODE_RE.match(code):
        errors["code"] = [_("Use only letters, digits, '-', '_' and '.' in a code.")]
    datatype = item.get("datatype") or ServiceAttribute.Datatype.STRING
    if datatype not in ServiceAttribute.Datatype.values:
        errors["datatype"] = [_("Choose a data type from the list.")]
    try:
        order = int(item.get("order") or order)
        if order < 1:
            raise ValueError
    except (TypeError, ValueError):
        errors["order"] = [_("Give a whole number from 1.")]
    variable = bool(item.get("variable", True))
    required = bool(item.get("required", False))
    if required and not variable:
        errors["required"] = [_("Information shown to the reporter cannot be required.")]
    values = []
    for value in item.get("values") or []:
        key, name = str(value.get("key") or "").strip(), str(value.get("name") or "").strip()
        if not key or not name:
            errors["values"] = [_("Every value needs a key and a name.")]
            break
        values.append({"key": key, "name": name})
    if "values" not in errors:
        if datatype in LIST_DATATYPES and not values:
            errors["values"] = [_("A list attribute needs values.")]
        elif datatype not in LIST_DATATYPES and values:
            errors["values"] = [_("Only a one-choice or several-choices attribute has values.")]
        elif len({v["key"] for v in values}) != len(values):
            errors["values"] = [_("The keys of the values must be unique.")]
        elif len(values) > MAX_ATTRIBUTE_VALUES:
            errors["values"] = [_("At most %(n)s values.") % {"n": MAX_ATTRIBUTE_VALUES}]
    row = ServiceAttribute(
        service=service, code=code, datatype=datatype, variable=variable, required=required, values=values,
        order=order if "order" not in errors else 1, description=str(item.get("description") or "").strip(),
        datatype_description=str(item.get("datatype_description") or "").strip())
    try:
        full_clean(row, exclude=["service"])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, messages)
    if errors:
        raise ValidationError(errors)
    return row


@transaction.atomic
def set_open311_attributes(actor, service: Service, attributes: list[dict], channel=Channel.WEB) -> None:
    """Replace the extra questions the Open311 service asks (its GeoReport v2 service definition):
    each a dict of code, description, datatype, required, variable, order (default: its place),
    datatype_description and values ([{key, name}], for one-choice and several-choices lists only).
    Errors name the attribute and its field: "attributes.<index>.<field>"; nothing is changed."""
    require(actor, "assessment.change_service", service)
    if len(attributes) > MAX_ATTRIBUTES:
        raise ValidationError({"attributes": [_("At most %(n)s attributes.") % {"n": MAX_ATTRIBUTES}]})
    rows, codes, errors = [], set(), {}
    for i, item in enumerate(attributes):
        try:
            row = _clean_attribute(service, item, i + 1)
        except ValidationError as exc:
            errors.update({f"attributes.{i}.{field}": messages for field, messages in exc.message_dict.items()})
            continue
        if row.code in codes:
            errors[f"attributes.{i}.code"] = [_("Attribute codes must be unique.")]
        codes.add(row.code)
        rows.append(row)
    if errors:
        raise ValidationError(errors)
    service.attributes.all().delete()
    ServiceAttribute.objects.bulk_create(rows)
    Service.objects.filter(pk=service.pk).update(updated_at=timezone.now())  # the Open311 changeset
    audit.record(actor, "service.set_attributes", service, organisation=service.organisation,
                 channel=_channel(channel), details={"codes": sorted(codes)})


# --- Open311 client applications ---------------------------------------------------------------


@transaction.atomic
def create_open311_client(actor, name: str, channel=Channel.CLI) -> tuple[Open311Client, str]:
    """A new api_key for a client application; returns the row and the raw key (shown once)."""
    if actor is not None and not actor.is_superuser:
        raise PermissionDenied("assessment.create_open311_client")
    if not (name or "").strip():
        raise ValidationError({"name": [_("Please give a name.")]})
    raw = Open311Client.new_raw()
    client = Open311Client.objects.create(name=name.strip()[:120], key_hash=Open311Client.hash(raw), hint=raw[:9])
    audit.record(actor, "open311client.create", client, channel=_channel(channel))
    return client, raw


def client_for_key(raw: str | None) -> Open311Client | None:
    if not raw:
        return None
    return Open311Client.objects.filter(key_hash=Open311Client.hash(raw), revoked_at__isnull=True).first()


# --- complaints and reports --------------------------------------------------------------------


def hash_ip(ip: str | None) -> str:
    if not ip:
        return ""
    return hashlib.sha256(f"{settings.SECRET_KEY}:{ip}".encode()).hexdigest()


def rate_limits() -> tuple[int, int]:
    """(per api key, per address) submissions allowed per minute."""
    return (getattr(settings, "OPEN311_RATE_PER_KEY_PER_MINUTE", 60),
            getattr(settings, "OPEN311_RATE_PER_IP_PER_MINUTE", 10))


def check_rate_limit(client: Open311Client | None, ip_hash: str) -> None:
    since = timezone.now() - timedelta(minutes=1)
    per_key, per_ip = rate_limits()
    if client is not None and Complaint.objects.filter(client=client, requested_at__gte=since).count() >= per_key:
        raise RateLimited()
    if ip_hash and Complaint.objects.filter(ip_hash=ip_hash, requested_at__gte=since).count() >= per_ip:
        raise RateLimited()


def _decimal(value, field: str, low: float, high: float) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationError({field: [_("Enter a number.")]}) from None
    if not number.is_finite() or not (low <= number <= high):
        raise ValidationError({field: [_("This is not a valid coordinate.")]})
    return number.quantize(Decimal("0.000001"))


def _validate_attributes(service: Service, given: dict) -> dict:
    """Check the answers against the service definition; keys are attribute codes."""
    errors, cleaned = {}, {}
    definitions = {a.code: a for a in service.attributes.all()}
    for code in given:
        if code not in definitions:
            errors[f"attribute[{code}]"] = [_("This service has no attribute %(code)s.") % {"code": code}]
    for code, attr in definitions.items():
        if not attr.variable:
            continue
        value = given.get(code)
        empty = value in (None, "", []) or (isinstance(value, list) and not any(value))
        if empty:
            if attr.required:
                errors[f"attribute[{code}]"] = [_("%(description)s is required.") % {"description": attr.description}]
            continue
        keys = {str(v.get("key")) for v in attr.values}
        values = value if isinstance(value, list) else [value]
        values = [str(v) for v in values]
        if attr.datatype == ServiceAttribute.Datatype.MULTI:
            if not set(values) <= keys:
                errors[f"attribute[{code}]"] = [_("Choose from the listed values.")]
            cleaned[code] = values
            continue
        if len(values) != 1:
            errors[f"attribute[{code}]"] = [_("Give one value.")]
            continue
        one = values[0]
        if attr.datatype == ServiceAttribute.Datatype.SINGLE and one not in keys:
            errors[f"attribute[{code}]"] = [_("Choose from the listed values.")]
        elif attr.datatype == ServiceAttribute.Datatype.NUMBER:
            try:
                Decimal(one)
            except InvalidOperation:
                errors[f"attribute[{code}]"] = [_("Enter a number.")]
        elif attr.datatype == ServiceAttribute.Datatype.DATETIME and parse_datetime(one) is None:
            errors[f"attribute[{code}]"] = [_("Enter a date and time (ISO 8601).")]
        elif len(one) > 2000:
            errors[f"attribute[{code}]"] = [_("This answer is too long.")]
        cleaned[code] = one
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def submit_complaint(
    actor,
    service: Service,
    *,
    description: str = "",
    kind: str = Complaint.Kind.REPORT,
    is_public: bool = True,
    lat=None,
    long=None,
    address_string: str = "",
    address_id: str = "",
    zipcode: str = "",
    area=None,
    attributes: dict | None = None,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    phone: str = "",
    device_id: str = "",
    account_id: str = "",
    media_url: str = "",
    on_behalf_of: Person | None = None,
    client: Open311Client | None = None,
    ip: str | None = None,
    offer_help: bool = False,
    help_how: str = "",
    channel=Channel.WEB,
) -> Complaint:
    """Record a complaint or report: from the web, through Open311 (`client`), or filed by staff for
    someone who phoned or came in (`on_behalf_of`)."""
    channel = _channel(channel)
    if on_behalf_of is not None:
        require(actor, "assessment.file_on_behalf", service)
        person = on_behalf_of
    elif client is not None:
        if client.revoked_at is not None:
            raise PermissionDenied("open311.api_key")
        person = person_of(actor)
    else:
        require(actor, "assessment.submit_complaint", service)
        person = person_of(actor)
    if service.status != Service.Status.ACTIVE:
        raise ValidationError({"service_code": [_("This service does not take reports at the moment.")]})
    if client is not None and not service.open311_code:
        raise ValidationError({"service_code": [_("This service does not take Open311 requests.")]})
    if kind not in Complaint.Kind.values:
        raise ValidationError({"kind": [_("Unknown kind.")]})
    errors = {}
    lat_value = long_value = None
    try:
        lat_value = _decimal(lat, "lat", -90, 90)
        long_value = _decimal(long, "long", -180, 180)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if (lat_value is None) != (long_value is None) and not errors:
        errors["long" if lat_value is not None else "lat"] = [_("Give both latitude and longitude.")]
    if client is not None and lat_value is None and not (address_string or "").strip() and not address_id:
        errors["lat"] = [_("A location is required: lat and long, address_string or address_id.")]
    description = (description or "").strip()
    if client is None and not description:
        errors["description"] = [_("Please tell us what happened.")]
    if len(description) > 4000:
        errors["description"] = [_("Please keep it under 4,000 characters.")]
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [_("Enter a valid email address.")]
    if media_url:
        try:
            URLValidator(schemes=["http", "https"])(media_url)
        except ValidationError:
            errors["media_url"] = [_("Enter a valid http(s) URL.")]
    try:
        answers = _validate_attributes(service, attributes or {})
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    ip_hash = hash_ip(ip)
    if client is not None or (actor is None or not actor.is_authenticated):
        check_rate_limit(client, ip_hash)
    now = timezone.now()
    if person is not None:
        email = email or person.email
        phone = phone or person.phone
    complaint = Complaint(
        service=service, kind=kind, person=person, description=description, is_public=is_public,
        lat=lat_value, long=long_value, address_string=(address_string or "")[:255],
        address_id=(address_id or "")[:64], zipcode=(zipcode or "")[:20], area=area, attributes=answers,
        email=email, first_name=first_name[:80], last_name=last_name[:80], phone=phone[:40],
        device_id=device_id[:120], account_id=account_id[:120], media_url=media_url, client=client,
        ip_hash=ip_hash, token=secrets.token_hex(12), channel=channel, requested_at=now, updated_at=now,
        help_invited_at=now if (person is not None or email) else None,
    )
    full_clean(complaint, exclude=["service", "person", "area", "client"])
    complaint.save()
    audit.record(actor, "complaint.submit", complaint, organisation=service.organisation, on_behalf_of=on_behalf_of,
                 channel=channel, details={"client": client.name} if client else {})
    if offer_help and person is not None:
        _create_help_offer(actor, complaint, person, HelpOffer.Stage.SUBMISSION, help_how, channel,
                           on_behalf_of=on_behalf_of)
    if complaint.email:
        tasks.complaint_email.enqueue(complaint_id=complaint.pk, event="received",
                                      language=person.preferred_language if person else "en")
    return complaint


def _note_update(actor, complaint, *, status_from="", status_to="", text="", is_public=True, channel=Channel.WEB):
    return ComplaintUpdate.objects.create(
        complaint=complaint, author=actor if actor is not None and actor.pk else None,
        author_label=audit._label(actor), status_from=status_from, status_to=status_to, text=text,
        is_public=is_public, channel=channel,
    )


@transaction.atomic
def change_complaint_status(actor, complaint: Complaint, status: str, *, note: str = "", is_public: bool = True,
                            referred_to: str = "", expected_at: datetime | None = None,
                            channel=Channel.WEB) -> Complaint:
    require(actor, "assessment.manage_complaint", complaint)
    channel = _channel(channel)
    complaint = (Complaint.objects.select_for_update(of=("self",)).select_related("service__organisation")
                 .get(pk=complaint.pk))
    if status not in Complaint.Status.values:
        raise ValidationError({"status": [_("Unknown status.")]})
    if not complaint.can_move_to(status):
        raise ValidationError({"status": [_("A complaint that is %(current)s cannot become %(new)s.") % {
            "current": complaint.get_status_display().lower(), "new": Complaint.Status(status).label.lower()}]})
    if status == Complaint.Status.REFERRED and not (referred_to or "").strip():
        raise ValidationError({"referred_to": [_("Say who it was referred to.")]})
    now = timezone.now()
    before = complaint.status
    complaint.status = status
    complaint.updated_at = now
    if complaint.acknowledged_at is None:
        complaint.acknowledged_at = now  # the first response of any kind
    if status == Complaint.Status.RESOLVED:
        complaint.resolved_at = now
    elif status == Complaint.Status.CLOSED:
        complaint.closed_at = now
    elif status == Complaint.Status.IN_PROGRESS:
        complaint.resolved_at = None
    if status == Complaint.Status.REFERRED:
        complaint.referred_to = referred_to.strip()[:160]
    if expected_at is not None:
        complaint.expected_at = expected_at
    if is_public and note:
        complaint.status_notes = note.strip()
    elif status == Complaint.Status.REFERRED:
        complaint.status_notes = _("Referred to %(who)s.") % {"who": complaint.referred_to}
    complaint.save()
    _note_update(actor, complaint, status_from=before, status_to=status, text=note.strip(), is_public=is_public,
                 channel=channel)
    audit.record(actor, "complaint.status", complaint, organisation=complaint.service.organisation, channel=channel,
                 details={"from": before, "to": status})
    if complaint.email and is_public:
        event = "resolved" if status == Complaint.Status.RESOLVED else "status"
        language = complaint.person.preferred_language if complaint.person_id else "en"
        tasks.complaint_email.enqueue(complaint_id=complaint.pk, event=event, language=language)
    return complaint


@transaction.atomic
def add_complaint_note(actor, complaint: Complaint, text: str, *, is_public: bool = False,
                       channel=Channel.WEB) -> ComplaintUpdate:
    require(actor, "assessment.manage_complaint", complaint)
    if not (text or "").strip():
        raise ValidationError({"text": [_("Write the update.")]})
    update = _note_update(actor, complaint, text=text.strip(), is_public=is_public, channel=_channel(channel))
    Complaint.objects.filter(pk=complaint.pk).update(updated_at=timezone.now())
    audit.record(actor, "complaint.note", complaint, organisation=complaint.service.organisation, channel=channel,
                 details={"public": is_public})
    return update


def _create_help_offer(actor, complaint, person, stage, how, channel, on_behalf_of=None) -> HelpOffer:
    try:
        with transaction.atomic():
            offer = HelpOffer.objects.create(complaint=complaint, person=person, stage=stage, how=(how or "")[:2000],
                                             channel=channel)
    except IntegrityError:
        raise ValidationError({"stage": [_("You have already offered to help with this.")]}) from None
    audit.record(actor, "helpoffer.create", offer, organisation=complaint.service.organisation,
                 on_behalf_of=on_behalf_of, channel=channel,
                 details={"stage": stage, "complaint": complaint.pk, "route": HelpOffer.Route.CONTACT})
    return offer


def help_stage_open(complaint: Complaint) -> str | None:
    """Which invitation to help is open now, if any."""
    from .help_services import help_stage_open as stage_open

    return stage_open(complaint)


def offer_help(actor, complaint: Complaint, *, how: str = "", on_behalf: bool = False, channel=Channel.WEB,
               **choice) -> HelpOffer:
    """The complainant accepts the invitation to help fix the problem or improve the service, choosing
    how (`help_services.offer_help`: to be contacted, time in a timebank, a design lab); staff may record
    it for someone who phoned."""
    from .help_services import offer_help as accept

    return accept(actor, complaint, how=how, on_behalf=on_behalf, channel=channel, **choice)


@transaction.atomic
def follow_up_help_offer(actor, offer: HelpOffer, follow_up: str, note: str = "", channel=Channel.WEB) -> HelpOffer:
    require(actor, "assessment.manage_complaint", offer.complaint)
    if follow_up not in HelpOffer.FollowUp.values:
        raise ValidationError({"follow_up": [_("Unknown follow-up status.")]})
    before = offer.follow_up
    offer.follow_up, offer.follow_up_note = follow_up, (note or "").strip()
    offer.save(update_fields=["follow_up", "follow_up_note"])
    audit.record(actor, "helpoffer.follow_up", offer, organisation=offer.complaint.service.organisation,
                 channel=_channel(channel), details={"from": before, "to": follow_up})
    return offer


# --- ratings and reviews -----------------------------------------------------------------------


def _month(moment: datetime):
    return timezone.localtime(moment).date().replace(day=1)


def _apply(summary: RatingSummary, service_id: int, overall: int, dimensions: dict, rated_at, sign: int) -> None:
    """Add (sign=+1) or remove (sign=-1) one visible rating from the kept aggregates."""
    summary.count += sign
    summary.total += sign * overall
    field = f"star_{overall}"
    setattr(summary, field, getattr(summary, field) + sign)
    dims = dict(summary.dimensions)
    for name, value in (dimensions or {}).items():
        count, total = dims.get(name, [0, 0])
        dims[name] = [count + sign, total + sign * int(value)]
    summary.dimensions = dims
    month = _month(rated_at)
    updated = RatingMonth.objects.filter(service_id=service_id, month=month).update(
        count=F("count") + sign, total=F("total") + sign * overall)
    if not updated:
        RatingMonth.objects.create(service_id=service_id, month=month, count=max(sign, 0), total=max(sign, 0) * overall)


def _locked_summary(service: Service) -> RatingSummary:
    RatingSummary.objects.get_or_create(service=service)
    return RatingSummary.objects.select_for_update().get(service=service)


def _validate_rating(service: Service, overall, dimensions, comment) -> tuple[int, dict, str]:
    errors = {}
    try:
        overall = int(overall)
    except (TypeError, ValueError):
        overall = 0
    if not 1 <= overall <= 5:
        errors["overall"] = [_("Choose from 1 to 5 stars.")]
    cleaned = {}
    for name, value in (dimensions or {}).items():
        if value in (None, ""):
            continue
        if name not in service.rating_dimensions:
            errors[f"dimension_{name}"] = [_("This service does not ask about %(name)s.") % {"name": name}]
            continue
        try:
            value = int(value)
        except (TypeError, ValueError):
            value = 0
        if not 1 <= value <= 5:
            errors[f"dimension_{name}"] = [_("Choose from 1 to 5 stars.")]
        cleaned[name] = value
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        errors["comment"] = [_("Please keep it under %(n)s characters.") % {"n": MAX_COMMENT}]
    if errors:
        raise ValidationError(errors)
    return overall, cleaned, comment


@transaction.atomic
def rate_service(actor, service: Service, *, overall, dimensions: dict | None = None, comment: str = "",
                 on_behalf_of: Person | None = None, channel=Channel.WEB, consent=None) -> Rating:
    """Give or change one's rating of a service, or (the service's staff) record the rating someone
    gave in person, by phone or on paper: the shared act-for rule (`core.on_behalf`) asks for a channel
    other than the web and their consent. The summary and the month buckets change in the same
    transaction, under a lock on the service's summary row."""
    channel = _channel(channel)
    errors: dict = {}
    on_behalf = check_on_behalf(actor, on_behalf_of, errors, channel=channel, consent=consent)
    if on_behalf is not None:
        require(actor, "assessment.file_on_behalf", service)
        require(actor, "core.act_for_person", on_behalf)
        person = on_behalf
        if service.status != Service.Status.ACTIVE:
            raise PermissionDenied("assessment.rate_service")
    else:
        require(actor, "assessment.rate_service", service)
        person = person_of(actor)
    try:
        overall, dims, comment = _validate_rating(service, overall, dimensions, comment)
    except ValidationError as exc:
        errors = exc.message_dict | errors
    if errors:
        raise ValidationError(errors)
    summary = _locked_summary(service)
    rating = Rating.objects.select_for_update().filter(service=service, person=person).first()
    now = timezone.now()
    if rating is not None:
        if rating.status == Rating.Status.VISIBLE:
            _apply(summary, service.pk, rating.overall, rating.dimensions, rating.rated_at, -1)
        action, before = "rating.change", {"overall": rating.overall}
        rating.overall, rating.dimensions, rating.comment, rating.rated_at = overall, dims, comment, now
        rating.channel = channel
        rating.save()
    else:
        action, before = "rating.create", {}
        rating = Rating.objects.create(service=service, person=person, overall=overall, dimensions=dims,
                                       comment=comment, rated_at=now, channel=_channel(channel))
    if rating.status == Rating.Status.VISIBLE:
        _apply(summary, service.pk, overall, dims, now, +1)
    summary.save()
    audit.record(actor, action, rating, organisation=service.organisation, on_behalf_of=on_behalf,
                 channel=_channel(channel), details={"overall": overall, "before": before})
    return rating


@transaction.atomic
def reply_to_rating(actor, rating: Rating, text: str, channel=Channel.WEB) -> Rating:
    require(actor, "assessment.reply_rating", rating)
    rating.reply = (text or "").strip()[:MAX_COMMENT]
    rating.replied_at = timezone.now() if rating.reply else None
    rating.save(update_fields=["reply", "replied_at"])
    audit.record(actor, "rating.reply", rating, organisation=rating.service.organisation, channel=_channel(channel))
    return rating


@transaction.atomic
def report_rating(actor, rating: Rating, reason: str, channel=Channel.WEB) -> RatingReport:
    require(actor, "assessment.report_rating", rating)
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Tell the moderators what is wrong with it.")]})
    report = RatingReport.objects.create(rating=rating, reporter=person_of(actor), reason=reason.strip()[:2000])
    audit.record(actor, "rating.report", rating, organisation=rating.service.organisation,
                 channel=_channel(channel), details={"report": report.pk})
    return report


@transaction.atomic
def moderate_rating(actor, rating: Rating, *, hide: bool, note: str = "", channel=Channel.WEB) -> Rating:
    """Hide a rating (it stops counting) or keep/restore it; open reports about it are resolved."""
    require(actor, "assessment.moderate_rating", rating)
    summary = _locked_summary(rating.service)
    rating = Rating.objects.select_for_update().get(pk=rating.pk)
    new = Rating.Status.HIDDEN if hide else Rating.Status.VISIBLE
    if new != rating.status:
        _apply(summary, rating.service_id, rating.overall, rating.dimensions, rating.rated_at, -1 if hide else +1)
        summary.save()
        rating.status = new
    rating.moderation_note = (note or "").strip()[:255]
    rating.save(update_fields=["status", "moderation_note"])
    rating.reports.filter(outcome=RatingReport.Outcome.OPEN).update(
        outcome=RatingReport.Outcome.HIDDEN if hide else RatingReport.Outcome.KEPT, resolved_at=timezone.now())
    audit.record(actor, "rating.hide" if hide else "rating.keep", rating, organisation=rating.service.organisation,
                 channel=_channel(channel), details={"note": rating.moderation_note})
    return rating


def recount_ratings(service: Service) -> dict:
    """The aggregates recounted from the ratings themselves (for checks and repair; never per request)."""
    result = {"count": 0, "total": 0, "stars": {n: 0 for n in range(1, 6)}, "dimensions": {}, "months": {}}
    for overall, dims, rated_at in Rating.objects.filter(service=service, status=Rating.Status.VISIBLE).values_list(
            "overall", "dimensions", "rated_at").iterator():
        result["count"] += 1
        result["total"] += overall
        result["stars"][overall] += 1
        for name, value in (dims or {}).items():
            count, total = result["dimensions"].get(name, [0, 0])
            result["dimensions"][name] = [count + 1, total + int(value)]
        month = _month(rated_at)
        count, total = result["months"].get(month, (0, 0))
        result["months"][month] = (count + 1, total + overall)
    return result


@transaction.atomic
def rebuild_rating_summary(actor, service: Service, channel=Channel.CLI) -> RatingSummary:
    if actor is not None:
        require(actor, "assessment.change_service", service)
    fresh = recount_ratings(service)
    summary = _locked_summary(service)
    summary.count, summary.total, summary.dimensions = fresh["count"], fresh["total"], fresh["dimensions"]
    for n in range(1, 6):
        setattr(summary, f"star_{n}", fresh["stars"][n])
    summary.save()
    RatingMonth.objects.filter(service=service).delete()
    RatingMonth.objects.bulk_create([RatingMonth(service=service, month=m, count=c, total=t)
                                     for m, (c, t) in sorted(fresh["months"].items())])
    audit.record(actor, "rating.rebuild_summary", service, organisation=service.organisation,
                 channel=_channel(channel))
    return summary


def parse_time(value: str) -> time | None:
    """'09:00', '09:00:00', '09:00Z' or '09:00+01:00' → 09:00 (opening hours are local times)."""
    match = re.match(r"^\s*(\d{1,2}):(\d{2})(?::(\d{2}))?", value or "")
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


# --- Open Referral HSDS import -----------------------------------------------------------------


@transaction.atomic
def import_hsds(actor, organisation: Organisation, tables: dict, channel=Channel.IMPORT) -> dict:
    """Import a directory (see `hsds`) into `organisation`: every row is checked first; when any row
    is bad, nothing is imported and the ValidationError lists every bad row. Services and locations
    are matched by their HSDS id, so importing the same file twice changes nothing the second time."""
    from . import hsds
    from .models import Location, ServiceAtLocation
    from .queries import area_lookup

    require(actor, "assessment.import_services", organisation)
    errors = hsds.validate(tables, area_lookup=area_lookup)
    service_ids = [row["id"] for row in tables.get("service", []) if row.get("id")]
    location_ids = [row["id"] for row in tables.get("location", []) if row.get("id")]
    clash = set(Service.objects.filter(hsds_id__in=[i for i in service_ids if hsds._is_uuid(i)])
                .exclude(organisation=organisation).values_list("hsds_id", flat=True))
    clash_loc = set(Location.objects.filter(hsds_id__in=[i for i in location_ids if hsds._is_uuid(i)])
                    .exclude(organisation=organisation).values_list("hsds_id", flat=True))
    for i, row in enumerate(tables.get("service", [])):
        if hsds._is_uuid(row.get("id", "")) and uuid_of(row["id"]) in clash:
            errors.append({"table": "service", "row": i + 2, "field": "id",
                           "message": _("This service belongs to another organisation.")})
    for i, row in enumerate(tables.get("location", [])):
        if hsds._is_uuid(row.get("id", "")) and uuid_of(row["id"]) in clash_loc:
            errors.append({"table": "location", "row": i + 2, "field": "id",
                           "message": _("This location belongs to another organisation.")})
    if errors:
        raise ValidationError({"file": [_("%(file)s line %(row)s, %(field)s: %(message)s") % {
            "file": hsds.PATHS[e["table"]], "row": e["row"], "field": e["field"], "message": e["message"]}
            for e in errors]})

    def by(table, key):
        index: dict[str, list] = {}
        for row in tables.get(table, []):
            if row.get(key):
                index.setdefault(row[key], []).append(row)
        return index

    locations = {}
    addresses = by("address", "location_id")
    for row in tables.get("location", []):
        address = (addresses.get(row["id"]) or [{}])[0]
        location, _created = Location.objects.update_or_create(
            hsds_id=row["id"], defaults={
                "organisation": organisation, "location_type": row.get("location_type") or "physical",
                "name": row.get("name", "")[:160], "description": row.get("description", ""),
                "latitude": Decimal(row["latitude"]).quantize(Decimal("0.000001")) if row.get("latitude") else None,
                "longitude": Decimal(row["longitude"]).quantize(Decimal("0.000001")) if row.get("longitude") else None,
                "address": address.get("address_1", "")[:255], "city": address.get("city", "")[:80],
                "postal_code": address.get("postal_code", "")[:20],
            })
        locations[row["id"]] = location
    phones, schedules = by("phone", "service_id"), by("schedule", "service_id")
    languages, areas, sals = by("language", "service_id"), by("service_area", "service_id"), by(
        "service_at_location", "service_id")
    created = updated = 0
    for row in tables.get("service", []):
        fields = {
            "name": row["name"], "alternate_name": row.get("alternate_name", "")[:160],
            "description": row.get("description", ""), "url": row.get("url", ""), "email": row.get("email", ""),
            "status": row.get("status") or Service.Status.ACTIVE,
            "application_process": row.get("application_process", ""),
            "fees_description": row.get("fees_description", "")[:255],
            "eligibility": row.get("eligibility_description", ""), "audience": row.get("audience", "")[:255],
            "minimum_age": int(row["minimum_age"]) if row.get("minimum_age") else None,
            "maximum_age": int(row["maximum_age"]) if row.get("maximum_age") else None,
        }
        service = Service.objects.filter(hsds_id=row["id"]).first()
        if service is None:
            service = Service(hsds_id=row["id"], organisation=organisation, slug=unique_slug(Service, row["name"], fallback="service"), **fields)
            created += 1
        else:
            for key, value in fields.items():
                setattr(service, key, value)
            service.updated_at = timezone.now()
            updated += 1
        try:
            _validate_service(service)
        except ValidationError as exc:
            raise ValidationError({"file": [f"service {row['id']}: {field}: {' '.join(msgs)}"
                                            for field, msgs in exc.message_dict.items()]}) from None
        service.save()
        RatingSummary.objects.get_or_create(service=service)
        _set_details(
            service,
            areas=[area_lookup(a.get("name", ""), a.get("uri", "")) for a in areas.get(row["id"], [])],
            languages=[(lang.get("code") or lang.get("name"), lang.get("name", "")) for lang in
                       languages.get(row["id"], [])],
            schedules=[{"byday": s.get("byday", "").replace(" ", "").upper(), "opens_at": parse_time(s.get("opens_at")),
                        "closes_at": parse_time(s.get("closes_at")), "description": s.get("description", "")[:255]}
                       for s in schedules.get(row["id"], [])],
            phones=[p["number"] for p in phones.get(row["id"], [])],
        )
        service.at_locations.all().delete()
        ServiceAtLocation.objects.bulk_create([
            ServiceAtLocation(hsds_id=sal["id"], service=service, location=locations[sal["location_id"]],
                              description=sal.get("description", "")[:255])
            for sal in sals.get(row["id"], []) if sal["location_id"] in locations
        ])
    for row in tables.get("phone", []):
        if not row.get("service_id") and row.get("location_id") in locations:
            Phone.objects.get_or_create(location=locations[row["location_id"]], number=row["number"][:40])
    summary = {"services_created": created, "services_updated": updated, "locations": len(locations)}
    audit.record(actor, "service.import", organisation, organisation=organisation, channel=_channel(channel),
                 details=summary)
    return summary


def uuid_of(value: str):
    import uuid

    return uuid.UUID(value)
