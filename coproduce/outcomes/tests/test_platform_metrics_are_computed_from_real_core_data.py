"""Platform metrics run real queries over core data made through the core services; unknown keys and
float results fail clearly; `coproduce outcomes refresh` feeds metric indicators once a month."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from coproduce.core import services as core
from coproduce.core.models import Membership
from coproduce.outcomes import metrics, services
from coproduce.outcomes.models import Reading

TODAY = timezone.localdate()
TOMORROW = TODAY + timedelta(days=1)
LONG_AGO = date(2000, 1, 1)


def test_people_registered_on_behalf_count_the_organisation_and_its_parts(personas, world):
    sam = personas["staff"]
    for name in ("Nell", "Olu", "Pia"):
        core.register_person(sam, world.service, consent=True, name=name)
    core.register_person(personas["broker"], world.group, consent=True, name="Quin")
    compute = metrics.compute
    assert compute("core.people_registered_on_behalf", world.service, TODAY, TOMORROW) == 3
    assert compute("core.people_registered_on_behalf", world.council, TODAY, TOMORROW) == 3  # Social Care is part
    assert compute("core.people_registered_on_behalf", world.group, TODAY, TOMORROW) == 1
    assert compute("core.people_registered_on_behalf", world.other_group, TODAY, TOMORROW) == 0
    assert compute("core.people_registered_on_behalf", world.service, LONG_AGO, TODAY) == 0  # before: none


def test_members_and_new_memberships(personas, world):
    admin = personas["platform_admin"]
    # Carla is already a member of the timebank (the personas fixture); add two more through services.
    nell = core.register_person(personas["broker"], world.group, consent=True, name="Nell")  # member on registering
    olu = core.register_person(personas["staff"], world.service, consent=True, name="Olu")
    core.add_membership(admin, olu, world.group, "member")
    core.add_membership(admin, personas["staff"].person, world.group, "inspector")  # not a member role
    assert metrics.compute("core.active_members", world.group, TODAY, TOMORROW) == 3
    assert metrics.compute("core.new_memberships", world.group, TODAY, TOMORROW) == 3
    core.erase_person(admin, nell)
    assert metrics.compute("core.active_members", world.group, TODAY, TOMORROW) == 2
    # Memberships made before a period count as members in it but not as new in it.
    Membership.objects.filter(organisation=world.group).update(
        created_at=timezone.make_aware(datetime(2024, 3, 15)))
    assert metrics.compute("core.active_members", world.group, date(2024, 4, 1), date(2024, 5, 1)) == 2
    assert metrics.compute("core.new_memberships", world.group, date(2024, 4, 1), date(2024, 5, 1)) == 0
    assert metrics.compute("core.new_memberships", world.group, date(2024, 3, 1), date(2024, 4, 1)) == 3
    assert metrics.compute("core.active_members", world.group, date(2024, 2, 1), date(2024, 3, 1)) == 0


def test_unknown_metric_keys_fail_clearly(world):
    with pytest.raises(metrics.UnknownMetric) as excinfo:
        metrics.compute("timebank.hours_exchanged_typo", world.group, TODAY, TOMORROW)
    message = str(excinfo.value)
    assert "timebank.hours_exchanged_typo" in message and "core.active_members" in message


def test_an_indicator_cannot_name_an_unknown_metric(personas, draft):
    from django.core.exceptions import ValidationError

    outcome = draft.outcomes.first()
    with pytest.raises(ValidationError) as excinfo:
        services.create_indicator(personas["org_admin"], outcome, title="Hours", unit="hours", source="metric",
                                  metric_key="nope.nothing")
    assert "metric_key" in excinfo.value.message_dict


def test_metrics_must_return_int_or_decimal_and_keys_are_registered_once(world):
    metrics.register("test.floaty", "Floaty", lambda org, start, end: 1.5, replace=True)
    try:
        with pytest.raises(TypeError):
            metrics.compute("test.floaty", world.group, TODAY, TOMORROW)
        with pytest.raises(ValueError):
            metrics.register("test.floaty", "Again", lambda org, start, end: 1)
        with pytest.raises(ValueError):
            metrics.register("test.kind", "Bad kind", lambda org, start, end: 1, kind="furlongs")
    finally:
        metrics.unregister("test.floaty")


def test_monthly_refresh_writes_one_reading_per_metric_indicator(personas, world, published, indicator_of):
    indicator = indicator_of(published)
    admin = personas["platform_admin"]
    for name in ("Nell", "Olu", "Pia", "Quin"):
        person = core.register_person(personas["staff"], world.service, consent=True, name=name)
    Membership.objects.filter(organisation=world.service).update(
        created_at=timezone.make_aware(datetime(2024, 2, 10)))
    core.add_membership(admin, person, world.council, "member")  # joins later: not in February
    call_command("outcomes", "refresh", "--month", "2024-02")
    reading = Reading.objects.get(indicator=indicator, on=date(2024, 2, 29))
    assert reading.value == Decimal(4) and reading.source == "metric"
    # Idempotent: running it again replaces the month's reading rather than adding one.
    core.add_membership(admin, personas["citizen"].person, world.service, "member")
    Membership.objects.filter(organisation=world.service, person=personas["citizen"].person).update(
        created_at=timezone.make_aware(datetime(2024, 2, 20)))
    call_command("outcomes", "refresh", "--month", "2024-02")
    assert Reading.objects.get(indicator=indicator, on=date(2024, 2, 29)).value == Decimal(5)
    assert indicator.readings.count() == 2  # the manual June reading and February's
    indicator.refresh_from_db()
    assert indicator.first_reading_date == date(2024, 2, 29) and indicator.latest_reading_date == date(2024, 6, 30)


def test_the_current_month_is_refreshed_to_date_and_replaced_later(personas, world, published, indicator_of):
    from django.core.management.base import CommandError

    indicator = indicator_of(published)
    call_command("outcomes", "refresh", "--month", TODAY.strftime("%Y-%m"))
    reading = Reading.objects.get(indicator=indicator, source="metric")
    assert reading.on == TODAY and reading.value == 0  # nobody is a member of Social Care yet
    core.register_person(personas["staff"], world.service, consent=True, name="Nell")
    services.refresh_metric_readings(None, month=TODAY)
    assert Reading.objects.get(indicator=indicator, source="metric").value == 1
    next_month = (TODAY.replace(day=1) + timedelta(days=32)).strftime("%Y-%m")
    with pytest.raises(CommandError):
        call_command("outcomes", "refresh", "--month", next_month)
