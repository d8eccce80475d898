from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from coproduce.core.audit import Channel
from coproduce.core.forms import DateInput
from coproduce.core.models import Area, Organisation, Person, Topic

from .models import Budget, Pledge, Process, Proposal
from .services import parse_amount

ON_BEHALF_CHOICES = [
    (Channel.PAPER, _("On paper")),
    (Channel.PHONE, _("By phone")),
    (Channel.IN_PERSON, _("In person, at a stall or an event")),
]


ON_BEHALF_RECEIVED = [
    (Channel.PAPER, _("on paper or by post")),
    (Channel.PHONE, _("by phone or message")),
    (Channel.IN_PERSON, _("in person, at a stall or an event")),
]


def add_on_behalf_fields(form, people, *, who: str) -> None:
    """The fields of something staff record for a person who told them offline: whose it is (one of
    `people`) and how they told us."""
    form.fields["on_behalf_of"] = forms.ModelChoiceField(
        label=who, queryset=people if people is not None else Person.objects.none())
    form.fields["channel"] = forms.ChoiceField(label=_("How did they tell us?"), choices=ON_BEHALF_CHOICES,
                                               widget=forms.RadioSelect)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class AmountField(forms.Field):
    """An amount typed in major units ("1200.50") and cleaned to integer minor units."""

    widget = forms.TextInput

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "maxlength": "20"})

    def prepare_value(self, value):
        if isinstance(value, int):
            whole, cents = divmod(value, 100)
            return f"{whole}.{cents:02d}" if cents else str(whole)
        return value

    def to_python(self, value):
        value = str(value).strip() if value is not None else ""
        if value in self.empty_values:
            return None
        try:
            return parse_amount(value)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["amount"]) from None


class ProcessForm(forms.ModelForm):
    class Meta:
        model = Process
        fields = [
            "title", "description", "kind", "area", "is_published", "currency",
            "collect_starts", "review_starts", "vote_starts", "vote_ends", "delivery_starts",
            "method", "min_choices", "max_choices", "points_total", "min_spend_percent",
            "rule", "completion", "tie_break", "threshold",
            "district_rule", "residents_only", "min_age", "verification", "pledges_reduce_cost",
        ]
        widgets = {name: DateTimeInput() for name in
                   ("collect_starts", "review_starts", "vote_starts", "vote_ends", "delivery_starts")}
        widgets.update({"description": forms.Textarea(attrs={"rows": 4}),
                        "kind": forms.RadioSelect, "method": forms.RadioSelect, "rule": forms.RadioSelect,
                        "district_rule": forms.RadioSelect, "verification": forms.RadioSelect})

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.all()
        if organisations is not None:
            self.fields["organisation"] = forms.ModelChoiceField(queryset=organisations, label=_("Organisation"))
            self.order_fields(["organisation"])

    def process_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class BudgetForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    amount = AmountField(label=_("Amount"), help_text=_("For example 50000 or 50000.00."))
    area = forms.ModelChoiceField(label=_("District"), queryset=Area.objects.all(), required=False,
                                  empty_label=_("Whole area (city-wide)"))


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("What should be done, and why?"), widget=forms.Textarea(attrs={"rows": 5}),
                                  required=False)
    area = forms.ModelChoiceField(label=_("Where?"), queryset=Area.objects.all(), required=False,
                                  empty_label=_("Everywhere / not one place"))
    address = forms.CharField(label=_("Address or place"), max_length=300, required=False,
                              help_text=_("A street address, or where it is, e.g. “the corner of the park by the school”."))
    latitude = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90,
                                help_text=_("Optional: the exact point, in degrees, e.g. 52.2305."),
                                widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    longitude = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180,
                                 help_text=_("Give both latitude and longitude, or neither, e.g. 21.0095."),
                                 widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    category = forms.ModelChoiceField(label=_("Category"), queryset=Topic.objects.all(), required=False)
    cost_estimate = AmountField(label=_("Roughly how much would it cost?"), required=False)

    def __init__(self, *args, on_behalf=False, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if on_behalf:
            self.fields["channel"] = forms.ChoiceField(label=_("How did the proposal reach us?"),
                                                       choices=ON_BEHALF_CHOICES, widget=forms.RadioSelect)
            self.fields["on_behalf_of"] = forms.ModelChoiceField(
                label=_("Proposed by"), queryset=people if people is not None else Person.objects.none(),
                required=False, empty_label=_("Not registered / anonymous"))


class ProposalEditForm(ProposalForm):
    """What can change after a proposal was submitted (`services.PROPOSAL_EDIT_FIELDS`). Staff
    also say how the change reached them: `channels` are those `services.may_edit_proposal`
    allows this user (web = a correction by staff; paper, phone, in person = for the proposer)."""

    def __init__(self, *args, channels=(Channel.WEB,), **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["area"], self.fields["cost_estimate"]
        offline = [choice for choice in ON_BEHALF_CHOICES if choice[0] in channels]
        if offline:
            own = [(Channel.WEB, _("No one asked: a correction by staff"))] if Channel.WEB in channels else []
            self.fields["channel"] = forms.ChoiceField(label=_("Who asked for the change, and how?"),
                                                       choices=own + offline, widget=forms.RadioSelect)


class ProposalFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    budget = forms.ModelChoiceField(label=_("Budget"), queryset=Budget.objects.none(), required=False,
                                    empty_label=_("All budgets"))
    category = forms.ModelChoiceField(label=_("Category"), queryset=Topic.objects.all(), required=False,
                                      empty_label=_("Any category"))
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any status"))] + Proposal.Status.choices)

    def __init__(self, *args, process=None, **kwargs):
        super().__init__(*args, **kwargs)
        if process is not None:
            self.fields["budget"].queryset = process.budgets.all()


class CsvForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))
    dry_run = forms.BooleanField(label=_("Only check the file (import nothing)"), required=False, initial=True)

    def text(self) -> str:
        raw = self.cleaned_data["file"].read()
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(_("The file must be UTF-8 text.")) from None


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect, choices=[
        ("feasible", _("Feasible: put it on the ballot")), ("infeasible", _("Not feasible"))])
    reason = forms.CharField(label=_("Reason (shown to everyone)"), widget=forms.Textarea(attrs={"rows": 3}))
    cost = AmountField(label=_("Cost estimate by staff"), required=False)
    budget = forms.ModelChoiceField(label=_("Budget"), queryset=Budget.objects.none(), required=False)

    def __init__(self, *args, process=None, **kwargs):
        super().__init__(*args, **kwargs)
        if process is not None:
            self.fields["budget"].queryset = process.budgets.all()


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(label=_("Merge into"), queryset=Proposal.objects.none())
    reason = forms.CharField(label=_("Reason (shown to everyone)"), max_length=500)

    def __init__(self, *args, proposal=None, **kwargs):
        super().__init__(*args, **kwargs)
        if proposal is not None:
            self.fields["into"].queryset = proposal.process.proposals.exclude(pk=proposal.pk).exclude(
                status=Proposal.Status.MERGED)


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)

    def __init__(self, *args, on_behalf=False, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if on_behalf:  # staff write down a comment made on paper, by phone or in person
            self.fields["body"].label = _("Their comment")
            add_on_behalf_fields(self, people, who=_("Whose comment is it?"))


class SupportOnBehalfForm(forms.Form):
    """Staff record (or take back) the support of someone who asked on paper, by phone or in person."""
    on_behalf_of = forms.ModelChoiceField(label=_("Who supports it?"), queryset=Person.objects.none())
    channel = forms.ChoiceField(label=_("How did they tell us?"), choices=ON_BEHALF_CHOICES, widget=forms.RadioSelect)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["on_behalf_of"].queryset = people


class PledgeForm(forms.Form):
    service_fields = {"minutes": "hours"}  # the service counts time in minutes; here it is asked for in hours
    kind = forms.ChoiceField(label=_("What do you offer?"), choices=Pledge.Kind.choices, widget=forms.RadioSelect)
    hours = forms.DecimalField(label=_("Hours"), required=False, min_value=0, max_value=100000, decimal_places=2)
    amount = AmountField(label=_("Amount of money"), required=False,
                         help_text=_("Collected only if the proposal is funded."))
    description = forms.CharField(label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    group = forms.ModelChoiceField(label=_("On behalf of a group"), queryset=Organisation.objects.none(),
                                   required=False, empty_label=_("Just me"))

    def __init__(self, *args, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        if groups is not None:
            self.fields["group"].queryset = groups

    def clean_hours(self):
        hours = self.cleaned_data.get("hours")
        if hours and round(hours * 60) == 0:
            raise forms.ValidationError(_("Offer at least one minute (0.02 hours)."))
        return hours

    def minutes(self):
        """The hours offered in whole minutes (to the nearest minute), for `services.make_pledge`."""
        hours = self.cleaned_data.get("hours")
        return round(hours * 60) if hours else None


class PledgeOnBehalfForm(PledgeForm):
    """Staff record an offer received on paper, by phone or in person, for a named person."""

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["group"]
        self.fields["kind"].label = _("What do they offer?")
        add_on_behalf_fields(self, people, who=_("Who makes the offer?"))
        self.order_fields(["on_behalf_of", "channel"])


class ProgressForm(forms.Form):
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    spent = AmountField(label=_("Spent so far"))
    note = forms.CharField(label=_("What happened"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Why is it withdrawn? (shown to everyone)"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, on_behalf=False, **kwargs):
        super().__init__(*args, **kwargs)
        if on_behalf:
            self.fields["channel"] = forms.ChoiceField(
                label=_("How did the proposer ask for it?"), widget=forms.RadioSelect,
                choices=[(Channel.WEB, _("By email or a message"))] + ON_BEHALF_CHOICES)


class PhotoForm(forms.Form):
    photo = forms.FileField(label=_("Photo (JPEG, PNG or WebP)"),
                            widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
    caption = forms.CharField(label=_("What does it show?"), max_length=200, required=False)


class ProposalImageForm(forms.Form):
    image = forms.FileField(label=_("Image (JPEG, PNG or WebP)"),
                            widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
    alt_text = forms.CharField(label=_("Describe the image for people who cannot see it"), max_length=300,
                               help_text=_("For example: “The empty corner of the park, with a broken bench.”"))
    caption = forms.CharField(label=_("Caption (optional)"), max_length=200, required=False)

    def __init__(self, *args, staff=False, **kwargs):
        super().__init__(*args, **kwargs)
        if staff:  # staff add an image as themselves (reviewing) or one the proposer sent in
            self.fields["channel"] = forms.ChoiceField(
                label=_("Whose image is it?"), widget=forms.RadioSelect, initial=Channel.WEB,
                choices=[(Channel.WEB, _("Mine, as staff (for example from a site visit)"))] + [
                    (value, _("The proposer's, received %(how)s") % {"how": label})
                    for value, label in ON_BEHALF_RECEIVED])


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=200)
    due_on = forms.DateField(label=_("Due"), required=False, widget=DateInput())


class CodesForm(forms.Form):
    count = forms.IntegerField(label=_("How many codes?"), min_value=1, max_value=20000, initial=100)
    area = forms.ModelChoiceField(label=_("For residents of"), queryset=Area.objects.all(), required=False,
                                  empty_label=_("Anywhere in the process area"))


class PabulibForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())
    file = forms.FileField(label=_("Pabulib file (.pb)"))
    title = forms.CharField(label=_("Title"), required=False, max_length=160)

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["organisation"].queryset = organisations


class PhaseForm(forms.Form):
    phase = forms.ChoiceField(label=_("Move to phase"), choices=[])

    def __init__(self, *args, **kwargs):
        from .models import Phase

        super().__init__(*args, **kwargs)
        self.fields["phase"].choices = Phase.choices


class VoterForm(forms.Form):
    """How an anonymous voter proves they may vote (codes or census)."""

    code = forms.CharField(label=_("Voting code"), required=False, max_length=40,
                           help_text=_("Printed on your letter, e.g. ABCD-EFGH-JKLM."))
    census_id = forms.CharField(label=_("Identity number"), required=False, max_length=40)
    census_birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput())

    def __init__(self, *args, verification=None, **kwargs):
        super().__init__(*args, **kwargs)
        if verification != Process.Verification.CODES:
            del self.fields["code"]
        if verification != Process.Verification.CENSUS:
            del self.fields["census_id"]
            del self.fields["census_birth_date"]
