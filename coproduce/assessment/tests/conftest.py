"""Fixtures for co-assessment: a service directory on top of the shared small world and personas.

- `parks`: an Open311 service (code POTHOLE) of the council's Social Care service's parent (the council),
  with attributes like the specification's examples.
- `care`: a service of Social Care (where Sam is staff), with rating dimensions.
- `api_key`: a raw Open311 api_key.
"""

from datetime import time

import pytest

from coproduce.assessment import services


@pytest.fixture
def care(personas, world):
    return services.create_service(
        personas["platform_admin"], world.service, name="Home Care", description="Help at home.",
        audience="Adults who need care at home", eligibility="Adults in Testville", areas=[world.city],
        languages=["en", "pl"], phones=["01632 960555"], rating_dimensions=["Kindness", "Waiting time"],
        schedules=[{"byday": "MO,TU,WE,TH,FR", "opens_at": time(9), "closes_at": time(17)}],
        open311_code="CARE", service_notice="We reply within two working days.")


@pytest.fixture
def parks(personas, world):
    service = services.create_service(
        personas["platform_admin"], world.service, name="Streets and Parks", open311_code="POTHOLE",
        description="Potholes and broken pavements", group="street", keywords="road, pavement",
        service_notice="We inspect within 24 hours.", agency_responsible="Testville Highways",
        areas=[world.district])
    services.set_open311_attributes(personas["platform_admin"], service, [
        {"code": "WHISHETN", "datatype": "singlevaluelist", "required": True, "order": 1,
         "description": "What is the size of the pothole?",
         "values": [{"key": "123", "name": "Small"}, {"key": "124", "name": "Large"}]},
        {"code": "DEPTH", "datatype": "number", "required": False, "order": 2, "description": "Depth in cm",
         "datatype_description": "A whole number of centimetres"},
    ])
    return service


@pytest.fixture
def api_key(db):
    _client, raw = services.create_open311_client(None, "Test app")
    return raw


@pytest.fixture
def staff(personas):
    return personas["staff"]
