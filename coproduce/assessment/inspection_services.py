"""Every change of state of citizen inspections and peer reviews goes through a function here (the
inspection part of `services`).

An organisation that runs inspections (its staff) records its inspectors' training (inspectors hold
the core `inspector` role there), keeps checklists (templates), and schedules visits by a team of
trained inspectors — or of experts by experience, for a peer review — to a service. The team records
findings (ratings, evidence notes, photos) and publishes the report; actions with deadlines are
assigned to the service, whose staff mark them done and the team closes them. Overdue actions are
chased by email at most once a day (`chase_overdue_actions`).
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core import audit
from coproduce.core.audit import Channel
from coproduce.core.images import read_photo, store_photo
from coproduce.core.models import STAFF_ROLES, Membership, Organisation, Person, Role
from coproduce.core.permissions import require

from . import tasks
from .models import (
    ActionChase,
    Finding,
    FindingPhoto,
    InspectionAction,
    InspectionTemplate,
    InspectorTraining,
    Service,
    TemplateItem,
    Visit,
    VisitKind,
)
from .services import _channel

DEFAULT_SCALE = ["Poor", "Needs improvement", "Good", "Excellent"]
MAX_ITEMS = 60
# Photos: JPEG, PNG or WebP, recognised by their first bytes (not by the name the browser sends).


def photo_limit() -> int:
    return getattr(settings, "INSPECTION_PHOTO_MAX_BYTES", 5 * 1024 * 1024)


# --- inspectors --------------------------------------------------------------------------------


def holds_inspector_role(person: Person, organisation: Organisation) -> bool:
    return Membership.objects.filter(person=person, organisation=organisation, role=Role.INSPECTOR).exists()


def is_trained_inspector(person: Person, organisation: Organisation, day: date) -> bool:
    """Holds the inspector role in the organisation and a training record valid on `day`."""
    if not holds_inspector_role(person, organisation):
        return False
    return any(t.valid_on(day) for t in InspectorTraining.objects.filter(person=person, organisation=organisation))


def trained_inspectors(organisation: Organisation, day: date):
    """People who may join a visit of this organisation's on `day`."""
    ids = InspectorTraining.objects.filter(organisation=organisation, trained_on__lte=day).exclude(
        expires_on__lt=day).values_list("person_id", flat=True)
    return Person.objects.filter(pk__in=ids, erased_at__isnull=True, memberships__organisation=organisation,
                                 memberships__role=Role.INSPECTOR).distinct().order_by("name", "id")


@transaction.atomic
def record_training(actor, organisation: Organisation, person: Person, *, course: str, trained_by: str,
                    trained_on: date, expires_on: date | None = None, channel=Channel.WEB) -> InspectorTraining:
    require(actor, "assessment.manage_inspections", organisation)
    errors = {}
    if not holds_inspector_role(person, organisation):
        errors["person"] = [_("%(name)s does not hold the citizen inspector role here: an administrator gives it "
                              "first.") % {"name": person.name}]
    if not (course or "").strip():
        errors["course"] = [_("Name the course.")]
    if not (trained_by or "").strip():
        errors["trained_by"] = [_("Say who trained them.")]
    if trained_on is None:
        errors["trained_on"] = [_("Give the date of the training.")]
    elif trained_on > timezone.localdate():
        errors["trained_on"] = [_("The training cannot be in the future.")]
    if expires_on is not None and trained_on is not None and expires_on < trained_on:
        errors["expires_on"] = [_("The training cannot expire before it took place.")]
    if errors:
        raise ValidationError(errors)
    training = InspectorTraining.objects.create(
        person=person, organisation=organisation, course=course.strip()[:200], trained_by=trained_by.strip()[:160],
        trained_on=trained_on, expires_on=expires_on, recorded_by=actor if actor is not None and actor.pk else None)
    audit.record(actor, "inspector.training", training, organisation=organisation, channel=_channel(channel),
                 on_behalf_of=None, details={"person": person.pk, "course": training.course})
    return training


# --- templates ---------------------------------------------------------------------------------


@transaction.atomic
def create_template(actor, organisation: Organisation, *, title: str, items, kind=VisitKind.INSPECTION,
                    description: str = "", scale=None, channel=Channel.WEB) -> InspectionTemplate:
    """A checklist: `items` are (what to check, evidence to look for) pairs; `scale` the rating labels,
    lowest first (default Poor … Excellent)."""
    require(actor, "assessment.manage_inspections", organisation)
    errors = {}
    if not (title or "").strip():
        errors["title"] = [_("Please give the checklist a title.")]
    if kind not in VisitKind.values:
        errors["kind"] = [_("Unknown kind of visit.")]
    scale = [str(s).strip()[:60] for s in (scale or DEFAULT_SCALE) if str(s).strip()]
    if not 2 <= len(scale) <= 10:
        errors["scale"] = [_("A rating scale has 2 to 10 points.")]
    rows = [(str(text).strip(), str(evidence or "").strip()) for text, evidence in items or [] if str(text).strip()]
    if not rows:
        errors["items"] = [_("Add at least one thing to check.")]
    elif len(rows) > MAX_ITEMS or any(len(text) > 300 for text, _e in rows):
        errors["items"] = [_("At most %(n)s items, each under 300 characters.") % {"n": MAX_ITEMS}]
    if errors:
        raise ValidationError(errors)
    template = InspectionTemplate.objects.create(organisation=organisation, title=title.strip()[:200], kind=kind,
                                                 description=(description or "").strip(), scale=scale)
    TemplateItem.objects.bulk_create([TemplateItem(template=template, position=i, text=text, evidence=evidence)
                                      for i, (text, evidence) in enumerate(rows)])
    audit.record(actor, "inspection.template.create", template, organisation=organisation, channel=_channel(channel),
                 details={"items": len(rows)})
    return template


# --- visits ------------------------------------------------------------------------------------


def _minutes(value, errors: dict) -> int | None:
    """The time each team member gives, in whole minutes (0 or more); None adds a field error."""
    try:
        minutes = int(value) if not isinstance(value, (bool, float)) else None
    except (TypeError, ValueError):
        minutes = None
    if minutes is None or minutes < 0 or minutes > 24 * 60 * 7:
        errors["minutes"] = [_("Give the time each team member gives in whole minutes (at most a week).")]
        return None
    return minutes


@transaction.atomic
def schedule_visit(actor, template: InspectionTemplate, service: Service, *, visit_on: date, team,
                   minutes=0, channel=Channel.WEB) -> Visit:
    """A visit by a team of trained inspectors (or experts by experience) to a service on a date.
    Nobody who works for the inspected service may be on its team. `minutes`: the time each team
    member gives (visit, preparation, report), for the social value of citizens' time."""
    organisation = template.organisation
    require(actor, "assessment.manage_inspections", organisation)
    team = list(team or [])
    errors = {}
    minutes = _minutes(minutes, errors)
    if visit_on is None:
        errors["visit_on"] = [_("Give the date of the visit.")]
    if not team:
        errors["team"] = [_("Choose the team.")]
    elif visit_on is not None:
        untrained = [p.name for p in team if not is_trained_inspector(p, organisation, visit_on)]
        if untrained:
            errors["team"] = [_("Not trained (or training expired) on the visit date: %(names)s.") % {
                "names": ", ".join(untrained)}]
        service_orgs = service.organisation.lineage_ids()
        insiders = Membership.objects.filter(person__in=team, organisation_id__in=service_orgs,
                                             role__in=STAFF_ROLES).values_list("person__name", flat=True)
        if insiders:
            errors["team"] = [_("People who work for the service cannot inspect it: %(names)s.") % {
                "names": ", ".join(sorted(set(insiders)))}]
    if errors:
        raise ValidationError(errors)
    visit = Visit.objects.create(template=template, organisation=organisation, service=service, kind=template.kind,
                                 visit_on=visit_on, minutes=minutes)
    visit.team.set(team)
    audit.record(actor, "inspection.visit.schedule", visit, organisation=organisation, channel=_channel(channel),
                 details={"service": service.pk, "team": [p.pk for p in team], "kind": visit.kind,
                          "minutes": minutes})
    return visit


@transaction.atomic
def cancel_visit(actor, visit: Visit, *, channel=Channel.WEB) -> Visit:
    require(actor, "assessment.manage_visit", visit)
    if visit.status != Visit.Status.SCHEDULED:
        raise ValidationError({"status": [_("Only a visit whose report is not published can be cancelled.")]})
    visit.status = Visit.Status.CANCELLED
    visit.save(update_fields=["status"])
    audit.record(actor, "inspection.visit.cancel", visit, organisation=visit.organisation, channel=_channel(channel))
    return visit


@transaction.atomic
def record_finding(actor, visit: Visit, item: TemplateItem, *, rating=None, notes: str = "", photo=None,
                   caption: str = "", channel=Channel.WEB) -> Finding:
    """Rate a checklist item with evidence notes and, optionally, a photo (`add_photo`'s checks), all or
    nothing."""
    require(actor, "assessment.record_findings", visit)
    if visit.status != Visit.Status.SCHEDULED:
        raise ValidationError({"visit": [_("The report is published (or the visit cancelled): findings are final.")]})
    if item.template_id != visit.template_id:
        raise ValidationError({"item": [_("This item is not on the visit's checklist.")]})
    scale = visit.template.scale
    if rating in ("", None):
        rating = None
    else:
        try:
            rating = int(rating)
        except (TypeError, ValueError):
            rating = 0
        if not 1 <= rating <= len(scale):
            raise ValidationError({"rating": [_("Choose a rating from 1 to %(n)s.") % {"n": len(scale)}]})
    notes = (notes or "").strip()
    if len(notes) > 5000:
        raise ValidationError({"notes": [_("Please keep the notes under 5,000 characters.")]})
    finding, _created = Finding.objects.update_or_create(
        visit=visit, item=item, defaults={"rating": rating, "notes": notes, "updated_at": timezone.now(),
                                          "updated_by": actor if actor is not None and actor.pk else None})
    audit.record(actor, "inspection.finding", visit, organisation=visit.organisation, channel=_channel(channel),
                 details={"item": item.pk, "rating": rating})
    if photo is not None:
        add_photo(actor, finding, photo, caption=caption, channel=channel)
    return finding


@transaction.atomic
def add_photo(actor, finding: Finding, upload, *, caption: str = "", channel=Channel.WEB) -> FindingPhoto:
    """Keep a photo as evidence. It is checked and cleaned by `core.images.read_photo` (a JPEG, PNG or
    WebP that decodes, at most INSPECTION_PHOTO_MAX_BYTES, re-encoded without EXIF/GPS metadata); it is
    stored under MEDIA_ROOT with a name of our own."""
    require(actor, "assessment.record_findings", finding.visit)
    if finding.visit.status != Visit.Status.SCHEDULED:
        raise ValidationError({"photo": [_("The report is published (or the visit cancelled): findings are final.")]})
    data, kind = read_photo(upload, photo_limit())
    stored, content_type = store_photo(data, kind, f"inspections/{finding.visit_id}")
    photo = FindingPhoto.objects.create(finding=finding, file=stored, content_type=content_type, size=len(data),
                                        caption=(caption or "").strip()[:200],
                                        uploaded_by=actor if actor is not None and actor.pk else None)
    audit.record(actor, "inspection.photo", finding.visit, organisation=finding.visit.organisation,
                 channel=_channel(channel), details={"photo": photo.pk, "bytes": len(data)})
    return photo


@transaction.atomic
def publish_report(actor, visit: Visit, *, summary: str, minutes=None, channel=Channel.WEB) -> Visit:
    """Publish the report: every checklist item rated, and a summary. `minutes` corrects the time each
    team member gave (else the time planned when the visit was scheduled stands)."""
    require(actor, "assessment.publish_report", visit)
    errors = {}
    if minutes is not None:
        minutes = _minutes(minutes, errors)
    if visit.status != Visit.Status.SCHEDULED:
        raise ValidationError({"status": [_("This report cannot be published.")]})
    if not (summary or "").strip():
        errors["summary"] = [_("Write a summary of the report.")]
    rated = set(visit.findings.filter(rating__isnull=False).values_list("item_id", flat=True))
    missing = [item.text for item in visit.template.items.all() if item.pk not in rated]
    if missing:
        errors["findings"] = [_("Rate every item first; not yet rated: %(items)s.") % {"items": "; ".join(missing)}]
    if errors:
        raise ValidationError(errors)
    visit.summary = summary.strip()
    visit.status = Visit.Status.PUBLISHED
    visit.published_at = timezone.now()
    if minutes is not None:
        visit.minutes = minutes
    visit.save(update_fields=["summary", "status", "published_at", "minutes"])
    audit.record(actor, "inspection.report.publish", visit, organisation=visit.organisation,
                 channel=_channel(channel), details={"minutes": visit.minutes})
    return visit


# --- actions -----------------------------------------------------------------------------------


@transaction.atomic
def add_action(actor, visit: Visit, *, description: str, due_on: date, finding: Finding | None = None,
               channel=Channel.WEB) -> InspectionAction:
    require(actor, "assessment.add_action", visit)
    errors = {}
    if visit.status == Visit.Status.CANCELLED:
        errors["visit"] = [_("The visit was cancelled.")]
    if not (description or "").strip():
        errors["description"] = [_("Say what should be done.")]
    if due_on is None:
        errors["due_on"] = [_("Give a deadline.")]
    elif due_on < visit.visit_on:
        errors["due_on"] = [_("The deadline cannot be before the visit.")]
    if finding is not None and finding.visit_id != visit.pk:
        errors["finding"] = [_("This finding belongs to another visit.")]
    if errors:
        raise ValidationError(errors)
    action = InspectionAction.objects.create(visit=visit, service=visit.service, finding=finding,
                                             description=description.strip(), due_on=due_on)
    audit.record(actor, "inspection.action.add", action, organisation=visit.organisation, channel=_channel(channel),
                 details={"visit": visit.pk, "due_on": due_on.isoformat()})
    return action


@transaction.atomic
def complete_action(actor, action: InspectionAction, *, note: str, channel=Channel.WEB) -> InspectionAction:
    """The service's staff say the action is done (the team then closes it)."""
    require(actor, "assessment.complete_action", action)
    if action.status != InspectionAction.Status.OPEN:
        raise ValidationError({"status": [_("Only an open action can be marked done.")]})
    if not (note or "").strip():
        raise ValidationError({"done_note": [_("Say what was done.")]})
    action.status, action.done_at, action.done_note = InspectionAction.Status.DONE, timezone.now(), note.strip()
    action.save(update_fields=["status", "done_at", "done_note"])
    audit.record(actor, "inspection.action.done", action, organisation=action.service.organisation,
                 channel=_channel(channel))
    return action


@transaction.atomic
def close_action(actor, action: InspectionAction, *, reopen: bool = False, channel=Channel.WEB) -> InspectionAction:
    """The inspection team closes an action (done, or no longer needed) or reopens it."""
    require(actor, "assessment.close_action", action)
    before = action.status
    if reopen:
        if action.status == InspectionAction.Status.OPEN:
            raise ValidationError({"status": [_("The action is open already.")]})
        action.status, action.done_at, action.closed_at = InspectionAction.Status.OPEN, None, None
    else:
        if action.status == InspectionAction.Status.CLOSED:
            raise ValidationError({"status": [_("The action is closed already.")]})
        action.status, action.closed_at = InspectionAction.Status.CLOSED, timezone.now()
    action.save(update_fields=["status", "done_at", "closed_at"])
    audit.record(actor, "inspection.action.reopen" if reopen else "inspection.action.close", action,
                 organisation=action.visit.organisation, channel=_channel(channel),
                 details={"from": before, "to": action.status})
    return action


def service_staff_emails(service: Service) -> list[str]:
    """Who hears about the service's overdue actions: its working staff, and its contact address."""
    emails = set(Membership.objects.filter(organisation=service.organisation, role__in=STAFF_ROLES,
                                           person__erased_at__isnull=True).exclude(person__email="")
                 .values_list("person__email", flat=True))
    if service.email:
        emails.add(service.email)
    return sorted(emails)


def chase_overdue_actions(today: date | None = None) -> dict:
    """Email each service's staff about its overdue actions (published reports, open actions past
    their deadline). Each action is chased at most once a day; every chase is recorded."""
    today = today or timezone.localdate()
    overdue = (InspectionAction.objects.filter(status=InspectionAction.Status.OPEN, due_on__lt=today,
                                               visit__status=Visit.Status.PUBLISHED)
               .exclude(last_chased_on__gte=today).select_related("service").order_by("service_id", "due_on"))
    by_service: dict[int, list[InspectionAction]] = {}
    for action in overdue:
        by_service.setdefault(action.service_id, []).append(action)
    emails = chased = 0
    for actions in by_service.values():
        service = actions[0].service
        recipients = service_staff_emails(service)
        try:
            with transaction.atomic():
                ActionChase.objects.bulk_create([ActionChase(action=a, chased_on=today, recipients=len(recipients))
                                                 for a in actions])
                InspectionAction.objects.filter(pk__in=[a.pk for a in actions]).update(last_chased_on=today)
                audit.record(None, "inspection.action.chase", service, organisation=service.organisation,
                             channel=Channel.SYSTEM, details={"actions": [a.pk for a in actions],
                                                              "recipients": len(recipients)})
                if recipients:
                    tasks.overdue_actions_email.enqueue(action_ids=[a.pk for a in actions], to=recipients)
        except IntegrityError:
            continue  # chased today by a concurrent run
        chased += len(actions)
        emails += 1 if recipients else 0
    return {"services": emails, "actions": chased}
