"""Co-assessment: the service directory, Open311 service requests (complaints and reports), helper
offers, and ratings with their kept-up-to-date summaries.

Rows here hold data and the invariants of a single row. Every change of state goes through
`coproduce.assessment.services`.
"""

import hashlib
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduce.core.models import Area, Organisation, Person

from .lifecycle import Lifecycle

# --- the service directory (Open Referral HSDS shaped) ------------------------------------------


class Service(models.Model):
    """A service an organisation offers: what it is, for whom, where, when and how to get in touch.

    The same row is an Open311 service type when `open311_code` is set, and is what people rate."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        INACTIVE = "inactive", _("Inactive")
        DEFUNCT = "defunct", _("Defunct")
        TEMPORARILY_CLOSED = "temporarily closed", _("Temporarily closed")

    class Open311Type(models.TextChoices):
        REALTIME = "realtime", _("Real time (a request number at once)")
        BATCH = "batch", _("Batch (a token first, a request number later)")
        BLACKBOX = "blackbox", _("Black box (no status updates)")

    hsds_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="assessment_services", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=160)
    slug = models.SlugField(_("slug"), max_length=160, unique=True)
    alternate_name = models.CharField(_("also known as"), max_length=160, blank=True)
    description = models.TextField(_("what the service does"), blank=True)
    audience = models.CharField(_("for whom"), max_length=255, blank=True)
    eligibility = models.TextField(_("who is eligible"), blank=True)
    minimum_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    areas = models.ManyToManyField(Area, blank=True, related_name="assessment_services", verbose_name=_("areas served"))
    application_process = models.TextField(_("how to get in touch"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    url = models.URLField(_("website"), blank=True)
    fees_description = models.CharField(_("fees"), max_length=255, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)

    # Open311 (GeoReport v2) service type.
    open311_code = models.CharField(_("Open311 service code"), max_length=40, null=True, blank=True, unique=True)
    open311_type = models.CharField(
        _("Open311 type"), max_length=10, choices=Open311Type.choices, default=Open311Type.REALTIME
    )
    keywords = models.CharField(_("keywords"), max_length=255, blank=True)
    group = models.CharField(_("group"), max_length=80, blank=True)
    service_notice = models.CharField(
        _("notice shown after a report"), max_length=255, blank=True,
        help_text=_("For example: we look at every report within two working days."),
    )
    agency_responsible = models.CharField(_("agency responsible"), max_length=160, blank=True)

    # Ratings: the dimensions this service asks about besides the overall rating.
    rating_dimensions = models.JSONField(_("rating dimensions"), default=list, blank=True)

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("assessment:service", args=[self.slug])


class ServiceLanguage(models.Model):
    """A language the service is delivered in (HSDS `language`)."""

    hsds_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="languages")
    code = models.CharField(_("language code"), max_length=12, db_index=True)
    name = models.CharField(_("language"), max_length=80, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["service", "code"], name="unique_service_language")]

    def __str__(self) -> str:
        return self.name or self.code


class Location(models.Model):
    """Where services are delivered (HSDS `location`)."""

    class Kind(models.TextChoices):
        PHYSICAL = "physical", _("Physical")
        POSTAL = "postal", _("Postal")
        VIRTUAL = "virtual", _("Virtual")

    hsds_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="assessment_locations")
    location_type = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PHYSICAL)
    name = models.CharField(_("name"), max_length=160, blank=True)
    description = models.TextField(_("description"), blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    city = models.CharField(_("town or city"), max_length=80, blank=True)
    postal_code = models.CharField(_("postcode"), max_length=20, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name or self.address


class ServiceAtLocation(models.Model):
    hsds_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="at_locations")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="services_here")
    description = models.CharField(max_length=255, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["service", "location"], name="unique_service_at_location")]

    def __str__(self) -> str:
        return f"{self.service_id} @ {self.location_id}"


class Phone(models.Model):
    hsds_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, null=True, blank=True, related_name="phones")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, null=True, blank=True, related_name="phones")
    number = models.CharField(_("phone number"), max_length=40)
    type = models.CharField(max_length=20, blank=True, default="voice")
    description = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.number


class Schedule(models.Model):
    """Opening hours (HSDS `schedule`, a weekly RFC 5545 rule: days, opens at, closes at)."""

    DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]

    hsds_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, null=True, blank=True, related_name="schedules")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, null=True, blank=True, related_name="schedules")
    freq = models.CharField(max_length=10, default="WEEKLY")
    byday = models.CharField(_("days"), max_length=40, blank=True, help_text=_("For example MO,TU,WE"))
    opens_at = models.TimeField(_("opens at"), null=True, blank=True)
    closes_at = models.TimeField(_("closes at"), null=True, blank=True)
    description = models.CharField(_("description"), max_length=255, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        times = f"{self.opens_at:%H:%M}–{self.closes_at:%H:%M}" if self.opens_at and self.closes_at else ""
        return " ".join(part for part in (self.byday, times, self.description) if part)


# --- Open311 -----------------------------------------------------------------------------------


class ServiceAttribute(models.Model):
    """An extra question an Open311 service asks (GeoReport v2 service definition `attribute`)."""

    class Datatype(models.TextChoices):
        STRING = "string", _("Short text")
        NUMBER = "number", _("Number")
        DATETIME = "datetime", _("Date and time")
        TEXT = "text", _("Long text")
        SINGLE = "singlevaluelist", _("One choice")
        MULTI = "multivaluelist", _("Several choices")

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="attributes")
    code = models.CharField(max_length=40)
    variable = models.BooleanField(default=True, help_text="False: an informational text, not a question.")
    datatype = models.CharField(max_length=20, choices=Datatype.choices, default=Datatype.STRING)
    required = models.BooleanField(default=False)
    datatype_description = models.CharField(max_length=255, blank=True)
    order = models.PositiveIntegerField(default=1)
    description = models.CharField(max_length=255)
    values = models.JSONField(default=list, blank=True, help_text="[{'key': ..., 'name': ...}] for lists")

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["service", "code"], name="unique_attribute_code")]

    def __str__(self) -> str:
        return self.code


class Open311Client(models.Model):
    """A client application allowed to POST service requests. Only a hash of its api_key is stored."""

    PREFIX = "o311_"

    name = models.CharField(max_length=120)
    key_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def new_raw(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)


# --- complaints and reports (= Open311 service requests) --------------------------------------


class Complaint(models.Model):
    """A complaint or a report about a service. Requests posted through Open311 are these rows too."""

    class Kind(models.TextChoices):
        REPORT = "report", _("Report a problem")
        COMPLAINT = "complaint", _("Complaint")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        IN_PROGRESS = "in_progress", _("In progress")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", _("Closed")
        REFERRED = "referred", _("Referred elsewhere")

    # Legal transitions; services enforce them.
    TRANSITIONS = {
        Status.RECEIVED: {Status.ACKNOWLEDGED, Status.REFERRED, Status.CLOSED},
        Status.ACKNOWLEDGED: {Status.IN_PROGRESS, Status.RESOLVED, Status.REFERRED},
        Status.IN_PROGRESS: {Status.RESOLVED, Status.REFERRED},
        Status.RESOLVED: {Status.CLOSED, Status.IN_PROGRESS},
        Status.REFERRED: {Status.CLOSED},
        Status.CLOSED: set(),
    }
    # GeoReport v2 knows two statuses: open, and closed ("it has been resolved").
    OPEN311_CLOSED = {Status.RESOLVED, Status.CLOSED, Status.REFERRED}

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="complaints")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.REPORT)
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="assessment_complaints"
    )
    description = models.TextField(_("what happened"), blank=True)
    is_public = models.BooleanField(
        _("show publicly (without your name)"), default=True,
        help_text=_("Public reports appear in the Open311 feed and on the service's page, without personal details."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    status_notes = models.TextField(_("public note on the status"), blank=True)
    referred_to = models.CharField(_("referred to"), max_length=160, blank=True)
    expected_at = models.DateTimeField(_("expected by"), null=True, blank=True)
    channel = models.CharField(max_length=20, default="web")

    # Where.
    lat = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    long = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    address_string = models.CharField(_("address or place"), max_length=255, blank=True)
    address_id = models.CharField(max_length=64, blank=True)
    zipcode = models.CharField(max_length=20, blank=True)
    area = models.ForeignKey(Area, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    # Who (personal data: never in the public feed).
    first_name = models.CharField(max_length=80, blank=True)
    last_name = models.CharField(max_length=80, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    device_id = models.CharField(max_length=120, blank=True)
    account_id = models.CharField(max_length=120, blank=True)

    attributes = models.JSONField(default=dict, blank=True)
    media_url = models.URLField(max_length=500, blank=True)
    token = models.CharField(max_length=40, unique=True, null=True, blank=True)
    client = models.ForeignKey(Open311Client, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    ip_hash = models.CharField(max_length=64, blank=True)

    requested_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    help_invited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("complaint or report")
        verbose_name_plural = _("complaints and reports")
        indexes = [
            # The Open311 feed: public requests by date, optionally by service and status.
            models.Index(fields=["is_public", "requested_at"], name="complaint_public_date"),
            models.Index(fields=["is_public", "service", "requested_at"], name="complaint_public_svc_date"),
            models.Index(fields=["is_public", "status", "requested_at"], name="complaint_public_status_date"),
            models.Index(fields=["service", "status", "requested_at"], name="complaint_queue"),
            # Rate limits.
            models.Index(fields=["client", "requested_at"], name="complaint_client_date"),
            models.Index(fields=["ip_hash", "requested_at"], name="complaint_ip_date"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.service.name if self.service_id else ''}".strip()

    def get_absolute_url(self) -> str:
        return reverse("assessment:complaint", args=[self.pk])

    @property
    def open311_status(self) -> str:
        return "closed" if self.status in self.OPEN311_CLOSED else "open"

    def can_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.status, set())


class ComplaintUpdate(models.Model):
    """A status change or a note. Public updates are shown to everyone; private ones to staff."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+")
    author_label = models.CharField(max_length=160, blank=True)
    status_from = models.CharField(max_length=20, blank=True)
    status_to = models.CharField(max_length=20, blank=True)
    text = models.TextField(blank=True)
    is_public = models.BooleanField(default=True)
    channel = models.CharField(max_length=20, default="web")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.status_from}→{self.status_to}"

    def get_status_to_display(self) -> str:
        return Complaint.Status(self.status_to).label if self.status_to else ""


class HelpOffer(models.Model):
    """A complainant accepted the invitation to help fix the problem or improve the service.

    They chose how (`route`): an offer of time in a timebank (`timebank_offer`, or `timebank_member`
    holding their request to join when they were not yet a member), taking part in a design lab about
    the service (`lab_invitation`), or simply to be contacted by the service's staff, who follow it up."""

    class Route(models.TextChoices):
        CONTACT = "contact", _("Get in touch with me")
        TIMEBANK = "timebank", _("Offer my time through a timebank")
        LAB = "lab", _("Take part in a design lab about this service")

    class Stage(models.TextChoices):
        SUBMISSION = "submission", _("When reporting")
        RESOLUTION = "resolution", _("When it was resolved")

    class FollowUp(models.TextChoices):
        NEW = "new", _("New")
        CONTACTED = "contacted", _("Contacted")
        INVOLVED = "involved", _("Involved")
        DECLINED = "declined", _("Did not go ahead")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="help_offers")
    person = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="assessment_help_offers")
    stage = models.CharField(max_length=12, choices=Stage.choices)
    how = models.TextField(_("how would you like to help?"), blank=True)
    follow_up = models.CharField(_("follow-up"), max_length=12, choices=FollowUp.choices, default=FollowUp.NEW)
    follow_up_note = models.TextField(_("follow-up note"), blank=True)
    route = models.CharField(_("how"), max_length=10, choices=Route.choices, default=Route.CONTACT)
    channel = models.CharField(max_length=20, default="web")
    timebank_offer = models.ForeignKey("timebank.Offer", on_delete=models.SET_NULL, null=True, blank=True,
                                       related_name="assessment_help_offers", verbose_name=_("timebank offer"))
    timebank_member = models.ForeignKey("timebank.TimebankMember", on_delete=models.SET_NULL, null=True, blank=True,
                                        related_name="assessment_help_offers",
                                        verbose_name=_("timebank membership or request to join"))
    timebank_category = models.ForeignKey("timebank.Category", on_delete=models.SET_NULL, null=True, blank=True,
                                          related_name="+", verbose_name=_("category"))
    lab_invitation = models.ForeignKey("design.Invitation", on_delete=models.SET_NULL, null=True, blank=True,
                                       related_name="assessment_help_offers", verbose_name=_("design lab invitation"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["complaint", "stage"], name="unique_help_offer_stage")]

    def __str__(self) -> str:
        return f"{self.person} – #{self.complaint_id}"


# --- ratings and reviews -----------------------------------------------------------------------


class Rating(models.Model):
    """One person's current rating of a service (changeable). Hidden ratings do not count."""

    class Status(models.TextChoices):
        VISIBLE = "visible", _("Visible")
        HIDDEN = "hidden", _("Hidden by a moderator")

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="ratings")
    person = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="assessment_ratings")
    overall = models.PositiveSmallIntegerField(_("overall"))
    dimensions = models.JSONField(default=dict, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.VISIBLE)
    moderation_note = models.CharField(max_length=255, blank=True)
    reply = models.TextField(_("reply from the service"), blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    channel = models.CharField(max_length=20, default="web")
    rated_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-rated_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["service", "person"], name="one_rating_per_person_per_service"),
            models.CheckConstraint(condition=models.Q(overall__gte=1, overall__lte=5), name="rating_overall_1_to_5"),
        ]
        indexes = [models.Index(fields=["service", "status", "-rated_at", "-id"], name="rating_page")]

    def __str__(self) -> str:
        return f"{self.service_id}: {self.overall}★"


class RatingSummary(models.Model):
    """Counts and sums of a service's visible ratings, kept up to date in the rating's transaction."""

    service = models.OneToOneField(Service, on_delete=models.CASCADE, primary_key=True, related_name="rating_summary")
    count = models.PositiveIntegerField(default=0)
    total = models.PositiveBigIntegerField(default=0)
    star_1 = models.PositiveIntegerField(default=0)
    star_2 = models.PositiveIntegerField(default=0)
    star_3 = models.PositiveIntegerField(default=0)
    star_4 = models.PositiveIntegerField(default=0)
    star_5 = models.PositiveIntegerField(default=0)
    # {dimension: [count, sum]}
    dimensions = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return f"{self.service_id}: {self.count}"

    @property
    def average(self) -> float | None:
        return self.total / self.count if self.count else None

    def stars(self) -> list[tuple[int, int, int]]:
        """[(stars, count, percent)] from 5 down to 1."""
        counts = [(n, getattr(self, f"star_{n}")) for n in range(5, 0, -1)]
        return [(n, c, round(100 * c / self.count) if self.count else 0) for n, c in counts]

    def dimension_averages(self) -> list[tuple[str, float, int]]:
        return [(name, s / c, c) for name, (c, s) in sorted(self.dimensions.items()) if c]


class RatingMonth(models.Model):
    """Visible ratings of a service by the month they were given, for the trend chart."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="rating_months")
    month = models.DateField()
    count = models.PositiveIntegerField(default=0)
    total = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["month"]
        constraints = [models.UniqueConstraint(fields=["service", "month"], name="unique_rating_month")]

    def __str__(self) -> str:
        return f"{self.service_id} {self.month:%Y-%m}: {self.count}"

    @property
    def average(self) -> float | None:
        return self.total / self.count if self.count else None


class RatingReport(models.Model):
    """Someone reports a rating as abusive. A moderator resolves it (hide or keep)."""

    class Outcome(models.TextChoices):
        OPEN = "open", _("Open")
        HIDDEN = "hidden", _("Rating hidden")
        KEPT = "kept", _("Rating kept")

    rating = models.ForeignKey(Rating, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    reason = models.TextField(_("what is wrong with it?"))
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.OPEN, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.rating_id}: {self.outcome}"


# --- surveys -----------------------------------------------------------------------------------


class Survey(Lifecycle):
    """A survey run by an organisation's staff, or by a community group (citizen-led).

    Draft → open → closed. Questions change only while the survey is a draft. Anonymous surveys keep
    no link to the person who answered; identified ones keep one response per person."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="surveys",
                                     verbose_name=_("run by"))
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    description = models.TextField(_("introduction"), blank=True)
    is_anonymous = models.BooleanField(
        _("anonymous"), default=False,
        help_text=_("Anonymous surveys keep no link to who answered; anyone may answer, without logging in."))
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, null=True, blank=True, related_name="surveys", verbose_name=_("area"),
        help_text=_("Only people living in this area may answer an identified survey."))
    group_question = models.ForeignKey(
        "SurveyQuestion", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("group results by the answer to"))
    results_published = models.BooleanField(_("results published"), default=False)
    response_count = models.PositiveIntegerField(default=0, editable=False)
    # Goes up whenever answers change (a response, an erasure): computed results are cached under it.
    results_version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        indexes = [models.Index(fields=["status", "-created_at"], name="survey_status_date")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("assessment:survey", args=[self.slug])

    @property
    def is_citizen_led(self) -> bool:
        return self.organisation.kind in (Organisation.Kind.COMMUNITY_GROUP, Organisation.Kind.VOLUNTARY)


class SurveyQuestion(models.Model):
    """One question. `options` are the choices (single/multiple choice, ranking, allocation) or the rows
    (matrix); `scale` the labels of a Likert scale or of a matrix's shared scale (answers 1..n)."""

    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        LIKERT = "likert", _("Likert scale")
        NUMBER = "number", _("Number")
        TEXT = "text", _("Free text")
        RANKING = "ranking", _("Ranking")
        MATRIX = "matrix", _("Matrix (rows × a shared scale)")
        ALLOCATION = "allocation", _("Allocation (spread 100 across options)")

    class Unit(models.TextChoices):
        POINTS = "points", _("points")
        PERCENT = "percent", _("per cent")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    text = models.CharField(_("question"), max_length=500)
    help_text = models.CharField(_("help text"), max_length=500, blank=True)
    required = models.BooleanField(_("required"), default=True)
    options = models.JSONField(_("options"), default=list, blank=True)
    scale = models.JSONField(_("scale"), default=list, blank=True)
    min_value = models.DecimalField(_("smallest allowed"), max_digits=14, decimal_places=4, null=True, blank=True)
    max_value = models.DecimalField(_("largest allowed"), max_digits=14, decimal_places=4, null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.POINTS)
    # Which options (indices) or scale points (1..n) count as the headline result fed to outcome
    # indicators (e.g. "often" and "always"). Empty: the first option, or the top two scale points.
    headline = models.JSONField(_("headline answers"), default=list, blank=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")

    def __str__(self) -> str:
        return self.text

    @property
    def field(self) -> str:
        return f"q{self.pk}"

    @property
    def range_text(self) -> str:
        from .survey_services import plain

        low = plain(self.min_value) if self.min_value is not None else ""
        high = plain(self.max_value) if self.max_value is not None else ""
        return f"{low}–{high}" if low or high else ""


class SurveyResponse(models.Model):
    """One person's (or one anonymous) response. Paper responses are entered by staff."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    person = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="assessment_survey_responses")
    channel = models.CharField(max_length=20, default="web")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    ip_hash = models.CharField(max_length=64, blank=True, db_index=True)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["submitted_at", "id"]
        constraints = [models.UniqueConstraint(fields=["survey", "person"], condition=models.Q(person__isnull=False),
                                               name="one_survey_response_per_person")]

    def __str__(self) -> str:
        return f"{self.survey_id} #{self.pk}"


class SurveyAnswer(models.Model):
    """The answer to one question (JSON: an option index, a list, a number as text, or text)."""

    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="answers")
    value = models.JSONField()
    sent_to_design_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question")]

    def __str__(self) -> str:
        return f"{self.response_id}/{self.question_id}"


# --- citizen inspections and peer review ------------------------------------------------------


class VisitKind(models.TextChoices):
    INSPECTION = "inspection", _("Citizen inspection")
    PEER_REVIEW = "peer_review", _("Peer review by experts by experience")


class InspectorTraining(models.Model):
    """A training record of a citizen inspector (who holds the core `inspector` role) with an
    organisation that runs inspections."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="inspector_trainings")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="inspector_trainings")
    course = models.CharField(_("course"), max_length=200)
    trained_by = models.CharField(_("trained by"), max_length=160)
    trained_on = models.DateField(_("trained on"))
    expires_on = models.DateField(_("valid until"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-trained_on", "-id"]

    def __str__(self) -> str:
        return f"{self.person} – {self.course}"

    def valid_on(self, day) -> bool:
        return self.trained_on <= day and (self.expires_on is None or day <= self.expires_on)


class InspectionTemplate(models.Model):
    """A checklist: items rated on the template's scale, with notes on the evidence to look for."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="inspection_templates")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=VisitKind.choices, default=VisitKind.INSPECTION)
    description = models.TextField(_("description"), blank=True)
    scale = models.JSONField(_("rating scale"), default=list)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title


class TemplateItem(models.Model):
    template = models.ForeignKey(InspectionTemplate, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(default=0)
    text = models.CharField(_("what to check"), max_length=300)
    evidence = models.TextField(_("evidence to look for"), blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class Visit(models.Model):
    """A visit by a team of inspectors (or peers) to a service on a date, its findings and report."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHED = "published", _("Report published")
        CANCELLED = "cancelled", _("Cancelled")

    template = models.ForeignKey(InspectionTemplate, on_delete=models.PROTECT, related_name="visits")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="inspection_visits",
                                     verbose_name=_("run by"))
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="visits")
    kind = models.CharField(_("kind"), max_length=12, choices=VisitKind.choices, default=VisitKind.INSPECTION)
    visit_on = models.DateField(_("visit date"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    team = models.ManyToManyField(Person, related_name="inspection_visits", verbose_name=_("team"))
    # The time each team member gives (visit, preparation, report), for the social value of inspections.
    minutes = models.PositiveIntegerField(_("time each team member gives (minutes)"), default=0)
    summary = models.TextField(_("report summary"), blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-visit_on", "-id"]
        indexes = [models.Index(fields=["status", "-visit_on"], name="visit_status_date")]

    def __str__(self) -> str:
        return f"{self.service} – {self.visit_on}"

    def get_absolute_url(self) -> str:
        return reverse("assessment:visit", args=[self.pk])


class Finding(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="findings")
    item = models.ForeignKey(TemplateItem, on_delete=models.PROTECT, related_name="findings")
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    notes = models.TextField(_("evidence and notes"), blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["item__position", "item_id"]
        constraints = [models.UniqueConstraint(fields=["visit", "item"], name="one_finding_per_item")]

    def __str__(self) -> str:
        return f"{self.visit_id}/{self.item_id}: {self.rating}"


class FindingPhoto(models.Model):
    """A photo taken as evidence: stored under MEDIA_ROOT (outside the web root), served only through a
    permission-checked view."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to="inspections/", max_length=255)
    content_type = models.CharField(max_length=20)
    size = models.PositiveIntegerField()
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.caption or self.file.name


class InspectionAction(models.Model):
    """Something the inspected service agrees to do by a deadline. The service marks it done; the
    inspection team closes it (or reopens it)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done (awaiting the team)")
        CLOSED = "closed", _("Closed by the team")

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="actions")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="inspection_actions")
    finding = models.ForeignKey(Finding, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions")
    description = models.TextField(_("what should be done"))
    due_on = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    done_at = models.DateTimeField(null=True, blank=True)
    done_note = models.TextField(_("what was done"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    last_chased_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"], name="inspection_action_due")]

    def __str__(self) -> str:
        return self.description[:80]

    def is_overdue(self, today) -> bool:
        return self.status == self.Status.OPEN and self.due_on < today


class ActionChase(models.Model):
    """A reminder sent to the service's staff about an overdue action (at most one per action per day)."""

    action = models.ForeignKey(InspectionAction, on_delete=models.CASCADE, related_name="chases")
    chased_on = models.DateField()
    recipients = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-chased_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["action", "chased_on"], name="one_chase_per_action_per_day")]

    def __str__(self) -> str:
        return f"{self.action_id} {self.chased_on}"


# --- monitoring campaigns (kept in their own module) -------------------------------------------

from .monitoring_models import Campaign, Measure, Observation, ObservationValue, Volunteer  # noqa: E402,F401
