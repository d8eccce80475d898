"""Staff pages for paper forms from a workshop: the answers to a conversation's demographic questions,
entered on the participant's behalf (next to `views.paper_votes`, which enters the form's votes)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coproduce.core.views import apply_errors

from . import services
from .forms import PaperAnswersForm
from .models import Question
from .views import _conversation, _manage, _people_for


@login_required
@require_http_methods(["GET", "POST"])
def paper_answers(request, slug, pk):
    """GET with `label` (or `person`) shows that form's answers so far, to correct them; POST records them."""
    conversation = _conversation(slug, pk)
    _manage(request, conversation.lab)
    people = _people_for(request.user)
    questions = list(Question.objects.filter(conversation=conversation).order_by("position", "id"))
    if request.method == "POST":
        form = PaperAnswersForm(request.POST, people=people, questions=questions)
        if form.is_valid():
            person, label = form.cleaned_data["person"], form.cleaned_data["label"]
            try:
                participant = services.record_answers(request.user, conversation, form.answers(), person=person,
                                                      label=label, channel=form.cleaned_data["channel"])
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Answers recorded for participant %(n)s.") % {"n": participant.number})
                query = urlencode({"person": person.pk} if person is not None else {"label": participant.label})
                return redirect(f"{request.path}?{query}")
    else:
        person = people.filter(pk=request.GET["person"]).first() if request.GET.get("person", "").isdigit() else None
        label = request.GET.get("label", "")
        initial = {"person": person, "label": label}
        initial.update({f"q{q}": str(c) for q, c in
                        services.paper_answers(conversation, person=person, label=label).items()})
        form = PaperAnswersForm(initial=initial, people=people, questions=questions)
    return render(request, "design/paper_answers.html", {"lab": conversation.lab, "conversation": conversation,
                                                          "form": form, "questions": questions})
