"""The asset map ("what can you do?"): people's capabilities, needs recorded by service staff, and a
register of community assets (places, groups, facilities).

It serves every service and group, not only timebank members, and speaks the timebank's shared
category list (`timebank.Category`) so the one matching engine compares like with like.
Weekly windows are stored as a JSON list of `[start, end]` minutes of the week (0 = Monday 00:00,
end exclusive), the convention of the matching engine. Every change goes through `assets.services`.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduce.core.models import Area, Organisation, Person


class Channel(models.TextChoices):
    """How something reached us when staff record it for someone."""

    WEB = "web", _("On the website")
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("By phone")
    PAPER = "paper", _("On paper")
    API = "api", _("Through the API")


class Capability(models.Model):
    """Something a person can do or give: a skill, knowledge, spare time, a thing to lend, a place,
    a connection. Filled in by the person, or by a broker or staff member in conversation with them."""

    class Kind(models.TextChoices):
        # Values are the matching engine's kinds (`timebank.matching.SKILL` etc.).
        SKILL = "skill", _("A skill")
        KNOWLEDGE = "knowledge", _("Knowledge")
        SPARE_TIME = "time", _("Spare time")
        THING_TO_LEND = "lend", _("A thing to lend")
        PLACE = "place", _("A place")
        CONNECTION = "connection", _("A connection")

    class Visibility(models.TextChoices):
        SUPPORTERS = "supporters", _("Only the brokers and staff who support me")
        PUBLIC = "public", _("The public asset map (first name and neighbourhood only)")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="capabilities")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    category = models.ForeignKey(
        "timebank.Category", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("category"),
    )
    description = models.TextField(_("description"), max_length=1000)
    keywords = models.CharField(
        _("keywords"), max_length=200, blank=True, help_text=_("Separated by commas, e.g. bikes, punctures.")
    )
    neighbourhood = models.ForeignKey(
        Area, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("neighbourhood")
    )
    windows = models.JSONField(_("weekly times"), default=list, blank=True)
    visibility = models.CharField(
        _("who may see this"), max_length=20, choices=Visibility.choices, default=Visibility.SUPPORTERS
    )
    recorded_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    on_behalf = models.BooleanField(_("recorded on their behalf"), default=False, editable=False)
    channel = models.CharField(_("how it was recorded"), max_length=20, choices=Channel.choices,
                               default=Channel.WEB)
    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["visibility", "kind"], name="capability_visibility_kind")]
        verbose_name = _("capability")
        verbose_name_plural = _("capabilities")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description[:60]}"

    def keyword_list(self) -> list[str]:
        return [k.strip() for k in self.keywords.split(",") if k.strip()]


class Need(models.Model):
    """Something a person (or the community) needs, recorded by the staff of a service.

    A need about a person records their consent: who gave it, when and how."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        MET = "met", _("Met")
        CLOSED = "closed", _("Closed")

    class ConsentBy(models.TextChoices):
        PERSON = "person", _("The person themself")
        GUARDIAN = "guardian", _("A parent or guardian")
        REPRESENTATIVE = "representative", _("A carer or legal representative")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="asset_needs", verbose_name=_("recorded by service")
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="asset_needs",
        verbose_name=_("person"), help_text=_("Empty for a need of the community."),
    )
    category = models.ForeignKey(
        "timebank.Category", on_delete=models.PROTECT, related_name="+", verbose_name=_("category")
    )
    description = models.TextField(_("description"), max_length=1000)
    keywords = models.CharField(_("keywords"), max_length=200, blank=True)
    neighbourhood = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("neighbourhood")
    )
    regular = models.BooleanField(_("regular (every week)"), default=False)
    windows = models.JSONField(_("weekly times"), default=list, blank=True)
    home_visit = models.BooleanField(_("a home visit"), default=False)
    involves_children = models.BooleanField(_("involves children"), default=False)
    involves_vulnerable_adults = models.BooleanField(_("involves vulnerable adults"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    consent_by = models.CharField(_("who consented"), max_length=20, choices=ConsentBy.choices, blank=True)
    consent_by_name = models.CharField(_("name of who consented"), max_length=160, blank=True)
    consent_at = models.DateTimeField(_("when consent was given"), null=True, blank=True)
    consent_channel = models.CharField(_("how consent was given"), max_length=20, choices=Channel.choices,
                                       blank=True)
    recorded_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "status"], name="need_organisation_status"),
            # The matching index reads every open need (`matchindex`); most needs end up met or closed.
            models.Index(fields=["status"], name="need_status"),
        ]
        verbose_name = _("need")
        verbose_name_plural = _("needs")

    def __str__(self) -> str:
        return f"need {self.pk}: {self.description[:60]}"

    def keyword_list(self) -> list[str]:
        return [k.strip() for k in self.keywords.split(",") if k.strip()]


class CommunityAsset(models.Model):
    """A place, group or facility in the register of community assets."""

    class Kind(models.TextChoices):
        PLACE = "place", _("Place")
        GROUP = "group", _("Group")
        FACILITY = "facility", _("Facility")

    class Status(models.TextChoices):
        SUGGESTED = "suggested", _("Suggested, waiting for review")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Not accepted")

    name = models.CharField(_("name"), max_length=160)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    category = models.ForeignKey(
        "timebank.Category", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("category"),
    )
    description = models.TextField(_("description"), max_length=2000, blank=True)
    address = models.TextField(_("address"), max_length=500, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    neighbourhood = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="community_assets", verbose_name=_("neighbourhood")
    )
    opening_windows = models.JSONField(_("opening times"), default=list, blank=True)
    opening_text = models.CharField(
        _("opening times (in words)"), max_length=300, blank=True,
        help_text=_("For example: first Saturday of the month, 10:00 to 12:00."),
    )
    contact_name = models.CharField(_("contact name"), max_length=160, blank=True)
    email = models.EmailField(_("contact email"), blank=True)
    phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    accessibility = models.TextField(
        _("accessibility"), max_length=1000, blank=True,
        help_text=_("For example: step-free entrance, hearing loop, accessible toilet."),
    )
    owner = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="community_assets",
        verbose_name=_("owner organisation"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PUBLISHED)
    suggested_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    moderation_note = models.CharField(_("note to the person who suggested it"), max_length=300, blank=True)
    moderated_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["status", "kind"], name="asset_status_kind")]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(latitude__isnull=True, longitude__isnull=True)
                           | models.Q(latitude__isnull=False, longitude__isnull=False)),
                name="asset_latitude_with_longitude",
            ),
        ]
        verbose_name = _("community asset")
        verbose_name_plural = _("community assets")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("assets:asset", args=[self.pk])

    @property
    def has_position(self) -> bool:
        return self.latitude is not None and self.longitude is not None
