"""Co-commissioning: participatory-budgeting and priority-setting processes.

A `Process` belongs to an organisation and moves through dated phases (collect proposals → review →
vote → results → delivery). It holds one or more `Budget`s (city-wide, per district). Citizens
submit `Proposal`s (or, in a priority-setting process, staff list the options), comment on and
support them, and `Pledge` to help deliver them. Votes are `Ballot`s: secret, keyed only by an
opaque keyed hash of the voter, one per voter and budget. A `Tally` stores the outcome computed by
the pure engine (`budgeting.tally`) so that the results page only reads rows.

Money is in integer minor units (pence, cents); time in integer minutes. Every change of state goes
through `coproduce.budgeting.services`.
"""

import secrets
import uuid
from fractions import Fraction

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduce.core.models import Area, Organisation, Person, Topic


def _salt() -> str:
    return secrets.token_hex(16)


class Phase(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    COLLECT = "collect", _("Collecting proposals")
    REVIEW = "review", _("Reviewing proposals")
    VOTE = "vote", _("Voting")
    RESULTS = "results", _("Results")
    DELIVERY = "delivery", _("Delivery")


PHASE_ORDER = [p.value for p in Phase]
# Which date field starts each phase (the draft phase is everything before collection starts).
PHASE_STARTS = {
    Phase.COLLECT: "collect_starts",
    Phase.REVIEW: "review_starts",
    Phase.VOTE: "vote_starts",
    Phase.RESULTS: "vote_ends",
    Phase.DELIVERY: "delivery_starts",
}


class Process(models.Model):
    class Kind(models.TextChoices):
        BUDGETING = "budgeting", _("Participatory budgeting")
        PRIORITIES = "priorities", _("Priority setting")

    class Method(models.TextChoices):
        APPROVAL = "approval", _("Approval: choose between a minimum and a maximum number")
        COST_APPROVAL = "cost_approval", _("Cost-limited approval: choose projects within the budget")
        CUMULATIVE = "cumulative", _("Cumulative: spread points")
        RANKED = "ranked", _("Ranked: put your top choices in order")

    class Rule(models.TextChoices):
        GREEDY = "greedy", _("Greedy: most votes first, skipping what does not fit")
        GREEDY_NO_SKIP = "greedy-no-skip", _("Greedy, stopping at the first project that does not fit")
        GREEDY_THRESHOLD = "greedy-threshold", _("Greedy over projects reaching a minimum score")
        MES = "mes", _("Method of Equal Shares")
        PHRAGMEN = "phragmen", _("Sequential Phragmén")

    class Completion(models.TextChoices):
        NONE = "none", _("None")
        ADD1 = "add1", _("Add1: raise every voter's share while the outcome still fits")
        UTILITARIAN = "utilitarian", _("Fill the remaining money greedily")
        ADD1_UTILITARIAN = "add1-utilitarian", _("Add1, then fill the remaining money greedily")

    class TieBreak(models.TextChoices):
        DEFAULT = "default", _("Lower cost, then more votes, then project id")
        LEXICO = "lexico", _("Project id")

    class DistrictRule(models.TextChoices):
        OWN = "own", _("Their own district only")
        OWN_PLUS_ONE = "own_plus_one", _("Their own district and one other")
        ALL = "all", _("Every district")

    class Verification(models.TextChoices):
        ACCOUNT = "account", _("A log-in with a home area (and date of birth when there is a minimum age)")
        CENSUS = "census", _("The census list (stored only as salted hashes)")
        CODES = "codes", _("One-time voting codes sent by post")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="processes", verbose_name=_("organisation")
    )
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, null=True, blank=True, related_name="processes", verbose_name=_("area")
    )
    title = models.CharField(_("title"), max_length=160)
    slug = models.SlugField(_("slug"), max_length=160, unique=True)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.BUDGETING)
    is_published = models.BooleanField(_("published"), default=True)
    currency = models.CharField(_("currency"), max_length=3, default="GBP")

    collect_starts = models.DateTimeField(_("proposals open"), null=True, blank=True)
    review_starts = models.DateTimeField(_("review starts"), null=True, blank=True)
    vote_starts = models.DateTimeField(_("voting opens"), null=True, blank=True)
    vote_ends = models.DateTimeField(_("voting closes"), null=True, blank=True)
    delivery_starts = models.DateTimeField(_("delivery starts"), null=True, blank=True)

    method = models.CharField(_("voting method"), max_length=20, choices=Method.choices, default=Method.APPROVAL)
    min_choices = models.PositiveSmallIntegerField(_("minimum number of choices"), default=1)
    max_choices = models.PositiveSmallIntegerField(_("maximum number of choices"), null=True, blank=True)
    points_total = models.PositiveIntegerField(_("points to spread"), null=True, blank=True)
    min_spend_percent = models.PositiveSmallIntegerField(
        _("minimum share of the budget a ballot must spend (%)"), default=0
    )
    rule = models.CharField(_("counting rule"), max_length=20, choices=Rule.choices, default=Rule.GREEDY)
    completion = models.CharField(
        _("completion (Equal Shares)"), max_length=20, choices=Completion.choices, default=Completion.NONE
    )
    comparison = models.BooleanField(
        _("compare with the greedy outcome (Equal Shares)"), default=False, editable=False
    )
    tie_break = models.CharField(_("tie-break"), max_length=10, choices=TieBreak.choices, default=TieBreak.DEFAULT)
    threshold = models.PositiveIntegerField(_("minimum score (greedy with threshold)"), null=True, blank=True)

    district_rule = models.CharField(
        _("district budgets a voter may vote in"), max_length=20, choices=DistrictRule.choices,
        default=DistrictRule.OWN,
    )
    residents_only = models.BooleanField(_("only residents of the area may vote"), default=True)
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    verification = models.CharField(
        _("how voters are verified"), max_length=10, choices=Verification.choices, default=Verification.ACCOUNT
    )
    pledges_reduce_cost = models.BooleanField(
        _("pledged money reduces the public cost"), default=False,
        help_text=_("Money pledged to a project is deducted from the cost the budget has to find."),
    )
    hash_salt = models.CharField(max_length=32, default=_salt, editable=False)
    pabulib_meta = models.JSONField(default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("process")
        verbose_name_plural = _("processes")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("budgeting:process", args=[self.slug])

    def clean(self):
        errors = {}
        dates = [(name, getattr(self, name)) for name in PHASE_STARTS.values()]
        last = None
        for name, value in dates:
            if value is None:
                continue
            if last is not None and value < last[1]:
                errors[name] = [_("The phases must follow each other in time.")]
            last = (name, value)
        if self.max_choices is not None and self.max_choices < self.min_choices:
            errors["max_choices"] = [_("The maximum cannot be below the minimum.")]
        if self.method == self.Method.CUMULATIVE and not self.points_total:
            errors["points_total"] = [_("Say how many points each voter may spread.")]
        if self.min_spend_percent > 100:
            errors["min_spend_percent"] = [_("Give a percentage between 0 and 100.")]
        if self.rule == self.Rule.PHRAGMEN and self.method not in (self.Method.APPROVAL, self.Method.COST_APPROVAL):
            errors["rule"] = [_("Phragmén counts approval ballots only.")]
        if self.rule == self.Rule.GREEDY_THRESHOLD and self.threshold is None:
            errors["threshold"] = [_("Give the minimum score.")]
        if self.min_age is not None and not 11 <= self.min_age <= 120:
            errors["min_age"] = [_("The youngest voters allowed are 11.")]
        if errors:
            raise ValidationError(errors)

    def phase_at(self, now) -> str:
        current = Phase.DRAFT
        for phase, field in PHASE_STARTS.items():
            start = getattr(self, field)
            if start is not None and now >= start:
                current = phase
        return current

    @property
    def phase(self) -> str:
        return self.phase_at(timezone.now())

    def get_phase_display(self) -> str:
        return Phase(self.phase).label

    def phase_is(self, *phases) -> bool:
        return self.phase in phases

    @property
    def has_costs(self) -> bool:
        return self.kind == self.Kind.BUDGETING

    @property
    def results_are_public(self) -> bool:
        return self.is_published and self.phase in (Phase.RESULTS, Phase.DELIVERY)

    @property
    def vote_type(self) -> str:
        """The engine's / Pabulib's name for the ballots of this process."""
        return {"approval": "approval", "cost_approval": "approval", "cumulative": "cumulative",
                "ranked": "ordinal"}[self.method]


class Budget(models.Model):
    """Money to share out, city-wide (no area) or for one district."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="budgets")
    name = models.CharField(_("name"), max_length=120)
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("district"),
        help_text=_("Leave empty for a budget open to the whole area of the process."),
    )
    amount = models.BigIntegerField(_("amount (in minor units, e.g. pence)"), default=0)

    class Meta:
        ordering = ["process", "area__path", "id"]
        constraints = [models.UniqueConstraint(fields=["process", "area"], name="budget_one_per_area")]
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")

    def __str__(self) -> str:
        return self.name

    @property
    def is_city_wide(self) -> bool:
        return self.area_id is None


class Proposal(models.Model):
    """A project idea (budgeting) or an option (priority setting)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for review")
        FEASIBLE = "feasible", _("Feasible: on the ballot")
        INFEASIBLE = "infeasible", _("Not feasible")
        MERGED = "merged", _("Merged into another proposal")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="proposals")
    budget = models.ForeignKey(
        Budget, on_delete=models.PROTECT, null=True, blank=True, related_name="proposals", verbose_name=_("budget")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("location")
    )
    address = models.CharField(_("address or place"), max_length=300, blank=True,
                               help_text=_("A street address or a description of the place."))
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    category = models.ForeignKey(
        Topic, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("category")
    )
    proposer = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="proposals",
        verbose_name=_("proposed by"),
    )
    channel = models.CharField(_("channel"), max_length=20, default="web")
    cost_estimate = models.BigIntegerField(_("proposer's cost estimate"), null=True, blank=True)
    cost = models.BigIntegerField(_("cost (staff estimate)"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    review_reason = models.TextField(_("reason (public)"), blank=True)
    withdrawal_reason = models.TextField(_("why it was withdrawn (public)"), blank=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged_from"
    )
    external_id = models.CharField(_("project id"), max_length=64, blank=True,
                                   help_text=_("The id used in Pabulib files; empty means the number."))
    extra = models.JSONField(default=dict, blank=True, editable=False)
    support_count = models.PositiveIntegerField(default=0, editable=False)
    comment_count = models.PositiveIntegerField(default=0, editable=False)
    pledged_money = models.BigIntegerField(default=0, editable=False)
    pledged_minutes = models.BigIntegerField(default=0, editable=False)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    spent = models.BigIntegerField(_("spent so far"), default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["process", "id"]
        indexes = [models.Index(fields=["process", "status"]), models.Index(fields=["budget", "status"])]
        constraints = [models.CheckConstraint(
            condition=(models.Q(latitude__isnull=True, longitude__isnull=True)
                       | models.Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180)),
            name="proposal_point_both_or_neither_in_range")]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("budgeting:proposal", args=[self.process.slug, self.pk])

    @property
    def engine_id(self) -> str:
        return self.external_id or str(self.pk)

    @property
    def public_cost(self) -> int:
        """What the budget has to find (before any pledge deduction)."""
        if self.cost is not None:
            return self.cost
        return self.cost_estimate or 0

    @property
    def has_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def map_url(self) -> str:
        """An OpenStreetMap view of the point (no JavaScript needed on our side)."""
        if not self.has_point:
            return ""
        lat, lon = f"{self.latitude:.6f}", f"{self.longitude:.6f}"
        return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}"

    def cost_for_rule(self, pledges_reduce_cost: bool) -> int:
        cost = self.public_cost
        if pledges_reduce_cost:
            cost = max(0, cost - self.pledged_money)
        return cost


class Comment(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    body = models.TextField(_("comment"))
    channel = models.CharField(max_length=20, default="web")
    is_hidden = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return self.body[:60]


class Support(models.Model):
    """A citizen says "I support this" before the vote (not a vote)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supports")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["proposal", "person"], name="support_once")]

    def __str__(self) -> str:
        return f"support #{self.pk}"


class Pledge(models.Model):
    """An offer to help deliver a proposal: time, skills, materials, or money (co-financing)."""

    class Kind(models.TextChoices):
        HOURS = "hours", _("Time")
        SKILLS = "skills", _("Skills")
        MATERIALS = "materials", _("Materials")
        MONEY = "money", _("Money (co-financing)")

    class Status(models.TextChoices):
        PLEDGED = "pledged", _("Pledged")
        COLLECTED = "collected", _("Collected")
        RELEASED = "released", _("Released (the project was not funded)")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="pledges")
    person = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="pledges")
    group = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("on behalf of a group"),
    )
    kind = models.CharField(_("what you offer"), max_length=20, choices=Kind.choices)
    minutes = models.PositiveIntegerField(_("time (minutes)"), null=True, blank=True)
    amount = models.BigIntegerField(_("amount (minor units)"), null=True, blank=True)
    description = models.TextField(_("details"), blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLEDGED)
    channel = models.CharField(max_length=20, default="web")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    settled_at = models.DateTimeField(null=True, blank=True, editable=False,
                                      help_text="When it was marked collected or released after the count.")
    timebank_offer = models.OneToOneField(
        "timebank.Offer", on_delete=models.SET_NULL, null=True, blank=True, related_name="budgeting_pledge",
        editable=False, help_text="The timebank offer this pledge of time became when the proposal was funded.")

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.proposal}"


class Milestone(models.Model):
    """A step of delivering a funded proposal."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=200)
    due_on = models.DateField(_("due"), null=True, blank=True)
    done_on = models.DateField(_("done"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.title


class MilestonePhoto(models.Model):
    """A photo of delivery work. The file is stored under MEDIA_ROOT (outside the web root, with a name
    of our own) and served only through a permission-checked view; its type was recognised from its
    first bytes (JPEG, PNG or WebP), not from the name or type the browser sent."""

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to="budgeting/", max_length=255)
    content_type = models.CharField(max_length=20)
    size = models.PositiveIntegerField()
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.caption or f"photo {self.pk}"


class ProposalImage(models.Model):
    """An image of a proposal (the place, a sketch). Like delivery photos, its file is stored under
    MEDIA_ROOT with a name of our own and served through a permission-checked view; its type was
    recognised from its first bytes. `alt_text` describes it for people who cannot see it."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="images")
    file = models.FileField(upload_to="budgeting/", max_length=255)
    content_type = models.CharField(max_length=20)
    size = models.PositiveIntegerField()
    alt_text = models.CharField(_("description for people who cannot see the image"), max_length=300)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    person = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                               help_text="Whose image it is: the proposer (also when staff added it for them), "
                                         "or the member of staff who added it.")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+")
    channel = models.CharField(max_length=20, default="web")
    on_behalf = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["id"]
        verbose_name = _("proposal image")
        verbose_name_plural = _("proposal images")

    def __str__(self) -> str:
        return self.caption or self.alt_text


class VotingCode(models.Model):
    """A one-time voting code sent by post. Only a salted hash is stored; the code is printed once."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="codes")
    digest = models.CharField(max_length=64)
    batch = models.PositiveIntegerField(default=1)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["process", "digest"], name="code_unique")]

    def __str__(self) -> str:
        return f"voting code #{self.pk} (batch {self.batch})"


class CensusEntry(models.Model):
    """One line of the census list: a salted hash of identity number and date of birth, and the area
    (the age is checked from the date of birth given when voting)."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="census")
    digest = models.CharField(max_length=64)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # No longer read or written: the age is worked out from the date of birth the voter gives when they
    # vote, against the minimum age then in force (a flag set when the list was loaded went stale).
    too_young = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["process", "digest"], name="census_unique")]

    def __str__(self) -> str:
        return f"census entry #{self.pk}"


class Ballot(models.Model):
    """A secret ballot. It does not name the voter: `voter_key` is an HMAC (keyed with SECRET_KEY)
    of the voter's identity, so the same voter finds and replaces their own ballot, but nobody can
    go from a ballot to a person without the key. No timestamps and a random primary key, so the
    order of rows cannot be matched against the audit log either.

    `choices` are proposal ids (in order of preference for ranked ballots); `points` the points
    given to each (cumulative ballots). `voter_area` (district) and `age_band` are coarse facts for
    turnout and priority results by area and group; they are shown only for groups of 5 or more.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="ballots")
    voter_key = models.CharField(max_length=64)
    choices = models.JSONField(default=list)
    points = models.JSONField(null=True, blank=True)
    channel = models.CharField(max_length=20, default="web")
    voter_area = models.ForeignKey(Area, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    age_band = models.CharField(max_length=8, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["budget", "voter_key"], name="one_ballot_per_voter")]
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")

    def __str__(self) -> str:
        return f"ballot in budget {self.budget_id}"


class Tally(models.Model):
    """One run of the outcome engine on a budget's ballots, stored so results pages only read."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be counted")
        RUNNING = "running", _("Being counted")
        DONE = "done", _("Counted")
        FAILED = "failed", _("Failed")

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="tallies")
    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="tallies")
    official = models.BooleanField(default=False)
    is_current = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    rule = models.CharField(max_length=80, blank=True)
    exact = models.BooleanField(default=True)
    n_ballots = models.PositiveIntegerField(default=0)
    budget_amount = models.BigIntegerField(default=0)
    spent = models.BigIntegerField(default=0)
    selected = models.JSONField(default=list)
    turnout = models.JSONField(default=dict)
    details = models.JSONField(default=dict)
    log_json = models.TextField(blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["budget", "is_current"])]
        verbose_name = _("tally")
        verbose_name_plural = _("tallies")

    def __str__(self) -> str:
        return f"{self.budget} – {self.get_status_display()}"


class TallyRow(models.Model):
    """One project (or option) in a tally: votes, score, whether funded and why."""

    tally = models.ForeignKey(Tally, on_delete=models.CASCADE, related_name="rows")
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField(null=True, blank=True)
    selected = models.BooleanField(default=False)
    votes = models.PositiveIntegerField(default=0)
    score = models.BigIntegerField(default=0)
    cost = models.BigIntegerField(default=0)
    code = models.CharField(max_length=40, blank=True)
    numbers = models.JSONField(default=dict)
    sentence = models.TextField(blank=True)
    breakdown = models.JSONField(default=dict)

    class Meta:
        ordering = ["tally", "-selected", "position", "-score", "id"]

    def __str__(self) -> str:
        return f"tally {self.tally_id}: proposal {self.proposal_id}"


def minor_to_fraction(minor: int) -> Fraction:
    return Fraction(int(minor), 100)
