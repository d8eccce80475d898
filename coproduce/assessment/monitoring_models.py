"""Monitoring campaigns: residents and volunteers observe and record (speed watch, river water quality).

A campaign (run by an organisation or community group) says what is observed (its measures) and how;
enrolled volunteers record observations – when, where, a value per measure, the minutes spent – online
or later (a coordinator enters paper sheets on their behalf). Volunteers' minutes can be credited
through the campaign's timebank. Every change of state goes through `monitoring_services`.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduce.core.models import Area, Organisation, Person

from .lifecycle import Lifecycle


class Campaign(Lifecycle):
    """Draft → open → closed. Volunteers record observations only while it is open."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="monitoring_campaigns",
                                     verbose_name=_("run by"))
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    purpose = models.TextField(_("purpose"), blank=True)
    method = models.TextField(_("method and instructions"), blank=True)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("area"))
    partner = models.CharField(_("partner"), max_length=200, blank=True,
                               help_text=_("For example the police or the environment agency."))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    timebank = models.ForeignKey("timebank.Timebank", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("credit hours through the timebank"))
    credit_from = models.ForeignKey(
        "timebank.TimebankMember", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("pay credits from"),
        help_text=_("The organisation's member account in the timebank. Empty: the community pot."))
    observation_count = models.PositiveIntegerField(default=0, editable=False)
    # Goes up whenever recorded observations change (recorded, corrected, withdrawn, erased): the
    # results are cached under it.
    results_version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("monitoring campaign")
        verbose_name_plural = _("monitoring campaigns")
        indexes = [models.Index(fields=["status", "-starts_on"], name="campaign_status_start")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("assessment:campaign", args=[self.slug])


class Measure(models.Model):
    """What is observed. `choices` for the choice kind; `min_value`/`max_value` for numbers and counts."""

    class Kind(models.TextChoices):
        NUMBER = "number", _("Number")
        COUNT = "count", _("Count (a whole number)")
        CHOICE = "choice", _("Choice")
        YES_NO = "yes_no", _("Yes or no")
        TEXT = "text", _("Text")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="measures")
    position = models.PositiveIntegerField(default=0)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    help_text = models.CharField(_("how to observe it"), max_length=500, blank=True)
    min_value = models.DecimalField(_("smallest allowed"), max_digits=14, decimal_places=4, null=True, blank=True)
    max_value = models.DecimalField(_("largest allowed"), max_digits=14, decimal_places=4, null=True, blank=True)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")

    def __str__(self) -> str:
        return self.name

    @property
    def field(self) -> str:
        return f"m{self.pk}"


class Volunteer(models.Model):
    """A person enrolled in a campaign, as a volunteer or a coordinator."""

    class Role(models.TextChoices):
        VOLUNTEER = "volunteer", _("Volunteer")
        COORDINATOR = "coordinator", _("Coordinator")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="volunteers")
    person = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="monitoring_enrolments")
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.VOLUNTEER)
    briefed_on = models.DateField(_("trained or briefed on"), null=True, blank=True)
    enrolled_at = models.DateTimeField(default=timezone.now, editable=False)
    enrolled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    channel = models.CharField(max_length=20, default="web")

    class Meta:
        ordering = ["enrolled_at", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "person"], condition=models.Q(person__isnull=False),
                                               name="one_enrolment_per_person")]
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.person_id}"


class Observation(models.Model):
    """One observation: when and where, the values, the minutes spent. `entered_at` after `observed_at`
    shows it was entered later; `recorded_by` another person than the volunteer: entered on their behalf."""

    class Status(models.TextChoices):
        RECORDED = "recorded", _("Recorded")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="observations")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="observations")
    observed_at = models.DateTimeField(_("observed at"))
    location = models.CharField(_("where"), max_length=200)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    minutes_spent = models.PositiveIntegerField(_("minutes spent"), default=0)
    notes = models.TextField(_("notes"), blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RECORDED)
    channel = models.CharField(max_length=20, default="web")
    on_behalf = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    entered_at = models.DateTimeField(default=timezone.now, editable=False)
    credit_transfer = models.ForeignKey("timebank.Transfer", on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="+")
    credited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-observed_at", "-id"]
        indexes = [models.Index(fields=["campaign", "observed_at"], name="observation_campaign_when")]
        verbose_name = _("observation")
        verbose_name_plural = _("observations")

    def __str__(self) -> str:
        return f"{self.campaign_id} #{self.pk}"


class ObservationValue(models.Model):
    """The value recorded for one measure (JSON: a number as text, a choice index, a boolean or text)."""

    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="values")
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="values")
    value = models.JSONField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["observation", "measure"], name="one_value_per_measure")]

    def __str__(self) -> str:
        return f"{self.observation_id}/{self.measure_id}"
