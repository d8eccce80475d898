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


@pytest.fixture
def inspection(personas, world, care):
    """The council runs citizen inspections: Ivy is a trained inspector; a checklist of two items; a
    visit to Home Care (a service of Social Care, where Sam is staff) ten days ago, not yet published."""
    from datetime import timedelta
    from types import SimpleNamespace

    from django.utils import timezone

    from coproduce.assessment import inspection_services as inspections
    from coproduce.conftest import make_user, member

    admin = personas["org_admin"]
    today = timezone.localdate()
    ivy = member(make_user("ivy", name="Ivy Inspector"), world.council, "inspector")
    inspections.record_training(admin, world.council, ivy.person, course="Citizen inspector training",
                                trained_by="Testville Healthwatch", trained_on=today - timedelta(days=60),
                                expires_on=today + timedelta(days=300))
    template = inspections.create_template(admin, world.council, title="Welcome", items=[
        ("Step-free entrance", "Ramp, door width"), ("Staff greet visitors", "")])
    visit = inspections.schedule_visit(admin, template, care, visit_on=today - timedelta(days=10), team=[ivy.person])
    items = list(template.items.all())
    return SimpleNamespace(ivy=ivy, admin=admin, template=template, visit=visit, items=items, today=today,
                           service=care)


@pytest.fixture
def published(inspection):
    """The same visit with both items rated and its report published."""
    from coproduce.assessment import inspection_services as inspections

    for item, rating in zip(inspection.items, [2, 4], strict=True):
        inspections.record_finding(inspection.ivy, inspection.visit, item, rating=rating, notes=f"Notes {rating}")
    inspections.publish_report(inspection.ivy, inspection.visit, summary="Mostly welcoming.")
    inspection.visit.refresh_from_db()
    return inspection


@pytest.fixture
def helping(personas, world, care):
    """Where complainants' help can go: the Millbrook Timebank (world.group; Bea brokers it; Carla, the
    citizen, is an active member), the council's own bank (with a member agreement; nobody is a member),
    and an invitation-only design lab of the council about its home care, gathering views. Sam (staff of
    Social Care) also brokers Millbrook."""
    from types import SimpleNamespace

    from coproduce.conftest import member
    from coproduce.design import services as design_services
    from coproduce.timebank import services as timebank_services
    from coproduce.timebank.models import Category

    pat = personas["platform_admin"]
    millbrook = timebank_services.create_timebank(pat, name="Millbrook Timebank", slug="millbrook",
                                                  organisation=world.group)
    carla = timebank_services.register_member(personas["broker"], millbrook, person=personas["citizen"].person)
    council_bank = timebank_services.create_timebank(pat, name="Council Timebank", slug="council-bank",
                                                     organisation=world.council,
                                                     agreement_text="Everyone's hour is worth the same.")
    lab = design_services.create_lab(pat, world.council, title="Redesigning home care visits",
                                     challenge="Visits that arrive on time", participation="invitation")
    member(personas["staff"], world.group, "broker")
    return SimpleNamespace(millbrook=millbrook, carla=carla, council_bank=council_bank, lab=lab,
                           befriending=Category.objects.get(slug="befriending", timebank__isnull=True))


@pytest.fixture
def river(personas, world):
    """Millbrook Timebank (world.group, where Bea is broker) runs an open river water-quality campaign
    started 30 days ago: pH (0–14), temperature (°C, -5–40), turbidity (clear/cloudy/murky), litter seen
    (yes/no, optional) and notes (optional). Carla (citizen) joined it as a volunteer."""
    from datetime import timedelta
    from types import SimpleNamespace

    from django.utils import timezone

    from coproduce.assessment import monitoring_services as monitoring

    bea = personas["broker"]
    today = timezone.localdate()
    campaign = monitoring.create_campaign(
        bea, world.group, title="Mill River water watch", starts_on=today - timedelta(days=30),
        purpose="Know whether the river is getting cleaner.", method="Dip the strip at the weir, read at 30 s.",
        partner="Environment Agency", area=world.hood)
    ph = monitoring.add_measure(bea, campaign, name="pH", kind="number", min_value="0", max_value="14")
    temp = monitoring.add_measure(bea, campaign, name="Water temperature", kind="number", unit="°C",
                                  min_value="-5", max_value="40")
    turbidity = monitoring.add_measure(bea, campaign, name="Turbidity", kind="choice",
                                       choices=["clear", "cloudy", "murky"])
    litter = monitoring.add_measure(bea, campaign, name="Litter seen", kind="yes_no", required=False)
    notes = monitoring.add_measure(bea, campaign, name="Notes", kind="text", required=False)
    monitoring.set_campaign_status(bea, campaign, "open")
    carla = monitoring.enrol(personas["citizen"], campaign)
    return SimpleNamespace(campaign=campaign, ph=ph, temp=temp, turbidity=turbidity, litter=litter, notes=notes,
                           carla=carla, bea=bea, today=today)
