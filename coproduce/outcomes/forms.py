from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from coproduce.core.audit import Channel
from coproduce.core.forms import DateInput
from coproduce.core.models import Person

from . import metrics
from .models import SCORE_MAX, SCORE_MIN, ActivityKind, Indicator, Standard

VALUE = {"max_digits": 18, "decimal_places": 4}


class FrameworkForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class GoalForm(FrameworkForm):
    pass


class IndicatorForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    unit = forms.CharField(label=_("Unit"), max_length=40, help_text=_("For example: people, %, hours, days."))
    better = forms.ChoiceField(label=_("Which direction is better?"), choices=Indicator.Better.choices)
    baseline_value = forms.DecimalField(label=_("Baseline value"), required=False, **VALUE)
    baseline_date = forms.DateField(label=_("Baseline date"), required=False, widget=DateInput())
    owner = forms.ModelChoiceField(label=_("Owner"), required=False, queryset=Person.objects.none())
    source = forms.ChoiceField(label=_("Data source"), choices=Indicator.Source.choices)
    metric_key = forms.ChoiceField(label=_("Platform metric"), required=False,
                                   help_text=_("Only for indicators fed by a platform metric."))
    survey_question_id = forms.TypedChoiceField(
        label=_("Survey question"), required=False, coerce=int, empty_value=None,
        help_text=_("Only for indicators fed by a survey question: questions of your organisation's surveys and "
                    "of surveys whose results are published."))
    counts_people = forms.BooleanField(label=_("This indicator counts people (small counts are hidden in open data)"),
                                       required=False)
    decision_id = forms.IntegerField(label=_("Design decision id"), required=False, min_value=1,
                                     help_text=_("If this comes from a design-lab decision, its number."))

    FIELDS = ("title", "description", "unit", "better", "baseline_value", "baseline_date", "owner", "source",
              "metric_key", "survey_question_id", "counts_people")

    def __init__(self, *args, people=None, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people if people is not None else Person.objects.none()
        self.fields["metric_key"].choices = [("", _("None"))] + metrics.choices()
        self.fields["survey_question_id"].choices = [("", _("None"))] + survey_question_choices(questions)

    def indicator_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


def survey_question_choices(questions) -> list:
    """Questions grouped by their survey (its title and organisation), for a select with optgroups."""
    groups: dict = {}
    for question in questions:
        survey = question.survey
        label = f"{survey.title} ({survey.organisation.name})"
        groups.setdefault((label, survey.pk), []).append((question.pk, question.text))
    return [(label, options) for (label, _pk), options in groups.items()]


class TargetForm(forms.Form):
    due = forms.DateField(label=_("By"), widget=DateInput())
    value = forms.DecimalField(label=_("Target value"), **VALUE)
    decision_id = forms.IntegerField(label=_("Design decision id"), required=False, min_value=1)


class ReadingForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=DateInput())
    value = forms.DecimalField(label=_("Value"), **VALUE)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class CsvImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), required=False,
                           help_text=_("Columns: date,value and optionally note; dates like 2025-03-31."))
    text = forms.CharField(label=_("Or paste the CSV"), required=False, widget=forms.Textarea(attrs={"rows": 6}))

    MAX_BYTES = 2 * 1024 * 1024

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload:
            if upload.size > self.MAX_BYTES:
                raise forms.ValidationError(_("The file is too large (2 MB at most)."))
            try:
                data["text"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise forms.ValidationError(_("Save the file as UTF-8 CSV.")) from None
        if not (data.get("text") or "").strip():
            raise forms.ValidationError(_("Choose a file or paste the CSV."))
        return data


class InitiativeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    outcome = forms.ModelChoiceField(label=_("Outcome it serves"), queryset=None)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, outcomes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].queryset = outcomes


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Activity"), choices=ActivityKind.choices)
    app_label = forms.ChoiceField(label=_("Where it is"), choices=[
        ("budgeting", _("Budgets and priorities")), ("design", _("Design labs")), ("timebank", _("Timebank")),
        ("assessment", _("Services and assessment")), ("other", _("Elsewhere")),
    ])
    object_id = forms.IntegerField(label=_("Its number (id)"), min_value=1)
    title = forms.CharField(label=_("Title"), max_length=200)
    url = forms.CharField(label=_("Link"), max_length=300, required=False)


class StepForm(forms.Form):
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    started_on = forms.DateField(label=_("Started"), required=False, widget=DateInput())
    completed_on = forms.DateField(label=_("Completed"), required=False, widget=DateInput())


class SelfAssessmentForm(forms.Form):
    assessed_on = forms.DateField(label=_("Assessed on"), widget=DateInput())
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scores = [(n, str(n)) for n in range(SCORE_MIN, SCORE_MAX + 1)]
        for standard, label in Standard.choices:
            self.fields[f"{standard}_score"] = forms.TypedChoiceField(
                label=_("%(standard)s: score") % {"standard": label}, choices=scores, coerce=int,
                widget=forms.RadioSelect, help_text=_("1 = not yet, 4 = fully and consistently."))
            self.fields[f"{standard}_evidence"] = forms.CharField(
                label=_("%(standard)s: evidence") % {"standard": label}, required=False,
                widget=forms.Textarea(attrs={"rows": 2}))

    def scores(self) -> dict:
        return {s: (self.cleaned_data[f"{s}_score"], self.cleaned_data[f"{s}_evidence"]) for s in Standard.values}


class MoneyField(forms.DecimalField):
    """An amount in major units (e.g. 12.50) cleaned to integer minor units (1250)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal(0))
        super().__init__(*args, **kwargs)

    def clean(self, value):
        amount = super().clean(value)
        return None if amount is None else int(amount * 100)


class SocialValueReportForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    period_start = forms.DateField(label=_("From"), widget=DateInput())
    period_end = forms.DateField(label=_("Until (last day)"), widget=DateInput())
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="GBP")
    low_rate_minor = MoneyField(label=_("Low value of an hour"), help_text=_("For example 12.21 (the minimum wage)."))
    high_rate_minor = MoneyField(label=_("High value of an hour"),
                                 help_text=_("For example 17.50 (what paying a care worker would cost)."))
    rate_basis = forms.CharField(label=_("Where these values come from"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 2}))
    notes = forms.CharField(label=_("Other assumptions"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CostForm(forms.Form):
    label = forms.CharField(label=_("Cost"), max_length=200)
    amount_minor = MoneyField(label=_("Amount"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class HoursForm(forms.Form):
    label = forms.CharField(label=_("Whose or what time"), max_length=200)
    hours = forms.IntegerField(label=_("Hours"), min_value=0)
    extra_minutes = forms.IntegerField(label=_("and minutes"), min_value=0, max_value=59, required=False)
    note = forms.CharField(label=_("Source"), max_length=300, required=False)

    def minutes(self) -> int:
        return self.cleaned_data["hours"] * 60 + (self.cleaned_data.get("extra_minutes") or 0)


class BadgeClassForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}))
    criteria = forms.CharField(label=_("Criteria"), widget=forms.Textarea(attrs={"rows": 3}),
                               help_text=_("What someone did to earn this badge."))


class AwardForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none(),
                                    help_text=_("The badge is not public until the person chooses to show it."))
    evidence = forms.CharField(label=_("Evidence"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people if people is not None else Person.objects.none()


class ConsentForm(forms.Form):
    """The holder's own choice; staff recording it for an assisted member also say how they heard it
    and that the person agreed."""

    show_on_profile = forms.BooleanField(label=_("Show this badge on my public profile"), required=False)

    def __init__(self, *args, on_behalf=False, **kwargs):
        super().__init__(*args, **kwargs)
        if on_behalf:
            self.fields["show_on_profile"].label = _("Show this badge on their public profile")
            self.fields["channel"] = forms.ChoiceField(label=_("How did they tell you?"), choices=[
                (Channel.IN_PERSON, _("In person")), (Channel.PHONE, _("By phone")), (Channel.PAPER, _("On paper")),
            ])
            self.fields["consent"] = forms.BooleanField(
                label=_("They agreed to show this badge on their public profile"), required=False)
