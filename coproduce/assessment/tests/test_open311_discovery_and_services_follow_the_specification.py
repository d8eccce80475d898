"""GET discovery, services and a service definition, in JSON and XML, shaped as in GeoReport v2."""

import json
import xml.etree.ElementTree as ET


def test_discovery_in_both_formats(client, parks):
    data = json.loads(client.get("/open311/v2/discovery.json").content)
    assert set(data) == {"changeset", "contact", "key_service", "endpoints"}
    endpoint = data["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["type"] == "production" and endpoint["formats"] == ["text/xml", "application/json"]
    response = client.get("/open311/v2/discovery.xml")
    assert response["Content-Type"].startswith("text/xml")
    assert response.content.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    root = ET.fromstring(response.content)
    assert root.tag == "discovery"
    assert [e.tag for e in root] == ["changeset", "contact", "key_service", "endpoints"]
    formats = [f.text for f in root.find("endpoints/endpoint/formats")]
    assert formats == ["text/xml", "application/json"]


def test_service_list_is_a_bare_array_and_an_xml_list(client, parks, care):
    data = json.loads(client.get("/open311/v2/services.json").content)
    assert isinstance(data, list) and [s["service_code"] for s in data] == ["CARE", "POTHOLE"]
    pothole = data[1]
    assert list(pothole) == ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"]
    assert pothole == {"service_code": "POTHOLE", "service_name": "Streets and Parks",
                       "description": "Potholes and broken pavements", "metadata": True, "type": "realtime",
                       "keywords": "road, pavement", "group": "street"}
    assert data[0]["metadata"] is False
    root = ET.fromstring(client.get("/open311/v2/services.xml").content)
    assert root.tag == "services" and [e.tag for e in root] == ["service", "service"]
    assert root.find("service[service_code='POTHOLE']/metadata").text == "true"
    assert [e.tag for e in root[1]] == ["service_code", "service_name", "description", "metadata", "type",
                                        "keywords", "group"]


def test_service_definition_lists_the_attributes(client, parks):
    data = json.loads(client.get("/open311/v2/services/POTHOLE.json").content)
    assert data["service_code"] == "POTHOLE"
    first = data["attributes"][0]
    assert list(first) == ["variable", "code", "datatype", "required", "datatype_description", "order",
                           "description", "values"]
    assert first == {"variable": True, "code": "WHISHETN", "datatype": "singlevaluelist", "required": True,
                     "datatype_description": None, "order": 1, "description": "What is the size of the pothole?",
                     "values": [{"key": "123", "name": "Small"}, {"key": "124", "name": "Large"}]}
    root = ET.fromstring(client.get("/open311/v2/services/POTHOLE.xml").content)
    assert root.tag == "service_definition"
    attribute = root.find("attributes/attribute")
    assert attribute.find("code").text == "WHISHETN" and attribute.find("required").text == "true"
    assert [v.find("name").text for v in attribute.findall("values/value")] == ["Small", "Large"]


def test_unknown_service_definition_is_a_404_in_the_specifications_error_format(client, parks):
    response = client.get("/open311/v2/services/NOPE.json")
    assert response.status_code == 404
    assert json.loads(response.content) == [{"code": 404, "description": "service_code NOPE was not found."}]
    response = client.get("/open311/v2/services/NOPE.xml")
    root = ET.fromstring(response.content)
    assert response.status_code == 404 and root.tag == "errors"
    assert root.find("error/code").text == "404" and "NOPE" in root.find("error/description").text


def test_jurisdiction_id_is_accepted_and_validated_when_configured(client, parks, settings):
    assert client.get("/open311/v2/services.json?jurisdiction_id=anything").status_code == 200
    settings.OPEN311_JURISDICTION_ID = "testville.example"
    assert client.get("/open311/v2/services.json?jurisdiction_id=testville.example").status_code == 200
    response = client.get("/open311/v2/services.xml?jurisdiction_id=elsewhere.example")
    assert response.status_code == 404 and ET.fromstring(response.content).tag == "errors"
