from django import forms
from django.utils.translation import gettext_lazy as _

from .audit import Channel
from .models import Area, Organisation, Person, Role, Topic


class DateInput(forms.DateInput):
    input_type = "date"


class PersonForm(forms.ModelForm):
    interests = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.all(), required=False, widget=forms.CheckboxSelectMultiple, label=_("Interests")
    )

    class Meta:
        model = Person
        fields = [
            "name",
            "email",
            "phone",
            "postal_address",
            "birth_date",
            "home_area",
            "preferred_language",
            "access_needs",
            "contact_about_interests",
        ]
        widgets = {"birth_date": DateInput(), "postal_address": forms.Textarea(attrs={"rows": 3}),
                   "access_needs": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["home_area"].queryset = Area.objects.all()
        if self.instance.pk:
            self.fields["interests"].initial = list(self.instance.interests.all())
        for name in ("name",):
            self.fields[name].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"

    def person_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class RegisterPersonForm(PersonForm):
    channel = forms.ChoiceField(
        label=_("How did they reach us?"),
        choices=[
            (Channel.IN_PERSON, _("In person")),
            (Channel.PHONE, _("By phone")),
            (Channel.PAPER, _("On paper")),
        ],
    )
    consent = forms.BooleanField(
        label=_("The person agreed to be registered and to us keeping these details."), required=False
    )


class AddMembershipForm(forms.Form):
    person = forms.ModelChoiceField(queryset=Person.objects.none(), label=_("Person"))
    role = forms.ChoiceField(choices=Role.choices, label=_("Role"))

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people if people is not None else Person.objects.none()


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("Any kind"))] + Organisation.Kind.choices)
    area = forms.ModelChoiceField(label=_("Area"), required=False, queryset=Area.objects.all(), empty_label=_("Any area"))


class PeopleFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or email"), required=False)
    topic = forms.ModelChoiceField(label=_("Interest"), required=False, queryset=Topic.objects.all(),
                                   empty_label=_("Any interest"))
    area = forms.ModelChoiceField(label=_("Home area"), required=False, queryset=Area.objects.all(),
                                  empty_label=_("Any area"))
    assisted = forms.BooleanField(label=_("Assisted members only"), required=False)


class AuditFilterForm(forms.Form):
    action = forms.CharField(label=_("Action"), required=False)
    actor = forms.CharField(label=_("Who"), required=False)
    object_type = forms.CharField(label=_("Object type"), required=False)
    channel = forms.ChoiceField(label=_("Channel"), required=False,
                                choices=[("", _("Any channel"))] + [(c, c) for c in Channel.ALL])
    since = forms.DateField(label=_("From"), required=False, widget=DateInput())
    until = forms.DateField(label=_("Until"), required=False, widget=DateInput())


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("What is this token for?"), max_length=80)
