"""The co-design part of the Riverton demo: Adult Social Care's lab "Dementia support in Riverton".

A conversation with seed statements and votes from the demo citizens (two opinion groups: people who
value groups and going out, and people who would rather have support at home – with some views every
group shares), a statement waiting for moderation, free-text feedback grouped into themes, an insight
that cites statements, groups and a theme, and a published decision. Everything goes through the
services; citizens with a login vote as themselves, staff enter the votes of assisted citizens from
paper forms on their behalf.
"""

import random

from coproduce.core.audit import Channel

from . import services
from .models import Conversation, Feedback, Lab, Participant

# (statement, how group A votes, how group B votes) – 1 agree, -1 disagree, 0 pass
STATEMENTS = [
    ("Carers need a break: respite should be easy to book at short notice.", 1, 1),
    ("Information about dementia support in Riverton is hard to find.", 1, 1),
    ("Memory cafés and day groups are the best way to stay connected.", 1, -1),
    ("I would rather have support at home than go to a group.", -1, 1),
    ("Support should be available in the evenings and at weekends.", 1, 0),
    ("A single named contact would help more than a website.", 0, 1),
    ("Volunteers from the timebank could sit with the person I care for.", 1, -1),
    ("Paid carers change too often to build trust.", -1, 1),
    ("Transport to groups is the main barrier to going.", 1, -1),
    ("Carers should get training in what to expect as dementia progresses.", 1, 1),
    ("Video calls and apps help us keep in touch with services.", 1, -1),
    ("The council should fund more specialist dementia nurses.", 1, 1),
]
FEEDBACK = [
    (Feedback.Kind.STORY, "I could not get respite for my husband when I went into hospital; nobody could book it "
                          "at short notice."),
    (Feedback.Kind.STORY, "Booking respite took three weeks and four phone calls. Short notice respite is "
                          "impossible."),
    (Feedback.Kind.WORKSHOP, "Several carers said respite booking should be quicker, with short notice respite "
                             "for emergencies."),
    (Feedback.Kind.SURVEY, "Respite care saved my health, but booking respite is far too slow."),
    (Feedback.Kind.STORY, "The bus to the memory café stopped running, so we stopped going. Transport is the "
                          "problem."),
    (Feedback.Kind.WORKSHOP, "Transport to day groups came up again and again: no bus, no lift, no taxi money."),
    (Feedback.Kind.SURVEY, "A community transport minibus to the groups would make all the difference."),
    (Feedback.Kind.IDEA, "Share lifts to the memory café through the timebank; transport is the barrier."),
    (Feedback.Kind.SURVEY, "I never know who to call. Information about services is spread over many websites."),
    (Feedback.Kind.STORY, "We found out about the carers' allowance by chance. Information should come to us."),
    (Feedback.Kind.IDEA, "One leaflet with all the information, given out at diagnosis."),
    (Feedback.Kind.WORKSHOP, "People asked for clear information at diagnosis and one number to call."),
]


def load(town) -> Lab:
    rng = random.Random(2026)
    staff = town.user("staff")
    care = town.organisations["Adult Social Care"]
    lab = services.create_lab(
        staff, care, title="Dementia support in Riverton", channel=Channel.SYSTEM,
        challenge="How should Riverton support people living with dementia, and the family and friends who "
                  "care for them, at home and in the community?",
        target_users="People living with dementia and the family and friends who care for them",
    )
    conversation = services.create_conversation(
        staff, lab, title="What would make dementia support in Riverton better?",
        question="Vote on each statement, and add what is missing.", moderation=Conversation.Moderation.PRE,
        anonymous_allowed=True, channel=Channel.SYSTEM,
    )
    # Bulk load: hold back the analysis until every vote is in, then compute it once.
    Conversation.objects.filter(pk=conversation.pk).update(analysis_pending=True)
    conversation.analysis_pending = True
    seeds = [services.add_seed_statement(staff, conversation, text, channel=Channel.SYSTEM)
             for text, _a, _b in STATEMENTS]

    for i, person in enumerate(town.citizens):
        if i % 11 == 10:
            continue  # not everyone takes part
        group = 1 if i % 3 == 0 else 0
        votes = {}
        for statement, (_text, a, b) in zip(seeds, STATEMENTS, strict=True):
            if rng.random() < 0.12:
                continue  # skipped this one
            value = (a, b)[group]
            if rng.random() < 0.15:
                value = rng.choice([1, 0, -1])
            votes[statement.number] = value
        if person.user_id is not None:
            for number, value in votes.items():
                services.cast_vote(person.user, conversation, number, value, channel=Channel.WEB)
        else:
            services.record_votes(staff, conversation, votes, person=person, channel=Channel.PAPER)

    # the optional question behind the map's "who is in each group" (carers lean to the first group)
    carer = services.add_question(staff, conversation, "Do you care for someone living with dementia?",
                                  ["Yes", "No", "I would rather not say"], channel=Channel.SYSTEM)
    for i, person in enumerate(town.citizens):
        if person.user_id is not None and i % 11 != 10 and rng.random() < 0.8:
            choice = 0 if (i % 3 != 0) == (rng.random() < 0.75) else 1
            services.answer_question(person.user, carer, 2 if rng.random() < 0.1 else choice, channel=Channel.WEB)
        elif person.user_id is None and Participant.objects.filter(conversation=conversation, person=person).exists():
            # the same paper form as their votes: staff type the answer in on their behalf
            services.record_answers(staff, conversation, {carer.pk: 0 if i % 3 else 1}, person=person,
                                    channel=Channel.PAPER)

    writer = next(p for p in town.citizens if p.user_id is not None)
    waiting = services.submit_statement(writer.user, conversation,
                                        "Carers' own health checks should be part of the support plan.")
    services.moderate_statement(staff, waiting, accept=True)
    other = [p for p in town.citizens if p.user_id is not None][1]
    services.submit_statement(other.user, conversation, "Day centres should open on Saturdays too.")

    Conversation.objects.filter(pk=conversation.pk).update(analysis_pending=False)
    analysis = services.compute_analysis(conversation)

    # citizens with a login write their own stories and ideas; staff record the rest, said at a workshop
    # or on paper by assisted citizens they support, on their behalf and with their agreement
    assisted = [p for p in town.citizens if p.user_id is None]
    for n, (kind, text) in enumerate(FEEDBACK):
        person = town.citizens[(n * 7) % len(town.citizens)]
        if person.user_id is not None and kind in (Feedback.Kind.STORY, Feedback.Kind.IDEA):
            services.add_feedback(person.user, lab, kind=kind, text=text, channel=Channel.WEB)
        else:
            services.add_feedback(staff, lab, kind=kind, text=text, person=assisted[n % len(assisted)], consent=True,
                                  channel=Channel.IN_PERSON if kind == Feedback.Kind.WORKSHOP else Channel.PAPER)
    themes = services.store_themes(lab)
    respite_item = lab.feedback.order_by("pk").first()
    respite_theme = next((t for t in themes if t.items.filter(pk=respite_item.pk).exists()), None)
    if respite_theme is not None:
        services.rename_theme(staff, respite_theme, "Respite at short notice", channel=Channel.SYSTEM)

    groups = [(conversation, g) for g in range(analysis.group_count)]
    insight = services.create_insight(
        staff, lab, title="Every group wants respite that can be booked at short notice",
        body="Whether they value groups or support at home, carers agree that respite is too hard to book, "
             "and stories from the workshops say the same.",
        statements=[seeds[0], seeds[9]], themes=[respite_theme] if respite_theme else [], groups=groups,
        channel=Channel.SYSTEM,
    )
    decision = services.create_decision(
        staff, lab, title="Respite bookable within 48 hours through one named contact",
        body="From April, carers can book respite through their named contact, who confirms within 48 hours. "
             "We will test this in North Riverton first.",
        insights=[insight], channel=Channel.SYSTEM,
    )
    services.set_stage(staff, lab, Lab.Stage.DECIDE, channel=Channel.SYSTEM)
    services.publish_decision(staff, decision, channel=Channel.SYSTEM)
    services.set_stage(staff, lab, Lab.Stage.TEST, channel=Channel.SYSTEM)
    return lab
