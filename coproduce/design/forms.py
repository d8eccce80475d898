from django import forms
from django.utils.translation import gettext_lazy as _

from coproduce.core.audit import Channel
from coproduce.core.models import Organisation, Person

from .models import VOTE_CHOICES, Conversation, Decision, Feedback, FollowUp, Insight, Lab, Statement, Theme

MAX_UPLOAD = 20 * 1024 * 1024


class LabForm(forms.ModelForm):
    class Meta:
        model = Lab
        fields = ["title", "challenge", "target_users", "participation", "members_of"]
        widgets = {"challenge": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members_of"].queryset = Organisation.objects.filter(is_active=True)
        if organisations is not None:
            self.fields["organisation"] = forms.ModelChoiceField(
                queryset=organisations, label=_("Organisation running the lab"))
            self.order_fields(["organisation"])

    def lab_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=Lab.Stage.choices)


class InviteForm(forms.Form):
    person = forms.ModelChoiceField(queryset=Person.objects.none(), label=_("Person"))

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people if people is not None else Person.objects.none()


class ConversationForm(forms.ModelForm):
    class Meta:
        model = Conversation
        fields = ["title", "question", "moderation", "anonymous_allowed", "statements_allowed", "is_open"]
        widgets = {"question": forms.Textarea(attrs={"rows": 3}), "moderation": forms.RadioSelect}

    def conversation_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class StatementForm(forms.Form):
    text = forms.CharField(label=_("Your statement"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("One clear point others can agree or disagree with."))


class SeedStatementForm(forms.Form):
    text = forms.CharField(label=_("Seed statement"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    is_meta = forms.BooleanField(label=_("About the conversation itself (meta)"), required=False)


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Question"), max_length=300)
    choices = forms.CharField(label=_("Answers, one a line"), widget=forms.Textarea(attrs={"rows": 3}))

    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["choices"].splitlines() if line.strip()]


class PaperForm(forms.Form):
    """Whose paper form it is (a person staff may act for, or the form's ballot label) and how it came."""

    person = forms.ModelChoiceField(queryset=Person.objects.none(), label=_("Person"), required=False)
    label = forms.CharField(label=_("Or a ballot label"), max_length=80, required=False,
                            help_text=_("For an anonymous paper form, for example “Workshop 3, form 12”. Entering "
                                        "the same label again adds to and corrects that form's votes."))
    channel = forms.ChoiceField(label=_("How did the votes reach us?"), choices=[
        (Channel.PAPER, _("On paper")), (Channel.IN_PERSON, _("In person, at a workshop")),
        (Channel.PHONE, _("By phone")),
    ])

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people if people is not None else Person.objects.none()


class PaperVotesForm(PaperForm):
    """One person's (or one anonymous ballot's) votes from a workshop or a paper form."""

    def __init__(self, *args, statements=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.statement_fields = []
        choices = [("", _("No answer"))] + [(str(v), label) for v, label in VOTE_CHOICES]
        for s in statements:
            name = f"s{s.number}"
            self.fields[name] = forms.ChoiceField(label=s.text, choices=choices, required=False,
                                                  widget=forms.RadioSelect)
            self.statement_fields.append((s.number, name))
        self.fields["statements"] = forms.CharField(
            label=_("Statements written on the form"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
            help_text=_("One statement per line. They are added as this person's statements and moderated "
                        "like any other."))

    def votes(self) -> dict[int, int]:
        return {n: int(self.cleaned_data[name]) for n, name in self.statement_fields if self.cleaned_data.get(name)}

    def new_statements(self) -> list[str]:
        return [line for line in self.cleaned_data.get("statements", "").splitlines() if line.strip()]


class PaperAnswersForm(PaperForm):
    """The answers to the demographic questions written on one paper form."""

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["label"].help_text = _("The label the form's votes were entered under, for example "
                                           "“Workshop 3, form 12”. Entering it again corrects the answers.")
        self.question_fields = []
        for question in questions:
            name = f"q{question.pk}"
            choices = [("", _("No answer"))] + [(str(i), text) for i, text in enumerate(question.choices)]
            self.fields[name] = forms.ChoiceField(label=question.text, choices=choices, required=False,
                                                  widget=forms.RadioSelect)
            self.question_fields.append((question.pk, name))

    def answers(self) -> dict[int, int | None]:
        return {pk: int(self.cleaned_data[name]) if self.cleaned_data.get(name) else None
                for pk, name in self.question_fields}


class FeedbackForm(forms.ModelForm):
    class Meta:
        model = Feedback
        fields = ["kind", "text", "person"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, people=None, staff=True, **kwargs):
        super().__init__(*args, **kwargs)
        if staff:
            self.fields["person"].queryset = people if people is not None else Person.objects.none()
            self.fields["person"].required = False
            self.fields["channel"] = forms.ChoiceField(label=_("How did it reach us?"), choices=[
                (Channel.IN_PERSON, _("In person, at a workshop")), (Channel.PAPER, _("On paper")),
                (Channel.PHONE, _("By phone")), (Channel.WEB, _("Online")),
            ])
            self.fields["consent"] = forms.BooleanField(
                label=_("They agreed to it being recorded in their name"), required=False,
                help_text=_("Needed when you choose a person: it is recorded as given by you on their behalf."))
        else:
            del self.fields["person"]
            self.fields["kind"].choices = [(Feedback.Kind.STORY, Feedback.Kind.STORY.label),
                                           (Feedback.Kind.IDEA, Feedback.Kind.IDEA.label)]


class RenameThemeForm(forms.Form):
    label = forms.CharField(label=_("Name"), max_length=160)


class MergeThemesForm(forms.Form):
    target = forms.ModelChoiceField(queryset=Theme.objects.none(), label=_("Merge into"))
    sources = forms.ModelMultipleChoiceField(queryset=Theme.objects.none(), label=_("Themes to merge"),
                                             widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, themes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = themes
        self.fields["sources"].queryset = themes


class SplitThemeForm(forms.Form):
    label = forms.CharField(label=_("Name of the new theme"), max_length=160)
    items = forms.ModelMultipleChoiceField(queryset=Feedback.objects.none(), label=_("Items to move"),
                                           widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, items=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = items


class InsightForm(forms.ModelForm):
    groups = forms.MultipleChoiceField(label=_("Opinion groups"), required=False, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Insight
        fields = ["title", "body", "statements", "themes"]
        widgets = {"body": forms.Textarea(attrs={"rows": 4}), "statements": forms.CheckboxSelectMultiple,
                   "themes": forms.CheckboxSelectMultiple}

    def __init__(self, *args, lab=None, group_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["statements"].queryset = (
            Statement.objects.filter(conversation__lab=lab, status=Statement.Status.ACCEPTED)
            .select_related("conversation").order_by("conversation_id", "number")
        )
        self.fields["statements"].label_from_instance = lambda s: f"{s.conversation.title}: {s.text}"
        self.fields["themes"].queryset = Theme.objects.filter(lab=lab)
        self.fields["groups"].choices = list(group_choices)


class DecisionForm(forms.ModelForm):
    class Meta:
        model = Decision
        fields = ["title", "body", "insights"]
        widgets = {"body": forms.Textarea(attrs={"rows": 4}), "insights": forms.CheckboxSelectMultiple}

    def __init__(self, *args, lab=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["insights"].queryset = Insight.objects.filter(lab=lab)


class PolisUploadForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False,
                            help_text=_("Leave empty to use the topic from summary.csv."))
    comments = forms.FileField(label="comments.csv")
    votes = forms.FileField(label="votes.csv")
    participants = forms.FileField(label="participants-votes.csv", required=False)
    summary = forms.FileField(label="summary.csv", required=False)

    def clean(self):
        data = super().clean()
        for name in ("comments", "votes", "participants", "summary"):
            upload = data.get(name)
            if upload is not None and upload.size > MAX_UPLOAD:
                self.add_error(name, _("This file is too large (at most 20 MB)."))
        return data

    def files_by_name(self) -> dict[str, bytes]:
        names = {"comments": "comments.csv", "votes": "votes.csv", "participants": "participants-votes.csv",
                 "summary": "summary.csv"}
        return {names[k]: self.cleaned_data[k].read() for k in names if self.cleaned_data.get(k)}


class ToldForm(forms.Form):
    """Staff have told someone without email about a decision (the decision's follow-up list)."""

    channel = forms.ChoiceField(label=_("How did you tell them?"), choices=FollowUp.Channel.choices)
    note = forms.CharField(label=_("Note"), max_length=300, required=False,
                           help_text=_("For example: left a message, or what they said."))
