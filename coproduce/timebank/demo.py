"""The timebank part of the demo town: a network of two banks (Riverton Timebank and the small
Fernside Timebank), members of every kind, a member agreement, four months of exchanges recorded
by members themselves and by the brokers (on paper and by phone), donations to the community pot,
a correction and exchanges across the two banks. Everything goes through the services."""

import random
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from coproduce.core import demo as core_demo
from coproduce.core import services as core_services
from coproduce.core.audit import Channel
from coproduce.core.models import Organisation, Role

from . import services
from .models import TimebankMember

AGREEMENT = (
    "Everyone's hour is worth the same. We give and receive help as equals, keep each other safe, "
    "record every exchange, and let the broker know if something goes wrong."
)
EXCHANGES = [
    ("Lift to the hospital", 90), ("Weekly shopping trip", 60), ("Gardening", 120), ("Befriending visit", 60),
    ("Help setting up a tablet", 45), ("Dog walking", 30), ("Putting up shelves", 90), ("Cooking a meal", 60),
    ("English conversation practice", 60), ("Reading letters and forms together", 30), ("Sewing repairs", 45),
    ("Helping with a job application", 60), ("Collecting a prescription", 30),
]
NEW_MEMBERS = [  # registered in person by the broker; no login
    ("Doris Whitfield", "01632 961001"), ("Arthur Penrose", "01632 961002"), ("Nasrin Begum", "01632 961003"),
]
FERNSIDE_MEMBERS = ["Fay Morgan", "Tomasz Wójcik", "Aisha Bello", "Glyn Pritchard", "Mei Chen"]


def load(town) -> None:
    rng = random.Random(2026)
    admin = town.admin
    riverton_org = town.organisations["Riverton Timebank"]
    broker = town.user("broker")
    network = services.create_network(admin, name="Riverton and Fernside Timebanks", slug="riverton-network",
                                      coordinator=riverton_org, channel=Channel.SYSTEM)
    riverton = services.create_timebank(
        admin, name="Riverton Timebank", slug="riverton", organisation=riverton_org, network=network,
        allow_cross_bank=True, hourly_value_low=1220, hourly_value_high=1800, agreement_text=AGREEMENT,
        channel=Channel.SYSTEM,
    )
    fernside_org = core_services.create_organisation(
        admin, name="Fernside Timebank", kind=Organisation.Kind.VOLUNTARY, area=town.neighbourhoods["Fernside"],
        description="A small timebank run from the Fernside community centre.", channel=Channel.SYSTEM,
    )
    town.organisations["Fernside Timebank"] = fernside_org
    fernside = services.create_timebank(
        admin, name="Fernside Timebank", slug="fernside", organisation=fernside_org, network=network,
        allow_cross_bank=True, overdraft_limit_minutes=5 * 60, max_balance_minutes=50 * 60,
        hourly_value_low=1220, hourly_value_high=1800, agreement_text=AGREEMENT, channel=Channel.SYSTEM,
    )
    fernside_broker = core_demo._login("k.osei@fernside.example", "Kwame Osei")
    core_services.add_membership(admin, fernside_broker.person, fernside_org, Role.BROKER, channel=Channel.SYSTEM)
    town.people["fernside_broker"] = fernside_broker.person
    town.logins.append(("k.osei@fernside.example", "Time broker – Fernside Timebank"))

    # Riverton members: citizens with a login ask to join and the broker approves; others are
    # registered in person; the café and a community group join too.
    members: list[TimebankMember] = []
    with_login = [p for p in town.citizens if p.user_id is not None][:18]
    for i, person in enumerate(with_login):
        if i % 3 == 0:
            members.append(services.register_member(broker, riverton, person=person, channel=Channel.IN_PERSON))
        else:
            request = services.request_to_join(person.user, riverton, accept_agreement=True)
            members.append(services.approve_member(broker, request))
    for name, phone in NEW_MEMBERS:
        members.append(services.register_member(broker, riverton, name=name, phone=phone, channel=Channel.IN_PERSON))
    cafe = services.register_member(
        broker, riverton, person=town.people["cafe"], kind=TimebankMember.Kind.BUSINESS,
        organisation=town.organisations["The Kettle Café"], channel=Channel.WEB,
    )
    group = services.register_member(
        broker, riverton, name="Memory Café Friends", kind=TimebankMember.Kind.GROUP,
        organisation=town.organisations["Memory Café Friends"], channel=Channel.IN_PERSON,
    )
    services.set_member_limits(broker, members[0], overdraft_limit_minutes=20 * 60)

    fern_members = [services.register_member(fernside_broker, fernside, name=name, channel=Channel.IN_PERSON)
                    for name in FERNSIDE_MEMBERS]
    services.record_opening_balance(fernside_broker, fern_members[1], 180, "Balance carried over from the paper ledger")

    today = timezone.localdate()
    start = today - timedelta(days=120)

    def record(payer, payee, minutes, reason, day):
        own_login = payer.person.user if payer.person.user_id else None
        actor, channel = (own_login, Channel.WEB) if own_login and rng.random() < 0.6 else (
            broker if payer.timebank_id == riverton.pk else fernside_broker,
            rng.choice([Channel.PAPER, Channel.PHONE, Channel.IN_PERSON]))
        try:
            return services.transfer(actor, payer, payee, minutes, reason, occurred_on=day, channel=channel)
        except ValidationError:
            return None  # a limit said no: the broker would suggest earning some time first

    for n in range(160):
        day = start + timedelta(days=(n * 120) // 160)
        payer, payee = rng.sample(members, 2)
        reason, minutes = rng.choice(EXCHANGES)
        record(payer, payee, minutes, reason, day)
        if n % 6 == 0:  # tea at the café, paid in time
            record(rng.choice(members), cafe, 30, "Tea and cake at the Kettle Café", day)
        if n % 20 == 0:  # the memory café sessions the group runs
            record(rng.choice(members), group, 120, "Memory café session", day)
    for n in range(30):
        payer, payee = rng.sample(fern_members, 2)
        reason, minutes = rng.choice(EXCHANGES)
        record(payer, payee, minutes, reason, start + timedelta(days=n * 4))

    # The café passes the credits it earns to the community pot every month; a member gives a friend time.
    for month in range(4):
        try:
            services.donate(town.user("cafe"), cafe, 60, "The Kettle Café's monthly gift to the community pot",
                            occurred_on=start + timedelta(days=30 * month + 29))
        except ValidationError:
            pass
    services.donate(broker, members[3], 30, "A birthday gift of time", to=members[4], channel=Channel.PHONE)
    services.give_from_pot(broker, members[len(with_login)], 120, "Welcome credits for a new member")

    # Across the network: a Riverton member helped by someone from Fernside, and the other way round.
    services.transfer(broker, members[len(with_login) + 1], fern_members[0], 60, "Fixed a bicycle",
                      occurred_on=today - timedelta(days=10), channel=Channel.PHONE)
    services.transfer(fernside_broker, fern_members[2], members[2], 90, "Help moving house",
                      occurred_on=today - timedelta(days=5), channel=Channel.PAPER)

    # A broker typed 300 instead of 30: corrected by a reversing transfer, then recorded right.
    wrong = services.transfer(broker, members[5], members[6], 300, "Dog walking",
                              occurred_on=today - timedelta(days=2), channel=Channel.PAPER)
    services.reverse_transfer(broker, wrong, "Typed 300 instead of 30")
    services.transfer(broker, members[5], members[6], 30, "Dog walking", occurred_on=today - timedelta(days=2),
                      channel=Channel.PAPER)

    from . import codelivery_demo

    codelivery_demo.load(broker, riverton, members[len(with_login):] + members[:len(with_login)], cafe)
