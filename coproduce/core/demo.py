"""The demo town of Riverton: a council and its services, districts and neighbourhoods, community
groups, a café, ~50 citizens (some assisted, without a login), staff, a time broker and an
administrator. Everything is created through the services, so the audit log tells the story too.

Other apps add their part by defining `demo.load(town)` in their package; `coproduce demo` calls
them in INSTALLED_APPS order after this one.
"""

import os
import random
from dataclasses import dataclass, field
from datetime import date

from allauth.account.models import EmailAddress
from django.db import transaction

from . import services
from .audit import Channel
from .models import Area, Organisation, Person, Role, Topic, User

DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "riverton-demo-2026")
COUNCIL_SLUG = "riverton-council"

DISTRICTS = {
    "North Riverton": ["Millbrook", "Hawthorn Park", "Kiln Lane"],
    "Central Riverton": ["Market Square", "Old Quay", "St Anne's"],
    "South Riverton": ["Fernside", "Wharf End", "Greenhill"],
}
TOPICS = [
    ("Dementia and carers", "Support for people living with dementia and those who care for them."),
    ("Parks and green spaces", "Looking after parks, verges, trees and community gardens."),
    ("Young people", "Youth services, clubs and a say for young people."),
    ("Housing", "Council homes, repairs and tenants' voices."),
    ("Loneliness", "Staying connected: befriending, groups and places to meet."),
    ("Libraries and learning", "Libraries, adult learning and digital skills."),
    ("Safer streets", "Road safety, lighting and feeling safe in your neighbourhood."),
]
SERVICES = [
    ("Adult Social Care", Organisation.Kind.SERVICE, ["Dementia and carers", "Loneliness"]),
    ("Parks and Green Spaces", Organisation.Kind.SERVICE, ["Parks and green spaces"]),
    ("Youth Service", Organisation.Kind.SERVICE, ["Young people"]),
    ("Housing Services", Organisation.Kind.HOUSING, ["Housing"]),
    ("Riverton Libraries", Organisation.Kind.SERVICE, ["Libraries and learning"]),
]
GROUPS = [
    ("Riverton Timebank", Organisation.Kind.VOLUNTARY, "Central Riverton", ["Loneliness"]),
    ("Memory Café Friends", Organisation.Kind.COMMUNITY_GROUP, "North Riverton", ["Dementia and carers"]),
    ("Fernside Residents' Association", Organisation.Kind.COMMUNITY_GROUP, "Fernside", ["Safer streets", "Housing"]),
    ("Riverton Youth Forum", Organisation.Kind.COMMUNITY_GROUP, "Central Riverton", ["Young people"]),
    ("Friends of Old Quay Park", Organisation.Kind.COMMUNITY_GROUP, "Old Quay", ["Parks and green spaces"]),
    ("The Kettle Café", Organisation.Kind.BUSINESS, "Market Square", ["Loneliness"]),
]
FIRST = ["Amira", "Ben", "Chloe", "Dev", "Elena", "Femi", "Grace", "Hamza", "Isla", "Jonas", "Kofi", "Lena", "Maya",
         "Noah", "Olu", "Priya", "Quinn", "Rosa", "Sami", "Tara", "Umar", "Vera", "Wei", "Yusuf", "Zoe"]
LAST = ["Ahmed", "Baker", "Clarke", "Dąbrowski", "Evans", "Fischer", "Gallagher", "Hughes", "Iqbal", "Jensen",
        "Kowalski", "Lewis", "Murphy", "Nowak", "O'Brien", "Patel", "Rossi", "Schmidt", "Taylor", "Walsh"]


@dataclass
class DemoTown:
    """What the core demo made, handed to other apps' demo loaders."""

    admin: User
    council: Organisation
    city: Area
    districts: dict[str, Area] = field(default_factory=dict)
    neighbourhoods: dict[str, Area] = field(default_factory=dict)
    topics: dict[str, Topic] = field(default_factory=dict)
    organisations: dict[str, Organisation] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    citizens: list[Person] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)

    def user(self, key: str) -> User:
        return self.people[key].user


def already_loaded() -> bool:
    return Organisation.objects.filter(slug=COUNCIL_SLUG).exists()


def _login(email: str, name: str, *, superuser: bool = False) -> User:
    username = email.split("@")[0]
    if superuser:
        user = User.objects.create_superuser(username=username, email=email, password=DEMO_PASSWORD)
    else:
        user = User.objects.create_user(username=username, email=email, password=DEMO_PASSWORD)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    first, _, last = name.partition(" ")
    user.first_name, user.last_name = first, last
    user.save(update_fields=["first_name", "last_name"])
    services.person_for_new_user(user, name=name)
    return user


@transaction.atomic
def load_core() -> DemoTown:
    rng = random.Random(2026)
    admin = _login("admin@riverton.example", "Ada Administrator", superuser=True)
    city = services.create_area(admin, name="Riverton", kind=Area.Kind.CITY, channel=Channel.SYSTEM)
    town = DemoTown(admin=admin, council=None, city=city)  # type: ignore[arg-type]
    previous = None
    for district_name, hoods in DISTRICTS.items():
        district = services.create_area(admin, name=district_name, kind=Area.Kind.DISTRICT, parent=city,
                                        channel=Channel.SYSTEM)
        town.districts[district_name] = district
        for hood in hoods:
            area = services.create_area(admin, name=hood, kind=Area.Kind.NEIGHBOURHOOD, parent=district,
                                        channel=Channel.SYSTEM)
            town.neighbourhoods[hood] = area
            if previous is not None:  # a chain of neighbours along the river
                services.set_adjacent_areas(admin, area, [previous], channel=Channel.SYSTEM)
            previous = area
    for name, description in TOPICS:
        town.topics[name] = services.create_topic(admin, name=name, description=description, channel=Channel.SYSTEM)

    council = services.create_organisation(
        admin, name="Riverton Borough Council", slug=COUNCIL_SLUG, kind=Organisation.Kind.COUNCIL, area=city,
        email="hello@riverton.example", phone="01632 960000", website="https://riverton.example",
        description="The borough council for Riverton and its nine neighbourhoods.",
        topics=list(town.topics.values()), channel=Channel.SYSTEM,
    )
    town.council = council
    for name, kind, topic_names in SERVICES:
        town.organisations[name] = services.create_organisation(
            admin, name=name, kind=kind, parent=council, area=city, topics=[town.topics[t] for t in topic_names],
            description=f"{name} at Riverton Borough Council.", channel=Channel.SYSTEM,
        )
    for name, kind, area_name, topic_names in GROUPS:
        area = town.districts.get(area_name) or town.neighbourhoods[area_name]
        town.organisations[name] = services.create_organisation(
            admin, name=name, kind=kind, area=area, topics=[town.topics[t] for t in topic_names],
            channel=Channel.SYSTEM,
        )

    workers = [
        ("commissioner", "c.okafor@riverton.example", "Chidi Okafor", council, Role.COMMISSIONER),
        ("staff", "s.patel@riverton.example", "Sunita Patel", town.organisations["Adult Social Care"], Role.STAFF),
        ("broker", "m.jones@riverton.example", "Megan Jones", town.organisations["Riverton Timebank"], Role.BROKER),
        ("moderator", "l.weber@riverton.example", "Lukas Weber", council, Role.MODERATOR),
        ("org_admin", "r.hughes@riverton.example", "Rhiannon Hughes", council, Role.ADMIN),
    ]
    for key, email, name, org, role in workers:
        user = _login(email, name)
        town.people[key] = user.person
        services.add_membership(admin, user.person, org, role, channel=Channel.SYSTEM)
        town.logins.append((email, f"{Role(role).label} – {org.name}"))
    town.people["admin"] = admin.person
    town.logins.insert(0, ("admin@riverton.example", "Platform administrator (sets up two-factor at first log-in)"))

    hoods = list(town.neighbourhoods.values())
    topics = list(town.topics.values())
    timebank = town.organisations["Riverton Timebank"]
    staff = town.user("staff")
    for i in range(50):
        name = f"{FIRST[i % len(FIRST)]} {LAST[(i * 7) % len(LAST)]}"
        home = hoods[i % len(hoods)]
        born = date(1940 + (i * 13) % 70, 1 + i % 12, 1 + (i * 5) % 28)
        if i % 5 == 4:  # every fifth citizen has no internet: registered in person by staff
            person = services.register_person(
                staff, town.organisations["Adult Social Care"], consent=True, channel=Channel.IN_PERSON,
                name=name, phone=f"01632 96{i:04d}", home_area=home, birth_date=born,
                access_needs="Prefers phone calls; large print letters." if i % 10 == 4 else "",
            )
        else:
            email = f"{name.split()[0].lower()}.{i}@riverton.example"
            user = _login(email, name)
            person = user.person
            services.update_person(user, person, home_area=home, birth_date=born,
                                   contact_about_interests=i % 3 == 0,
                                   interests=rng.sample(topics, k=1 + i % 3))
            services.add_membership(admin, person, timebank, Role.MEMBER, channel=Channel.SYSTEM)
            if i == 0:
                town.people["citizen"] = person
                town.logins.append((email, "Citizen – member of Riverton Timebank"))
        town.citizens.append(person)
    other = _login("g.brown@fernside.example", "Gwen Brown")
    services.add_membership(admin, other.person, town.organisations["Fernside Residents' Association"], Role.ADMIN,
                            channel=Channel.SYSTEM)
    town.people["other_org"] = other.person
    town.logins.append(("g.brown@fernside.example", "Administrator of Fernside Residents' Association"))
    cafe = _login("hello@kettlecafe.example", "Kettle Café")
    services.add_membership(admin, cafe.person, town.organisations["The Kettle Café"], Role.ADMIN,
                            channel=Channel.SYSTEM)
    services.add_membership(admin, cafe.person, timebank, Role.MEMBER, channel=Channel.SYSTEM)
    town.people["cafe"] = cafe.person
    return town
