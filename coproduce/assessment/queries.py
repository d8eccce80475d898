"""Read-side helpers: the directory's export tables, area matching, and per-service metrics.

Nothing here changes state. Metrics are computed in one pass per page (never one query per row).
"""

import uuid
from statistics import median

from django.db.models import Count, Prefetch, Q

from coproduce.core.models import Area

from . import hsds
from .models import Complaint, HelpOffer, Location, Service


def area_lookup(name: str, uri: str = "") -> Area | None:
    if uri.startswith(hsds.AREA_URI):
        area = Area.objects.filter(slug=uri.removeprefix(hsds.AREA_URI)).first()
        if area is not None:
            return area
    if not name:
        return None
    return Area.objects.filter(Q(name__iexact=name) | Q(slug=name)).order_by("path").first()


def organisation_hsds_id(organisation) -> str:
    """Organisations have no HSDS id of their own: derive a stable one from the slug."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"coproduce:organisation:{organisation.slug}"))


def directory_services(services=None):
    qs = services if services is not None else Service.objects.all()
    return qs.select_related("organisation", "organisation__parent").prefetch_related(
        "languages", "schedules", "phones", "areas",
        Prefetch("at_locations__location", queryset=Location.objects.prefetch_related("phones")),
    )


def build_tables(services) -> dict:
    """HSDS tables for these services (and their organisations and locations)."""
    tables = {name: [] for name in hsds.TABLES}
    orgs, locations = {}, {}
    for service in directory_services(services).order_by("id"):
        org = service.organisation
        org_id = organisation_hsds_id(org)
        if org_id not in orgs:
            orgs[org_id] = {"id": org_id, "name": org.name, "alternate_name": "", "description": org.description,
                            "email": org.email, "website": org.website,
                            "parent_organization_id": organisation_hsds_id(org.parent) if org.parent_id else ""}
        sid = str(service.hsds_id)
        tables["service"].append({
            "id": sid, "organization_id": org_id, "name": service.name, "alternate_name": service.alternate_name,
            "description": service.description, "url": service.url, "email": service.email,
            "status": service.status, "application_process": service.application_process,
            "fees_description": service.fees_description, "eligibility_description": service.eligibility,
            "minimum_age": "" if service.minimum_age is None else str(service.minimum_age),
            "maximum_age": "" if service.maximum_age is None else str(service.maximum_age),
            "last_modified": service.updated_at.isoformat(), "audience": service.audience,
        })
        for lang in service.languages.all():
            tables["language"].append({"id": str(lang.hsds_id), "service_id": sid, "name": lang.name,
                                       "code": lang.code, "note": lang.note})
        for schedule in service.schedules.all():
            tables["schedule"].append({
                "id": str(schedule.hsds_id), "service_id": sid, "location_id": "", "freq": schedule.freq,
                "byday": schedule.byday, "description": schedule.description,
                "opens_at": schedule.opens_at.strftime("%H:%M") if schedule.opens_at else "",
                "closes_at": schedule.closes_at.strftime("%H:%M") if schedule.closes_at else "",
            })
        for phone in service.phones.all():
            tables["phone"].append({"id": str(phone.hsds_id), "service_id": sid, "location_id": "",
                                    "number": phone.number, "type": phone.type, "description": phone.description})
        for area in service.areas.all():
            tables["service_area"].append({
                "id": str(uuid.uuid5(service.hsds_id, f"area:{area.slug}")), "service_id": sid, "name": area.name,
                "description": "", "uri": hsds.AREA_URI + area.slug})
        for sal in service.at_locations.all():
            location = sal.location
            lid = str(location.hsds_id)
            tables["service_at_location"].append({"id": str(sal.hsds_id), "service_id": sid, "location_id": lid,
                                                  "description": sal.description})
            if lid in locations:
                continue
            locations[lid] = True
            tables["location"].append({
                "id": lid, "location_type": location.location_type, "organization_id": org_id,
                "name": location.name, "description": location.description,
                "latitude": "" if location.latitude is None else str(location.latitude),
                "longitude": "" if location.longitude is None else str(location.longitude)})
            if location.address:
                tables["address"].append({
                    "id": str(uuid.uuid5(location.hsds_id, "address")), "location_id": lid,
                    "address_1": location.address, "city": location.city, "state_province": "",
                    "postal_code": location.postal_code, "country": "GB", "address_type": "physical"})
            for phone in location.phones.all():
                tables["phone"].append({"id": str(phone.hsds_id), "service_id": "", "location_id": lid,
                                        "number": phone.number, "type": phone.type,
                                        "description": phone.description})
    tables["organization"] = list(orgs.values())
    return tables


# --- metrics -----------------------------------------------------------------------------------


def response_metrics(service_ids) -> dict[int, dict]:
    """Per service: number of complaints, median hours to acknowledge and to resolve, the share of
    invited complainants who offered to help (conversion rate = complaints with an offer ÷ complaints
    whose complainant was invited), and what the offers became: offers of time posted in a timebank,
    requests to join a timebank still waiting for the offer, and design lab invitations."""
    service_ids = list(service_ids)
    result = {sid: {"count": 0, "acknowledge": [], "resolve": [], "invited": 0, "helpers": 0}
              for sid in service_ids}
    rows = Complaint.objects.filter(service_id__in=service_ids).values_list(
        "service_id", "requested_at", "acknowledged_at", "resolved_at", "help_invited_at")
    for sid, requested, acknowledged, resolved, invited in rows.iterator():
        entry = result[sid]
        entry["count"] += 1
        if acknowledged:
            entry["acknowledge"].append((acknowledged - requested).total_seconds() / 3600)
        if resolved:
            entry["resolve"].append((resolved - requested).total_seconds() / 3600)
        if invited:
            entry["invited"] += 1
    helpers = (HelpOffer.objects.filter(complaint__service_id__in=service_ids)
               .values("complaint__service_id").annotate(
                   n=Count("complaint", distinct=True),
                   timebank_offers=Count("timebank_offer", distinct=True),
                   # waiting for a broker to welcome them (a suspended member's offer is not a request)
                   join_requests=Count("pk", filter=Q(route=HelpOffer.Route.TIMEBANK, timebank_offer__isnull=True,
                                                      timebank_member__isnull=False)
                                       & ~Q(timebank_member__status="suspended")),
                   lab_invitations=Count("lab_invitation", distinct=True)))
    for entry in result.values():
        entry.update(timebank_offers=0, join_requests=0, lab_invitations=0)
    for row in helpers:
        entry = result[row["complaint__service_id"]]
        entry["helpers"] = row["n"]
        for key in ("timebank_offers", "join_requests", "lab_invitations"):
            entry[key] = row[key]
    for entry in result.values():
        entry["median_hours_to_acknowledge"] = median(entry["acknowledge"]) if entry["acknowledge"] else None
        entry["median_hours_to_resolve"] = median(entry["resolve"]) if entry["resolve"] else None
        entry["acknowledged"] = len(entry.pop("acknowledge"))
        entry["resolved"] = len(entry.pop("resolve"))
        entry["conversion_rate"] = entry["helpers"] / entry["invited"] if entry["invited"] else None
    return result
