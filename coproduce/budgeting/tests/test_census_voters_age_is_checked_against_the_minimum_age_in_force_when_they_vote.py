"""A census voter's age is worked out from the date of birth they give, against the minimum age in
force when they vote, not when the list was loaded: lowering the minimum age (allowed before the vote)
lets a 12-year-old on the list vote, and raising it turns away someone who was old enough before."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from coproduce.budgeting import services
from coproduce.budgeting.models import Ballot, Process


def _years_ago(years: int) -> date:
    today = date.today()
    return today.replace(year=today.year - years, day=min(today.day, 28))


def test_minimum_age_changed_after_the_list_was_loaded(pb, personas, phase):
    Process.objects.filter(pk=pb.process.pk).update(verification="census", min_age=16)
    pb.process.refresh_from_db()
    twelve, seventeen = _years_ago(12), _years_ago(17)
    report = services.load_census(personas["org_admin"], pb.process,
                                  f"id_number,birth_date,area\nYOUNG1,{twelve},millbrook\nTEEN1,{seventeen},millbrook\n")
    assert not report.errors
    Process.objects.filter(pk=pb.process.pk).update(min_age=11)  # a youth vote after all
    pb.process.refresh_from_db()
    phase(pb.process, "vote")
    pb.process.refresh_from_db()
    assert pb.process.min_age == 11
    pb.city.process = pb.process
    skate = [pb.proposals["Skate park"].pk]
    services.cast_ballot(AnonymousUser(), pb.city, choices=skate, census_id="YOUNG1", census_birth=twelve)
    assert Ballot.objects.count() == 1
    Process.objects.filter(pk=pb.process.pk).update(min_age=18)
    pb.process.refresh_from_db()
    pb.city.process = pb.process
    with pytest.raises(ValidationError) as refused:
        services.cast_ballot(AnonymousUser(), pb.city, choices=skate, census_id="TEEN1", census_birth=seventeen)
    assert "at least 18" in str(refused.value)
    assert Ballot.objects.count() == 1
