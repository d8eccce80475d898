"""POST a service request with an api_key, then read it back (list, one, token) in JSON and XML."""

import json
import re
import xml.etree.ElementTree as ET
from datetime import timedelta

from django.utils import timezone

from coproduce.assessment.models import Complaint
from coproduce.core.models import AuditEntry

REQUEST_KEYS = ["service_request_id", "status", "status_notes", "service_name", "service_code", "description",
                "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
                "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url"]


def post(client, fmt="json", **fields):
    return client.post(f"/open311/v2/requests.{fmt}", fields)


def example(api_key, **extra):
    return {"api_key": api_key, "service_code": "POTHOLE", "lat": "37.76524078", "long": "-122.4212043",
            "address_string": "1234 5th street", "email": "smit222@sfgov.edu", "device_id": "tt222111",
            "account_id": "123456", "first_name": "john", "last_name": "smith", "phone": "111111111",
            "description": "A large sinkhole is destroying the street", "media_url": "http://example.org/pothole.jpg",
            "attribute[WHISHETN]": "123"} | extra


def test_post_creates_the_same_complaint_staff_see_and_answers_as_the_spec_shows(client, parks, api_key):
    response = client.post("/open311/v2/requests.json", example(api_key))
    assert response.status_code == 200, response.content
    body = json.loads(response.content)
    complaint = Complaint.objects.get()
    assert body == [{"service_request_id": complaint.pk, "service_notice": "We inspect within 24 hours.",
                     "account_id": "123456"}]
    assert complaint.service == parks and complaint.channel == "api" and complaint.client.name == "Test app"
    assert complaint.attributes == {"WHISHETN": "123"} and complaint.status == "received"
    assert str(complaint.lat) == "37.765241" and complaint.email == "smit222@sfgov.edu"
    entry = AuditEntry.objects.get(action="complaint.submit")
    assert entry.channel == "api" and entry.details == {"client": "Test app"}
    xml = client.post("/open311/v2/requests.xml", example(api_key))
    root = ET.fromstring(xml.content)
    assert root.tag == "service_requests" and root[0].tag == "request"
    assert [e.tag for e in root[0]] == ["service_request_id", "service_notice", "account_id"]


def test_get_lists_public_requests_with_the_specifications_fields(client, parks, api_key):
    post(client, **example(api_key))
    data = json.loads(client.get("/open311/v2/requests.json").content)
    assert isinstance(data, list) and len(data) == 1
    item = data[0]
    assert list(item) == REQUEST_KEYS
    assert item["status"] == "open" and item["service_code"] == "POTHOLE"
    assert item["agency_responsible"] == "Testville Highways" and item["address"] == "1234 5th street"
    assert item["lat"] == 37.765241 and item["long"] == -122.421204
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", item["requested_datetime"])  # W3C, UTC
    assert "email" not in item and "first_name" not in item  # personal data never in the feed
    root = ET.fromstring(client.get("/open311/v2/requests.xml").content)
    assert root.tag == "service_requests"
    assert [e.tag for e in root.find("request")] == REQUEST_KEYS
    one = json.loads(client.get(f"/open311/v2/requests/{item['service_request_id']}.json").content)
    assert one == data
    assert client.get("/open311/v2/requests/999999.json").status_code == 404


def test_filters_on_ids_service_code_status_and_dates(client, parks, care, api_key, staff):
    a = json.loads(post(client, **example(api_key)).content)[0]["service_request_id"]
    care_request = {k: v for k, v in example(api_key, service_code="CARE").items() if not k.startswith("attribute")}
    b = json.loads(post(client, **care_request).content)[0]["service_request_id"]
    old = json.loads(post(client, **example(api_key)).content)[0]["service_request_id"]
    Complaint.objects.filter(pk=old).update(requested_at=timezone.now() - timedelta(days=120))

    def ids(query):
        return [r["service_request_id"] for r in json.loads(client.get(f"/open311/v2/requests.json?{query}").content)]

    assert ids("") == [b, a]  # the last 90 days by default, newest first
    assert ids(f"service_request_id={a},{old}") == [a, old]  # ids override the other filters
    assert ids("service_code=CARE") == [b]
    assert ids("service_code=CARE,POTHOLE") == [b, a]
    assert ids("status=closed") == []
    start = (timezone.now() - timedelta(days=130)).strftime("%Y-%m-%dT%H:%M:%SZ")
    end = (timezone.now() - timedelta(days=100)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert ids(f"start_date={start}&end_date={end}") == [old]
    too_long = client.get(f"/open311/v2/requests.json?start_date={start}&end_date={timezone.now():%Y-%m-%dT%H:%M:%SZ}")
    assert too_long.status_code == 400
    assert client.get("/open311/v2/requests.json?start_date=yesterday").status_code == 400


def test_batch_services_answer_with_a_token_that_resolves_to_the_request(client, parks, api_key, personas):
    from coproduce.assessment import services

    services.update_service(personas["platform_admin"], parks, open311_type="batch")
    body = json.loads(post(client, **example(api_key)).content)[0]
    assert list(body) == ["token", "service_notice", "account_id"]
    complaint = Complaint.objects.get()
    assert body["token"] == complaint.token
    data = json.loads(client.get(f"/open311/v2/tokens/{body['token']}.json").content)
    assert data == [{"service_request_id": complaint.pk, "token": complaint.token}]
    root = ET.fromstring(client.get(f"/open311/v2/tokens/{body['token']}.xml").content)
    assert root.find("request/service_request_id").text == str(complaint.pk)
    assert client.get("/open311/v2/tokens/unknown.json").status_code == 404


def test_private_complaints_never_appear_in_the_feed(client, parks, personas):
    from coproduce.assessment import services

    services.submit_complaint(personas["citizen"], parks, description="My neighbour", is_public=False,
                              attributes={"WHISHETN": "123"})
    assert json.loads(client.get("/open311/v2/requests.json").content) == []
