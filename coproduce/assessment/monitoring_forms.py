"""Forms of the monitoring pages. The observation form is built from the campaign's measures in the
template (one field per measure, named `m<id>`); these cover the rest."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduce.core.audit import Channel

from .monitoring_models import Campaign, Measure, Volunteer

PAPER_CHANNELS = [(Channel.PAPER, _("Paper sheet")), (Channel.PHONE, _("Phone call")),
                  (Channel.IN_PERSON, _("In person"))]


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["title", "purpose", "method", "partner", "starts_on", "ends_on", "timebank"]
        widgets = {"starts_on": forms.DateInput(attrs={"type": "date"}),
                   "ends_on": forms.DateInput(attrs={"type": "date"}),
                   "purpose": forms.Textarea(attrs={"rows": 3}), "method": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, campaign: Campaign | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if campaign is not None and campaign.timebank_id is not None:
            from coproduce.timebank.models import TimebankMember

            self.fields["credit_from"] = forms.ModelChoiceField(
                label=Campaign._meta.get_field("credit_from").verbose_name,
                help_text=Campaign._meta.get_field("credit_from").help_text, required=False,
                queryset=TimebankMember.objects.filter(timebank_id=campaign.timebank_id,
                                                       status=TimebankMember.Status.ACTIVE)
                .exclude(kind=TimebankMember.Kind.INDIVIDUAL).select_related("person", "timebank"),
                initial=campaign.credit_from_id)

    def changes(self, campaign: Campaign) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if getattr(campaign, name) != value}


class MeasureForm(forms.Form):
    name = forms.CharField(label=_("What is observed"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Measure.Kind.choices)
    unit = forms.CharField(label=_("Unit"), max_length=40, required=False)
    help_text = forms.CharField(label=_("How to observe it"), max_length=500, required=False)
    min_value = forms.CharField(label=_("Smallest allowed"), required=False)
    max_value = forms.CharField(label=_("Largest allowed"), required=False)
    choices = forms.CharField(label=_("Choices, one per line"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    required = forms.BooleanField(label=_("A value is required"), required=False, initial=True)

    def measure_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["choices"] = [line.strip() for line in data["choices"].splitlines() if line.strip()]
        return data


class VolunteerForm(forms.Form):
    person = forms.TypedChoiceField(label=_("Person"), coerce=int,
                                    help_text=_("People of the organisation. Register someone without a login "
                                                "on the people page first."))
    role = forms.ChoiceField(label=_("Role"), choices=Volunteer.Role.choices)
    briefed_on = forms.DateField(label=_("Trained or briefed on"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))
    channel = forms.ChoiceField(label=_("How they asked to join"), choices=[(Channel.WEB, _("Online"))] + PAPER_CHANNELS)

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", "–")] + [(p.pk, p.name) for p in people]


def local_now_text() -> str:
    return timezone.localtime().strftime("%Y-%m-%dT%H:%M")
