"""Citizen inspections API, under /api/v1/assessment/inspections (added to `api.router`).

Thin: every endpoint asks the permissions the pages ask and calls `inspection_services`.

- `GET  /reports`                              published reports (public)
- `GET  /visits/mine`                          the caller's own visits (as a member of the team)
- `GET  /visits/{id}`                          a visit: draft findings to the team and organisers only
- `POST /visits/{id}/items/{item_id}/finding`  multipart: `rating`, `notes`, `photo` (file), `caption`
- `GET  /services/{slug}/actions`              the actions of a service, each with an `overdue` flag
- `POST /actions/{id}/done`                    the service's staff: `{"note": ...}`
- `POST /actions/{id}/close`, `/reopen`        the inspection team and organisers
"""

from datetime import date, datetime

from django.db.models import Case, IntegerField, Prefetch, Value, When
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from coproduce.api import PUBLIC
from coproduce.core.audit import Channel
from coproduce.core.permissions import person_of, require

from . import inspection_services as inspections
from .models import FindingPhoto, InspectionAction, Service, TemplateItem, Visit

router = Router(tags=["inspections"])


class VisitOut(Schema):
    id: int
    service: str
    service_name: str
    organisation: str
    kind: str
    visit_on: date
    status: str
    summary: str
    published_at: datetime | None

    @staticmethod
    def resolve_service(obj) -> str:
        return obj.service.slug

    @staticmethod
    def resolve_service_name(obj) -> str:
        return obj.service.name

    @staticmethod
    def resolve_organisation(obj) -> str:
        return obj.organisation.slug


class PhotoOut(Schema):
    id: int
    url: str
    caption: str
    content_type: str
    size: int


class FindingOut(Schema):
    item: int
    text: str
    evidence: str
    rating: int | None
    rating_label: str
    notes: str
    photos: list[PhotoOut]


class ActionOut(Schema):
    id: int
    visit: int
    service: str
    description: str
    due_on: date
    status: str
    done_note: str
    overdue: bool

    @staticmethod
    def resolve_visit(obj) -> int:
        return obj.visit_id

    @staticmethod
    def resolve_service(obj) -> str:
        return obj.service.slug

    @staticmethod
    def resolve_overdue(obj) -> bool:
        return obj.is_overdue(timezone.localdate())


class VisitDetailOut(Schema):
    id: int
    service: str
    service_name: str
    organisation: str
    kind: str
    visit_on: date
    status: str
    summary: str
    published_at: datetime | None
    scale: list[str]
    findings: list[FindingOut]
    team: list[str]
    actions: list[ActionOut]


class DoneIn(Schema):
    note: str


def _visit(pk: int) -> Visit:
    return get_object_or_404(Visit.objects.select_related("service__organisation", "organisation", "template"), pk=pk)


def _photo_out(photo: FindingPhoto) -> dict:
    return {"id": photo.pk, "url": reverse("assessment:photo", args=[photo.pk]), "caption": photo.caption,
            "content_type": photo.content_type, "size": photo.size}


def _detail(user, visit: Visit) -> dict:
    draft = user.has_perm("assessment.view_visit_draft", visit)
    scale = list(visit.template.scale)
    findings = {f.item_id: f for f in visit.findings.prefetch_related(
        Prefetch("photos", queryset=FindingPhoto.objects.order_by("id")))}
    rows = []
    for item in visit.template.items.all():
        finding = findings.get(item.pk)
        rating = finding.rating if finding else None
        rows.append({"item": item.pk, "text": item.text, "evidence": item.evidence, "rating": rating,
                     "rating_label": scale[rating - 1] if rating else "", "notes": finding.notes if finding else "",
                     "photos": [_photo_out(p) for p in finding.photos.all()] if finding else []})
    show_actions = user.has_perm("assessment.view_action", InspectionAction(visit=visit))
    actions = visit.actions.select_related("service").order_by("due_on", "id") if show_actions else []
    return {"id": visit.pk, "service": visit.service.slug, "service_name": visit.service.name,
            "organisation": visit.organisation.slug, "kind": visit.kind, "visit_on": visit.visit_on,
            "status": visit.status, "summary": visit.summary, "published_at": visit.published_at,
            "scale": scale, "findings": rows, "team": [p.name for p in visit.team.order_by("name")] if draft else [],
            "actions": list(actions)}


@router.get("/reports", response=list[VisitOut], auth=PUBLIC)
@paginate(LimitOffsetPagination)
def published_reports(request, service: str | None = None):
    """Published reports, newest first; `service` filters by the service's slug."""
    qs = Visit.objects.filter(status=Visit.Status.PUBLISHED)
    if service:
        qs = qs.filter(service__slug=service)
    return qs.select_related("service", "organisation").order_by("-published_at", "-id")


@router.get("/visits/mine", response=list[VisitOut])
@paginate(LimitOffsetPagination)
def my_visits(request):
    """The visits the caller inspects as a member of the team (not the cancelled ones)."""
    me = person_of(request.user)
    if me is None:
        return Visit.objects.none()
    return (Visit.objects.filter(team=me).exclude(status=Visit.Status.CANCELLED)
            .select_related("service", "organisation").order_by("-visit_on", "-id"))


@router.get("/visits/{visit_id}", response=VisitDetailOut, auth=PUBLIC)
def visit_detail(request, visit_id: int):
    visit = _visit(visit_id)
    require(request.user, "assessment.view_visit", visit)
    return _detail(request.user, visit)


@router.post("/visits/{visit_id}/items/{item_id}/finding", response=VisitDetailOut)
def record_finding(request, visit_id: int, item_id: int, rating: Form[str] = "", notes: Form[str] = "",
                   caption: Form[str] = "", photo: File[UploadedFile | None] = None):
    """Rate a checklist item with notes and, optionally, a photo (JPEG, PNG or WebP, checked by content
    and size). All or nothing."""
    visit = _visit(visit_id)
    require(request.user, "assessment.record_findings", visit)
    item = get_object_or_404(TemplateItem, pk=item_id, template=visit.template)
    inspections.record_finding(request.user, visit, item, rating=rating, notes=notes, photo=photo, caption=caption,
                               channel=Channel.API)
    return _detail(request.user, _visit(visit_id))


@router.get("/services/{slug}/actions", response=list[ActionOut])
@paginate(LimitOffsetPagination)
def service_actions(request, slug: str):
    """The actions of the service's published reports (closed ones last), each with an `overdue` flag."""
    service = get_object_or_404(Service.objects.select_related("organisation"), slug=slug)
    require(request.user, "assessment.view_service_actions", service)
    closed = Case(When(status=InspectionAction.Status.CLOSED, then=Value(1)), default=Value(0),
                  output_field=IntegerField())
    return (InspectionAction.objects.filter(service=service, visit__status=Visit.Status.PUBLISHED)
            .select_related("service").annotate(closed=closed).order_by("closed", "due_on", "id"))


def _action(request, pk: int) -> InspectionAction:
    action = get_object_or_404(InspectionAction.objects.select_related(
        "visit__service__organisation", "visit__organisation", "service"), pk=pk)
    require(request.user, "assessment.view_action", action)
    return action


@router.post("/actions/{action_id}/done", response=ActionOut)
def mark_action_done(request, action_id: int, payload: DoneIn):
    action = inspections.complete_action(request.user, _action(request, action_id), note=payload.note,
                                         channel=Channel.API)
    return action


@router.post("/actions/{action_id}/close", response=ActionOut)
def close_action(request, action_id: int):
    action = inspections.close_action(request.user, _action(request, action_id), channel=Channel.API)
    return action


@router.post("/actions/{action_id}/reopen", response=ActionOut)
def reopen_action(request, action_id: int):
    action = inspections.close_action(request.user, _action(request, action_id), reopen=True, channel=Channel.API)
    return action
