"""The campaign figures the database works out (GROUP BY, exact decimal sums, the two middle values for
the median) equal the pure engine run over every observation, on random data with awkward cases: one
place spelt several ways (two spellings at the same moment), values left out, whitespace-only text,
withdrawn observations, odd and even counts, numbers with many decimals. Runs on SQLite and PostgreSQL."""

import random
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from coproduce.assessment import monitoring_data, monitoring_totals
from coproduce.assessment import monitoring_services as monitoring
from coproduce.assessment.monitoring_models import Observation, ObservationValue, Volunteer

pytestmark = pytest.mark.django_db

PLACES = ["Mill weir", "mill  Weir", " MILL WEIR ", "Old bridge", "old bridge", "Ford", "Ford\u00a0lane", "Quay"]
TEXTS = ["fish seen", "", "  ", "\u3000", "\u2028 \x1c", "Foam", " x "]


def load(river, rng, n):
    count = monitoring.add_measure(river.bea, river.campaign, name="Cars", kind="count", required=False)
    volunteers = [river.carla] + [Volunteer.objects.create(campaign=river.campaign) for _ in range(4)]
    now = timezone.now()
    moments = [now - timedelta(minutes=rng.randrange(40 * 24 * 60)) for _ in range(max(1, n // 3))]
    observations = Observation.objects.bulk_create([
        Observation(campaign=river.campaign, volunteer=rng.choice(volunteers), location=rng.choice(PLACES),
                    observed_at=rng.choice(moments), minutes_spent=rng.choice([0, 15, 20, 45]),
                    status="withdrawn" if rng.random() < 0.1 else "recorded")
        for _ in range(n)])
    values = []
    for o in observations:
        if rng.random() < 0.9:
            values.append(ObservationValue(observation=o, measure=river.ph, value=monitoring.plain(
                Decimal(rng.randrange(0, 1400000)) / rng.choice([100, 1000, 100000]))))
        if rng.random() < 0.7:
            values.append(ObservationValue(observation=o, measure=river.temp, value=str(rng.randint(-5, 40))))
        if rng.random() < 0.8:
            values.append(ObservationValue(observation=o, measure=river.turbidity, value=rng.randrange(3)))
        if rng.random() < 0.6:
            values.append(ObservationValue(observation=o, measure=river.litter, value=rng.random() < 0.4))
        if rng.random() < 0.5:
            values.append(ObservationValue(observation=o, measure=river.notes, value=rng.choice(TEXTS)))
        if rng.random() < 0.5:
            values.append(ObservationValue(observation=o, measure=count, value=rng.randrange(60)))
    ObservationValue.objects.bulk_create(values)


@pytest.mark.parametrize("seed,n", [(1, 1), (2, 7), (3, 120), (4, 401)])
def test_database_totals_equal_the_engine(river, seed, n):
    load(river, random.Random(seed), n)
    measures = list(river.campaign.measures.all())
    spec = monitoring_data.specs(measures)
    expected = monitoring_data.engine_figures(spec, monitoring_data.observations_for(river.campaign, measures))
    assert monitoring_totals.figures(river.campaign, spec) == expected
    assert expected["observations"] == Observation.objects.filter(campaign=river.campaign, status="recorded").count()


def test_nothing_recorded_equals_the_engine(river):
    spec = monitoring_data.specs(list(river.campaign.measures.all()))
    assert monitoring_totals.figures(river.campaign, spec) == monitoring_data.engine_figures(spec, [])


def test_the_whitespace_list_is_what_str_strip_strips():
    assert set(monitoring_totals.WHITESPACE) == {chr(c) for c in range(0x110000) if chr(c).isspace()}
