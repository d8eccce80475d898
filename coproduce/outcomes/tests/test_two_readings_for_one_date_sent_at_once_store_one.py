"""Two people record a reading for the same indicator and date at the same moment: one reading is
stored and the other is refused on its date field, as when they come one after the other (not a
server error from the database's unique constraint)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from coproduce.outcomes import services
from coproduce.outcomes.models import Reading
from coproduce.testing import at_once

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrent connections"),
]


def test_one_of_two_simultaneous_readings_is_stored(personas, draft, indicator_of):
    ada = personas["org_admin"]
    indicator = indicator_of(draft)

    def record(i):
        try:
            services.record_reading(ada, indicator, on=date(2025, 3, 31), value=Decimal(20 + i))
            return "stored"
        except ValidationError as refused:
            return refused.message_dict

    for _round in range(3):
        Reading.objects.filter(indicator=indicator).delete()
        results = at_once(record, 4)
        assert results.count("stored") == 1
        assert [r for r in results if r != "stored"] == [{"on": ["There is already a reading for this date."]}] * 3
        assert Reading.objects.filter(indicator=indicator).count() == 1
