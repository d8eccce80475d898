import re

from django import forms
from django.utils.translation import gettext_lazy as _

from coproduce.core.audit import Channel
from coproduce.core.models import Area, Organisation, Person

from .models import Complaint, HelpOffer, Service, ServiceAttribute
from .services import parse_time

STARS = [(n, _("%(n)s of 5") % {"n": n}) for n in range(5, 0, -1)]
MAX_IMPORT_BYTES = 10 * 1024 * 1024
HOURS_RE = re.compile(
    r"^\s*(?P<days>[A-Za-z,\- ]+?)\s+(?P<opens>\d{1,2}:\d{2})\s*[-–]\s*(?P<closes>\d{1,2}:\d{2})\s*(?P<note>.*)$")
DAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    area = forms.ModelChoiceField(label=_("Serves the area"), required=False, queryset=Area.objects.all(),
                                  empty_label=_("Any area"))
    organisation = forms.ModelChoiceField(label=_("Organisation"), required=False,
                                          queryset=Organisation.objects.filter(is_active=True),
                                          empty_label=_("Any organisation"), to_field_name="slug")
    language = forms.CharField(label=_("Language (code, e.g. pl)"), required=False, max_length=12)


def _expand_days(text: str) -> str:
    """'MO-FR' → 'MO,TU,WE,TH,FR'; 'sa,su' → 'SA,SU'."""
    codes = []
    for part in text.upper().replace(" ", "").split(","):
        if "-" in part:
            first, _sep, last = part.partition("-")
            if first not in DAY_CODES or last not in DAY_CODES:
                raise forms.ValidationError(_("Days must be like MO-FR or SA,SU."))
            i, j = DAY_CODES.index(first), DAY_CODES.index(last)
            codes += DAY_CODES[i:j + 1]
        elif part in DAY_CODES:
            codes.append(part)
        elif part:
            raise forms.ValidationError(_("Days must be like MO-FR or SA,SU."))
    return ",".join(dict.fromkeys(codes))


class ServiceForm(forms.ModelForm):
    area_choices = forms.ModelMultipleChoiceField(
        label=_("Areas served"), queryset=Area.objects.all(), required=False, widget=forms.CheckboxSelectMultiple)
    language_codes = forms.CharField(
        label=_("Languages"), required=False, help_text=_("Language codes separated by commas, e.g. en, pl, ur."))
    opening_hours = forms.CharField(
        label=_("Opening hours"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One line each, e.g. “MO-FR 09:00-17:00” or “SA 10:00-12:00 drop-in”."))
    phone_numbers = forms.CharField(label=_("Phone numbers"), required=False,
                                    help_text=_("Separated by commas."))
    url = forms.URLField(label=_("website"), required=False, assume_scheme="https")
    dimensions = forms.CharField(
        label=_("What people rate besides the overall experience"), required=False,
        help_text=_("Up to four, separated by commas, e.g. Friendliness, Waiting time."))

    class Meta:
        model = Service
        fields = ["name", "description", "audience", "eligibility", "minimum_age", "maximum_age",
                  "application_process", "email", "url", "fees_description", "status", "open311_code",
                  "open311_type", "group", "keywords", "service_notice", "agency_responsible"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4}), "eligibility": forms.Textarea(attrs={"rows": 2}),
                   "application_process": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        service = self.instance
        if service.pk:
            self.fields["area_choices"].initial = list(service.areas.all())
            self.fields["language_codes"].initial = ", ".join(lang.code for lang in service.languages.all())
            self.fields["opening_hours"].initial = "\n".join(
                f"{s.byday} {s.opens_at:%H:%M}-{s.closes_at:%H:%M} {s.description}".strip()
                for s in service.schedules.all() if s.opens_at and s.closes_at)
            self.fields["phone_numbers"].initial = ", ".join(p.number for p in service.phones.all())
            self.fields["dimensions"].initial = ", ".join(service.rating_dimensions)

    def clean_opening_hours(self):
        schedules = []
        for n, line in enumerate(self.cleaned_data["opening_hours"].splitlines(), 1):
            if not line.strip():
                continue
            match = HOURS_RE.match(line)
            if not match:
                raise forms.ValidationError(_("Line %(n)s: write it like “MO-FR 09:00-17:00”.") % {"n": n})
            opens, closes = parse_time(match["opens"]), parse_time(match["closes"])
            if opens is None or closes is None:
                raise forms.ValidationError(_("Line %(n)s: not a time of day.") % {"n": n})
            schedules.append({"byday": _expand_days(match["days"]), "opens_at": opens, "closes_at": closes,
                              "description": match["note"].strip()})
        return schedules

    def service_values(self) -> dict:
        """The service function's keyword arguments (not `service_fields`: `apply_errors` reads that name
        as a map from the service's field names to the form's)."""
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["open311_code"] = data["open311_code"] or None
        data["rating_dimensions"] = [d.strip() for d in self.cleaned_data["dimensions"].split(",") if d.strip()]
        return data

    def details(self) -> dict:
        return {
            "areas": list(self.cleaned_data["area_choices"]),
            "languages": [c.strip() for c in self.cleaned_data["language_codes"].split(",") if c.strip()],
            "schedules": self.cleaned_data["opening_hours"],
            "phones": [p.strip() for p in self.cleaned_data["phone_numbers"].split(",") if p.strip()],
        }


class ImportForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Import into"), queryset=Organisation.objects.none())
    file = forms.FileField(label=_("HSDS file (a .zip data package or .json)"))

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations if organisations is not None else \
            Organisation.objects.none()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        name = upload.name.lower()
        head = upload.read(4)
        upload.seek(0)
        if name.endswith(".zip") and head.startswith(b"PK"):
            upload.kind = "zip"
        elif name.endswith(".json") and head.lstrip()[:1] in (b"[", b"{"):
            upload.kind = "json"
        else:
            raise forms.ValidationError(_("Upload a .zip data package or a .json file."))
        return upload


def attribute_fields(service: Service) -> dict[str, forms.Field]:
    """Form fields for the questions an Open311 service asks."""
    fields = {}
    for attr in service.attributes.all():
        if not attr.variable:
            continue
        name = f"attribute_{attr.code}"
        choices = [(str(v.get("key")), v.get("name")) for v in attr.values]
        kwargs = {"label": attr.description, "required": attr.required,
                  "help_text": attr.datatype_description}
        if attr.datatype == ServiceAttribute.Datatype.SINGLE:
            fields[name] = forms.ChoiceField(choices=[("", "—")] + choices, **kwargs)
        elif attr.datatype == ServiceAttribute.Datatype.MULTI:
            fields[name] = forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple, **kwargs)
        elif attr.datatype == ServiceAttribute.Datatype.TEXT:
            fields[name] = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), **kwargs)
        else:
            fields[name] = forms.CharField(**kwargs)
    return fields


class ComplaintForm(forms.Form):
    kind = forms.ChoiceField(label=_("What is this?"), choices=Complaint.Kind.choices, widget=forms.RadioSelect,
                             initial=Complaint.Kind.REPORT)
    description = forms.CharField(label=_("What happened?"), widget=forms.Textarea(attrs={"rows": 5}),
                                  max_length=4000)
    address_string = forms.CharField(label=_("Where? (an address or a place)"), required=False, max_length=255)
    is_public = forms.BooleanField(label=_("Show this publicly, without my name"), required=False, initial=True)
    offer_help = forms.BooleanField(
        label=_("Would you like to help fix this or improve this service?"), required=False,
        help_text=_("Someone from the service will get in touch. You can say no at any time."))
    help_how = forms.CharField(label=_("How would you like to help? (optional)"), required=False, max_length=2000,
                               widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, service=None, **kwargs):
        super().__init__(*args, **kwargs)
        if service is not None:
            self.fields.update(attribute_fields(service))
        self.fields["kind"].widget.attrs["class"] = "radio"

    def attributes(self) -> dict:
        return {name.removeprefix("attribute_"): value for name, value in self.cleaned_data.items()
                if name.startswith("attribute_") and value not in ("", [], None)}


class OnBehalfComplaintForm(ComplaintForm):
    person = forms.ModelChoiceField(label=_("On behalf of"), queryset=Person.objects.none())
    channel = forms.ChoiceField(label=_("How did they reach us?"), choices=[
        (Channel.PHONE, _("By phone")), (Channel.IN_PERSON, _("In person")), (Channel.PAPER, _("On paper"))])
    field_order = ["person", "channel"]

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people if people is not None else Person.objects.none()
        self.fields["offer_help"].label = _("They would like to help fix this or improve this service")
        self.order_fields(self.field_order)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Complaint.Status.choices)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    is_public = forms.BooleanField(label=_("The note is public"), required=False, initial=True)
    referred_to = forms.CharField(label=_("Referred to (when referring)"), required=False, max_length=160)
    expected_at = forms.DateTimeField(label=_("Expected by"), required=False,
                                      widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))

    def __init__(self, *args, complaint=None, **kwargs):
        super().__init__(*args, **kwargs)
        if complaint is not None:
            allowed = complaint.TRANSITIONS.get(complaint.status, set())
            self.fields["status"].choices = [(v, label) for v, label in Complaint.Status.choices if v in allowed]


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Update"), widget=forms.Textarea(attrs={"rows": 3}))
    is_public = forms.BooleanField(label=_("Public (the complainant and everyone can read it)"), required=False)


class HelpForm(forms.Form):
    """Accepting the invitation to help: how (contact, time in a timebank, a design lab), and where."""

    route = forms.ChoiceField(label=_("How would you like to help?"), required=False, widget=forms.RadioSelect,
                              initial=HelpOffer.Route.CONTACT)
    how = forms.CharField(label=_("In your own words (optional)"), required=False, max_length=2000,
                          widget=forms.Textarea(attrs={"rows": 2}),
                          help_text=_("What you could do or what you know about; it becomes the text of your offer."))
    timebank = forms.ChoiceField(label=_("Timebank"), required=False)
    category = forms.ChoiceField(label=_("Kind of help in the timebank"), required=False)
    accept_agreement = forms.BooleanField(
        label=_("I accept the timebank's member agreement (needed when asking to join)"), required=False)
    lab = forms.ChoiceField(label=_("Design lab"), required=False)

    def __init__(self, *args, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        from coproduce.timebank.models import Category

        choices = choices or {"banks": [], "default_bank": None, "labs": []}
        routes = [(HelpOffer.Route.CONTACT, HelpOffer.Route.CONTACT.label)]
        if choices["banks"]:
            routes.append((HelpOffer.Route.TIMEBANK, HelpOffer.Route.TIMEBANK.label))
            self.fields["timebank"].choices = [(b.pk, b.name) for b in choices["banks"]]
            if choices["default_bank"] is not None:
                self.fields["timebank"].initial = choices["default_bank"].pk
            self.fields["category"].choices = [("", _("Let us suggest one"))] + [
                (c.pk, c.label) for c in Category.objects.filter(timebank__isnull=True, active=True)]
        else:
            for name in ("timebank", "category", "accept_agreement"):
                del self.fields[name]
        if choices["labs"]:
            routes.append((HelpOffer.Route.LAB, HelpOffer.Route.LAB.label))
            self.fields["lab"].choices = [(lab.pk, lab.title) for lab in choices["labs"]]
        else:
            del self.fields["lab"]
        self.fields["route"].choices = routes

    def choice(self) -> dict:
        data = self.cleaned_data
        return {"route": data.get("route") or HelpOffer.Route.CONTACT, "how": data.get("how", ""),
                "timebank": data.get("timebank") or None, "category": data.get("category") or None,
                "accept_agreement": bool(data.get("accept_agreement")), "lab": data.get("lab") or None}


class FollowUpForm(forms.Form):
    follow_up = forms.ChoiceField(label=_("Follow-up"), choices=HelpOffer.FollowUp.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class RatingForm(forms.Form):
    overall = forms.TypedChoiceField(label=_("Overall"), choices=STARS, coerce=int, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, service=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.dimension_names = {}
        for i, name in enumerate(service.rating_dimensions if service else []):
            key = f"dimension_{i}"
            self.dimension_names[key] = name
            self.fields[key] = forms.TypedChoiceField(label=name, choices=[("", _("No answer"))] + STARS,
                                                      coerce=int, required=False, empty_value=None)
        self.order_fields(["overall", *self.dimension_names, "comment"])

    def dimensions(self) -> dict:
        return {name: self.cleaned_data[key] for key, name in self.dimension_names.items()
                if self.cleaned_data.get(key)}


class OnBehalfRatingForm(RatingForm):
    """A rating someone gave in person, by phone or on paper, recorded by the service's staff."""

    person = forms.ModelChoiceField(label=_("On behalf of"), queryset=Person.objects.none())
    channel = forms.ChoiceField(label=_("How did they give it?"), choices=[
        (Channel.PHONE, _("By phone")), (Channel.IN_PERSON, _("In person")), (Channel.PAPER, _("On paper"))])
    consent = forms.BooleanField(label=_("They agreed to this rating being recorded in their name."),
                                 required=False)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people if people is not None else Person.objects.none()
        self.order_fields(["person", "channel", "overall", *self.dimension_names, "comment", "consent"])


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("Public reply"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))


class ReportRatingForm(forms.Form):
    reason = forms.CharField(label=_("What is wrong with this review?"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))


class ModerateForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=[("hide", _("Hide the review")),
                                                               ("keep", _("Keep it visible"))])
    note = forms.CharField(label=_("Note"), required=False, max_length=255)



# --- surveys -----------------------------------------------------------------------------------


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class SurveyTemplateForm(forms.Form):
    template = forms.ChoiceField(label=_("Ready-made survey"), choices=())

    def __init__(self, *args, **kwargs):
        from .survey_templates import choices

        super().__init__(*args, **kwargs)
        self.fields["template"].choices = choices()


class SurveyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Introduction"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    is_anonymous = forms.BooleanField(
        label=_("Anonymous: keep no link to who answered (anyone may answer, without logging in)"), required=False)
    area = forms.ModelChoiceField(label=_("Only for people living in"), queryset=Area.objects.all(), required=False,
                                  empty_label=_("Anyone"))
    group_question = forms.ChoiceField(label=_("Group allocation results by the answer to"), required=False)

    def __init__(self, *args, survey=None, **kwargs):
        super().__init__(*args, **kwargs)
        if survey is None:
            del self.fields["group_question"]
        else:
            self.fields["group_question"].choices = [("", _("No grouping"))] + [
                (str(q.pk), q.text) for q in survey.questions.all() if q.kind == "single"]
            if survey.status != "draft":
                del self.fields["is_anonymous"]
                del self.fields["area"]

    def changes(self, survey) -> dict:
        data = dict(self.cleaned_data)
        if "group_question" in data:
            pk = data.pop("group_question")
            data["group_question"] = survey.questions.filter(pk=pk).first() if pk else None
        return data


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of question"), choices=[])
    text = forms.CharField(label=_("Question"), max_length=500)
    help_text = forms.CharField(label=_("Help text"), max_length=500, required=False)
    required = forms.BooleanField(label=_("An answer is required"), required=False, initial=True)
    options = forms.CharField(
        label=_("Options (or matrix rows), one per line"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("For single and multiple choice, ranking and allocation questions; the rows of a matrix."))
    scale = forms.CharField(
        label=_("Scale, one point per line, lowest first"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("For Likert and matrix questions; empty: Strongly disagree … Strongly agree."))
    min_value = forms.DecimalField(label=_("Smallest number allowed"), required=False)
    max_value = forms.DecimalField(label=_("Largest number allowed"), required=False)
    unit = forms.ChoiceField(label=_("Allocation in"), choices=[], required=False)
    headline = forms.CharField(
        label=_("Headline answers for outcome indicators"), required=False,
        help_text=_("Option numbers or scale points (from 1), separated by commas, e.g. 4, 5."))

    def __init__(self, *args, **kwargs):
        from .models import SurveyQuestion

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = SurveyQuestion.Kind.choices
        self.fields["unit"].choices = SurveyQuestion.Unit.choices

    @classmethod
    def initial_for(cls, question) -> dict:
        shift = 0 if question.kind == "likert" else 1
        return {"kind": question.kind, "text": question.text, "help_text": question.help_text,
                "required": question.required, "options": "\n".join(question.options),
                "scale": "\n".join(question.scale), "min_value": question.min_value,
                "max_value": question.max_value, "unit": question.unit,
                "headline": ", ".join(str(v + shift) for v in question.headline)}

    def question_fields(self) -> dict:
        data = self.cleaned_data
        shift = 0 if data["kind"] == "likert" else 1
        headline = []
        for part in (data["headline"] or "").replace(";", ",").split(","):
            part = part.strip()
            if part:
                headline.append(int(part) - shift if part.isdigit() else part)
        return {"kind": data["kind"], "text": data["text"], "help_text": data["help_text"],
                "required": data["required"], "options": _lines(data["options"]), "scale": _lines(data["scale"]),
                "min_value": data["min_value"], "max_value": data["max_value"], "unit": data["unit"] or "points",
                "headline": headline}


def answers_from_post(questions, post) -> dict:
    """The raw answers of a submitted survey form, keyed by question field (`q<id>`); the service
    validates them. Ranking inputs give a rank per option; they become the options in ranked order."""
    answers = {}
    for q in questions:
        name = q.field
        if q.kind == "multiple":
            answers[name] = post.getlist(name)
        elif q.kind in ("matrix", "allocation"):
            answers[name] = [post.get(f"{name}_{i}", "") for i in range(len(q.options))]
        elif q.kind == "ranking":
            ranks = [post.get(f"{name}_{i}", "").strip() for i in range(len(q.options))]
            if not any(ranks):
                answers[name] = None
                continue
            order = [None] * len(q.options)
            for i, rank in enumerate(ranks):
                if rank.isdigit() and 1 <= int(rank) <= len(order) and order[int(rank) - 1] is None:
                    order[int(rank) - 1] = i
            answers[name] = order
        else:
            answers[name] = post.get(name, "")
    return answers


class PaperResponseForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Whose response is this?"), queryset=Person.objects.none(),
                                    required=False)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people if people is not None else Person.objects.none()


class SendToDesignForm(forms.Form):
    lab = forms.ChoiceField(label=_("Design lab"))
    conversation = forms.ChoiceField(label=_("Also as seed statements in the conversation"), required=False)

    def __init__(self, *args, labs=(), conversations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lab"].choices = [(str(lab.pk), lab.title) for lab in labs]
        self.fields["conversation"].choices = [("", _("No conversation"))] + [
            (str(c.pk), f"{c.lab.title}: {c.title}") for c in conversations]


# --- citizen inspections -----------------------------------------------------------------------


class DateInput(forms.DateInput):
    input_type = "date"


class TrainingForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Inspector"), queryset=Person.objects.none())
    course = forms.CharField(label=_("Course"), max_length=200)
    trained_by = forms.CharField(label=_("Trained by"), max_length=160)
    trained_on = forms.DateField(label=_("Trained on"), widget=DateInput)
    expires_on = forms.DateField(label=_("Valid until"), required=False, widget=DateInput)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people if people is not None else Person.objects.none()


class TemplateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of visit"), choices=[])
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    scale = forms.CharField(label=_("Rating scale, one point per line, lowest first"), required=False,
                            widget=forms.Textarea(attrs={"rows": 4}),
                            help_text=_("Empty: Poor, Needs improvement, Good, Excellent."))
    items = forms.CharField(
        label=_("What to check, one item per line"), widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Add the evidence to look for after a bar: “Is the entrance step-free? | ramp, door width”."))

    def __init__(self, *args, **kwargs):
        from .models import VisitKind

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = VisitKind.choices

    def template_fields(self) -> dict:
        data = self.cleaned_data
        items = []
        for line in _lines(data["items"]):
            text, _bar, evidence = line.partition("|")
            items.append((text.strip(), evidence.strip()))
        return {"title": data["title"], "kind": data["kind"], "description": data["description"],
                "scale": _lines(data["scale"]) or None, "items": items}


class VisitForm(forms.Form):
    template = forms.ModelChoiceField(label=_("Checklist"), queryset=None)
    service = forms.ModelChoiceField(label=_("Service visited"), queryset=Service.objects.exclude(
        status=Service.Status.DEFUNCT).order_by("name"))
    visit_on = forms.DateField(label=_("Visit date"), widget=DateInput)
    team = forms.ModelMultipleChoiceField(label=_("Team"), queryset=Person.objects.none(),
                                          widget=forms.CheckboxSelectMultiple)
    minutes = forms.IntegerField(label=_("Time each team member gives (minutes)"), min_value=0, initial=180,
                                 help_text=_("The visit, its preparation and the report: counted in the social "
                                             "value of citizens' time once the report is published."))

    def __init__(self, *args, templates=None, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates
        self.fields["team"].queryset = people if people is not None else Person.objects.none()


class FindingForm(forms.Form):
    rating = forms.TypedChoiceField(label=_("Rating"), choices=[], required=False, coerce=int, empty_value=None)
    notes = forms.CharField(label=_("Evidence and notes"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    photo = forms.FileField(label=_("Add a photo (JPEG, PNG or WebP)"), required=False)
    caption = forms.CharField(label=_("Caption of the photo"), required=False, max_length=200)

    def __init__(self, *args, scale=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rating"].choices = [("", _("Not rated yet"))] + [
            (i, f"{i} – {label}") for i, label in enumerate(scale, start=1)]


class ActionForm(forms.Form):
    description = forms.CharField(label=_("What should be done"), widget=forms.Textarea(attrs={"rows": 3}))
    due_on = forms.DateField(label=_("Deadline"), widget=DateInput)
    finding = forms.ChoiceField(label=_("About the finding"), required=False)

    def __init__(self, *args, findings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["finding"].choices = [("", _("The visit as a whole"))] + [
            (str(f.pk), f.item.text) for f in findings]


class PublishForm(forms.Form):
    summary = forms.CharField(label=_("Summary of the report"), widget=forms.Textarea(attrs={"rows": 6}))
    minutes = forms.IntegerField(label=_("Time each team member gave (minutes)"), min_value=0, required=False)


class AttributeForm(forms.Form):
    """One extra question of an Open311 service (a GeoReport v2 `attribute`). A row left without a
    code, a description and values is skipped; the service function checks the rest."""

    code = forms.CharField(label=_("Code"), required=False, max_length=40,
                           help_text=_("Letters, digits, '-', '_' or '.'; apps send it as attribute[CODE]."))
    description = forms.CharField(label=_("Question or information"), required=False, max_length=255)
    datatype = forms.ChoiceField(label=_("Kind of answer"), choices=ServiceAttribute.Datatype.choices)
    variable = forms.BooleanField(label=_("Asks for an answer (untick for information only)"), required=False,
                                  initial=True)
    required = forms.BooleanField(label=_("An answer is required"), required=False)
    order = forms.IntegerField(label=_("Order"), required=False, min_value=1)
    datatype_description = forms.CharField(label=_("Hint about the answer"), required=False, max_length=255)
    values = forms.CharField(
        label=_("Values to choose from"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For one choice or several choices: one value a line, as key = name (e.g. small = Small)."))

    def clean_values(self) -> list[dict]:
        values = []
        for number, line in enumerate(self.cleaned_data["values"].splitlines(), start=1):
            if not line.strip():
                continue
            key, sep, name = line.partition("=")
            if not sep or not key.strip() or not name.strip():
                raise forms.ValidationError(_("Line %(n)s: write key = name.") % {"n": number})
            values.append({"key": key.strip(), "name": name.strip()})
        return values

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not (data.get("code") or data.get("description") or data.get("values"))

    @staticmethod
    def initial_for(attribute: ServiceAttribute) -> dict:
        return {"code": attribute.code, "description": attribute.description, "datatype": attribute.datatype,
                "variable": attribute.variable, "required": attribute.required, "order": attribute.order,
                "datatype_description": attribute.datatype_description,
                "values": "\n".join(f"{v.get('key')} = {v.get('name')}" for v in attribute.values)}


AttributeFormSet = forms.formset_factory(AttributeForm, extra=3, can_delete=True, max_num=50, absolute_max=60)
