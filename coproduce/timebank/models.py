"""Timebank ledger and membership: networks, banks, members, accounts and transfers.

Time is counted in integer minutes. The ledger is double entry: every `Transfer` moves minutes from
one account to another account *of the same bank*, so the balances of a bank's accounts always sum
to zero. Each account keeps a stored `balance_minutes` (updated only by `timebank.services` in the
same transaction as the transfer) so pages and limit checks never re-add the history;
`coproduce timebank verify` checks the stored balances against the history.

Accounts: one per member, plus per bank a *community pot* (donations; the bank's own account) and a
*clearing* account. A cross-bank exchange is two linked transfers, one in each bank's books:
payer -> payer bank's clearing, payee bank's clearing -> payee. Across a network, the clearing
balances sum to zero.

Transfers are append-only: a mistake is corrected by a reversing transfer (`reverses`), never by
editing or deleting a row.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduce.core.models import Organisation, Person

DEFAULT_OVERDRAFT_MINUTES = 10 * 60
DEFAULT_MAX_BALANCE_MINUTES = 100 * 60


class Network(models.Model):
    """Timebanks that agree to let their members exchange with each other."""

    name = models.CharField(_("name"), max_length=160)
    slug = models.SlugField(_("slug"), max_length=160, unique=True)
    coordinator = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="timebank_networks",
        verbose_name=_("coordinated by"),
        help_text=_("Administrators of this organisation decide which banks join the network."),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("timebank network")
        verbose_name_plural = _("timebank networks")

    def __str__(self) -> str:
        return self.name


class Timebank(models.Model):
    organisation = models.OneToOneField(
        Organisation, on_delete=models.PROTECT, related_name="timebank", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=160)
    slug = models.SlugField(_("slug"), max_length=160, unique=True)
    network = models.ForeignKey(
        Network, on_delete=models.PROTECT, null=True, blank=True, related_name="timebanks", verbose_name=_("network")
    )
    allow_cross_bank = models.BooleanField(
        _("allow exchanges with other banks of the network"), default=False
    )
    overdraft_limit_minutes = models.PositiveIntegerField(
        _("overdraft limit (minutes)"), default=DEFAULT_OVERDRAFT_MINUTES,
        help_text=_("How far a member may go below zero, unless set for the member."),
    )
    max_balance_minutes = models.PositiveIntegerField(
        _("maximum balance (minutes)"), null=True, blank=True, default=DEFAULT_MAX_BALANCE_MINUTES,
        help_text=_("The most a member may save, unless set for the member. Empty: no maximum."),
    )
    # Social value: what an hour given is worth, as a range, in minor units of the currency.
    currency = models.CharField(_("currency"), max_length=3, default="GBP")
    hourly_value_low = models.DecimalField(
        _("hourly value, low (minor units)"), max_digits=12, decimal_places=2, default=0
    )
    hourly_value_high = models.DecimalField(
        _("hourly value, high (minor units)"), max_digits=12, decimal_places=2, default=0
    )
    hidden_categories = models.ManyToManyField(
        "Category", blank=True, related_name="hidden_in", verbose_name=_("shared categories not used"),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("timebank")
        verbose_name_plural = _("timebanks")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hourly_value_low__lte=models.F("hourly_value_high")),
                name="timebank_hourly_value_range",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def current_agreement(self) -> "AgreementVersion | None":
        return self.agreement_versions.order_by("-published_at", "-id").first()


class AgreementVersion(models.Model):
    """One version of the member agreement of a bank. Members record which version they accepted."""

    timebank = models.ForeignKey(Timebank, on_delete=models.PROTECT, related_name="agreement_versions")
    version = models.CharField(_("version"), max_length=40)
    text = models.TextField(_("text"))
    published_at = models.DateTimeField(_("published"), default=timezone.now)

    class Meta:
        ordering = ["timebank", "-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["timebank", "version"], name="unique_agreement_version")
        ]
        verbose_name = _("member agreement version")
        verbose_name_plural = _("member agreement versions")

    def __str__(self) -> str:
        return f"{self.timebank} {self.version}"


class CategoryQuerySet(models.QuerySet):
    def for_bank(self, timebank: "Timebank") -> "CategoryQuerySet":
        """The bank's list: the shared defaults it has not switched off, plus its own."""
        return self.filter(
            models.Q(timebank__isnull=True) | models.Q(timebank=timebank), active=True
        ).exclude(hidden_in=timebank)


class Category(models.Model):
    """A skill or kind of help ("Gardening"). Shared defaults have no bank; a bank may add its own.

    Categories with the same `group` are related (the matching engine ranks a related category just
    below an exact one). `sensitive` work (taking someone to hospital) needs references.
    """

    timebank = models.ForeignKey(
        "Timebank", on_delete=models.CASCADE, null=True, blank=True, related_name="own_categories",
        verbose_name=_("timebank"), help_text=_("Empty for the platform's shared list."),
    )
    group = models.SlugField(_("group"), max_length=60)
    group_name = models.CharField(_("group name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=80)
    name = models.CharField(_("name"), max_length=160)
    sensitive = models.BooleanField(
        _("sensitive"), default=False,
        help_text=_("Helpers need references (for example taking someone to hospital)."),
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)
    is_default = models.BooleanField(default=False, editable=False)

    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug"], condition=models.Q(timebank__isnull=True), name="unique_shared_category"
            ),
            models.UniqueConstraint(fields=["timebank", "slug"], name="unique_bank_category"),
        ]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name, translated while it is an unchanged shared default."""
        from django.utils.translation import gettext

        return gettext(self.name) if self.is_default else self.name

    @property
    def group_label(self) -> str:
        from django.utils.translation import gettext

        return gettext(self.group_name) if self.is_default else self.group_name


GUARDIAN_CONSENT_CHANNELS = [
    ("in_person", _("In person")), ("paper", _("On paper")), ("phone", _("By phone")), ("web", _("Online")),
]


class TimebankMember(models.Model):
    """A person in a bank. A group, voluntary organisation or business joins through the person who
    acts for it (`kind`, and optionally the `organisation` they represent)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Asked to join")
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        LEFT = "left", _("Left")

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("Individual")
        GROUP = "group", _("Community group")
        ORGANISATION = "organisation", _("Voluntary organisation")
        BUSINESS = "business", _("Local business")

    timebank = models.ForeignKey(Timebank, on_delete=models.PROTECT, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="timebank_memberships")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.INDIVIDUAL)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("represents"), help_text=_("For a group, organisation or business member."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED)
    requested_at = models.DateTimeField(default=timezone.now, editable=False)
    joined_at = models.DateTimeField(_("joined"), null=True, blank=True)
    left_at = models.DateTimeField(_("left"), null=True, blank=True)
    agreement_version = models.ForeignKey(
        AgreementVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("member agreement accepted"),
    )
    agreement_accepted_at = models.DateTimeField(_("agreement accepted"), null=True, blank=True)
    # Per-member limits; empty means the bank's default.
    overdraft_limit_minutes = models.PositiveIntegerField(_("overdraft limit (minutes)"), null=True, blank=True)
    max_balance_minutes = models.PositiveIntegerField(_("maximum balance (minutes)"), null=True, blank=True)
    no_max_balance = models.BooleanField(_("no maximum balance"), default=False)
    # A child (under 18 by the person's birth date, or marked as one) joins with a guardian's consent.
    is_child = models.BooleanField(_("a child (under 18)"), default=False)
    guardian_name = models.CharField(_("guardian's name"), max_length=160, blank=True)
    guardian_relationship = models.CharField(_("guardian's relationship to the child"), max_length=80, blank=True,
                                             help_text=_("For example mother, father, foster carer."))
    guardian_consent_on = models.DateField(_("date the guardian consented"), null=True, blank=True)
    guardian_consent_channel = models.CharField(_("how the guardian consented"), max_length=20, blank=True,
                                                choices=GUARDIAN_CONSENT_CHANNELS)

    class Meta:
        ordering = ["timebank", "id"]
        constraints = [
            models.UniqueConstraint(fields=["timebank", "person"], name="unique_timebank_member")
        ]
        verbose_name = _("timebank member")
        verbose_name_plural = _("timebank members")

    def __str__(self) -> str:
        return f"{self.person.name} ({self.timebank.name})"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    def effective_overdraft(self) -> int:
        if self.overdraft_limit_minutes is not None:
            return self.overdraft_limit_minutes
        return self.timebank.overdraft_limit_minutes

    def effective_max_balance(self) -> int | None:
        if self.no_max_balance:
            return None
        if self.max_balance_minutes is not None:
            return self.max_balance_minutes
        return self.timebank.max_balance_minutes


class Account(models.Model):
    class Kind(models.TextChoices):
        MEMBER = "member", _("Member")
        COMMUNITY_POT = "community_pot", _("Community pot")
        CLEARING = "clearing", _("Network clearing")

    timebank = models.ForeignKey(Timebank, on_delete=models.PROTECT, related_name="accounts")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    member = models.OneToOneField(
        TimebankMember, on_delete=models.PROTECT, null=True, blank=True, related_name="account"
    )
    # Kept up to date by timebank.services only, in the transaction that writes the transfer.
    balance_minutes = models.BigIntegerField(_("balance (minutes)"), default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["timebank", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="member", member__isnull=False)
                           | (~models.Q(kind="member") & models.Q(member__isnull=True))),
                name="account_member_iff_member_kind",
            ),
            models.UniqueConstraint(
                fields=["timebank", "kind"], condition=~models.Q(kind="member"), name="one_pot_and_clearing_per_bank"
            ),
        ]
        verbose_name = _("account")
        verbose_name_plural = _("accounts")

    def __str__(self) -> str:
        return f"account {self.pk} ({self.kind})"


class TransferQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValidationError(_("Transfers cannot be changed; record a correction instead."))

    def delete(self):
        raise ValidationError(_("Transfers cannot be deleted; record a correction instead."))

    def _redact_reasons(self) -> int:
        """Erasure only: blank the free-text reason, keeping minutes and accounts (the books)."""
        return super().update(reason="")


class Transfer(models.Model):
    """An append-only, double-entry movement of minutes between two accounts of one bank."""

    class Kind(models.TextChoices):
        EXCHANGE = "exchange", _("Exchange")
        DONATION = "donation", _("Donation")
        CORRECTION = "correction", _("Correction")
        OPENING_BALANCE = "opening_balance", _("Opening balance")
        CROSS_BANK = "cross_bank", _("Exchange with another bank")

    timebank = models.ForeignKey(Timebank, on_delete=models.PROTECT, related_name="transfers")
    from_account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="outgoing")
    to_account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="incoming")
    minutes = models.PositiveIntegerField(_("minutes"))
    reason = models.CharField(_("what for"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.EXCHANGE)
    occurred_on = models.DateField(_("date of the exchange"), default=timezone.localdate)
    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    on_behalf_of = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    channel = models.CharField(max_length=20, default="web")
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by",
        help_text="The transfer this correction reverses.",
    )
    linked = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="linked_from",
        help_text="Cross-bank: the other bank's leg of the same exchange.",
    )

    objects = TransferQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(minutes__gt=0), name="transfer_minutes_positive"),
            models.CheckConstraint(
                condition=~models.Q(from_account=models.F("to_account")), name="transfer_between_two_accounts"
            ),
        ]
        indexes = [
            models.Index(fields=["from_account", "-created_at"], name="transfer_from_idx"),
            models.Index(fields=["to_account", "-created_at"], name="transfer_to_idx"),
        ]
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")

    def __str__(self) -> str:
        # No related lookups here: the audit log labels every transfer with this.
        return f"transfer {self.pk}: {self.minutes} min {self.from_account_id}->{self.to_account_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(_("Transfers cannot be changed; record a correction instead."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Transfers cannot be deleted; record a correction instead."))


# --- co-delivery: availability, trust, offers, requests, exchanges ---------------------------------
#
# Availability and trust records belong to a member of one bank. References, safeguarding checks and
# broker notes are seen only by that bank's brokers and coordinators (`timebank.view_trust`).


class AvailabilityWindow(models.Model):
    """A weekly window in which the member is usually free (e.g. Saturday 09:00–13:00)."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    member = models.ForeignKey(TimebankMember, on_delete=models.CASCADE, related_name="availability")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    start = models.TimeField(_("from"))
    end = models.TimeField(_("until"))

    class Meta:
        ordering = ["member", "weekday", "start", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(start__lt=models.F("end")),
                                              name="availability_start_before_end")]
        verbose_name = _("availability window")
        verbose_name_plural = _("availability windows")

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}-{self.end:%H:%M}"

    def minutes_of_week(self) -> tuple[int, int]:
        """(start, end) as minutes of the week, Monday 00:00 = 0, as the matching engine counts."""
        base = self.weekday * 1440
        return base + self.start.hour * 60 + self.start.minute, base + self.end.hour * 60 + self.end.minute


class OptOut(models.Model):
    """A period in which the member does not want to be asked (a holiday, a busy time)."""

    member = models.ForeignKey(TimebankMember, on_delete=models.CASCADE, related_name="opt_outs")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until (inclusive)"))
    reason = models.CharField(_("reason (optional)"), max_length=200, blank=True)

    class Meta:
        ordering = ["member", "starts_on", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(starts_on__lte=models.F("ends_on")),
                                              name="opt_out_start_before_end")]
        verbose_name = _("opt-out period")
        verbose_name_plural = _("opt-out periods")

    def __str__(self) -> str:
        return f"{self.starts_on}–{self.ends_on}"


class Vouch(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Does not know")


class Reference(models.Model):
    """A reference asked of a referee about a member; the four qualities are vouched yes/no/unknown."""

    QUALITIES = ("honesty", "reliability", "team_working", "getting_on")

    member = models.ForeignKey(TimebankMember, on_delete=models.CASCADE, related_name="references")
    referee_name = models.CharField(_("referee"), max_length=160)
    referee_contact = models.CharField(_("referee's phone, email or address"), max_length=300, blank=True)
    requested_on = models.DateField(_("asked on"), default=timezone.localdate)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    honesty = models.CharField(_("honesty"), max_length=10, choices=Vouch.choices, default=Vouch.UNKNOWN)
    reliability = models.CharField(_("reliability and punctuality"), max_length=10, choices=Vouch.choices,
                                   default=Vouch.UNKNOWN)
    team_working = models.CharField(_("team working"), max_length=10, choices=Vouch.choices, default=Vouch.UNKNOWN)
    getting_on = models.CharField(_("getting on with others"), max_length=10, choices=Vouch.choices,
                                  default=Vouch.UNKNOWN)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")

    class Meta:
        ordering = ["member", "-requested_on", "-id"]
        verbose_name = _("reference")
        verbose_name_plural = _("references")

    def __str__(self) -> str:
        return f"reference {self.pk}"


class SafeguardingCheck(models.Model):
    """A criminal-record / disclosure check (e.g. DBS). Valid on issued <= day < expires."""

    class Kind(models.TextChoices):
        DBS_BASIC = "dbs_basic", _("DBS basic")
        DBS_STANDARD = "dbs_standard", _("DBS standard")
        DBS_ENHANCED = "dbs_enhanced", _("DBS enhanced")
        DBS_ENHANCED_BARRED = "dbs_enhanced_barred", _("DBS enhanced with barred lists")
        OTHER = "other", _("Other disclosure check")

    member = models.ForeignKey(TimebankMember, on_delete=models.CASCADE, related_name="checks")
    kind = models.CharField(_("type"), max_length=30, choices=Kind.choices)
    reference_number = models.CharField(_("reference number"), max_length=60)
    issued_on = models.DateField(_("issued"))
    expires_on = models.DateField(_("expires"), null=True, blank=True, help_text=_("Empty: no expiry date."))
    covers_children = models.BooleanField(_("covers work with children"), default=False)
    covers_vulnerable_adults = models.BooleanField(_("covers work with vulnerable adults"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")

    class Meta:
        ordering = ["member", "-issued_on", "-id"]
        constraints = [models.CheckConstraint(
            condition=models.Q(expires_on__isnull=True) | models.Q(issued_on__lt=models.F("expires_on")),
            name="check_issued_before_expiry")]
        verbose_name = _("safeguarding check")
        verbose_name_plural = _("safeguarding checks")

    def __str__(self) -> str:
        return f"check {self.pk}"

    def is_valid_on(self, day) -> bool:
        return self.issued_on <= day and (self.expires_on is None or day < self.expires_on)


class BrokerNote(models.Model):
    """What a broker knows about a member ("prefers mornings; hard of hearing, call twice")."""

    member = models.ForeignKey(TimebankMember, on_delete=models.CASCADE, related_name="broker_notes")
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+")

    class Meta:
        ordering = ["member", "-created_at", "-id"]
        verbose_name = _("broker note")
        verbose_name_plural = _("broker notes")

    def __str__(self) -> str:
        return f"note {self.pk}"


class Posting(models.Model):
    """What offers ("I can…") and requests ("I need…") have in common."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        PAUSED = "paused", _("Paused")
        CLOSED = "closed", _("Closed")

    member = models.ForeignKey(TimebankMember, on_delete=models.PROTECT, related_name="+")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+", verbose_name=_("category"))
    description = models.TextField(_("description"), max_length=2000)
    neighbourhood = models.ForeignKey("core.Area", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                      verbose_name=_("neighbourhood"))
    regular = models.BooleanField(_("regular"), default=False, help_text=_("Every week, rather than once."))
    until = models.DateField(_("until"), null=True, blank=True, help_text=_("For regular help; empty: no end."))
    home_visit = models.BooleanField(_("in someone's home"), default=False)
    involves_children = models.BooleanField(_("involves children"), default=False)
    involves_vulnerable_adults = models.BooleanField(_("involves vulnerable adults"), default=False)
    sensitive = models.BooleanField(_("sensitive"), default=False,
                                    help_text=_("Helpers need references (for example taking someone to hospital)."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    on_behalf = models.BooleanField(_("recorded by a broker on the member's behalf"), default=False)
    channel = models.CharField(max_length=20, default="web")

    class Meta:
        abstract = True


class Offer(Posting):
    """Something a member can do or give ("I can…")."""

    member = models.ForeignKey(TimebankMember, on_delete=models.PROTECT, related_name="offers")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["member", "status"], name="offer_member_status_idx")]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")

    def __str__(self) -> str:
        return f"offer {self.pk}"


class HelpRequest(Posting):
    """Help a member needs ("I need…"). Brokers may add requirements (two helpers, outside the home)."""

    member = models.ForeignKey(TimebankMember, on_delete=models.PROTECT, related_name="requests")
    starts_at = models.DateTimeField(_("when"), null=True, blank=True,
                                     help_text=_("The date and time wanted; for regular help, the first time."))
    duration_minutes = models.PositiveIntegerField(_("how long (minutes)"), default=60)
    # Broker requirements.
    helpers_needed = models.PositiveSmallIntegerField(_("helpers needed"), default=1)
    outside_home = models.BooleanField(_("the exchange must happen outside the home"), default=False)
    requirements_note = models.CharField(_("why (for brokers)"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"], name="request_status_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(helpers_needed__gte=1, helpers_needed__lte=10),
                                   name="request_helpers_needed_range"),
            models.CheckConstraint(condition=models.Q(duration_minutes__gt=0), name="request_duration_positive"),
        ]
        verbose_name = _("request for help")
        verbose_name_plural = _("requests for help")

    def __str__(self) -> str:
        return f"request {self.pk}"


class Exchange(models.Model):
    """One occasion of help between members, through its lifecycle:

    requested -> matched -> scheduled -> done -> confirmed -> credited, or cancelled before credited.
    Who gives and who receives are `ExchangeParticipant` rows (two helpers, group activities).
    Crediting writes the ledger transfers in the same transaction as the state change.
    """

    class State(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        MATCHED = "matched", _("Matched")
        SCHEDULED = "scheduled", _("Scheduled")
        DONE = "done", _("Done")
        CONFIRMED = "confirmed", _("Confirmed")
        CREDITED = "credited", _("Credited")
        CANCELLED = "cancelled", _("Cancelled")

    class Place(models.TextChoices):
        RECIPIENT_HOME = "recipient_home", _("At the home of who is helped")
        HELPER_HOME = "helper_home", _("At the helper's home")
        PUBLIC = "public", _("A public or community place")
        REMOTE = "remote", _("By phone or online")

    HOME_PLACES = (Place.RECIPIENT_HOME, Place.HELPER_HOME)

    timebank = models.ForeignKey(Timebank, on_delete=models.PROTECT, related_name="exchanges")
    request = models.ForeignKey(HelpRequest, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="exchanges")
    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, null=True, blank=True, related_name="exchanges")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+")
    description = models.CharField(_("what for"), max_length=200)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.REQUESTED)
    group_activity = models.BooleanField(_("group activity"), default=False)
    helpers_needed = models.PositiveSmallIntegerField(_("helpers needed"), default=1)
    outside_home = models.BooleanField(_("outside the home"), default=False)
    minutes = models.PositiveIntegerField(_("how long (minutes)"), default=60)
    starts_at = models.DateTimeField(_("when"), null=True, blank=True)
    place = models.CharField(_("where"), max_length=20, choices=Place.choices, blank=True)
    place_detail = models.CharField(_("place"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    matched_at = models.DateTimeField(null=True, blank=True)
    matched_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    done_at = models.DateTimeField(null=True, blank=True)
    credited_at = models.DateTimeField(null=True, blank=True)
    credit_error = models.CharField(max_length=300, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    cancelled_by_member = models.ForeignKey(TimebankMember, on_delete=models.SET_NULL, null=True, blank=True,
                                            related_name="+")
    cancelled_late_by_helper = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["timebank", "state"], name="exchange_bank_state_idx")]
        constraints = [models.CheckConstraint(condition=models.Q(minutes__gt=0), name="exchange_minutes_positive")]
        verbose_name = _("exchange")
        verbose_name_plural = _("exchanges")

    def __str__(self) -> str:
        return f"exchange {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.state not in (self.State.CREDITED, self.State.CANCELLED)


class ExchangeParticipant(models.Model):
    """A member's part in an exchange: a giver earns `minutes`, a receiver pays `minutes`.
    The givers' minutes and the receivers' minutes are equal once the exchange is credited."""

    class Role(models.TextChoices):
        GIVER = "giver", _("Gives help")
        RECEIVER = "receiver", _("Receives help")

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="participants")
    member = models.ForeignKey(TimebankMember, on_delete=models.PROTECT, related_name="exchange_parts")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    minutes = models.PositiveIntegerField(_("minutes"), default=0)
    accepted_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")

    class Meta:
        ordering = ["exchange", "role", "id"]
        constraints = [models.UniqueConstraint(fields=["exchange", "member"], name="one_part_per_member")]
        indexes = [models.Index(fields=["member", "role"], name="participant_member_role_idx")]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self) -> str:
        return f"{self.role} {self.member_id} in exchange {self.exchange_id}"


class ExchangeTransfer(models.Model):
    """Links an exchange to the ledger transfers its crediting wrote (the payer's leg)."""

    exchange = models.ForeignKey(Exchange, on_delete=models.PROTECT, related_name="credits")
    transfer = models.OneToOneField(Transfer, on_delete=models.PROTECT, related_name="exchange_link")

    class Meta:
        ordering = ["exchange", "id"]

    def __str__(self) -> str:
        return f"exchange {self.exchange_id} transfer {self.transfer_id}"


class Expense(models.Model):
    """An expense agreed before the exchange (a bus fare). Recorded, never moved in the ledger:
    expenses are settled in money, outside the timebank."""

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="expenses")
    what = models.CharField(_("what"), max_length=200)
    estimated_amount = models.DecimalField(_("estimated amount"), max_digits=10, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="GBP")
    agreed_by = models.CharField(_("agreed by"), max_length=200)
    agreed_at = models.DateTimeField(default=timezone.now, editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")

    class Meta:
        ordering = ["exchange", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(estimated_amount__gte=0),
                                              name="expense_amount_not_negative")]
        verbose_name = _("agreed expense")
        verbose_name_plural = _("agreed expenses")

    def __str__(self) -> str:
        return f"expense {self.pk}"


def _new_token() -> str:
    import uuid

    return uuid.uuid4().hex


class MatchingVersion(models.Model):
    """A counter per network (or per bank without a network), raised by every change that matters to
    matching, so each process knows when its cached matching index is stale."""

    scope = models.CharField(max_length=40, unique=True)
    version = models.BigIntegerField(default=0)
    # New for every row: a cache built from a row that was since deleted or rolled back never matches.
    token = models.CharField(max_length=32, default=_new_token, editable=False)

    def __str__(self) -> str:
        return f"{self.scope}@{self.version}"


class MatchingChange(models.Model):
    """Which member's matching data changed at a version (empty member: anything, rebuild all), so a
    process holding an older index updates just those members."""

    scope = models.CharField(max_length=40)
    version = models.BigIntegerField()
    member_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["scope", "version"], name="matching_change_idx")]

    def __str__(self) -> str:
        return f"{self.scope}@{self.version}: {self.member_id}"


class DigestSent(models.Model):
    """The daily digest of unmatched requests went to this broker on this day (at most once)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "day"], name="one_digest_per_broker_per_day")]

    def __str__(self) -> str:
        return f"digest {self.person_id} {self.day}"


class StandingDonation(models.Model):
    """A member regularly gives `minutes` a month to a group (another member of the bank) or to the
    community pot (`to` empty). Executed once per month by `coproduce timebank standing-donations`."""

    member = models.ForeignKey(TimebankMember, on_delete=models.PROTECT, related_name="standing_donations")
    to = models.ForeignKey(TimebankMember, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                           verbose_name=_("to"), help_text=_("Empty: the community pot."))
    minutes = models.PositiveIntegerField(_("minutes a month"))
    reason = models.CharField(_("what for"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True)
    starts_on = models.DateField(_("from"), default=timezone.localdate)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    class Meta:
        ordering = ["member", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(minutes__gt=0), name="standing_donation_positive")]
        verbose_name = _("standing donation")
        verbose_name_plural = _("standing donations")

    def __str__(self) -> str:
        return f"standing donation {self.pk}"


class StandingDonationRun(models.Model):
    """One month's execution of a standing donation: at most one per donation and month."""

    donation = models.ForeignKey(StandingDonation, on_delete=models.PROTECT, related_name="runs")
    period = models.CharField(max_length=7)  # "2026-11"
    transfer = models.OneToOneField(Transfer, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    error = models.CharField(max_length=300, blank=True)
    ran_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["donation", "period"], name="one_run_per_donation_per_month")]

    def __str__(self) -> str:
        return f"{self.donation_id} {self.period}"
