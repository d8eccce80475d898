"""Co-design feeds outcome indicators with the number of people who took part in its labs."""

from datetime import timedelta

from django.utils import timezone

from coproduce.design import services
from coproduce.outcomes import metrics


def test_participants_are_counted_once_from_votes(conversation, personas, world):
    statements = list(conversation.statements.order_by("number"))
    for key in ("citizen", "broker", "other_org"):
        for statement in statements[:2]:
            services.cast_vote(personas[key], conversation, statement, 1)
    services.cast_vote(personas["citizen"], conversation, statements[0], -1)  # changing a vote: same person

    today = timezone.localdate()
    period = (today, today + timedelta(days=1))
    assert metrics.compute("design.participants", world.service, *period) == 3
    assert metrics.compute("design.participants", world.council, *period) == 3  # the council includes its services
    assert metrics.compute("design.participants", world.group, *period) == 0
    assert metrics.compute("design.participants", world.service, today - timedelta(days=9), today) == 0
