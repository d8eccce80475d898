"""Forms for a bank's settings, networks, member agreement and categories. Thin: they parse input;
`timebank.services` and `timebank.category_services` validate and write."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from coproduce.core.models import Organisation

from .forms import OFFLINE_CHANNELS
from .models import Network

HUNDRED = Decimal(100)


class BankSettingsForm(forms.Form):
    """Limits and hourly values are shown in hours and in the currency's main unit (pounds, euros);
    the bank keeps minutes and minor units (pence, cents)."""

    overdraft_limit_minutes = forms.IntegerField(
        label=_("Overdraft limit (minutes)"), min_value=0,
        help_text=_("How far a member may go below zero, unless set for the member. 600 minutes are 10 hours."),
    )
    max_balance_minutes = forms.IntegerField(
        label=_("Maximum balance (minutes)"), min_value=0, required=False,
        help_text=_("The most a member may save, unless set for the member. Leave empty for no maximum."),
    )
    allow_cross_bank = forms.BooleanField(label=_("Allow exchanges with members of other banks of the network"),
                                          required=False)
    hourly_value_low = forms.DecimalField(
        label=_("Value of an hour given, low estimate"), min_value=0, max_digits=10, decimal_places=2,
        help_text=_("In the bank's currency, for example 12.20. Used for the social value range in reports."),
    )
    hourly_value_high = forms.DecimalField(
        label=_("Value of an hour given, high estimate"), min_value=0, max_digits=10, decimal_places=2,
    )
    network = forms.ModelChoiceField(
        label=_("Network"), queryset=Network.objects.none(), required=False, empty_label=_("No network"),
        help_text=_("Members may exchange with members of other banks of the same network when both banks "
                    "allow it. A bank leaves a network only with its clearing position settled."),
    )

    def __init__(self, *args, timebank, networks, **kwargs):
        kwargs.setdefault("initial", {
            "overdraft_limit_minutes": timebank.overdraft_limit_minutes,
            "max_balance_minutes": timebank.max_balance_minutes,
            "allow_cross_bank": timebank.allow_cross_bank,
            "hourly_value_low": timebank.hourly_value_low / HUNDRED,
            "hourly_value_high": timebank.hourly_value_high / HUNDRED,
            "network": timebank.network_id,
        })
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = networks
        currency = timebank.currency
        for name in ("hourly_value_low", "hourly_value_high"):
            self.fields[name].label = f"{self.fields[name].label} ({currency})"

    def changes(self) -> dict:
        """The bank's fields as `update_timebank` takes them (minor units for the hourly values)."""
        data = self.cleaned_data
        return {
            "overdraft_limit_minutes": data["overdraft_limit_minutes"],
            "max_balance_minutes": data["max_balance_minutes"],
            "allow_cross_bank": data["allow_cross_bank"],
            "hourly_value_low": data["hourly_value_low"] * HUNDRED,
            "hourly_value_high": data["hourly_value_high"] * HUNDRED,
        }


class NetworkForm(forms.Form):
    name = forms.CharField(label=_("Name of the network"), max_length=160)
    slug = forms.SlugField(label=_("Short name for addresses"), max_length=150, required=False,
                           help_text=_("Letters, digits and hyphens. Leave empty to make one from the name."))
    coordinator = forms.ModelChoiceField(
        label=_("Coordinated by"), queryset=Organisation.objects.filter(is_active=True).order_by("name"),
        required=False, help_text=_("Administrators of this organisation decide which banks join the network."),
    )


class AgreementForm(forms.Form):
    version = forms.CharField(label=_("Version"), max_length=40, help_text=_("For example 2 or 2026-12."))
    text = forms.CharField(label=_("Text of the member agreement"), widget=forms.Textarea(attrs={"rows": 10}))


class AcceptAgreementForm(forms.Form):
    """A member accepts the current agreement; a broker records it for someone (how they were told)."""

    accept = forms.BooleanField(label=_("I have read the member agreement and accept it."))
    channel = forms.ChoiceField(label=_("How did they accept it?"), choices=OFFLINE_CHANNELS)

    def __init__(self, *args, on_behalf: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if on_behalf:
            self.fields["accept"].label = _("The person read (or was read) the member agreement and accepts it.")
        else:
            del self.fields["channel"]


class CategoryForm(forms.Form):
    name = forms.CharField(label=_("Name of the category"), max_length=160)
    group = forms.ChoiceField(label=_("Group"), choices=(),
                              help_text=_("Categories of the same group count as related when matching."))
    sensitive = forms.BooleanField(label=_("Sensitive: helpers need references"), required=False)

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = groups
