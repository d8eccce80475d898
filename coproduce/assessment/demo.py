"""Co-assessment's part of the demo town: directory entries for the council's services (with opening
hours, areas and languages), Open311 services with attributes and some existing reports in various
states, a help offer, and ratings with a trend."""

import random
from datetime import time, timedelta

from django.utils import timezone

from coproduce.core.audit import Channel
from coproduce.timebank.models import TimebankMember

from . import help_services, services
from .models import Complaint, HelpOffer, Rating

SERVICES = {
    "Adult Social Care": dict(
        audience="Adults who need care or support, and their carers",
        eligibility="Anyone over 18 living in Riverton; carers of any age.", minimum_age=18,
        application_process="Phone the contact centre or drop in at the Town Hall.",
        languages=["en", "pl", "ur"], rating_dimensions=["Kindness", "Waiting time"], phones=["01632 960100"],
        schedules=[{"byday": "MO,TU,WE,TH,FR", "opens_at": time(9), "closes_at": time(17)}],
    ),
    "Parks and Green Spaces": dict(
        audience="Everyone", application_process="Report a problem online or phone us.",
        languages=["en"], rating_dimensions=["Cleanliness", "Safety"], phones=["01632 960200"],
        open311_code="PARKS", group="Streets and parks", keywords="litter, benches, trees",
        service_notice="We look at every report within two working days.",
        schedules=[{"byday": "MO,TU,WE,TH,FR,SA,SU", "opens_at": time(7), "closes_at": time(21)}],
    ),
    "Housing Services": dict(
        audience="Council tenants", eligibility="Council and housing association tenants in Riverton.",
        application_process="Phone the repairs line, any time.", languages=["en", "pl"],
        rating_dimensions=["Repairs", "Communication"], phones=["01632 960300"],
        open311_code="REPAIR", group="Housing", keywords="repairs, damp, heating",
        service_notice="Emergency repairs within 24 hours, routine repairs within 20 working days.",
        schedules=[{"byday": "MO,TU,WE,TH,FR", "opens_at": time(8), "closes_at": time(18)}],
    ),
    "Youth Service": dict(audience="Young people aged 11 to 19", minimum_age=11, maximum_age=19,
                          languages=["en"], application_process="Drop in at any youth club.",
                          schedules=[{"byday": "TU,TH", "opens_at": time(16), "closes_at": time(20)}]),
    "Riverton Libraries": dict(audience="Everyone", languages=["en", "pl", "ur", "ro"],
                               application_process="Just come in.", open311_code="LIBRARY",
                               group="Libraries", rating_dimensions=["Staff help"],
                               schedules=[{"byday": "MO,TU,WE,TH,FR,SA", "opens_at": time(9),
                                           "closes_at": time(19)}]),
}
ATTRIBUTES = {
    "PARKS": [
        {"code": "PROBLEM", "datatype": "singlevaluelist", "required": True, "description": "What is the problem?",
         "values": [{"key": "litter", "name": "Litter or fly-tipping"}, {"key": "bench", "name": "Broken bench"},
                    {"key": "tree", "name": "Fallen tree or branch"}]},
        {"code": "DANGER", "datatype": "singlevaluelist", "required": False,
         "description": "Is anyone in danger?", "values": [{"key": "yes", "name": "Yes"}, {"key": "no", "name": "No"}]},
    ],
    "REPAIR": [
        {"code": "ROOM", "datatype": "multivaluelist", "required": True, "description": "Which rooms?",
         "values": [{"key": "kitchen", "name": "Kitchen"}, {"key": "bathroom", "name": "Bathroom"},
                    {"key": "bedroom", "name": "Bedroom"}]},
        {"code": "TENANCY", "datatype": "string", "required": False, "description": "Tenancy reference",
         "datatype_description": "On your rent statement, e.g. RT-12345"},
    ],
    "LIBRARY": [
        {"code": "BRANCH", "datatype": "string", "required": False, "description": "Which library?"},
    ],
}
REPORTS = [
    ("PARKS", "Overflowing bin by the playground gates.", "Old Quay Park", {"PROBLEM": "litter"}),
    ("PARKS", "Bench slats broken near the pond.", "Millbrook Green", {"PROBLEM": "bench", "DANGER": "no"}),
    ("PARKS", "Large branch hanging over the path.", "Hawthorn Park", {"PROBLEM": "tree", "DANGER": "yes"}),
    ("REPAIR", "Damp and mould in the bathroom.", "Wharf End", {"ROOM": ["bathroom"]}),
    ("REPAIR", "Kitchen tap leaking for a week.", "Fernside", {"ROOM": ["kitchen"]}),
    ("LIBRARY", "The self-service machine is out of order.", "Market Square", {}),
]


def load(town) -> None:
    admin = town.admin
    rng = random.Random(311)
    made = {}
    for name, extra in SERVICES.items():
        extra = dict(extra)
        org = town.organisations[name]
        made[name] = services.create_service(
            admin, org, name=name, description=org.description or f"{name} at Riverton Borough Council.",
            areas=[town.city], languages=extra.pop("languages", []), schedules=extra.pop("schedules", []),
            phones=extra.pop("phones", []), email=f"{org.slug}@riverton.example", channel=Channel.SYSTEM,
            agency_responsible="Riverton Borough Council" if extra.get("open311_code") else "", **extra)
    memory = town.organisations["Memory Café Friends"]
    made["Memory Café"] = services.create_service(
        admin, memory, name="Memory Café", description="A friendly afternoon for people living with dementia "
        "and the people who care for them.", audience="People living with dementia and their carers",
        areas=[town.districts["North Riverton"]], languages=["en"], channel=Channel.SYSTEM,
        schedules=[{"byday": "WE", "opens_at": time(14), "closes_at": time(16), "description": "Millbrook Hall"}],
        rating_dimensions=["Welcome"])
    by_code = {s.open311_code: s for s in made.values() if s.open311_code}
    for code, attributes in ATTRIBUTES.items():
        services.set_open311_attributes(admin, by_code[code], attributes, channel=Channel.SYSTEM)
    client, _raw = services.create_open311_client(admin, "Riverton FixIt app (demo)", channel=Channel.SYSTEM)
    staff = town.user("staff")
    now = timezone.now()
    for i, (code, description, place, answers) in enumerate(REPORTS):
        citizen = town.citizens[i * 3]
        complaint = services.submit_complaint(
            None, by_code[code], description=description, address_string=place, attributes=answers,
            client=client, channel=Channel.API, first_name=citizen.name.split()[0])
        when = now - timedelta(days=20 - 3 * i, hours=rng.randint(0, 8))
        Complaint.objects.filter(pk=complaint.pk).update(requested_at=when, updated_at=when)
        complaint.refresh_from_db()
        if i % 3 != 2:  # some acknowledged, some resolved
            services.change_complaint_status(admin, complaint, Complaint.Status.ACKNOWLEDGED,
                                             note="Thank you, we are on it.", channel=Channel.SYSTEM)
        if i % 3 == 0:
            services.change_complaint_status(admin, complaint, Complaint.Status.IN_PROGRESS, channel=Channel.SYSTEM)
            services.change_complaint_status(admin, complaint, Complaint.Status.RESOLVED,
                                             note="Fixed by the parks team.", channel=Channel.SYSTEM)
    # A complaint phoned in, recorded by staff, where the caller offered to help.
    caller = town.citizens[4]
    services.submit_complaint(
        staff, made["Adult Social Care"], kind=Complaint.Kind.COMPLAINT, is_public=False, on_behalf_of=caller,
        channel=Channel.PHONE, description="Carer visits keep arriving late in the morning.", offer_help=True,
        help_how="I could help test the new rota with other families.")
    _load_helper_from_a_complaint(town, made["Parks and Green Spaces"])
    # Ratings over the last months, so the trend chart has a story.
    raters = [p for p in town.citizens if p.user_id]
    for name in ("Adult Social Care", "Parks and Green Spaces", "Riverton Libraries"):
        service = made[name]
        for j, person in enumerate(raters[:18]):
            overall = min(5, max(1, 3 + (j % 3) - (1 if j < 6 else 0) + (name == "Riverton Libraries")))
            services.rate_service(
                person.user, service, overall=overall,
                dimensions={d: min(5, overall + (k % 2)) for k, d in enumerate(service.rating_dimensions)},
                comment="Helpful and kind." if overall >= 4 else ("Too slow to answer." if overall <= 2 else ""),
                channel=Channel.SYSTEM)
        # Spread the ratings over six months (the demo's history) and rebuild the kept aggregates.
        for j, rating in enumerate(Rating.objects.filter(service=service).order_by("id")):
            Rating.objects.filter(pk=rating.pk).update(rated_at=now - timedelta(days=30 * (5 - j // 3)))
        services.rebuild_rating_summary(admin, service, channel=Channel.SYSTEM)
    _load_surveys(town, made)
    _load_inspections(town, made)
    _load_monitoring(town)


def _load_surveys(town, made) -> None:
    """A council survey (anonymous, with an allocation question grouped by who answered; closed, results
    published) and a citizen-led one by the Fernside residents (identified, for people in Fernside)."""
    from . import survey_services as surveys
    from .models import Survey

    admin = town.admin
    care = town.organisations["Adult Social Care"]
    survey = surveys.create_survey(
        admin, care, title="How should we spend this year's budget increase?", is_anonymous=True,
        description="Adult Social Care has 4% more to spend next year. Tell us where it should go.",
        channel=Channel.SYSTEM)
    role = surveys.add_question(admin, survey, kind="single", text="I am a", options=[
        "Member of staff", "Person who uses the service", "Carer or family member"], channel=Channel.SYSTEM)
    spend = surveys.add_question(admin, survey, kind="allocation", text="Spread 100 points across these",
                                 options=["More care staff", "Shorter waiting times", "Day centres",
                                          "Training"], channel=Channel.SYSTEM)
    trust = surveys.add_question(admin, survey, kind="likert", text="I trust the council to spend it well",
                                 channel=Channel.SYSTEM)
    order = surveys.add_question(admin, survey, kind="ranking", text="Put these in order of importance",
                         options=["Being listened to", "Reliable visit times", "Same carer each time"],
                         channel=Channel.SYSTEM)
    grid = surveys.add_question(admin, survey, kind="matrix", text="How satisfied are you with",
                         options=["Home care", "Day centres", "The contact centre"],
                         scale=["Very unhappy", "Unhappy", "Neutral", "Happy", "Very happy"], channel=Channel.SYSTEM)
    hours = surveys.add_question(admin, survey, kind="number", text="How many hours of care a week do you use or give?",
                         required=False, min_value=0, max_value=168, channel=Channel.SYSTEM)
    used = surveys.add_question(admin, survey, kind="multiple", text="Which services have you used this year?",
                         options=["Home care", "Day centre", "Respite", "Meals"], required=False,
                         channel=Channel.SYSTEM)
    ideas = surveys.add_question(admin, survey, kind="text", text="Anything else we should know?",
                                 required=False, channel=Channel.SYSTEM)
    surveys.update_survey(admin, survey, group_question=role, channel=Channel.SYSTEM)
    surveys.set_survey_status(admin, survey, Survey.Status.OPEN, channel=Channel.SYSTEM)
    allocations = [[40, 30, 10, 20], [20, 50, 20, 10], [10, 60, 30, 0], [30, 30, 30, 10], [25, 25, 25, 25],
                   [50, 20, 10, 20], [0, 70, 30, 0], [35, 35, 20, 10], [20, 40, 40, 0]]
    comments = ["Carers need a break more than anything.", "The phone line takes far too long to answer.",
                "Please keep the day centre in Millbrook open.", "", "Visits at the same time every day, please."]
    for i, points in enumerate(allocations):
        surveys.submit_response(admin, survey, {
            role.field: i % 3, spend.field: points, trust.field: 1 + (i * 2) % 5,
            order.field: [(i + k) % 3 for k in range(3)], grid.field: [1 + (i + r) % 5 for r in range(3)],
            hours.field: str(5 + 3 * i), used.field: [i % 4],
            ideas.field: comments[i % len(comments)]}, channel=Channel.PAPER if i % 3 == 0 else Channel.SYSTEM)
    surveys.set_survey_status(admin, survey, Survey.Status.CLOSED, channel=Channel.SYSTEM)
    surveys.publish_results(admin, survey, channel=Channel.SYSTEM)

    fernside = town.organisations["Fernside Residents' Association"]
    organiser = town.people["other_org"].user
    local = surveys.create_survey(
        organiser, fernside, title="Safer streets in Fernside", area=fernside.area, channel=Channel.SYSTEM,
        description="A residents' survey about speeding and street lighting, run by the residents' association.")
    speeding = surveys.add_question(organiser, local, kind="likert", text="Speeding is a problem on my street",
                                    channel=Channel.SYSTEM)
    where = surveys.add_question(organiser, local, kind="text", text="Which streets worry you most?",
                                 required=False, channel=Channel.SYSTEM)
    surveys.set_survey_status(organiser, local, Survey.Status.OPEN, channel=Channel.SYSTEM)
    residents = [p for p in town.citizens if p.user_id and p.home_area_id and
                 p.home_area.path.startswith(fernside.area.path)][:4] if fernside.area else []
    for i, person in enumerate(residents):
        surveys.submit_response(person.user, local, {speeding.field: 3 + i % 3,
                                                     where.field: ["Ferry Lane", "Mill Road near the school",
                                                                   "", "Quay Street"][i % 4]},
                                channel=Channel.SYSTEM)


def _load_inspections(town, made) -> None:
    """Tenant and citizen inspectors of the council (trained), a published inspection of the libraries
    with actions (one overdue, one done), and a peer review of adult social care by experts by
    experience, scheduled."""
    from coproduce.core import services as core_services
    from coproduce.core.models import Role

    from . import inspection_services as inspections

    admin = town.admin
    council = town.council
    today = timezone.localdate()
    inspectors = [p for p in town.citizens if p.user_id][5:9]
    for i, person in enumerate(inspectors):
        core_services.add_membership(admin, person, council, Role.INSPECTOR, channel=Channel.SYSTEM)
        inspections.record_training(
            admin, council, person, course="Citizen inspector training (two days)" if i < 2 else
            "Experts by experience: peer review", trained_by="Riverton Healthwatch",
            trained_on=today - timedelta(days=200 + 30 * i), expires_on=today + timedelta(days=530),
            channel=Channel.SYSTEM)
    access = inspections.create_template(
        admin, council, title="Is the library welcoming and accessible?", channel=Channel.SYSTEM, items=[
            ("Step-free entrance", "Ramp, automatic door, door width"),
            ("Staff greet visitors and offer help", "Watch for ten minutes at the desk"),
            ("Signs are clear and in community languages", "Photos of the signs"),
            ("Accessible toilet available and clean", "Check the alarm cord is free"),
        ])
    review = inspections.create_template(
        admin, council, title="Peer review: care at home", kind="peer_review", channel=Channel.SYSTEM,
        scale=["Not at all", "Partly", "Mostly", "Fully"], items=[
            ("People are listened to when their care is planned", "Talk to three people who use the service"),
            ("Carers arrive when they said they would", "Visit logs for the last month"),
        ])
    visit = inspections.schedule_visit(admin, access, made["Riverton Libraries"],
                                       visit_on=today - timedelta(days=45), team=inspectors[:2], minutes=180,
                                       channel=Channel.SYSTEM)
    notes = ["The ramp is steep but usable; the automatic door works.", "Two of three visitors were greeted.",
             "Signs only in English.", "Clean; the alarm cord was tied up."]
    for item, rating, note in zip(access.items.all(), [3, 3, 2, 2], notes, strict=True):
        inspections.record_finding(admin, visit, item, rating=rating, notes=note, channel=Channel.SYSTEM)
    inspections.publish_report(admin, visit, channel=Channel.SYSTEM, summary=(
        "A friendly library that most visitors can use; signs and the accessible toilet need attention."))
    signs = inspections.add_action(admin, visit, description="Add signs in Polish, Urdu and Romanian.",
                                   due_on=today - timedelta(days=5), channel=Channel.SYSTEM)
    cord = inspections.add_action(admin, visit, description="Untie the alarm cord and check it weekly.",
                                  due_on=today - timedelta(days=30), channel=Channel.SYSTEM)
    inspections.complete_action(admin, cord, note="Cord untied; added to the weekly checklist.",
                                channel=Channel.SYSTEM)
    inspections.close_action(admin, cord, channel=Channel.SYSTEM)
    del signs
    inspections.schedule_visit(admin, review, made["Adult Social Care"], visit_on=today + timedelta(days=14),
                               team=inspectors[2:4], minutes=240, channel=Channel.SYSTEM)


def _load_helper_from_a_complaint(town, service) -> None:
    """A member of the Riverton Timebank reports a broken bench; once it is fixed she accepts the
    invitation to help and her offer of time appears in the timebank."""
    member = TimebankMember.objects.filter(timebank__slug="riverton", person__user__isnull=False,
                                           status=TimebankMember.Status.ACTIVE).order_by("id").first()
    if member is None:  # the timebank demo is not installed
        return
    complaint = services.submit_complaint(
        member.person.user, service, description="The bench by the duck pond has a broken leg.",
        address_string="Millbrook Green, by the pond", attributes={"PROBLEM": "bench"}, channel=Channel.WEB)
    for status in (Complaint.Status.ACKNOWLEDGED, Complaint.Status.IN_PROGRESS, Complaint.Status.RESOLVED):
        services.change_complaint_status(town.admin, complaint, status, channel=Channel.SYSTEM,
                                         note="The bench has been repaired." if status == "resolved" else "")
    help_services.offer_help(member.person.user, complaint, route=HelpOffer.Route.TIMEBANK,
                             timebank=member.timebank, how="I can help repaint the park benches in spring.")


def _load_monitoring(town) -> None:
    """A river water-quality campaign of the council with the Environment Agency: pH, temperature and
    turbidity, four volunteers (one without a login, whose paper sheets staff enter), a few weeks of
    readings at three places. Hours are credited through the Riverton Timebank when it exists."""
    from coproduce.timebank.models import Timebank

    from . import monitoring_services as monitoring

    admin = town.admin
    today = timezone.localdate()
    bank = Timebank.objects.filter(organisation=town.organisations.get("Riverton Timebank")).first()
    campaign = monitoring.create_campaign(
        admin, town.council, title="River Riv water watch", starts_on=today - timedelta(days=28),
        ends_on=today + timedelta(days=60), partner="Environment Agency", timebank=bank, channel=Channel.SYSTEM,
        purpose="Find out whether the River Riv is getting cleaner after the new storm drains.",
        method="Take a sample at arm's length, away from the bank. Dip the pH strip for 2 seconds and read it "
               "after 30 seconds. Measure the water temperature 10 cm down. Judge turbidity against the card.")
    ph = monitoring.add_measure(admin, campaign, name="pH", kind="number", min_value="0", max_value="14",
                                help_text="Read the strip after 30 seconds.", channel=Channel.SYSTEM)
    temp = monitoring.add_measure(admin, campaign, name="Water temperature", kind="number", unit="°C",
                                  min_value="-5", max_value="40", channel=Channel.SYSTEM)
    turbidity = monitoring.add_measure(admin, campaign, name="Turbidity", kind="choice",
                                       choices=["clear", "cloudy", "murky"], channel=Channel.SYSTEM)
    monitoring.set_campaign_status(admin, campaign, "open", channel=Channel.SYSTEM)
    people = [p for p in town.citizens if p.user_id][10:13]
    volunteers = [monitoring.enrol(p.user, campaign, channel=Channel.SYSTEM) for p in people]
    offline = next((p for p in town.citizens if not p.user_id), None)
    if offline is not None:
        volunteers.append(monitoring.enrol(admin, campaign, offline, briefed_on=today - timedelta(days=27),
                                           channel=Channel.IN_PERSON))
    places = ["Mill weir", "Ferry Lane bridge", "Quay steps"]
    now = timezone.now()
    for i in range(14):
        volunteer = volunteers[i % len(volunteers)]
        paper = volunteer.person.user_id is None
        monitoring.record_observation(
            admin if paper else volunteer.person.user, campaign, volunteer=volunteer if paper else None,
            channel=Channel.PAPER if paper else Channel.SYSTEM,
            values={ph.field: str(round(6.6 + (i % 5) * 0.15 + (0.1 if i > 7 else 0), 2)),
                    temp.field: str(9 + (i % 4) + i // 5), turbidity.field: [0, 0, 1, 2, 1][i % 5]},
            observed_at=now - timedelta(days=26 - i * 2, hours=3), location=places[i % 3], minutes_spent=20 + 5 * (i % 3))
