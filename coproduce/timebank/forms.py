"""Forms for the timebank pages. Thin: they parse input; `timebank.services` validates and writes."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduce.core.audit import Channel
from coproduce.core.forms import DateInput
from coproduce.core.models import Area

from .models import GUARDIAN_CONSENT_CHANNELS, Category, TimebankMember

OFFLINE_CHANNELS = [
    (Channel.IN_PERSON, _("In person")),
    (Channel.PHONE, _("By phone")),
    (Channel.PAPER, _("On paper")),
]


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.person.name


GUARDIAN_FORM_FIELDS = ("is_child", "guardian_name", "guardian_relationship", "guardian_consent_on",
                        "guardian_consent_channel")


class GuardianConsentForm(forms.Form):
    """A child member's guardian consent, last on the form (`services.check_guardian` checks it)."""

    is_child = forms.BooleanField(label=_("A child (under 18): a guardian consents for them"), required=False)
    guardian_name = forms.CharField(label=_("Guardian who consents"), max_length=160, required=False,
                                    help_text=_("Their full name."))
    guardian_relationship = forms.CharField(label=_("Guardian's relationship to the child"), max_length=80,
                                            required=False, help_text=_("For example mother, father, foster carer."))
    guardian_consent_on = forms.DateField(label=_("Date the guardian consented"), required=False,
                                          widget=DateInput())
    guardian_consent_channel = forms.ChoiceField(label=_("How the guardian consented"), required=False,
                                                 choices=[("", "—")] + GUARDIAN_CONSENT_CHANNELS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields([f for f in self.fields if f not in GUARDIAN_FORM_FIELDS] + list(GUARDIAN_FORM_FIELDS))

    def guardian(self) -> dict:
        """The guardian fields as `services.register_member`/`request_to_join` take them."""
        return {f: self.cleaned_data.get(f) for f in GUARDIAN_FORM_FIELDS[1:]}


class RegisterMemberForm(GuardianConsentForm):
    """A broker registers someone without internet, on their behalf."""

    name = forms.CharField(label=_("Name"), max_length=160, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False,
                            widget=forms.TextInput(attrs={"autocomplete": "tel"}))
    postal_address = forms.CharField(label=_("Postal address"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}))
    birth_date = forms.DateField(label=_("Date of birth (optional)"), required=False, widget=DateInput())
    home_area = forms.ModelChoiceField(
        label=_("Home area"), queryset=Area.objects.all(), required=False,
        help_text=_("The neighbourhood they live in: helpers nearby are suggested first."),
    )
    kind = forms.ChoiceField(label=_("Kind of member"), choices=TimebankMember.Kind.choices,
                             initial=TimebankMember.Kind.INDIVIDUAL)
    channel = forms.ChoiceField(label=_("How did they reach us?"), choices=OFFLINE_CHANNELS)
    consent = forms.BooleanField(
        label=_("The person agreed to be registered and to us keeping these details."), required=False
    )
    agreement_accepted = forms.BooleanField(
        label=_("The person accepted the member agreement."), required=False
    )

    def __init__(self, *args, agreement=None, **kwargs):
        super().__init__(*args, **kwargs)
        if agreement is None:
            del self.fields["agreement_accepted"]
        else:
            self.fields["agreement_accepted"].label = _(
                "The person accepted the member agreement (version %(version)s) read to or shown to them."
            ) % {"version": agreement.version}


class ExchangeForm(forms.Form):
    """A broker records an exchange on behalf of the members: who received help pays who gave it."""

    payer = MemberChoiceField(label=_("Who received help"), queryset=TimebankMember.objects.none(),
                              help_text=_("Their account pays the time."))
    payee = MemberChoiceField(label=_("Who gave help"), queryset=TimebankMember.objects.none(),
                              help_text=_("Their account receives the time."))
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none(),
                                      help_text=_("What kind of help: it counts in the reports by category."))
    hours = forms.IntegerField(label=_("Hours"), min_value=0, max_value=10000, initial=0)
    minutes = forms.IntegerField(label=_("Minutes"), min_value=0, max_value=59, initial=0)
    reason = forms.CharField(label=_("What for"), max_length=200)
    occurred_on = forms.DateField(label=_("Date of the exchange"), widget=DateInput(), initial=timezone.localdate)
    channel = forms.ChoiceField(label=_("How did they tell us?"), choices=OFFLINE_CHANNELS)

    def __init__(self, *args, timebank, **kwargs):
        super().__init__(*args, **kwargs)
        members = (TimebankMember.objects.filter(timebank=timebank, status=TimebankMember.Status.ACTIVE)
                   .select_related("person").order_by("person__name", "id"))
        self.fields["payer"].queryset = members
        self.fields["payee"].queryset = members
        self.fields["category"].queryset = Category.objects.for_bank(timebank)
        self.fields["category"].label_from_instance = lambda c: f"{c.group_label}: {c.label}"

    def total_minutes(self) -> int:
        return self.cleaned_data["hours"] * 60 + self.cleaned_data["minutes"]


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=DateInput())
    end = forms.DateField(label=_("Until"), required=False, widget=DateInput())

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("The end must not be before the start."))
        return data


class ImportMembersForm(forms.Form):
    """A broker uploads members (and their opening balances) as CSV; a dry run checks only."""

    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("One member a line under a header line. Columns: name (required), email, phone, "
                    "postal_address, kind, status, overdraft_limit_minutes, max_balance_minutes, "
                    "opening_balance_minutes. A members file exported here imports unchanged."),
    )
    dry_run = forms.BooleanField(label=_("Dry run: check every line and import nothing"), required=False,
                                 initial=True)
    confirmed = forms.BooleanField(
        label=_("Everyone in the file agreed to be registered and accepted the member agreement."), required=False
    )

    def clean(self):
        data = super().clean()
        if not data.get("dry_run") and not data.get("confirmed"):
            self.add_error("confirmed", _("Confirm this before importing, or tick “Dry run” to check the file."))
        return data
