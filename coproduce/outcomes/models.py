"""Outcomes and evidence: what co-production achieves, and who contributes.

- An outcome **framework** (owned by an organisation; draft or published) has **goals**, each goal
  has **outcomes**, each outcome has **indicators**. An indicator has a unit, the direction that is
  better, a baseline, **targets** by date, an owner and a data source (manual readings, CSV import, a
  survey question's result, or a platform metric from `outcomes.metrics`). Its **readings** over time
  are judged against the targets by the pure `outcomes.status`.
- A co-production **initiative** serves an outcome, links **activities** of the four kinds
  (commission, design, deliver, assess) by generic reference, and tracks five **steps**.
- A **self-assessment** scores an organisation's involvement against five standards.
- A **social value report** values the hours contributed (low and high hourly rate) against costs.
- **Badge classes** are issued as **awards** to people, shown publicly only with their consent and
  exportable as Open Badges 3.0 credentials (`outcomes.badges`).

Rows hold data and the invariants of a single row. Every change of state goes through
`coproduce.outcomes.services`. Money is held in integer minor units, time in integer minutes, and
indicator values as Decimal, never float.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduce.core.models import Organisation, Person

VALUE_DIGITS = {"max_digits": 18, "decimal_places": 4}


class Framework(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="outcome_frameworks", verbose_name=_("organisation")
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["organisation__name", "title"]
        verbose_name = _("outcome framework")
        verbose_name_plural = _("outcome frameworks")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("outcomes:framework", args=[self.slug])

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class Goal(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self) -> str:
        return self.title


class Outcome(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="outcomes")
    # Denormalised from the goal so permission checks and lists need no joins up the tree.
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="outcomes", editable=False)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")

    def __str__(self) -> str:
        return self.title


class Indicator(models.Model):
    class Better(models.TextChoices):
        UP = "up", _("Higher is better")
        DOWN = "down", _("Lower is better")

    class Source(models.TextChoices):
        MANUAL = "manual", _("Readings entered by staff")
        CSV = "csv", _("CSV import")
        SURVEY = "survey", _("A survey question's result")
        METRIC = "metric", _("A platform metric")

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="indicators")
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="indicators", editable=False)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    unit = models.CharField(_("unit"), max_length=40, help_text=_("For example: people, %, hours, days."))
    better = models.CharField(_("which direction is better"), max_length=4, choices=Better.choices, default=Better.UP)
    baseline_value = models.DecimalField(_("baseline value"), null=True, blank=True, **VALUE_DIGITS)
    baseline_date = models.DateField(_("baseline date"), null=True, blank=True)
    owner = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="owned_indicators",
        verbose_name=_("owner"),
    )
    source = models.CharField(_("data source"), max_length=10, choices=Source.choices, default=Source.MANUAL)
    metric_key = models.CharField(_("platform metric"), max_length=80, blank=True)
    # The id of the assessment app's survey question whose headline figure feeds this indicator (checked
    # by services through the provider assessment registers). No foreign key: this app does not import it.
    survey_question_id = models.PositiveBigIntegerField(_("survey question"), null=True, blank=True)
    counts_people = models.BooleanField(
        _("counts people"), default=False,
        help_text=_("Small counts of people are hidden in open data."),
    )
    # Co-design: the design-lab decision this indicator came from (a reference, not a foreign key).
    design_decision_id = models.PositiveBigIntegerField(_("design decision"), null=True, blank=True)
    position = models.PositiveIntegerField(default=0)
    # Kept up to date by the services whenever readings change, so dashboards never re-read history.
    first_reading_date = models.DateField(null=True, blank=True, editable=False)
    first_reading_value = models.DecimalField(null=True, blank=True, editable=False, **VALUE_DIGITS)
    latest_reading_date = models.DateField(null=True, blank=True, editable=False)
    latest_reading_value = models.DecimalField(null=True, blank=True, editable=False, **VALUE_DIGITS)
    reading_count = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("outcomes:indicator", args=[self.pk])


class Target(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    due = models.DateField(_("by"))
    value = models.DecimalField(_("target value"), **VALUE_DIGITS)

    class Meta:
        ordering = ["due"]
        constraints = [models.UniqueConstraint(fields=["indicator", "due"], name="unique_indicator_target_date")]
        verbose_name = _("target")
        verbose_name_plural = _("targets")

    def __str__(self) -> str:
        return f"{self.value} by {self.due}"


class Reading(models.Model):
    class Source(models.TextChoices):
        MANUAL = "manual", _("Entered by staff")
        CSV = "csv", _("CSV import")
        METRIC = "metric", _("Platform metric")
        SURVEY = "survey", _("Survey")
        API = "api", _("API")

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="readings")
    on = models.DateField(_("date"))
    value = models.DecimalField(_("value"), **VALUE_DIGITS)
    note = models.CharField(_("note"), max_length=300, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.MANUAL)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["on"]
        constraints = [models.UniqueConstraint(fields=["indicator", "on"], name="unique_indicator_reading_date")]
        verbose_name = _("reading")
        verbose_name_plural = _("readings")

    def __str__(self) -> str:
        return f"{self.value} on {self.on}"


# --- co-production initiatives -----------------------------------------------------------------


class ActivityKind(models.TextChoices):
    COMMISSION = "commission", _("Co-commission")
    DESIGN = "design", _("Co-design")
    DELIVER = "deliver", _("Co-deliver")
    ASSESS = "assess", _("Co-assess")


class StepKind(models.TextChoices):
    MAP = "map", _("Map it")
    FOCUS = "focus", _("Focus it")
    PEOPLE = "people", _("People it")
    MARKET = "market", _("Market it")
    GROW = "grow", _("Grow it")


class Initiative(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="outcome_initiatives", verbose_name=_("organisation")
    )
    outcome = models.ForeignKey(
        Outcome, on_delete=models.PROTECT, related_name="initiatives", verbose_name=_("outcome it serves")
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["title"]
        verbose_name = _("co-production initiative")
        verbose_name_plural = _("co-production initiatives")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("outcomes:initiative", args=[self.slug])


class InitiativeActivity(models.Model):
    """A piece of work in another app (a budget process, a design lab, a timebank, an inspection...),
    referenced generically by app label and id so this app imports none of them."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(_("activity"), max_length=12, choices=ActivityKind.choices)
    app_label = models.CharField(_("app"), max_length=40)
    object_id = models.PositiveBigIntegerField(_("id in that app"))
    title = models.CharField(_("title"), max_length=200)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["kind", "title"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "app_label", "object_id"], name="unique_initiative_activity")
        ]
        verbose_name = _("initiative activity")
        verbose_name_plural = _("initiative activities")

    def __str__(self) -> str:
        return self.title


class InitiativeStep(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(_("step"), max_length=10, choices=StepKind.choices)
    notes = models.TextField(_("notes"), blank=True)
    started_on = models.DateField(_("started"), null=True, blank=True)
    completed_on = models.DateField(_("completed"), null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["initiative", "step"], name="unique_initiative_step")]
        verbose_name = _("initiative step")
        verbose_name_plural = _("initiative steps")

    def __str__(self) -> str:
        return f"{self.initiative} – {self.get_step_display()}"

    @property
    def order(self) -> int:
        return list(StepKind.values).index(self.step)


# --- self-assessment ---------------------------------------------------------------------------


class Standard(models.TextChoices):
    PRINCIPLES = "principles", _("Principles")
    PURPOSE = "purpose", _("Purpose")
    PRESENCE = "presence", _("Presence")
    PROCESS = "process", _("Process")
    IMPACT = "impact", _("Impact")


SCORE_MIN, SCORE_MAX = 1, 4


class SelfAssessment(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="involvement_assessments")
    assessed_on = models.DateField(_("assessed on"))
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["assessed_on", "id"]
        verbose_name = _("involvement self-assessment")
        verbose_name_plural = _("involvement self-assessments")

    def __str__(self) -> str:
        return f"{self.organisation} {self.assessed_on}"


class SelfAssessmentScore(models.Model):
    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="scores")
    standard = models.CharField(_("standard"), max_length=12, choices=Standard.choices)
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)]
    )
    evidence = models.TextField(_("evidence"), blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "standard"], name="unique_assessment_standard")]
        verbose_name = _("self-assessment score")
        verbose_name_plural = _("self-assessment scores")

    def __str__(self) -> str:
        return f"{self.get_standard_display()}: {self.score}"


# --- social value ------------------------------------------------------------------------------


class SocialValueReport(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="social_value_reports")
    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"), help_text=_("The last day of the period."))
    currency = models.CharField(_("currency"), max_length=3, default="GBP")
    low_rate_minor = models.PositiveIntegerField(_("low hourly value (minor units, e.g. pence)"))
    high_rate_minor = models.PositiveIntegerField(_("high hourly value (minor units, e.g. pence)"))
    rate_basis = models.TextField(
        _("where the hourly values come from"), blank=True,
        help_text=_("For example: low = the minimum wage; high = the median hourly pay of care workers."),
    )
    notes = models.TextField(_("other assumptions"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-period_end", "title"]
        verbose_name = _("social value report")
        verbose_name_plural = _("social value reports")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("outcomes:social_value", args=[self.pk])


class SocialValueCost(models.Model):
    report = models.ForeignKey(SocialValueReport, on_delete=models.CASCADE, related_name="costs")
    label = models.CharField(_("what"), max_length=200)
    amount_minor = models.PositiveBigIntegerField(_("amount (minor units)"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("cost")
        verbose_name_plural = _("costs")

    def __str__(self) -> str:
        return self.label


class SocialValueHours(models.Model):
    """Hours contributed that no platform metric counts (e.g. volunteering recorded on paper)."""

    report = models.ForeignKey(SocialValueReport, on_delete=models.CASCADE, related_name="extra_hours")
    label = models.CharField(_("what"), max_length=200)
    minutes = models.PositiveBigIntegerField(_("minutes"))
    note = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("hours contributed")
        verbose_name_plural = _("hours contributed")

    def __str__(self) -> str:
        return self.label


# --- recognition -------------------------------------------------------------------------------


class BadgeClass(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="badge_classes",
                                     verbose_name=_("issued by"))
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("description"))
    criteria = models.TextField(_("criteria"), help_text=_("What someone did to earn this badge."))
    is_active = models.BooleanField(_("can be awarded"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("badge")
        verbose_name_plural = _("badges")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("outcomes:badge", args=[self.slug])


class BadgeAward(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    badge = models.ForeignKey(BadgeClass, on_delete=models.PROTECT, related_name="awards")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="badge_awards")
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    evidence = models.TextField(_("evidence"), blank=True)
    show_on_profile = models.BooleanField(_("show on my public profile"), default=False)
    consent_changed_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("badge award")
        verbose_name_plural = _("badge awards")

    def __str__(self) -> str:
        return f"{self.badge} – {self.person}"

    def get_absolute_url(self) -> str:
        return reverse("outcomes:award", args=[self.uuid])
