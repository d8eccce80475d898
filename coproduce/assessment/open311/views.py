"""Open311 GeoReport v2 server at /open311/v2/ (see http://wiki.open311.org/GeoReport_v2).

Reading is public; posting a request needs an `api_key` (`coproduce open311 apikey NAME`). Requests
posted here are the same complaints and reports staff handle on the web; only public ones are listed.
Errors are the specification's list of {code, description} with its status codes.
"""

import os
import re
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from coproduce.core.audit import Channel

from .. import services
from ..models import Complaint, Service
from . import serializers as s

MAX_RESULTS = 1000
MAX_DAYS = 90
POST_FIELDS = ("email", "device_id", "account_id", "first_name", "last_name", "phone", "description", "media_url",
               "address_string", "address_id", "zipcode")
ATTRIBUTE_RE = re.compile(r"^attribute\[([^\]]+)\](\[\])?$")


def jurisdiction() -> str:
    return getattr(settings, "OPEN311_JURISDICTION_ID", None) or os.environ.get("OPEN311_JURISDICTION_ID", "")


def _jurisdiction_error(request, fmt):
    given = request.GET.get("jurisdiction_id") or request.POST.get("jurisdiction_id")
    configured = jurisdiction()
    if given and configured and given != configured:
        return s.errors(fmt, 404, f"jurisdiction_id {given} was not found.")
    return None


def open311_services():
    return (Service.objects.filter(open311_code__isnull=False, status=Service.Status.ACTIVE,
                                   organisation__is_active=True)
            .annotate(n_attributes=Count("attributes")).order_by("open311_code"))


@require_GET
def discovery(request, fmt):
    changeset = Service.objects.filter(open311_code__isnull=False).aggregate(m=Max("updated_at"))["m"]
    council = getattr(settings, "OPEN311_CONTACT", "") or os.environ.get("OPEN311_CONTACT", "")
    data = {
        "changeset": s.w3c(changeset or timezone.now()),
        "contact": council or "Ask the administrators of this coproduce site.",
        "key_service": "Ask the administrators for an api_key (coproduce open311 apikey NAME).",
        "endpoints": [{
            "specification": s.SPECIFICATION,
            "url": request.build_absolute_uri(reverse("open311:discovery", args=["xml"]).rsplit("/", 1)[0]),
            "changeset": s.w3c(changeset or timezone.now()),
            "type": "production",
            "formats": ["text/xml", "application/json"],
        }],
    }
    return s.respond(fmt, data, "discovery")


@require_GET
def service_list(request, fmt):
    if (error := _jurisdiction_error(request, fmt)) is not None:
        return error
    return s.respond(fmt, [s.service_item(x) for x in open311_services()], "services", "service")


@require_GET
def service_definition(request, code, fmt):
    if (error := _jurisdiction_error(request, fmt)) is not None:
        return error
    service = open311_services().filter(open311_code=code).prefetch_related("attributes").first()
    if service is None:
        return s.errors(fmt, 404, f"service_code {code} was not found.")
    return s.respond(fmt, s.service_definition(service), "service_definition")


def _parse_moment(value: str):
    moment = parse_datetime(value)
    if moment is None and (day := parse_date(value)) is not None:
        moment = timezone.datetime(day.year, day.month, day.day)
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _feed(fmt, qs, facts):
    rows = s.with_w3c_dates(qs).order_by("-requested_at", "-id").values_list(*s.REQUEST_COLUMNS)[:MAX_RESULTS]
    return s.respond(fmt, s.request_items(rows, facts), "service_requests", "request")


def _request_list(request, fmt):
    facts = {svc.pk: s.service_facts(svc) for svc in Service.objects.filter(open311_code__isnull=False)
             .select_related("organisation")}
    qs = Complaint.objects.filter(is_public=True)
    ids = request.GET.get("service_request_id")
    if ids:  # overrides every other parameter
        wanted = [int(x) for x in ids.split(",") if x.strip().isdigit()]
        return _feed(fmt, qs.filter(pk__in=wanted, service_id__in=list(facts)), facts)
    problems = []
    start = end = None
    for name in ("start_date", "end_date"):
        if request.GET.get(name):
            moment = _parse_moment(request.GET[name])
            if moment is None:
                problems.append(f"{name} is not a W3C date and time.")
            elif name == "start_date":
                start = moment
            else:
                end = moment
    if start and end and end - start > timedelta(days=MAX_DAYS):
        problems.append(f"start_date and end_date may not span more than {MAX_DAYS} days.")
    statuses = [x.strip() for x in request.GET.get("status", "").split(",") if x.strip()]
    if any(x not in ("open", "closed") for x in statuses):
        problems.append("status must be open or closed.")
    if problems:
        return s.errors(fmt, 400, *problems)
    if start is None and end is None:
        end = timezone.now()
        start = end - timedelta(days=MAX_DAYS)
    elif start is None:
        start = end - timedelta(days=MAX_DAYS)
    elif end is None:
        end = start + timedelta(days=MAX_DAYS)
    qs = qs.filter(requested_at__gte=start, requested_at__lte=end)
    codes = {x.strip() for x in request.GET.get("service_code", "").split(",") if x.strip()}
    wanted_services = [pk for pk, fact in facts.items() if not codes or fact["service_code"] in codes]
    qs = qs.filter(service_id__in=wanted_services)
    if statuses and set(statuses) != {"open", "closed"}:
        closed = list(Complaint.OPEN311_CLOSED)
        qs = qs.filter(status__in=closed) if statuses == ["closed"] else qs.exclude(status__in=closed)
    return _feed(fmt, qs, facts)


def _client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def _create_request(request, fmt):
    data = request.POST
    client = services.client_for_key(data.get("api_key"))
    if client is None:
        return s.errors(fmt, 403, "Invalid api_key received -- can't proceed with create_request.")
    code = data.get("service_code", "").strip()
    if not code:
        return s.errors(fmt, 400, "service_code was not provided.")
    service = open311_services().filter(open311_code=code).first()
    if service is None:
        return s.errors(fmt, 404, f"service_code {code} was not found.")
    attributes: dict = {}
    for key in data:
        match = ATTRIBUTE_RE.match(key)
        if match:
            values = [v for v in data.getlist(key)]
            attributes[match.group(1)] = values if match.group(2) or len(values) > 1 else values[0]
    fields = {name: data.get(name, "").strip() for name in POST_FIELDS}
    try:
        complaint = services.submit_complaint(
            None, service, lat=data.get("lat"), long=data.get("long"), attributes=attributes, client=client,
            ip=_client_ip(request), channel=Channel.API, kind=Complaint.Kind.REPORT, is_public=True, **fields)
    except services.RateLimited as exc:
        response = s.errors(fmt, 429, str(exc))
        response["Retry-After"] = str(exc.retry_after)
        return response
    except PermissionDenied:
        return s.errors(fmt, 403, "Invalid api_key received -- can't proceed with create_request.")
    except ValidationError as exc:
        messages = [f"{field}: {' '.join(str(m) for m in msgs)}" if field != "__all__" else " ".join(msgs)
                    for field, msgs in exc.message_dict.items()]
        return s.errors(fmt, 400, *messages)
    answer = {"service_notice": service.service_notice or None, "account_id": fields["account_id"] or None}
    if service.open311_type == Service.Open311Type.BATCH:
        item = {"token": complaint.token} | answer
    else:
        item = {"service_request_id": complaint.pk} | answer
    return s.respond(fmt, [item], "service_requests", "request")


@csrf_exempt
@require_http_methods(["GET", "POST"])
def requests(request, fmt):
    if (error := _jurisdiction_error(request, fmt)) is not None:
        return error
    if request.method == "POST":
        return _create_request(request, fmt)
    return _request_list(request, fmt)


@require_GET
def request_detail(request, pk, fmt):
    if (error := _jurisdiction_error(request, fmt)) is not None:
        return error
    facts = {svc.pk: s.service_facts(svc) for svc in Service.objects.filter(open311_code__isnull=False)
             .select_related("organisation")}
    qs = Complaint.objects.filter(pk=pk, is_public=True, service_id__in=list(facts))
    if not qs.exists():
        return s.errors(fmt, 404, f"service_request_id {pk} was not found.")
    return _feed(fmt, qs, facts)


@require_GET
def token(request, token, fmt):
    if (error := _jurisdiction_error(request, fmt)) is not None:
        return error
    complaint = Complaint.objects.filter(token=token, client__isnull=False).only("pk", "token").first()
    if complaint is None:
        return s.errors(fmt, 404, f"token {token} was not found.")
    return s.respond(fmt, [{"service_request_id": complaint.pk, "token": complaint.token}],
                     "service_requests", "request")
