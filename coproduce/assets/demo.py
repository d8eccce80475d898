"""The asset map part of the demo town: community assets across Riverton's neighbourhoods (most with
coordinates, some placed by neighbourhood only), what citizens can do (some recorded by the time
broker and the care service in conversation), needs the Adult Social Care team recorded with
consent, community needs from the council, and two citizens' suggestions waiting for review.
Everything goes through the services; running it again changes nothing."""

import random
from datetime import time

from . import services
from . import windows as weekly
from .models import CommunityAsset

# name, kind, neighbourhood, category slug, (lat, lon) or None, opening, owner, accessibility
ASSETS = [
    ("Millbrook Community Hall", "place", "Millbrook", "space", (52.0412, -1.5120),
     ([0, 2, 4], time(9), time(21)), "Riverton Borough Council", "Step-free entrance, hearing loop, accessible toilet."),
    ("Hawthorn Park Allotments", "facility", "Hawthorn Park", "gardening", (52.0445, -1.5010),
     ([5, 6], time(8), time(18)), "Parks and Green Spaces", "Wide paths; raised beds for wheelchair users."),
    ("Kiln Lane Repair Café", "group", "Kiln Lane", "repairs-cafe", (52.0390, -1.4950),
     ([5], time(10), time(13)), "Memory Café Friends", "Ground floor; bring items up to 10 kg."),
    ("Riverton Central Library", "place", "Market Square", "digital", (52.0330, -1.5050),
     ([0, 1, 2, 3, 4, 5], time(9), time(17)), "Riverton Libraries", "Lift to all floors, large print books."),
    ("The Kettle Café", "place", "Market Square", "meals", (52.0322, -1.5068),
     ([0, 1, 2, 3, 4, 5], time(8), time(16)), "The Kettle Café", "Step at the door; portable ramp on request."),
    ("Old Quay Park", "place", "Old Quay", "wellbeing", (52.0301, -1.5155), None,
     "Friends of Old Quay Park", "Level paths around the lake."),
    ("St Anne's Tool Library", "facility", "St Anne's", "tools", (52.0275, -1.4990),
     ([2], time(17), time(19)), "Riverton Borough Council", "Volunteers carry items to the car."),
    ("Memory Café", "group", "Millbrook", "befriending", None,
     ([2], time(14), time(16)), "Memory Café Friends", "Dementia-friendly, quiet room available."),
    ("Fernside Community Centre", "place", "Fernside", "space", (52.0220, -1.5100),
     ([0, 1, 2, 3, 4], time(9), time(22)), "Fernside Residents' Association", "Step-free, changing places toilet."),
    ("Wharf End Youth Club", "group", "Wharf End", "events", None,
     ([1, 3], time(18), time(21)), "Youth Service", "Ground floor."),
    ("Greenhill Walking Group", "group", "Greenhill", "walking", None,
     ([6], time(10), time(12)), None, "Gentle pace; routes without stiles."),
]
SKILLS = [
    ("skill", "gardening", "Happy to help with lawns and hedges", "lawns, hedges"),
    ("skill", "diy", "Can put up shelves and fix doors", "shelves, doors"),
    ("knowledge", "forms", "Know my way around benefit forms", "benefits"),
    ("skill", "cooking", "Cook for a crowd, love baking bread", "baking"),
    ("knowledge", "language", "Speak Polish and English, happy to chat", "polish"),
    ("lend", "tools", "A ladder, a drill and a lawnmower to lend", "ladder, drill"),
    ("place", "space", "A big garden for a summer picnic", "garden"),
    ("connection", "events", "Know the Riverton choir and the football club", "choir"),
    ("skill", "digital", "Set up phones and tablets", "phones, tablets"),
    ("skill", "repairs-cafe", "Mend bikes and punctures", "bikes"),
    ("knowledge", "tutoring", "Retired maths teacher", "maths"),
    ("skill", "pets", "Dog walking in the mornings", "dogs"),
]
NEEDS = [  # category, description, keywords, regular, windows
    ("gardening", "Garden overgrown since his hip operation", "lawns", False, None),
    ("errands", "Weekly shopping trip to the market", "shopping", True, ([3], time(10), time(12))),
    ("digital", "Learn to video-call her grandchildren", "tablets", False, None),
    ("diy", "A grab rail and a shelf in the kitchen", "shelves", False, None),
    ("forms", "Help with a blue badge application", "benefits", False, None),
    ("phone-befriending", "A chat on the phone in the evenings", "", True, ([0, 3], time(18), time(19))),
]
COMMUNITY_NEEDS = [
    ("Parks and Green Spaces", "events", "Volunteers for the Old Quay Park clean-up day", "Old Quay"),
    ("Riverton Libraries", "digital", "Digital champions for the library drop-in", "Market Square"),
]


def _categories():
    from coproduce.timebank.models import Category

    return {c.slug: c for c in Category.objects.filter(timebank__isnull=True)}


def load(town) -> None:
    if CommunityAsset.objects.filter(name=ASSETS[0][0]).exists():
        return
    rng = random.Random(2026)
    cats = _categories()
    admin, broker, staff = town.admin, town.user("broker"), town.user("staff")
    for name, kind, hood, cat, position, opening, owner, access in ASSETS:
        fields = dict(
            name=name, kind=kind, neighbourhood=town.neighbourhoods[hood], category=cats[cat],
            description=f"{name}: open to everyone in Riverton.", address=f"{hood}, Riverton",
            accessibility=access, opening_windows=weekly.from_days(*opening) if opening else [],
            opening_text="" if opening else "Open all day, every day",
        )
        if position:
            fields |= {"latitude": str(position[0]), "longitude": str(position[1])}
        org = town.council if owner == "Riverton Borough Council" else town.organisations.get(owner)
        services.create_asset(admin, owner=org, **fields)

    # Citizens map what they can do; the broker records it for members in conversation.
    with_login = [p for p in town.citizens if p.user_id is not None]
    for i, person in enumerate(with_login[:24]):
        kind, cat, description, keywords = SKILLS[i % len(SKILLS)]
        visibility = "public" if i % 3 != 2 else "supporters"
        if i % 4 == 3:
            services.add_capability(broker, person, kind=kind, category=cats[cat], description=description,
                                    keywords=keywords, visibility=visibility, channel="in_person", consent=True)
        else:
            services.add_capability(person.user, person, kind=kind, category=cats[cat], description=description,
                                    keywords=keywords, visibility=visibility)
        if i % 5 == 0:
            days = sorted(rng.sample(range(7), 2))
            services.add_capability(person.user, person, kind="time", description="Free for a few hours",
                                    windows=weekly.from_days(days, time(10), time(13)), visibility=visibility)

    # Adult Social Care records needs of the people it supports (assisted members, no login).
    care = town.organisations["Adult Social Care"]
    assisted = [p for p in town.citizens if p.user_id is None]
    for person, (cat, description, keywords, regular, when) in zip(assisted, NEEDS, strict=False):
        services.record_need(
            staff, care, person=person, category=cats[cat], description=description, keywords=keywords,
            neighbourhood=person.home_area, regular=regular,
            windows=weekly.from_days(*when) if when else [], consent_by="person", consent_channel="phone",
            channel="phone",
        )
    if assisted:  # an assisted member tells the care team what they can do, too
        services.add_capability(staff, assisted[-1], kind="knowledge", category=cats["crafts"],
                                description="Knits and could teach a small group", keywords="knitting",
                                visibility="public", channel="phone", consent=True)
    org_admin = town.user("org_admin")
    for org_name, cat, description, hood in COMMUNITY_NEEDS:
        services.record_need(org_admin, town.organisations[org_name], category=cats[cat], description=description,
                             neighbourhood=town.neighbourhoods[hood])

    citizen = town.people["citizen"].user
    services.suggest_asset(citizen, name="Bench and book swap by the river", kind="place",
                           neighbourhood=town.neighbourhoods["Old Quay"], description="A little free library.")
    services.suggest_asset(citizen, name="Saturday chess club", kind="group",
                           neighbourhood=town.neighbourhoods["Market Square"], opening_text="Saturdays 14:00–17:00")
