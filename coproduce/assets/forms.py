"""Forms for the asset map. Thin: they parse input; `assets.services` validates and writes."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduce.core.models import Area, Organisation, Person
from coproduce.timebank.models import Category

from . import windows as weekly
from .models import Capability, Channel, CommunityAsset, Need

ON_BEHALF_CHANNELS = [(Channel.IN_PERSON, _("In person")), (Channel.PHONE, _("By phone")),
                      (Channel.PAPER, _("On paper"))]
# What each kind asks, for the guided "What can you do?" page.
KIND_PROMPTS = {
    Capability.Kind.SKILL: _("Something you are good at doing: mending bikes, cooking, gardening…"),
    Capability.Kind.KNOWLEDGE: _("Something you know about: local history, benefits forms, a language…"),
    Capability.Kind.SPARE_TIME: _("When in the week you have time to give."),
    Capability.Kind.THING_TO_LEND: _("Something others could borrow: a ladder, a sewing machine, a gazebo…"),
    Capability.Kind.PLACE: _("A place people could use: a garden, a room, a hall…"),
    Capability.Kind.CONNECTION: _("People or groups you know who could help: a choir, a football club…"),
}

KIND_ADD = {
    Capability.Kind.SKILL: _("Add a skill"),
    Capability.Kind.KNOWLEDGE: _("Add knowledge"),
    Capability.Kind.SPARE_TIME: _("Add spare time"),
    Capability.Kind.THING_TO_LEND: _("Add a thing to lend"),
    Capability.Kind.PLACE: _("Add a place"),
    Capability.Kind.CONNECTION: _("Add a connection"),
}


def shared_categories():
    return Category.objects.filter(timebank__isnull=True, active=True).order_by("position", "name")


def neighbourhoods():
    return Area.objects.filter(kind=Area.Kind.NEIGHBOURHOOD).order_by("name")


class CategoryField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.group_label}: {obj.label}"


class WeeklyTimesMixin(forms.Form):
    """Days and times in the week, turned into weekly windows by `windows()`."""

    days = forms.TypedMultipleChoiceField(label=_("Days"), choices=weekly.DAYS, coerce=int, required=False,
                                          widget=forms.CheckboxSelectMultiple)
    time_from = forms.TimeField(label=_("From"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    time_until = forms.TimeField(label=_("Until"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))

    def clean(self):
        data = super().clean()
        if data.get("days") and not (data.get("time_from") and data.get("time_until")):
            self.add_error("time_from", _("Give the times as well as the days."))
        return data

    def windows(self) -> list:
        data = self.cleaned_data
        if data.get("days") and data.get("time_from") and data.get("time_until"):
            return weekly.from_days(data["days"], data["time_from"], data["time_until"])
        return []


class CapabilityForm(WeeklyTimesMixin):
    """One short form per kind on the "What can you do?" page."""

    kind = forms.ChoiceField(choices=Capability.Kind.choices, widget=forms.HiddenInput)
    description = forms.CharField(label=_("In your own words"), max_length=1000,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    category = CategoryField(label=_("Category"), queryset=Category.objects.none(), required=False,
                             empty_label=_("Choose…"))
    keywords = forms.CharField(label=_("Keywords"), max_length=200, required=False,
                               help_text=_("Separated by commas, e.g. bikes, punctures."))
    neighbourhood = forms.ModelChoiceField(label=_("Neighbourhood"), queryset=Area.objects.none(), required=False,
                                           empty_label=_("Where I live"))
    visibility = forms.ChoiceField(label=_("Who may see this"), choices=Capability.Visibility.choices,
                                   initial=Capability.Visibility.SUPPORTERS)
    channel = forms.ChoiceField(label=_("How did they tell you?"), choices=ON_BEHALF_CHANNELS)
    consent = forms.BooleanField(
        label=_("They agreed to this being recorded and to who may see it."), required=False)

    field_order = ["kind", "description", "category", "keywords", "days", "time_from", "time_until",
                   "neighbourhood", "visibility", "channel", "consent"]

    def __init__(self, *args, kind: str, on_behalf: bool, **kwargs):
        super().__init__(*args, prefix=kind, initial={"kind": kind}, **kwargs)
        self.kind_slug = kind
        self.add_label = KIND_ADD[kind]
        self.prompt = KIND_PROMPTS[kind]
        self.title = Capability.Kind(kind).label
        self.fields["category"].queryset = shared_categories()
        self.fields["neighbourhood"].queryset = neighbourhoods()
        if kind == Capability.Kind.SPARE_TIME:
            self.fields["description"].label = _("What would you like to do with it?")
        else:
            self.fields["category"].required = True
            for name in ("days", "time_from", "time_until"):
                self.fields[name].required = False
            self.fields["days"].label = _("Days you could do this (optional)")
        if not on_behalf:
            del self.fields["channel"]
            del self.fields["consent"]


class NeedForm(WeeklyTimesMixin):
    organisation = forms.ModelChoiceField(label=_("Recorded by service"), queryset=Organisation.objects.none())
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none(), required=False,
                                    empty_label=_("Nobody: a need of the community"))
    category = CategoryField(label=_("Category"), queryset=Category.objects.none(), empty_label=_("Choose…"))
    description = forms.CharField(label=_("What is needed"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    keywords = forms.CharField(label=_("Keywords"), max_length=200, required=False)
    neighbourhood = forms.ModelChoiceField(label=_("Neighbourhood"), queryset=Area.objects.none())
    regular = forms.BooleanField(label=_("Regular, every week"), required=False)
    home_visit = forms.BooleanField(label=_("Needs a home visit"), required=False)
    involves_children = forms.BooleanField(label=_("Involves children"), required=False)
    involves_vulnerable_adults = forms.BooleanField(label=_("Involves vulnerable adults"), required=False)
    consent_by = forms.ChoiceField(label=_("Who consented to recording this need"), required=False,
                                   choices=[("", _("Not needed: a need of the community"))] + Need.ConsentBy.choices)
    consent_by_name = forms.CharField(label=_("Name of who consented, if not the person"), required=False,
                                      max_length=160)
    consent_at = forms.DateTimeField(label=_("When consent was given"), required=False,
                                     widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                                format="%Y-%m-%dT%H:%M"))
    consent_channel = forms.ChoiceField(label=_("How consent was given"), required=False,
                                        choices=[("", "–")] + ON_BEHALF_CHANNELS)

    def __init__(self, *args, organisations, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["person"].queryset = people
        self.fields["category"].queryset = shared_categories()
        self.fields["neighbourhood"].queryset = neighbourhoods()
        self.fields["days"].label = _("Days it is needed (optional)")
        self.initial.setdefault("consent_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M"))


class AssetForm(WeeklyTimesMixin):
    name = forms.CharField(label=_("Name"), max_length=160)
    kind = forms.ChoiceField(label=_("Kind"), choices=CommunityAsset.Kind.choices)
    category = CategoryField(label=_("Category"), queryset=Category.objects.none(), required=False,
                             empty_label=_("None"))
    description = forms.CharField(label=_("Description"), required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    neighbourhood = forms.ModelChoiceField(label=_("Neighbourhood"), queryset=Area.objects.none())
    address = forms.CharField(label=_("Address"), required=False, max_length=500,
                              widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "street-address"}))
    latitude = forms.DecimalField(label=_("Latitude"), required=False, max_digits=9, decimal_places=6,
                                  help_text=_("For example 51.507351. Leave empty if you do not know it."))
    longitude = forms.DecimalField(label=_("Longitude"), required=False, max_digits=9, decimal_places=6,
                                   help_text=_("For example -0.127758."))
    opening_text = forms.CharField(label=_("Opening times (in words)"), required=False, max_length=300)
    contact_name = forms.CharField(label=_("Contact name"), required=False, max_length=160)
    email = forms.EmailField(label=_("Contact email"), required=False)
    phone = forms.CharField(label=_("Contact phone"), required=False, max_length=40)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    accessibility = forms.CharField(label=_("Accessibility"), required=False, max_length=1000,
                                    widget=forms.Textarea(attrs={"rows": 2}),
                                    help_text=_("For example: step-free entrance, hearing loop, accessible toilet."))
    owner = forms.ModelChoiceField(label=_("Owner organisation"), queryset=Organisation.objects.none(),
                                   required=False)

    field_order = ["name", "kind", "category", "description", "neighbourhood", "address", "latitude", "longitude",
                   "days", "time_from", "time_until", "opening_text", "contact_name", "email", "phone", "website",
                   "accessibility", "owner"]

    def __init__(self, *args, owners, owner_required: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = shared_categories()
        self.fields["neighbourhood"].queryset = neighbourhoods()
        self.fields["owner"].queryset = owners
        self.fields["owner"].required = owner_required
        self.fields["days"].label = _("Open on")

    def asset_fields(self) -> dict:
        data = self.cleaned_data
        fields = {name: data[name] for name in (
            "name", "kind", "category", "description", "neighbourhood", "address", "latitude", "longitude",
            "opening_text", "contact_name", "email", "phone", "website", "accessibility")}
        fields["opening_windows"] = self.windows()
        return fields


class ModerateForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"),
                                 choices=[("accept", _("Publish it")), ("reject", _("Do not publish it"))])
    note = forms.CharField(label=_("Note to the person who suggested it"), required=False, max_length=300)


class AssetFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("Any kind"))]
                             + CommunityAsset.Kind.choices)
    category = CategoryField(label=_("Category"), required=False, queryset=Category.objects.none(),
                             empty_label=_("Any category"))
    neighbourhood = forms.ModelChoiceField(label=_("Neighbourhood"), required=False, queryset=Area.objects.none(),
                                           empty_label=_("Any neighbourhood"))

    def __init__(self, *args, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = shared_categories()
        self.fields["neighbourhood"].queryset = neighbourhoods()
        if kinds is not None:
            self.fields["kind"].choices = [("", _("Any kind"))] + list(kinds)


class NeedFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any status"))] + Need.Status.choices)
    neighbourhood = forms.ModelChoiceField(label=_("Neighbourhood"), required=False, queryset=Area.objects.none(),
                                           empty_label=_("Any neighbourhood"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].queryset = neighbourhoods()
