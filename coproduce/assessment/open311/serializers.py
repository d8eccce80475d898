"""Open311 GeoReport v2 documents, as plain data, rendered as JSON or XML.

The element and key names and their order follow the GeoReport v2 specification. XML is built with
xml.etree.ElementTree (so it is always well formed), never by concatenating strings.
"""

import json
import xml.etree.ElementTree as ET
from datetime import datetime

from django.db.models import CharField, Func
from django.http import HttpResponse
from django.utils import timezone

CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
# A list under this key is written in XML as one child element per item with this name.
LIST_ITEMS = {"attributes": "attribute", "values": "value", "endpoints": "endpoint", "formats": "format"}
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"


def w3c(moment: datetime | None) -> str | None:
    """W3C/ISO 8601 with the offset, e.g. 2010-04-14T06:37:38+01:00."""
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _fill(element: ET.Element, data) -> None:
    if isinstance(data, dict):
        for key, value in data.items():
            child = ET.SubElement(element, key)
            if isinstance(value, list):
                for item in value:
                    _fill(ET.SubElement(child, LIST_ITEMS.get(key, "item")), item)
            else:
                _fill(child, value)
    else:
        element.text = _text(data)


def to_xml(data, root: str, item: str | None = None) -> bytes:
    """`data` is a list (each item becomes <item>) or a dict (the children of <root>)."""
    element = ET.Element(root)
    if isinstance(data, list):
        for entry in data:
            _fill(ET.SubElement(element, item or "item"), entry)
    else:
        _fill(element, data)
    return ET.tostring(element, encoding="UTF-8", xml_declaration=True)


def respond(fmt: str, data, root: str, item: str | None = None, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        body = to_xml(data, root, item)
    else:
        body = json.dumps(data, ensure_ascii=False).encode()
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])


def errors(fmt: str, status: int, *descriptions: str) -> HttpResponse:
    return respond(fmt, [{"code": status, "description": d} for d in descriptions], "errors", "error", status)


# --- documents ---------------------------------------------------------------------------------


def service_item(service) -> dict:
    return {
        "service_code": service.open311_code,
        "service_name": service.name,
        "description": service.description,
        "metadata": bool(getattr(service, "n_attributes", 0)),
        "type": service.open311_type,
        "keywords": service.keywords,
        "group": service.group,
    }


def attribute_item(attribute) -> dict:
    return {
        "variable": attribute.variable,
        "code": attribute.code,
        "datatype": attribute.datatype,
        "required": attribute.required,
        "datatype_description": attribute.datatype_description or None,
        "order": attribute.order,
        "description": attribute.description,
        "values": [{"key": v.get("key"), "name": v.get("name")} for v in attribute.values],
    }


def service_definition(service) -> dict:
    return {"service_code": service.open311_code,
            "attributes": [attribute_item(a) for a in service.attributes.all()]}


def _number(value):
    return float(value) if value is not None else None


REQUEST_COLUMNS = ("pk", "service_id", "status", "status_notes", "description", "w3c_requested", "w3c_updated",
                   "w3c_expected", "address_string", "address_id", "zipcode", "lat", "long", "media_url")


class W3C(Func):
    """A timestamp formatted by the database as W3C date and time in UTC (2010-04-14T14:37:38Z), so a
    page of 1,000 requests needs no datetime parsing and formatting in Python."""

    output_field = CharField()
    arity = 1

    def as_sql(self, compiler, connection, **extra):  # PostgreSQL
        template = "to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
        return super().as_sql(compiler, connection, template=template, **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, template="strftime('%%%%Y-%%%%m-%%%%dT%%%%H:%%%%M:%%%%SZ', "
                                                             "%(expressions)s)", **extra)


def with_w3c_dates(qs):
    return qs.annotate(w3c_requested=W3C("requested_at"), w3c_updated=W3C("updated_at"),
                       w3c_expected=W3C("expected_at"))

def service_facts(service) -> dict:
    return {"service_name": service.name, "service_code": service.open311_code,
            "agency_responsible": service.agency_responsible or service.organisation.name,
            "service_notice": service.service_notice or None}


def request_items(rows, facts: dict[int, dict]) -> list[dict]:
    """Service requests from `values_list(*REQUEST_COLUMNS)` rows and {service id: service_facts}:
    plain tuples, so a page of 1,000 costs no model instances."""
    from ..models import Complaint

    closed = Complaint.OPEN311_CLOSED
    items = []
    for (pk, service_id, status, notes, description, requested, updated, expected, address, address_id, zipcode,
         lat, long, media) in rows:
        service = facts[service_id]
        items.append({
            "service_request_id": pk,
            "status": "closed" if status in closed else "open",
            "status_notes": notes or None,
            "service_name": service["service_name"],
            "service_code": service["service_code"],
            "description": description or None,
            "agency_responsible": service["agency_responsible"],
            "service_notice": service["service_notice"],
            "requested_datetime": requested,
            "updated_datetime": updated,
            "expected_datetime": expected,
            "address": address or None,
            "address_id": address_id or None,
            "zipcode": zipcode or None,
            "lat": float(lat) if lat is not None else None,
            "long": float(long) if long is not None else None,
            "media_url": media or None,
        })
    return items
