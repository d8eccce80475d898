"""Riverton's part of the demo: "Riverton Decides", a participatory budget with a city-wide and three
district budgets, proposals (some received on paper and by phone), offers to help, ballots from demo
citizens and paper ballots from a stall, and the counted results; plus a priority-setting exercise
("Where should savings fall?") with its results by area and age group.

Everything goes through the services, so the audit log tells the story.
"""

import random
from datetime import timedelta

from django.utils import timezone

from coproduce.core.audit import Channel

from . import services
from .models import Pledge, Process, Tally

CITY_PROPOSALS = [
    ("Riverside walking trail with benches", 9_000_000, "Parks and green spaces"),
    ("Free Wi-Fi and laptops in every library", 6_000_000, "Libraries and learning"),
    ("Youth music studio at the Old Quay", 7_500_000, "Young people"),
    ("Dementia-friendly town centre signs", 2_500_000, "Dementia and carers"),
    ("Safer crossings near schools", 8_000_000, "Safer streets"),
    ("Community fridge network", 1_500_000, "Loneliness"),
]
DISTRICT_PROPOSALS = {
    "North Riverton": [("Millbrook play park renewal", 3_000_000), ("Kiln Lane community garden", 1_200_000),
                       ("Hawthorn Park lighting", 1_800_000)],
    "Central Riverton": [("Market Square seating and shade", 2_200_000), ("St Anne's repair café", 800_000),
                         ("Old Quay bike racks", 600_000)],
    "South Riverton": [("Fernside street lights", 2_600_000), ("Wharf End allotments", 1_400_000),
                       ("Greenhill youth shelter", 900_000)],
}
SAVINGS_OPTIONS = ["Reduce library opening hours", "Fewer grass cuts in parks", "Raise parking charges",
                   "Merge back-office teams", "Switch street lights off after midnight"]


def load(town) -> None:
    rng = random.Random(7)
    commissioner = town.user("commissioner")
    citizens = [p for p in town.citizens if p.user_id is not None]
    assisted = [p for p in town.citizens if p.user_id is None]

    process = services.create_process(
        commissioner, town.council, title="Riverton Decides 2026", channel=Channel.SYSTEM,
        description="£500,000 for ideas from Riverton's residents: £300,000 for the whole town and £200,000 "
                    "shared between the three districts. Propose, offer to help, then vote.",
        method=Process.Method.APPROVAL, min_choices=1, max_choices=3, rule=Process.Rule.MES,
        completion=Process.Completion.ADD1, district_rule=Process.DistrictRule.OWN_PLUS_ONE,
        pledges_reduce_cost=True,
    )
    services.set_phase(commissioner, process, "collect", channel=Channel.SYSTEM)
    city_budget = services.add_budget(commissioner, process, name="Whole town", amount=30_000_000,
                                      channel=Channel.SYSTEM)
    district_budgets = {}
    for name, area in town.districts.items():
        district_budgets[name] = services.add_budget(commissioner, process, name=name, area=area,
                                                     amount=6_000_000 if name != "Central Riverton" else 8_000_000,
                                                     channel=Channel.SYSTEM)

    proposals = []
    for i, (title, cost, topic) in enumerate(CITY_PROPOSALS):
        author = citizens[i % len(citizens)]
        if i % 3 == 2:  # received on paper at the library, entered by staff for the proposer
            p = services.submit_proposal(commissioner, process, title=title, category=town.topics[topic],
                                         cost_estimate=cost, on_behalf_of=assisted[i % len(assisted)],
                                         channel=Channel.PAPER)
        else:
            p = services.submit_proposal(author.user, process, title=title, category=town.topics[topic],
                                         cost_estimate=cost)
        proposals.append(p)
    for district, items in DISTRICT_PROPOSALS.items():
        hoods = [town.neighbourhoods[h] for h in _hoods_of(town, district)]
        for j, (title, cost) in enumerate(items):
            area = hoods[j % len(hoods)]
            if j == 1:
                p = services.submit_proposal(commissioner, process, title=title, area=area, cost_estimate=cost,
                                             on_behalf_of=assisted[j % len(assisted)], channel=Channel.PHONE)
            else:
                author = next(c for c in citizens if c.home_area_id == area.pk) if any(
                    c.home_area_id == area.pk for c in citizens) else citizens[0]
                p = services.submit_proposal(author.user, process, title=title, area=area, cost_estimate=cost)
            proposals.append(p)
    dup = services.submit_proposal(citizens[5].user, process, title="Lights for Fernside streets",
                                   area=town.neighbourhoods["Fernside"], cost_estimate=2_000_000)
    gym = services.submit_proposal(citizens[6].user, process, title="Outdoor gym by the station",
                                   cost_estimate=3_500_000)
    services.withdraw_proposal(citizens[6].user, gym, reason="A local sports club will build it with its own grant.")
    for c in citizens[:12]:
        services.toggle_support(c.user, proposals[rng.randrange(len(proposals))])
        services.add_comment(c.user, proposals[rng.randrange(len(proposals))],
                             body=rng.choice(["Yes please!", "This would help my family.", "Could it be cheaper?"]))

    services.set_phase(commissioner, process, "review", channel=Channel.SYSTEM)
    for p in proposals:
        feasible = p.title != "Free Wi-Fi and laptops in every library"
        services.review_proposal(
            commissioner, p, feasible=feasible, channel=Channel.SYSTEM,
            reason="Checked with the service: it can be done within a year." if feasible
            else "The library service is already funding this from its own budget next year.",
        )
    fernside = next(p for p in proposals if p.title == "Fernside street lights")
    services.merge_proposals(commissioner, dup, fernside, reason="The same idea as “Fernside street lights”.",
                             channel=Channel.SYSTEM)
    trail = proposals[0]
    services.make_pledge(town.user("commissioner"), trail, kind=Pledge.Kind.HOURS, minutes=40 * 60,
                         description="Volunteer days to plant along the trail.", channel=Channel.SYSTEM)
    services.make_pledge(citizens[1].user, trail, kind=Pledge.Kind.MONEY, amount=50_000,
                         description="Co-financing for one bench.")
    services.make_pledge(citizens[2].user, proposals[5], kind=Pledge.Kind.SKILLS,
                         description="Food hygiene certificate; can train volunteers.")
    services.make_pledge(town.user("cafe"), proposals[5], kind=Pledge.Kind.MATERIALS,
                         description="A fridge and weekly surplus food from the café.")

    services.set_phase(commissioner, process, "vote", channel=Channel.SYSTEM)
    on_ballot = {b.pk: list(b.proposals.filter(status="feasible").values_list("pk", flat=True))
                 for b in [city_budget, *district_budgets.values()]}
    for citizen in citizens:
        user = citizen.user
        services.cast_ballot(user, city_budget, choices=rng.sample(on_ballot[city_budget.pk], k=rng.randint(1, 3)))
        district = _district_of(town, citizen.home_area)
        if district is not None:
            budget = district_budgets[district]
            services.cast_ballot(user, budget, choices=rng.sample(on_ballot[budget.pk], k=rng.randint(1, 2)))
    for _ in range(12):  # paper ballots from the stall at the market
        services.enter_paper_ballot(commissioner, city_budget,
                                    choices=rng.sample(on_ballot[city_budget.pk], k=rng.randint(1, 3)))
    services.set_phase(commissioner, process, "results", channel=Channel.SYSTEM)
    _count_now(process)
    now = timezone.now()
    services.update_process(
        commissioner, process, channel=Channel.SYSTEM, collect_starts=now - timedelta(days=90),
        review_starts=now - timedelta(days=60), vote_starts=now - timedelta(days=30),
        vote_ends=now - timedelta(days=1),
    )

    priorities = services.create_process(
        commissioner, town.council, title="Where should savings fall?", kind=Process.Kind.PRIORITIES,
        channel=Channel.SYSTEM, method=Process.Method.RANKED, min_choices=1, max_choices=3, min_age=11,
        description="The council must save £2m next year. Rank the three options you would choose first.",
    )
    for title in SAVINGS_OPTIONS:
        services.add_option(commissioner, priorities, title=title, channel=Channel.SYSTEM)
    services.set_phase(commissioner, priorities, "vote", channel=Channel.SYSTEM)
    budget = priorities.budgets.get()
    options = list(budget.proposals.values_list("pk", flat=True))
    for citizen in citizens:
        services.cast_ballot(citizen.user, budget, choices=rng.sample(options, k=3))
    services.set_phase(commissioner, priorities, "results", channel=Channel.SYSTEM)
    _count_now(priorities)


def _count_now(process) -> None:
    """The demo shows results at once, without waiting for `coproduce worker`."""
    for tally in Tally.objects.filter(process=process, status=Tally.Status.PENDING):
        services.compute_tally(tally.pk)


def _hoods_of(town, district_name):
    from coproduce.core.demo import DISTRICTS

    return DISTRICTS[district_name]


def _district_of(town, area):
    if area is None:
        return None
    for name, district in town.districts.items():
        if district.contains(area):
            return name
    return None
