"""Core domain: organisations, areas, people, memberships and roles, topics, audit log, API tokens.

Rows here hold data and the invariants of a single row. Every change of state goes through
`coproduce.core.services`.
"""

import hashlib
import secrets
from datetime import date

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A login. Not every person has one: see `Person`."""

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


class Area(models.Model):
    """A place in a hierarchy (city → district → neighbourhood) used to scope everything."""

    class Kind(models.TextChoices):
        REGION = "region", _("Region")
        CITY = "city", _("City")
        DISTRICT = "district", _("District")
        NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood")

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    # Materialised path of ancestor ids ("/1/4/9/") so "everything within an area" is one query.
    path = models.CharField(max_length=255, editable=False, db_index=True, default="/")
    adjacent = models.ManyToManyField("self", blank=True, symmetrical=True, verbose_name=_("adjacent areas"))

    class Meta:
        ordering = ["path", "name"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2

    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part]

    def contains(self, other: "Area | None") -> bool:
        return other is not None and other.path.startswith(self.path)


class Topic(models.Model):
    """An interest people follow and organisations work on."""

    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("core:topic", args=[self.slug])


class Organisation(models.Model):
    class Kind(models.TextChoices):
        COUNCIL = "council", _("Council or public body")
        SERVICE = "service", _("Public service")
        HEALTH = "health", _("Health or care body")
        SCHOOL = "school", _("School")
        POLICE = "police", _("Police")
        HOUSING = "housing", _("Housing provider")
        COMMUNITY_GROUP = "community_group", _("Community group")
        VOLUNTARY = "voluntary", _("Voluntary organisation")
        BUSINESS = "business", _("Business")

    name = models.CharField(_("name"), max_length=160)
    slug = models.SlugField(_("slug"), max_length=160, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("part of"),
        help_text=_("For example, a service is part of a council."),
    )
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, null=True, blank=True, related_name="organisations", verbose_name=_("area served")
    )
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("contact email"), blank=True)
    phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    topics = models.ManyToManyField(Topic, blank=True, related_name="organisations", verbose_name=_("topics"))
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("core:organisation", args=[self.slug])

    def lineage_ids(self) -> list[int]:
        """This organisation and the ones it is part of, nearest first."""
        ids, node, seen = [], self, set()
        while node is not None and node.pk not in seen:
            ids.append(node.pk)
            seen.add(node.pk)
            node = node.parent
        return ids


class Person(models.Model):
    """Someone who takes part: a citizen, a member, a worker. May or may not have a login.

    Assisted members have no login; staff register them and act on their behalf.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="person"
    )
    name = models.CharField(_("name"), max_length=160)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    postal_address = models.TextField(_("postal address"), blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    home_area = models.ForeignKey(
        Area, on_delete=models.SET_NULL, null=True, blank=True, related_name="residents", verbose_name=_("home area")
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    interests = models.ManyToManyField(Topic, blank=True, related_name="followers", verbose_name=_("interests"))
    contact_about_interests = models.BooleanField(
        _("staff working on my interests may contact me"), default=False
    )
    is_assisted = models.BooleanField(
        _("assisted member"), default=False, help_text=_("Has no login; staff act on their behalf.")
    )
    registered_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="registered", editable=False
    )
    consent_recorded_at = models.DateTimeField(_("consent recorded"), null=True, blank=True)
    access_needs = models.TextField(
        _("access and communication needs"),
        blank=True,
        help_text=_("For example: large print, an interpreter, calls only in the morning."),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    erased_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("core:person", args=[self.pk])

    def age_on(self, day: date) -> int | None:
        if self.birth_date is None:
            return None
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class Role(models.TextChoices):
    MEMBER = "member", _("Member")
    STAFF = "staff", _("Staff")
    BROKER = "broker", _("Time broker")
    COMMISSIONER = "commissioner", _("Commissioner")
    MODERATOR = "moderator", _("Moderator")
    INSPECTOR = "inspector", _("Citizen inspector")
    ADMIN = "admin", _("Administrator")


# Roles that work for an organisation (as opposed to taking part in it).
STAFF_ROLES = frozenset({Role.STAFF, Role.BROKER, Role.COMMISSIONER, Role.MODERATOR, Role.ADMIN})


class Membership(models.Model):
    """A role a person holds in an organisation. Roles held in an organisation also apply to the
    organisations that are part of it (a council's staff work for its services)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "organisation", "role"], name="unique_membership_role")
        ]
        ordering = ["organisation__name", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.person} – {self.get_role_display()} – {self.organisation}"


class AuditEntry(models.Model):
    """Who did what to which object, when, and on whose behalf. Written only by services."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=160, blank=True, help_text="Who acted, kept if the login goes.")
    on_behalf_of = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    channel = models.CharField(max_length=20, default="web")
    action = models.CharField(max_length=80, db_index=True)
    object_type = models.CharField(max_length=80, db_index=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_label = models.CharField(max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_label}"


class ApiToken(models.Model):
    """A bearer token for the API. Only a hash is stored; the token is shown once."""

    PREFIX = "cp_"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=80, default="token")
    key_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def new_raw(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)
