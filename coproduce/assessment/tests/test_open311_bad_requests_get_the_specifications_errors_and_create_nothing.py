"""Bad api_key (403), missing or invalid fields (400) and unknown service_code (404, as GeoReport v2's
"Possible Errors" for POST Service Request say): spec errors, nothing made."""

import json
import xml.etree.ElementTree as ET

import pytest

from coproduce.assessment.models import Complaint
from coproduce.core.models import AuditEntry

from .test_open311_requests_are_posted_and_listed_per_the_specification import example


def errors_of(response, fmt):
    if fmt == "json":
        body = json.loads(response.content)
        assert isinstance(body, list) and all(set(e) == {"code", "description"} for e in body)
        return body
    root = ET.fromstring(response.content)
    assert root.tag == "errors" and all(e.tag == "error" for e in root)
    assert all([c.tag for c in e] == ["code", "description"] for e in root)
    return [{"code": int(e.find("code").text), "description": e.find("description").text} for e in root]


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("change,status,words", [
    ({"api_key": "wrong"}, 403, "api_key"),
    ({"api_key": ""}, 403, "api_key"),
    ({"service_code": ""}, 400, "service_code"),
    ({"service_code": "NOPE"}, 404, "service_code NOPE was not found"),
    ({"attribute[WHISHETN]": ""}, 400, "WHISHETN"),
    ({"attribute[WHISHETN]": "999"}, 400, "WHISHETN"),
    ({"attribute[DEPTH]": "deep"}, 400, "DEPTH"),
    ({"attribute[UNKNOWN]": "1"}, 400, "UNKNOWN"),
    ({"lat": "", "long": "", "address_string": ""}, 400, "location"),
    ({"lat": "95", "long": "0"}, 400, "lat"),
    ({"long": ""}, 400, "lat"),
    ({"email": "not an email"}, 400, "email"),
    ({"media_url": "javascript:alert(1)"}, 400, "media_url"),
])
def test_refused_and_nothing_written(client, parks, api_key, fmt, change, status, words):
    response = client.post(f"/open311/v2/requests.{fmt}", example(api_key) | change)
    assert response.status_code == status, response.content
    errors = errors_of(response, fmt)
    assert errors and all(e["code"] == status for e in errors)
    assert any(words in e["description"] for e in errors), errors
    assert not Complaint.objects.exists()
    assert not AuditEntry.objects.filter(action="complaint.submit").exists()


def test_a_revoked_key_is_refused(client, parks, api_key):
    from coproduce.assessment.models import Open311Client

    Open311Client.objects.update(revoked_at="2020-01-01T00:00:00Z")
    assert client.post("/open311/v2/requests.json", example(api_key)).status_code == 403
    assert not Complaint.objects.exists()


def test_submissions_are_rate_limited_per_key_and_per_address_with_a_clear_429(client, parks, api_key, settings):
    settings.OPEN311_RATE_PER_KEY_PER_MINUTE = 3
    settings.OPEN311_RATE_PER_IP_PER_MINUTE = 100
    for _ in range(3):
        assert client.post("/open311/v2/requests.json", example(api_key)).status_code == 200
    response = client.post("/open311/v2/requests.json", example(api_key))
    assert response.status_code == 429 and response["Retry-After"] == "60"
    assert json.loads(response.content)[0]["code"] == 429
    assert Complaint.objects.count() == 3
    from coproduce.assessment import services

    _c, other_key = services.create_open311_client(None, "Other app")
    settings.OPEN311_RATE_PER_IP_PER_MINUTE = 3  # the same address, another key: the address limit holds
    assert client.post("/open311/v2/requests.xml", example(other_key)).status_code == 429
    assert Complaint.objects.count() == 3
