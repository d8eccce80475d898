"""A report posted through Open311 is handled on the web; the feed shows the new status and notes."""

import datetime as dt
import json
import xml.etree.ElementTree as ET
from datetime import timedelta

from django.utils import timezone

from coproduce.assessment.models import Complaint

from .test_open311_requests_are_posted_and_listed_per_the_specification import example


def test_status_notes_agency_and_dates_follow_the_staff_changes(client, client_as, parks, api_key, staff):
    request_id = json.loads(client.post("/open311/v2/requests.json", example(api_key)).content)[0][
        "service_request_id"]
    complaint = Complaint.objects.get(pk=request_id)
    staff_client = client_as(staff)
    expected = (timezone.localtime() + timedelta(days=3)).replace(second=0, microsecond=0)
    staff_client.post(f"/services/complaints/{request_id}/status/", {
        "status": "acknowledged", "note": "Inspector booked.", "is_public": "on",
        "expected_at": expected.strftime("%Y-%m-%dT%H:%M")})
    item = json.loads(client.get(f"/open311/v2/requests/{request_id}.json").content)[0]
    assert item["status"] == "open" and item["status_notes"] == "Inspector booked."
    assert item["expected_datetime"] == expected.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert item["updated_datetime"] > item["requested_datetime"] or item["updated_datetime"] != \
        complaint.requested_at.isoformat()
    staff_client.post(f"/services/complaints/{request_id}/status/",
                      {"status": "resolved", "note": "Filled on Monday.", "is_public": "on"})
    root = ET.fromstring(client.get(f"/open311/v2/requests/{request_id}.xml").content)
    assert root.find("request/status").text == "closed"
    assert root.find("request/status_notes").text == "Filled on Monday."
    assert root.find("request/agency_responsible").text == "Testville Highways"
    closed = json.loads(client.get("/open311/v2/requests.json?status=closed").content)
    assert [r["service_request_id"] for r in closed] == [request_id]
    assert json.loads(client.get("/open311/v2/requests.json?status=open").content) == []


def test_a_private_staff_note_does_not_reach_the_feed(client, client_as, parks, api_key, staff):
    request_id = json.loads(client.post("/open311/v2/requests.json", example(api_key)).content)[0][
        "service_request_id"]
    client_as(staff).post(f"/services/complaints/{request_id}/status/",
                          {"status": "acknowledged", "note": "Caller sounded upset, ring back."})
    item = json.loads(client.get(f"/open311/v2/requests/{request_id}.json").content)[0]
    assert item["status_notes"] is None
