"""Staff of a service define its Open311 attributes (the extra questions of the GeoReport v2 service
definition) on a plain form page: code, description, kind of answer, required, order and the values of
one-choice and several-choices lists. The definition at /open311/v2/services/<code>.json and .xml then
shows them. Bad definitions are refused next to the field and change nothing; only the service's staff
(and administrators above it) may change them."""

import json
import xml.etree.ElementTree as ET

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coproduce.assessment import services
from coproduce.assessment.models import ServiceAttribute
from coproduce.core.models import AuditEntry

URL = "/services/home-care/open311/"
BLANK = {"code": "", "description": "", "datatype": "string", "order": "", "datatype_description": "", "values": ""}


def post_data(rows, *, initial=0):
    """The formset's POST: `rows` are dicts of the fields (checkboxes present only when ticked)."""
    data = {"attributes-TOTAL_FORMS": str(len(rows)), "attributes-INITIAL_FORMS": str(initial),
            "attributes-MIN_NUM_FORMS": "0", "attributes-MAX_NUM_FORMS": "50"}
    for i, row in enumerate(rows):
        for field, value in row.items():
            if value is True:
                data[f"attributes-{i}-{field}"] = "on"
            elif value is not False:
                data[f"attributes-{i}-{field}"] = value
    return data


SIZE = BLANK | {"code": "SIZE", "description": "How big is the problem?", "datatype": "singlevaluelist",
                "variable": True, "required": True, "order": "1", "values": "small = Small\nbig = Big"}
VISITS = BLANK | {"code": "VISITS", "description": "Visits a week", "datatype": "number", "variable": True,
                  "order": "2", "datatype_description": "A whole number"}


def definition(client, fmt="json"):
    response = client.get(f"/open311/v2/services/CARE.{fmt}")
    assert response.status_code == 200
    return json.loads(response.content) if fmt == "json" else ET.fromstring(response.content)


def test_staff_add_attributes_and_the_service_definition_shows_them_in_both_formats(personas, client_as, care, client):
    staff = client_as(personas["staff"])
    page = staff.get(URL)
    assert page.status_code == 200 and 'name="attributes-0-code"' in page.content.decode()
    response = staff.post(URL, post_data([SIZE, VISITS, BLANK]))
    assert response.status_code == 302 and response["Location"] == URL
    data = definition(client)
    assert data["attributes"] == [
        {"variable": True, "code": "SIZE", "datatype": "singlevaluelist", "required": True,
         "datatype_description": None, "order": 1, "description": "How big is the problem?",
         "values": [{"key": "small", "name": "Small"}, {"key": "big", "name": "Big"}]},
        {"variable": True, "code": "VISITS", "datatype": "number", "required": False,
         "datatype_description": "A whole number", "order": 2, "description": "Visits a week", "values": []},
    ]
    root = definition(client, "xml")
    codes = [a.find("code").text for a in root.findall("attributes/attribute")]
    assert codes == ["SIZE", "VISITS"]
    size = root.find("attributes/attribute")
    assert size.find("required").text == "true" and size.find("datatype").text == "singlevaluelist"
    assert [(v.find("key").text, v.find("name").text) for v in size.findall("values/value")] == [
        ("small", "Small"), ("big", "Big")]
    services_list = json.loads(client.get("/open311/v2/services.json").content)
    assert next(s for s in services_list if s["service_code"] == "CARE")["metadata"] is True
    entry = AuditEntry.objects.get(action="service.set_attributes")
    assert entry.details == {"codes": ["SIZE", "VISITS"]}


def test_staff_change_reorder_and_remove_attributes(personas, client_as, care, client):
    staff = client_as(personas["staff"])
    staff.post(URL, post_data([SIZE, VISITS]))
    page = staff.get(URL).content.decode()
    assert 'value="SIZE"' in page and "small = Small" in page
    changed = [SIZE | {"order": "3", "values": "small = Small\nbig = Big\nhuge = Huge", "required": False},
               VISITS | {"DELETE": True},
               BLANK | {"code": "WHEN", "description": "When did it start?", "datatype": "datetime", "order": "2",
                        "variable": True}]
    assert staff.post(URL, post_data(changed, initial=2)).status_code == 302
    attributes = definition(client)["attributes"]
    assert [(a["code"], a["order"], a["required"]) for a in attributes] == [("WHEN", 2, False), ("SIZE", 3, False)]
    assert next(a for a in attributes if a["code"] == "SIZE")["values"][-1] == {"key": "huge", "name": "Huge"}
    assert "VISITS" not in {a["code"] for a in attributes}


@pytest.mark.parametrize("row,field,words", [
    (SIZE | {"values": ""}, "values", "A list attribute needs values."),
    (VISITS | {"values": "a = A"}, "values", "Only a one-choice or several-choices attribute has values."),
    (SIZE | {"values": "small = Small\nsmall = Tiny"}, "values", "The keys of the values must be unique."),
    (SIZE | {"values": "no equals sign"}, "values", "Line 1: write key = name."),
    (SIZE | {"code": "A B[1]"}, "code", "Use only letters, digits"),
    (SIZE | {"code": ""}, "code", "Please give a code."),
    (SIZE | {"description": ""}, "description", "This field cannot be blank."),
    (SIZE | {"variable": False, "required": True}, "required", "cannot be required"),
    (SIZE | {"order": "0"}, "order", ""),
])
def test_a_bad_attribute_is_refused_next_to_its_field_and_nothing_changes(personas, client_as, parks, row, field,
                                                                           words):
    client = client_as(personas["staff"])
    url = f"/services/{parks.slug}/open311/"
    before = list(parks.attributes.values_list("code", "description", "values"))
    audited = AuditEntry.objects.filter(action="service.set_attributes").count()
    response = client.post(url, post_data([BLANK, row]))
    assert response.status_code == 200
    form = response.context["formset"].forms[1]
    assert field in form.errors and words in " ".join(form.errors[field]), form.errors
    assert f'id="id_attributes-1-{field}_error"' in response.content.decode()
    assert list(parks.attributes.values_list("code", "description", "values")) == before
    assert AuditEntry.objects.filter(action="service.set_attributes").count() == audited


def test_duplicate_codes_are_refused_on_the_second_row(personas, client_as, care):
    response = client_as(personas["staff"]).post(URL, post_data([SIZE, VISITS | {"code": "SIZE"}]))
    assert response.status_code == 200
    assert response.context["formset"].forms[1].errors["code"] == ["Attribute codes must be unique."]
    assert not ServiceAttribute.objects.filter(service=care).exists()


def test_the_service_function_names_the_attribute_and_its_field(personas, care):
    with pytest.raises(ValidationError) as caught:
        services.set_open311_attributes(personas["staff"], care, [
            {"code": "OK", "description": "Fine"},
            {"code": "LIST", "description": "Pick", "datatype": "multivaluelist", "values": []},
            {"code": "BAD", "description": "Pick", "datatype": "singlevaluelist", "values": [{"key": "", "name": "x"}]},
        ])
    assert caught.value.message_dict == {"attributes.1.values": ["A list attribute needs values."],
                                         "attributes.2.values": ["Every value needs a key and a name."]}
    assert not ServiceAttribute.objects.filter(service=care).exists()


@pytest.mark.parametrize("persona,status", [
    ("anonymous", 302), ("citizen", 403), ("other_org", 403), ("broker", 403)])
def test_people_who_do_not_run_the_service_cannot_see_or_change_its_attributes(personas, client_as, care, persona,
                                                                              status):
    client = client_as(personas[persona])
    assert client.get(URL).status_code == status
    response = client.post(URL, post_data([SIZE]))
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith("/accounts/login/")
    assert not ServiceAttribute.objects.filter(service=care).exists()
    with pytest.raises(PermissionDenied):
        services.set_open311_attributes(personas[persona], care, [{"code": "X", "description": "x"}])
    assert not ServiceAttribute.objects.filter(service=care).exists()
