"""Readings from CSV: a dry run lists every problem by line number; nothing is imported unless every
line is good."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from coproduce.outcomes import services

GOOD = "date,value,note\n2024-01-31,12.5,first month\n2024-02-29,13\n\n2024-03-31,14.25,\n"
BAD = "date,value\n2024-01-31,12.5\n31/02/2024,13\n2024-03-31,1.5e400\n2024-01-31,9\n2999-01-01,3\n2024-06-30,5\n"


def test_a_dry_run_changes_nothing_and_an_import_adds_every_row(personas, published, indicator_of):
    indicator = indicator_of(published)
    sam = personas["staff"]
    result = services.import_readings_csv(sam, indicator, GOOD, dry_run=True)
    assert result.ok and [(line, on) for line, on, _v, _n in result.rows] == [
        (2, date(2024, 1, 31)), (3, date(2024, 2, 29)), (5, date(2024, 3, 31))]
    assert indicator.readings.count() == 1
    result = services.import_readings_csv(sam, indicator, GOOD, dry_run=False)
    assert result.imported == 3 and indicator.readings.count() == 4
    indicator.refresh_from_db()
    assert indicator.first_reading_date == date(2024, 1, 31) and indicator.first_reading_value == Decimal("12.5")
    assert indicator.reading_count == 4


def test_errors_are_numbered_by_line_and_nothing_is_imported(personas, published, indicator_of):
    indicator = indicator_of(published)
    result = services.import_readings_csv(personas["staff"], indicator, BAD, dry_run=True)
    lines = [line for line, _message in result.errors]
    assert lines == [3, 4, 5, 6, 7], result.errors  # bad date, huge number, repeated date, future, existing
    assert "line 2" in result.errors[2][1]
    with pytest.raises(ValidationError) as excinfo:
        services.import_readings_csv(personas["staff"], indicator, BAD, dry_run=False)
    assert excinfo.value.message_dict["file"][0].startswith("Line 3")
    assert indicator.readings.count() == 1


def test_a_wrong_header_is_refused(personas, published, indicator_of):
    result = services.import_readings_csv(personas["staff"], indicator_of(published), "when,amount\n2024-01-31,3\n")
    assert result.errors and result.errors[0][0] == 1


def test_the_import_page_checks_then_imports_without_javascript(personas, published, indicator_of, client_as):
    indicator = indicator_of(published)
    client = client_as(personas["staff"])
    url = f"/outcomes/indicators/{indicator.pk}/import/"
    checked = client.post(url, {"text": BAD, "action": "check"})
    assert checked.status_code == 200 and b"Line 3" in checked.content and indicator.readings.count() == 1
    checked = client.post(url, {"text": GOOD, "action": "check"})
    assert b"3 readings are ready to import." in checked.content
    imported = client.post(url, {"text": GOOD, "action": "import"})
    assert imported.status_code == 302 and indicator.readings.count() == 4
    refused = client.post(url, {"text": GOOD, "action": "import"})  # the same dates again
    assert refused.status_code == 200 and indicator.readings.count() == 4
