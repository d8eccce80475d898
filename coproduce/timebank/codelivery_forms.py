"""Forms for offers, requests, exchanges, availability and the trust record. Thin: they parse;
the services validate and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from coproduce.core.forms import DateInput
from coproduce.core.models import Area

from .forms import OFFLINE_CHANNELS, GuardianConsentForm, MemberChoiceField
from .models import AvailabilityWindow, Category, Exchange, SafeguardingCheck, TimebankMember, Vouch


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class PostingForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none())
    description = forms.CharField(label=_("Description"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    neighbourhood = forms.ModelChoiceField(
        label=_("Neighbourhood"), queryset=Area.objects.all(), required=False, empty_label=_("Where the member lives"),
        help_text=_("Where the help is given or needed. Helpers nearby are suggested first."),
    )
    regular = forms.BooleanField(label=_("Regular (every week)"), required=False)
    until = forms.DateField(label=_("Until (for regular help)"), required=False, widget=DateInput())
    home_visit = forms.BooleanField(label=_("In someone's home"), required=False)
    involves_children = forms.BooleanField(label=_("Involves children"), required=False)
    involves_vulnerable_adults = forms.BooleanField(label=_("Involves vulnerable adults"), required=False)

    def __init__(self, *args, timebank, on_behalf=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.for_bank(timebank)
        self.fields["category"].label_from_instance = lambda c: f"{c.group_label}: {c.label}"
        if on_behalf:
            self.fields["channel"] = forms.ChoiceField(label=_("How did they tell us?"), choices=OFFLINE_CHANNELS)

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["category"] = data["category"].pk
        data.pop("channel", None)
        return data


class RequestForm(PostingForm):
    starts_at = forms.DateTimeField(label=_("When"), required=False, widget=DateTimeInput(),
                                    help_text=_("The date and time you would like; for regular help, the first time."))
    duration_minutes = forms.IntegerField(label=_("How long (minutes)"), min_value=1, max_value=1440, initial=60)


class ExchangeActionForm(forms.Form):
    """Confirm, accept, mark done or cancel; brokers say for whom."""

    action = forms.ChoiceField(choices=[(a, a) for a in ("accept", "schedule", "done", "confirm", "cancel",
                                                           "credit", "expense")], widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Why is it cancelled?"), max_length=300, required=False)
    minutes = forms.IntegerField(label=_("How long did it take (minutes)?"), min_value=1, max_value=1440,
                                 required=False)
    starts_at = forms.DateTimeField(label=_("When"), required=False, widget=DateTimeInput())
    place = forms.ChoiceField(label=_("Where"), choices=[("", "—")] + Exchange.Place.choices, required=False)
    place_detail = forms.CharField(label=_("Place"), max_length=200, required=False)
    member = forms.IntegerField(required=False, widget=forms.HiddenInput)
    what = forms.CharField(label=_("Expense: what for"), max_length=200, required=False)
    estimated_amount = forms.DecimalField(label=_("Estimated amount"), max_digits=10, decimal_places=2,
                                          min_value=0, required=False)
    agreed_by = forms.CharField(label=_("Agreed by"), max_length=200, required=False)


class MatchForm(forms.Form):
    helpers = forms.ModelMultipleChoiceField(label=_("Helpers"), queryset=TimebankMember.objects.none(),
                                             widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["helpers"].queryset = TimebankMember.objects.filter(pk__in=[m.pk for m in members]).select_related(
            "person")
        self.fields["helpers"].label_from_instance = lambda m: m.person.name


class WhyNotForm(forms.Form):
    member = MemberChoiceField(label=_("Member"), queryset=TimebankMember.objects.none())

    def __init__(self, *args, timebank, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = TimebankMember.objects.filter(timebank=timebank).select_related(
            "person").order_by("person__name", "id")


class RequirementsForm(forms.Form):
    helpers_needed = forms.IntegerField(label=_("Helpers needed"), min_value=1, max_value=10, initial=1)
    outside_home = forms.BooleanField(label=_("The exchange must happen outside the home"), required=False)
    note = forms.CharField(label=_("Why (for brokers)"), max_length=300, required=False)


class WindowForm(forms.Form):
    weekday = forms.TypedChoiceField(label=_("Day"), choices=AvailabilityWindow.Weekday.choices, coerce=int)
    start = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}))


class OptOutForm(forms.Form):
    starts_on = forms.DateField(label=_("From"), widget=DateInput())
    ends_on = forms.DateField(label=_("Until (inclusive)"), widget=DateInput())
    reason = forms.CharField(label=_("Reason (optional)"), max_length=200, required=False)


class ReferenceForm(forms.Form):
    referee_name = forms.CharField(label=_("Referee"), max_length=160)
    referee_contact = forms.CharField(label=_("Referee's phone, email or address"), max_length=300, required=False)
    requested_on = forms.DateField(label=_("Asked on"), widget=DateInput())
    received_on = forms.DateField(label=_("Received on"), required=False, widget=DateInput())
    honesty = forms.ChoiceField(label=_("Honesty"), choices=Vouch.choices, initial=Vouch.UNKNOWN)
    reliability = forms.ChoiceField(label=_("Reliability and punctuality"), choices=Vouch.choices,
                                    initial=Vouch.UNKNOWN)
    team_working = forms.ChoiceField(label=_("Team working"), choices=Vouch.choices, initial=Vouch.UNKNOWN)
    getting_on = forms.ChoiceField(label=_("Getting on with others"), choices=Vouch.choices, initial=Vouch.UNKNOWN)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CheckForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=SafeguardingCheck.Kind.choices)
    reference_number = forms.CharField(label=_("Reference number"), max_length=60)
    issued_on = forms.DateField(label=_("Issued"), widget=DateInput())
    expires_on = forms.DateField(label=_("Expires"), required=False, widget=DateInput())
    covers_children = forms.BooleanField(label=_("Covers work with children"), required=False)
    covers_vulnerable_adults = forms.BooleanField(label=_("Covers work with vulnerable adults"), required=False)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class JoinForm(GuardianConsentForm):
    accept_agreement = forms.BooleanField(label=_("I accept the member agreement"), required=False)
    kind = forms.ChoiceField(label=_("I join as"), choices=TimebankMember.Kind.choices,
                             initial=TimebankMember.Kind.INDIVIDUAL)
