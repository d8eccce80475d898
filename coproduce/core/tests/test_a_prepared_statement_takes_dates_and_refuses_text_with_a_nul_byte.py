"""`core.prepared` sends parameters as text: a `date` parameter arrives as that date, and text holding
a NUL byte (which libpq would cut short there) is refused whole with Django's `DataError` before
anything is sent, leaving the connection and the caller's transaction usable."""

from datetime import date

import pytest
from django.db import DataError, connection

from coproduce.core import prepared

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

NEXT_DAY = prepared.Statement("coproduce_test_prepared_next_day", "SELECT %(day)s + 1, length(%(note)s)",
                              {"day": "date", "note": "text"})


def test_a_date_parameter_is_read_as_that_date():
    assert prepared.execute(connection, NEXT_DAY, {"day": date(2026, 2, 28), "note": "leap"}) == [(date(2026, 3, 1), 4)]


def test_text_with_a_nul_byte_is_refused_whole_and_the_connection_stays_usable():
    with pytest.raises(DataError) as refused:
        prepared.execute(connection, NEXT_DAY, {"day": date(2026, 1, 1), "note": "Tea\x00 and cake"})
    assert "NUL" in str(refused.value)
    assert prepared.execute(connection, NEXT_DAY, {"day": date(2026, 1, 1), "note": "Tea and cake"}) == [
        (date(2026, 1, 2), 12)]
