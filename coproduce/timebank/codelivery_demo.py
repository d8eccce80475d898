"""The co-delivery part of the timebank demo: offers and requests, availability and an opt-out,
references and a safeguarding check, and an exchange in every state (called by `demo.load`)."""

from datetime import date, time, timedelta

from django.utils import timezone

from coproduce.core.audit import Channel

from . import exchanges, postings, trust
from .models import Category


def load(broker, bank, members, cafe) -> None:
    cat = {c.slug: c.pk for c in Category.objects.for_bank(bank)}
    now, today = timezone.now(), timezone.localdate()
    a, b, c, d, e, f = members[:6]
    for member, slug, text in [(a, "gardening", "Weeding, mowing and pruning"),
                               (b, "digital", "Setting up phones, tablets and video calls"),
                               (c, "lifts", "Lifts in my car on weekday mornings"),
                               (d, "cooking", "Batch cooking and baking"),
                               (e, "gardening", "Vegetable beds and planting"),
                               (f, "befriending", "A cup of tea and a chat at home")]:
        postings.create_offer(broker, member, category=cat[slug], description=text, channel=Channel.IN_PERSON)
    postings.create_offer(broker, cafe, category=cat["space"], description="Our back room for group activities")
    trust.set_availability(broker, a, [(5, time(9), time(13)), (6, time(10), time(16))], channel=Channel.PHONE)
    trust.set_availability(broker, c, [(day, time(8), time(12)) for day in range(5)], channel=Channel.PHONE)
    trust.add_opt_out(broker, e, starts_on=today, ends_on=today + timedelta(days=14), reason="On holiday")
    trust.record_reference(broker, f, referee_name="Revd. Jane Holt", referee_contact="01632 960111",
                           requested_on=today - timedelta(days=30), received_on=today - timedelta(days=20),
                           honesty="yes", reliability="yes", team_working="unknown", getting_on="yes",
                           notes="Has visited older parishioners for years.")
    trust.record_reference(broker, c, referee_name="Sam Patel", requested_on=today - timedelta(days=10))
    # Hospital lifts are sensitive: the driver needs a reference before a broker can match them.
    trust.record_reference(broker, c, referee_name="Dr. Ruth Amos", requested_on=today - timedelta(days=40),
                           received_on=today - timedelta(days=33), honesty="yes", reliability="yes",
                           team_working="yes", getting_on="yes")
    trust.record_check(broker, f, kind="dbs_enhanced", reference_number="001234567890",
                       issued_on=date(today.year - 1, 3, 1), expires_on=date(today.year + 2, 3, 1),
                       covers_vulnerable_adults=True)
    trust.add_note(broker, f, "Prefers visits in the afternoon; hard of hearing on the phone, call twice.")

    def request(member, slug, text, days, **kw):
        return postings.create_request(broker, member, category=cat[slug], description=text,
                                       starts_at=now + timedelta(days=days), channel=Channel.PHONE, **kw)

    # One exchange in each state.
    request(b, "gardening", "Help clearing an overgrown garden", 6)  # waiting: in the queue and digest
    asked = postings.create_offer(broker, d, category=cat["errands"], description="Collecting prescriptions")
    exchanges.ask_for_offer(broker, asked, e, minutes=30)  # requested
    exchanges.match(broker, request(d, "digital", "Learning video calls with my grandchildren", 3), [b])  # matched
    scheduled = exchanges.match(broker, request(e, "lifts", "A lift to the hospital for a check-up", 4,
                                                sensitive=True), [c])
    exchanges.schedule(broker, scheduled, starts_at=now + timedelta(days=4), place="public",
                       place_detail="Outside the library")
    exchanges.add_expense(broker, scheduled, what="Hospital car park", estimated_amount="4.50",
                          agreed_by="Both members, by phone")
    past = now - timedelta(days=2)
    for members_pair, text in [((a, e), "Mowing the lawn"), ((c, a), "A lift to the shops"),
                               ((b, f), "Setting up a new phone")]:
        done = exchanges.match(broker, request(members_pair[1], "gardening" if "lawn" in text else
                                               "lifts" if "lift" in text else "digital", text, -2),
                               [members_pair[0]])
        exchanges.schedule(broker, done, starts_at=past, place="recipient_home")
        exchanges.mark_done(broker, done)
        if "lawn" in text:
            continue  # done: waiting for both to confirm
        exchanges.confirm(broker, done, member=members_pair[0])
        if "lift" in text:
            continue  # one side confirmed
        exchanges.confirm(broker, done, member=members_pair[1])  # credited
    cancelled = exchanges.match(broker, request(f, "cooking", "A meal cooked on Sunday", 8), [d])
    exchanges.cancel(broker, cancelled, "The member went into hospital", channel=Channel.PHONE)
