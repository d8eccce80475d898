"""Co-design: design labs, conversations (statements and votes, after Polis), free-text feedback and
its themes, insights and the decisions that cite them.

Rows here hold data and the invariants of a single row. Every change of state goes through
`coproduce.design.services`; the opinion maths lives in the pure engine `coproduce.design.analysis`.

Numbering: inside a conversation, statements and participants carry a `number` (Polis's comment-id and
voter-id). Imported conversations keep Polis's numbers, so an export gives back the same ids and the
stored analysis is keyed exactly like `coproduce design analyse` on the folder.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduce.core.models import Organisation, Person

AGREE, PASS, DISAGREE = 1, 0, -1
VOTE_CHOICES = [(AGREE, _("Agree")), (DISAGREE, _("Disagree")), (PASS, _("Pass / unsure"))]


class Lab(models.Model):
    """A design lab: a service or challenge that a public service designs with the people who use it."""

    class Stage(models.TextChoices):
        GATHER = "gather", _("Gather")
        SYNTHESISE = "synthesise", _("Synthesise")
        DECIDE = "decide", _("Decide")
        TEST = "test", _("Test")

    class Participation(models.TextChoices):
        OPEN = "open", _("Open to everyone")
        INVITATION = "invitation", _("By invitation")
        MEMBERS = "members", _("Members of an organisation")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="design_labs", verbose_name=_("organisation")
    )
    title = models.CharField(_("title"), max_length=160)
    slug = models.SlugField(_("slug"), max_length=160, unique=True)
    challenge = models.TextField(_("service or challenge"), blank=True)
    target_users = models.CharField(
        _("who we design with"), max_length=300, blank=True,
        help_text=_("For example: carers of people living with dementia."),
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.GATHER)
    participation = models.CharField(
        _("who can take part"), max_length=20, choices=Participation.choices, default=Participation.OPEN
    )
    members_of = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("members of"),
        help_text=_("When taking part is for members: members of this organisation (default: the lab's own)."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("design lab")
        verbose_name_plural = _("design labs")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("design:lab", args=[self.slug])

    @property
    def is_gathering(self) -> bool:
        return self.stage == self.Stage.GATHER

    @property
    def participants_organisation(self) -> Organisation:
        return self.members_of or self.organisation


class Invitation(models.Model):
    """A person invited to take part in a lab whose participation is by invitation."""

    lab = models.ForeignKey(Lab, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="design_invitations")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["lab", "person"], name="design_unique_invitation")]
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.person} – {self.lab}"


class Conversation(models.Model):
    """A Polis-style conversation: statements, and agree / disagree / pass votes on them."""

    class Moderation(models.TextChoices):
        PRE = "pre", _("Before publishing (statements wait for approval)")
        POST = "post", _("After publishing (statements show at once)")

    lab = models.ForeignKey(Lab, on_delete=models.CASCADE, related_name="conversations")
    title = models.CharField(_("title"), max_length=200)
    question = models.TextField(_("question or prompt"), blank=True)
    moderation = models.CharField(_("moderation"), max_length=10, choices=Moderation.choices,
                                  default=Moderation.PRE)
    anonymous_allowed = models.BooleanField(
        _("people may take part without logging in"), default=False,
        help_text=_("Only in labs open to everyone. Votes are tied to the browser session."),
    )
    statements_allowed = models.BooleanField(_("participants may write statements"), default=True)
    is_open = models.BooleanField(_("open for votes"), default=True)
    imported_from = models.CharField(_("imported from"), max_length=300, blank=True)
    analysis_pending = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("design:conversation", args=[self.lab.slug, self.pk])

    def visible_statuses(self) -> list[int]:
        """Moderation states of the statements shown to participants."""
        if self.moderation == self.Moderation.PRE:
            return [Statement.Status.ACCEPTED]
        return [Statement.Status.ACCEPTED, Statement.Status.PENDING]


class Participant(models.Model):
    """Someone taking part in one conversation: a person, an anonymous browser session, or a paper
    ballot entered by staff. After erasure the row stays (without the person) so votes stay valid."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="participants")
    number = models.PositiveIntegerField()
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="design_participations"
    )
    # NULL (not "") when there is no session, so the partial unique constraint ignores those rows
    session_key = models.CharField(max_length=40, null=True, blank=True)  # noqa: DJ001
    label = models.CharField(_("label"), max_length=80, blank=True, help_text=_("For example: paper ballot 12."))
    external_id = models.CharField(max_length=120, blank=True)
    channel = models.CharField(max_length=20, default="web")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conversation", "number"], name="design_unique_participant_number"),
            models.UniqueConstraint(fields=["conversation", "person"], condition=Q(person__isnull=False),
                                    name="design_unique_participant_person"),
            models.UniqueConstraint(fields=["conversation", "session_key"], condition=Q(session_key__isnull=False),
                                    name="design_unique_participant_session"),
            # a paper ballot's label names one participant (erasure blanks the label)
            models.UniqueConstraint(fields=["conversation", "label"], condition=~Q(label=""),
                                    name="design_unique_participant_label"),
        ]
        ordering = ["conversation", "number"]

    def __str__(self) -> str:
        return _("Participant %(n)s") % {"n": self.number}


class Statement(models.Model):
    class Status(models.IntegerChoices):
        REJECTED = -1, _("Rejected")
        PENDING = 0, _("Waiting for moderation")
        ACCEPTED = 1, _("Accepted")

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="statements")
    number = models.PositiveIntegerField()
    text = models.TextField(_("statement"))
    author = models.ForeignKey(
        Participant, on_delete=models.SET_NULL, null=True, blank=True, related_name="statements"
    )
    is_seed = models.BooleanField(_("seed statement"), default=False)
    is_meta = models.BooleanField(_("about the conversation itself (meta)"), default=False)
    status = models.SmallIntegerField(_("moderation"), choices=Status.choices, default=Status.PENDING)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conversation", "number"], name="design_unique_statement_number"),
        ]
        indexes = [models.Index(fields=["conversation", "status"])]
        ordering = ["conversation", "number"]
        verbose_name = _("statement")
        verbose_name_plural = _("statements")

    def __str__(self) -> str:
        return self.text[:80]


class Vote(models.Model):
    """The current vote of a participant on a statement (one per pair; changing it updates this row)."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="votes")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="votes")
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    value = models.SmallIntegerField(choices=VOTE_CHOICES)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["participant", "statement"], name="design_one_vote_per_statement"),
            models.CheckConstraint(condition=Q(value__in=[-1, 0, 1]), name="design_vote_value"),
        ]
        indexes = [models.Index(fields=["conversation", "statement"])]

    def __str__(self) -> str:
        return f"{self.participant_id} → {self.statement_id}: {self.value}"


class VoteEvent(models.Model):
    """Every vote as cast, with its time: the history behind `Vote`, and Polis's votes.csv."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="vote_events")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="vote_events")
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="vote_events")
    value = models.SmallIntegerField(choices=VOTE_CHOICES)
    at = models.DateTimeField(default=timezone.now)
    channel = models.CharField(max_length=20, default="web")

    class Meta:
        indexes = [models.Index(fields=["conversation", "at"])]
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.participant_id} → {self.statement_id}: {self.value}"


class Question(models.Model):
    """An optional demographic question ("Are you a carer?"), answered once per participant."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("question"), max_length=300)
    choices = models.JSONField(_("choices"), default=list)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class Answer(models.Model):
    """One participant's answer to a demographic question: given online (`channel` web, `entered_by`
    empty), or entered by lab staff from a paper form on the participant's behalf (`entered_by`)."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    choice = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    channel = models.CharField(max_length=20, default="web")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["participant", "question"], name="design_one_answer")]

    def __str__(self) -> str:
        return f"{self.participant_id}: {self.choice}"


class Analysis(models.Model):
    """The latest opinion analysis of a conversation (`AnalysisResult.to_json()`), computed in the
    background. Pages read this; they never compute."""

    conversation = models.OneToOneField(Conversation, on_delete=models.CASCADE, related_name="analysis")
    result = models.JSONField(default=dict)
    computed_at = models.DateTimeField(default=timezone.now)
    vote_count = models.PositiveIntegerField(default=0)
    participant_count = models.PositiveIntegerField(default=0)
    statement_count = models.PositiveIntegerField(default=0)
    group_count = models.PositiveIntegerField(default=0)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("analysis")
        verbose_name_plural = _("analyses")

    def __str__(self) -> str:
        return f"{self.conversation_id} @ {self.computed_at:%Y-%m-%d %H:%M}"


class Theme(models.Model):
    """A theme in a lab's free-text feedback: found by the engine, then renamed, merged or split by staff."""

    lab = models.ForeignKey(Lab, on_delete=models.CASCADE, related_name="themes")
    label = models.CharField(_("name"), max_length=160)
    keywords = models.JSONField(default=list, blank=True)
    source = models.CharField(max_length=20, default="engine")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["id"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.label or _("Theme %(n)s") % {"n": self.pk}

    def get_absolute_url(self) -> str:
        return reverse("design:theme", args=[self.lab.slug, self.pk])


class Feedback(models.Model):
    """A piece of free text: a story, an idea, a survey comment or a note from a workshop."""

    class Kind(models.TextChoices):
        STORY = "story", _("Story")
        IDEA = "idea", _("Idea")
        SURVEY = "survey", _("Survey comment")
        WORKSHOP = "workshop", _("Workshop note")

    lab = models.ForeignKey(Lab, on_delete=models.CASCADE, related_name="feedback")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.STORY)
    text = models.TextField(_("what was said"))
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="design_feedback",
        verbose_name=_("said by"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # recorded by staff in the name of `person` (who told them in person, by phone or on paper)
    on_behalf = models.BooleanField(default=False)
    channel = models.CharField(max_length=20, default="web")
    theme = models.ForeignKey(Theme, on_delete=models.SET_NULL, null=True, blank=True, related_name="items")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")

    def __str__(self) -> str:
        return self.text[:80]


class Insight(models.Model):
    """What staff learned, citing the evidence: statements, opinion groups and themes."""

    lab = models.ForeignKey(Lab, on_delete=models.CASCADE, related_name="insights")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("what we learned"), blank=True)
    statements = models.ManyToManyField(Statement, blank=True, related_name="insights",
                                        verbose_name=_("statements"))
    themes = models.ManyToManyField(Theme, blank=True, related_name="insights", verbose_name=_("themes"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("insight")
        verbose_name_plural = _("insights")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("design:insight", args=[self.lab.slug, self.pk])


class GroupCitation(models.Model):
    """An opinion group cited by an insight, kept as it was when cited (analyses change later)."""

    insight = models.ForeignKey(Insight, on_delete=models.CASCADE, related_name="group_citations")
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="+")
    group = models.PositiveSmallIntegerField()
    size = models.PositiveIntegerField(default=0)
    participant_numbers = models.JSONField(default=list)

    class Meta:
        ordering = ["conversation", "group"]

    def __str__(self) -> str:
        return group_label(self.group)


class Decision(models.Model):
    """A design decision, resting on insights. Published decisions tell people "you said, we did"."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    lab = models.ForeignKey(Lab, on_delete=models.CASCADE, related_name="decisions")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("what we will do"), blank=True)
    insights = models.ManyToManyField(Insight, related_name="decisions", verbose_name=_("insights"))
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("design:decision", args=[self.lab.slug, self.pk])


class FollowUp(models.Model):
    """Someone behind a published decision who has no email address: staff tell them "you said, we did"
    by phone, by letter or in person, and mark here when and how they did."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="follow_ups")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="design_follow_ups")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    told_at = models.DateTimeField(_("told"), null=True, blank=True)
    told_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    class Channel(models.TextChoices):  # the values of `core.audit.Channel.OFFLINE`
        PHONE = "phone", _("By phone")
        PAPER = "paper", _("By letter")
        IN_PERSON = "in_person", _("In person")

    channel = models.CharField(_("how they were told"), max_length=20, blank=True, choices=Channel.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["decision", "person"], name="design_unique_follow_up")]
        ordering = ["person__name", "id"]

    def __str__(self) -> str:
        return f"{self.person} – {self.decision}"


def group_label(index: int) -> str:
    """Opinion groups are named A, B, C… (the engine numbers them 0, 1, 2…)."""
    return _("Group %(letter)s") % {"letter": chr(ord("A") + int(index))}


class PolisUpload(models.Model):
    """A large Polis export uploaded through the web: stored, then imported by a background task
    (`tasks.import_polis_upload`) whose progress the status page shows."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    lab = models.ForeignKey(Lab, on_delete=models.CASCADE, related_name="polis_uploads")
    title = models.CharField(_("title"), max_length=200, blank=True)
    folder = models.CharField(max_length=300, editable=False)  # under MEDIA_ROOT, removed when finished
    size = models.PositiveBigIntegerField(default=0)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    step = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    conversation = models.ForeignKey(Conversation, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("Polis upload")
        verbose_name_plural = _("Polis uploads")

    def __str__(self) -> str:
        return self.title or _("Polis upload %(n)s") % {"n": self.pk}

    def get_absolute_url(self) -> str:
        return reverse("design:upload", args=[self.lab.slug, self.pk])

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
