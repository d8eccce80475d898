"""Forms for the brokers' member page, corrections and the donation page. Thin: they parse; the
services (`timebank.services`, `timebank.standing`) validate and write."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduce.core.forms import DateInput

from .forms import OFFLINE_CHANNELS, MemberChoiceField
from .models import TimebankMember
from .services import ALLOWED_STATUS_CHANGES


class StatusForm(forms.Form):
    """Suspend, mark as left or reactivate a member, saying why (kept in the audit log)."""

    status = forms.ChoiceField(label=_("New status"))
    note = forms.CharField(label=_("Why?"), max_length=200)

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        # A request to join is approved with its own button (it also makes them a member of the organisation).
        allowed = ALLOWED_STATUS_CHANGES.get(member.status, set()) - (
            {TimebankMember.Status.ACTIVE} if member.status == TimebankMember.Status.REQUESTED else set())
        self.fields["status"].choices = [(v, label) for v, label in TimebankMember.Status.choices if v in allowed]


class LimitsForm(forms.Form):
    """Per-member limits; an empty field returns that limit to the bank's default."""

    overdraft_limit_minutes = forms.IntegerField(label=_("Overdraft limit (minutes)"), required=False)
    max_balance_minutes = forms.IntegerField(label=_("Maximum balance (minutes)"), required=False)
    no_max_balance = forms.BooleanField(label=_("No maximum balance for this member"), required=False)

    def __init__(self, *args, member, **kwargs):
        bank = member.timebank
        kwargs.setdefault("initial", {"overdraft_limit_minutes": member.overdraft_limit_minutes,
                                      "max_balance_minutes": member.max_balance_minutes,
                                      "no_max_balance": member.no_max_balance})
        super().__init__(*args, **kwargs)
        self.fields["overdraft_limit_minutes"].help_text = _(
            "Empty: the bank's default (%(minutes)s minutes).") % {"minutes": bank.overdraft_limit_minutes}
        self.fields["max_balance_minutes"].help_text = (
            _("Empty: the bank's default (%(minutes)s minutes).") % {"minutes": bank.max_balance_minutes}
            if bank.max_balance_minutes is not None else _("Empty: the bank's default (no maximum)."))


class OpeningBalanceForm(forms.Form):
    """A balance carried over from a paper ledger or an earlier system."""

    minutes = forms.IntegerField(label=_("Opening balance (minutes)"),
                                 help_text=_("Negative for time the member owed."))
    reason = forms.CharField(label=_("What for"), max_length=200, required=False,
                             help_text=_("Empty: “Opening balance”."))
    occurred_on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    channel = forms.ChoiceField(label=_("Where does it come from?"), choices=OFFLINE_CHANNELS)


class CorrectForm(forms.Form):
    reason = forms.CharField(label=_("Why is it corrected?"), max_length=200)


class _GiftForm(forms.Form):
    """Whom to give to (another active member of the bank, or the community pot) and, for a broker
    acting for an offline member, how the member told them."""

    to = MemberChoiceField(label=_("Give to"), queryset=TimebankMember.objects.none(), required=False,
                           empty_label=_("The community pot"))
    reason = forms.CharField(label=_("What for"), max_length=200, required=False)

    def __init__(self, *args, member, on_behalf=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = (
            TimebankMember.objects.filter(timebank=member.timebank, status=TimebankMember.Status.ACTIVE)
            .exclude(pk=member.pk).select_related("person").order_by("person__name", "id"))
        if on_behalf:
            self.fields["channel"] = forms.ChoiceField(label=_("How did they tell us?"), choices=OFFLINE_CHANNELS)


class DonationForm(_GiftForm):
    minutes = forms.IntegerField(label=_("Minutes to give"))
    field_order = ["to", "minutes", "reason", "channel"]


class StandingDonationForm(_GiftForm):
    minutes = forms.IntegerField(label=_("Minutes every month"))
    field_order = ["to", "minutes", "reason", "channel"]
