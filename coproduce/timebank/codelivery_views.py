"""Co-delivery pages: members' own offers, requests, exchanges and availability; brokers' requests
queue, matching and a member's trust record. Thin: parse, call a service, render.

A broker does everything a member does for an offline member: the member pages take `?member=<id>`
(brokers of the member's bank only), and the services record the broker acting on their behalf.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coproduce.core.audit import Channel
from coproduce.core.permissions import person_of, require
from coproduce.core.views import apply_errors

from . import exchanges, notifications, postings, services, suggestions, trust
from .codelivery_forms import (
    CheckForm,
    ExchangeActionForm,
    JoinForm,
    MatchForm,
    NoteForm,
    OptOutForm,
    PostingForm,
    ReferenceForm,
    RequestForm,
    RequirementsForm,
    WhyNotForm,
    WindowForm,
)
from .models import (
    AvailabilityWindow,
    Exchange,
    ExchangeParticipant,
    HelpRequest,
    Offer,
    Timebank,
    TimebankMember,
)


def _bank(slug) -> Timebank:
    return get_object_or_404(Timebank.objects.select_related("organisation", "network"), slug=slug)


def _subject(request, bank: Timebank) -> TimebankMember:
    """Whose pages these are: `?member=` for a broker acting for someone, else the user's own."""
    qs = TimebankMember.objects.select_related("person", "timebank__organisation", "account")
    wanted = request.GET.get("member") or request.POST.get("for_member")
    if wanted:
        member = get_object_or_404(qs, pk=wanted if str(wanted).isdigit() else 0, timebank=bank)
        require(request.user, "timebank.change_member", member)
        return member
    me = person_of(request.user)
    member = qs.filter(timebank=bank, person=me).first() if me else None
    if member is None:
        raise PermissionDenied("timebank.view_member")
    return member


def _channel(request, member, form=None) -> str:
    """A broker acting for someone says how they were told; members act on the web."""
    if form is not None and form.cleaned_data.get("channel"):
        return form.cleaned_data["channel"]
    return Channel.WEB


def _for(member, request) -> str:
    me = person_of(request.user)
    return "" if me and me.pk == member.person_id else f"?member={member.pk}"


@login_required
@require_http_methods(["GET", "POST"])
def join(request, slug):
    bank = _bank(slug)
    agreement = bank.current_agreement()
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_to_join(request.user, bank, accept_agreement=form.cleaned_data["accept_agreement"],
                                     kind=form.cleaned_data["kind"], is_child=form.cleaned_data["is_child"],
                                     guardian=form.guardian())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Thank you: a broker will be in touch to welcome you."))
            return redirect("timebank:bank", slug=bank.slug)
    return render(request, "timebank/join.html", {"bank": bank, "form": form, "agreement": agreement})


@login_required
@require_http_methods(["GET"])
def my_postings(request, slug):
    bank = _bank(slug)
    member = _subject(request, bank)
    offers = Offer.objects.filter(member=member).select_related("category", "neighbourhood")
    requests = HelpRequest.objects.filter(member=member).select_related("category", "neighbourhood")
    return render(request, "timebank/my_postings.html", {
        "bank": bank, "member": member, "offers": offers, "requests": requests, "for": _for(member, request),
        "manages": request.user.has_perm("timebank.broker", bank)})


@login_required
@require_http_methods(["GET", "POST"])
def new_posting(request, slug, kind):
    bank = _bank(slug)
    member = _subject(request, bank)
    require(request.user, "timebank.add_posting", member)
    on_behalf = trust.acting_for(request.user, member) is not None
    form_class = RequestForm if kind == "request" else PostingForm
    form = form_class(request.POST or None, timebank=bank, on_behalf=on_behalf)
    if request.method == "POST" and form.is_valid():
        try:
            create = postings.create_request if kind == "request" else postings.create_offer
            create(request.user, member, channel=_channel(request, member, form), **form.service_data())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(reverse("timebank:my_postings", args=[bank.slug]) + _for(member, request))
    return render(request, "timebank/posting_form.html", {"bank": bank, "member": member, "form": form,
                                                          "kind": kind})


@login_required
@require_POST
def posting_status(request, slug, kind, pk):
    bank = _bank(slug)
    model = HelpRequest if kind == "request" else Offer
    posting = get_object_or_404(model.objects.select_related("member__timebank__organisation", "member__person"),
                                pk=pk, member__timebank=bank)
    try:
        postings.set_posting_status(request.user, posting, request.POST.get("status", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))
    return redirect(reverse("timebank:my_postings", args=[bank.slug]) + _for(posting.member, request))


@login_required
@require_http_methods(["GET"])
def my_exchanges(request, slug):
    bank = _bank(slug)
    member = _subject(request, bank)
    parts = Prefetch("participants", queryset=ExchangeParticipant.objects.select_related("member__person"))
    items = (Exchange.objects.filter(participants__member=member).select_related("category", "timebank")
             .prefetch_related(parts, "expenses").distinct().order_by("-created_at", "-id"))
    return render(request, "timebank/my_exchanges.html", {
        "bank": bank, "member": member, "exchanges": items, "for": _for(member, request)})


ACTIONS = {"accept", "schedule", "done", "confirm", "cancel", "credit", "expense"}


@login_required
@require_http_methods(["GET", "POST"])
def exchange_detail(request, slug, pk):
    bank = _bank(slug)
    exchange = get_object_or_404(Exchange.objects.select_related("timebank__organisation", "category", "request"),
                                 pk=pk, timebank=bank)
    require(request.user, "timebank.view_exchange", exchange)
    form = ExchangeActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        action = data["action"]
        member = None
        if data.get("member"):
            member = TimebankMember.objects.filter(pk=data["member"]).first()
        try:
            if action == "accept":
                exchanges.accept(request.user, exchange)
            elif action == "schedule":
                exchanges.schedule(request.user, exchange, starts_at=data["starts_at"], place=data["place"],
                                   place_detail=data["place_detail"], minutes=data.get("minutes"))
            elif action == "done":
                exchanges.mark_done(request.user, exchange, minutes=data.get("minutes"))
            elif action == "confirm":
                exchanges.confirm(request.user, exchange, member=member)
            elif action == "cancel":
                exchanges.cancel(request.user, exchange, data["reason"], member=member)
            elif action == "credit":
                exchanges.credit(request.user, exchange)
            elif action == "expense":
                exchanges.add_expense(request.user, exchange, what=data["what"],
                                      estimated_amount=data["estimated_amount"], agreed_by=data["agreed_by"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Done."))
            return redirect("timebank:exchange_detail", slug=bank.slug, pk=exchange.pk)
    parts = list(exchange.participants.select_related("member__person").order_by("role", "id"))
    me = person_of(request.user)
    return render(request, "timebank/exchange_detail.html", {
        "bank": bank, "exchange": exchange, "parts": parts, "form": form,
        "expenses": list(exchange.expenses.all()),
        "manages": request.user.has_perm("timebank.broker", exchange),
        "mine": [p for p in parts if me and p.member.person_id == me.pk],
        "place_choices": Exchange.Place.choices,
    })


@login_required
@require_http_methods(["GET", "POST"])
def availability(request, slug):
    bank = _bank(slug)
    member = _subject(request, bank)
    require(request.user, "timebank.change_availability", member)
    window_form = WindowForm(request.POST if request.POST.get("form") == "window" else None, prefix="w")
    opt_out_form = OptOutForm(request.POST if request.POST.get("form") == "opt_out" else None, prefix="o")
    windows = list(AvailabilityWindow.objects.filter(member=member))
    if request.method == "POST":
        try:
            if request.POST.get("form") == "window" and window_form.is_valid():
                d = window_form.cleaned_data
                trust.set_availability(request.user, member, [(w.weekday, w.start, w.end) for w in windows]
                                       + [(d["weekday"], d["start"], d["end"])])
            elif request.POST.get("form") == "clear_windows":
                trust.set_availability(request.user, member, [])
            elif request.POST.get("form") == "opt_out" and opt_out_form.is_valid():
                trust.add_opt_out(request.user, member, **opt_out_form.cleaned_data)
            elif request.POST.get("form") == "remove_opt_out":
                opt_out = get_object_or_404(member.opt_outs, pk=request.POST.get("opt_out") or 0)
                trust.remove_opt_out(request.user, opt_out)
            else:
                raise ValidationError({})
        except ValidationError as exc:
            apply_errors(window_form if request.POST.get("form") == "window" else opt_out_form, exc)
        else:
            return redirect(reverse("timebank:availability", args=[bank.slug]) + _for(member, request))
    return render(request, "timebank/availability.html", {
        "bank": bank, "member": member, "windows": windows, "opt_outs": list(member.opt_outs.all()),
        "window_form": window_form, "opt_out_form": opt_out_form, "for": _for(member, request)})


@login_required
@require_http_methods(["GET"])
def request_suggestions(request, slug, pk):
    """A member's view of helpers suggested for their own request: first name, neighbourhood, offer."""
    bank = _bank(slug)
    help_request = get_object_or_404(
        HelpRequest.objects.select_related("member__person", "member__timebank__organisation", "category"),
        pk=pk, member__timebank=bank)
    require(request.user, "timebank.view_suggestions", help_request)
    rows, _pairs, _notes = suggestions.suggest_for(help_request)
    shown = [{"first_name": (r.member.person.name or "").split(" ")[0],
              "neighbourhood": r.member.person.home_area.name if r.member.person.home_area else "",
              "offers": [o.description for o in r.offers]} for r in rows]
    return render(request, "timebank/request_suggestions.html", {
        "bank": bank, "help_request": help_request, "suggestions": shown})


# --- brokers --------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def requests_queue(request, slug):
    bank = _bank(slug)
    require(request.user, "timebank.broker", bank)
    waiting = list(notifications.unmatched_requests([bank]))
    under_way = (Exchange.objects.filter(timebank=bank).exclude(state__in=[Exchange.State.CREDITED,
                                                                          Exchange.State.CANCELLED])
                 .select_related("category").prefetch_related(
                     Prefetch("participants", queryset=ExchangeParticipant.objects.select_related("member__person")))
                 .order_by("created_at", "id"))
    return render(request, "timebank/requests_queue.html", {"bank": bank, "waiting": waiting,
                                                            "under_way": under_way})


@login_required
@require_http_methods(["GET", "POST"])
def broker_request(request, slug, pk):
    bank = _bank(slug)
    help_request = get_object_or_404(
        HelpRequest.objects.select_related("member__person", "member__timebank__organisation", "category"),
        pk=pk, member__timebank=bank)
    require(request.user, "timebank.broker", help_request)
    rows, pairs, notes = suggestions.suggest_for(help_request)
    match_form = MatchForm(request.POST if request.POST.get("form") == "match" else None,
                           members=[r.member for r in rows])
    req_form = RequirementsForm(request.POST if request.POST.get("form") == "requirements" else None,
                                initial={"helpers_needed": help_request.helpers_needed,
                                         "outside_home": help_request.outside_home,
                                         "note": help_request.requirements_note})
    why_form = WhyNotForm(request.GET if "member" in request.GET else None, timebank=bank)
    why = None
    if why_form.is_bound and why_form.is_valid():
        why = (why_form.cleaned_data["member"], suggestions.why_not(help_request, why_form.cleaned_data["member"]))
    if request.method == "POST":
        try:
            if request.POST.get("form") == "match" and match_form.is_valid():
                exchange = exchanges.match(request.user, help_request, list(match_form.cleaned_data["helpers"]))
                messages.success(request, _("Matched. The members are told by email where they have one."))
                return redirect("timebank:exchange_detail", slug=bank.slug, pk=exchange.pk)
            if request.POST.get("form") == "requirements" and req_form.is_valid():
                trust.set_requirements(request.user, help_request, **req_form.cleaned_data)
                return redirect("timebank:broker_request", slug=bank.slug, pk=help_request.pk)
        except ValidationError as exc:
            apply_errors(match_form if request.POST.get("form") == "match" else req_form, exc)
    return render(request, "timebank/broker_request.html", {
        "bank": bank, "help_request": help_request, "suggestions": rows, "pairs": pairs, "notes": notes,
        "match_form": match_form, "req_form": req_form, "why_form": why_form, "why": why})


@login_required
@require_http_methods(["GET"])
def offer_needs(request, slug, pk):
    bank = _bank(slug)
    offer = get_object_or_404(Offer.objects.select_related("member__person", "member__timebank__organisation",
                                                           "category"), pk=pk, member__timebank=bank)
    require(request.user, "timebank.broker", offer)
    return render(request, "timebank/offer_needs.html", {"bank": bank, "offer": offer,
                                                         "needs": suggestions.needs_for_offer(offer)})


@login_required
@require_http_methods(["GET", "POST"])
def trust_record(request, slug, pk):
    bank = _bank(slug)
    member = get_object_or_404(TimebankMember.objects.select_related("person", "timebank__organisation"),
                               pk=pk, timebank=bank)
    require(request.user, "timebank.view_trust", member)
    which = request.POST.get("form")
    forms = {
        "reference": ReferenceForm(request.POST if which == "reference" else None, prefix="r"),
        "check": CheckForm(request.POST if which == "check" else None, prefix="c"),
        "note": NoteForm(request.POST if which == "note" else None, prefix="n"),
    }
    if request.method == "POST":
        form = forms.get(which)
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                if which == "reference":
                    trust.record_reference(request.user, member, **form.cleaned_data)
                elif which == "check":
                    trust.record_check(request.user, member, **form.cleaned_data)
                else:
                    trust.add_note(request.user, member, form.cleaned_data["text"])
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                return redirect("timebank:trust_record", slug=bank.slug, pk=member.pk)
    return render(request, "timebank/trust_record.html", {
        "bank": bank, "member": member, "references": list(member.references.all()),
        "checks": list(member.checks.all()), "notes": list(member.broker_notes.select_related("author__person")),
        "forms": forms})


@login_required
@require_http_methods(["GET", "POST"])
def board(request, slug):
    """Open requests and offers of the bank, for its members: "I can help" and "Ask for this".
    Other members appear by first name and neighbourhood only."""
    bank = _bank(slug)
    require(request.user, "timebank.offer_help", bank)
    me = _subject(request, bank) if (request.GET.get("member") or request.POST.get("for_member")) else (
        TimebankMember.objects.select_related("person", "timebank__organisation").filter(
            timebank=bank, person=person_of(request.user), status=TimebankMember.Status.ACTIVE).first())
    if request.method == "POST":
        if me is None:
            raise PermissionDenied("timebank.offer_help")
        try:
            if request.POST.get("request"):
                help_request = get_object_or_404(HelpRequest, pk=request.POST["request"], member__timebank=bank)
                exchange = exchanges.offer_help(request.user, help_request, me)
            else:
                offer = get_object_or_404(Offer, pk=request.POST.get("offer") or 0, member__timebank=bank)
                exchange = exchanges.ask_for_offer(request.user, offer, me)
        except ValidationError as exc:
            messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))
        else:
            messages.success(request, _("Thank you: the exchange is under way."))
            return redirect("timebank:exchange_detail", slug=bank.slug, pk=exchange.pk)
    related = ("member__person__home_area", "category")
    requests_open = HelpRequest.objects.filter(member__timebank=bank, status="open").select_related(*related)
    offers_open = Offer.objects.filter(member__timebank=bank, status="open").select_related(*related)
    if me is not None:
        requests_open, offers_open = requests_open.exclude(member=me), offers_open.exclude(member=me)
    requests_open, offers_open = list(requests_open[:200]), list(offers_open[:200])
    for posting in requests_open + offers_open:
        posting.first_name = (posting.member.person.name or "").split(" ")[0]
    return render(request, "timebank/board.html", {
        "bank": bank, "me": me, "requests": requests_open, "offers": offers_open,
        "for": _for(me, request) if me else ""})
