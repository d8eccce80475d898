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
