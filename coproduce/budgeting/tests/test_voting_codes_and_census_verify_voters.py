"""Voters without a log-in verify with a one-time code from their letter (printed once, stored as a
salted hash) or against the census list (stored only as salted hashes)."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from coproduce.budgeting import services
from coproduce.budgeting.models import Ballot, CensusEntry, Process, VotingCode


def test_codes_are_printed_once_and_stored_hashed(pb, personas, client_as, phase, world):
    Process.objects.filter(pk=pb.process.pk).update(verification="codes")
    pb.process.refresh_from_db()
    client = client_as(personas["org_admin"])
    response = client.post(f"/budgeting/{pb.process.slug}/codes/", {"count": 5, "area": world.hood.pk})
    codes = response.context["codes"]
    assert len(codes) == 5 and response["Cache-Control"] == "no-store"
    stored = list(VotingCode.objects.values_list("digest", flat=True))
    assert len(stored) == 5 and not set(codes) & set(stored)
    assert all(code not in VotingCode.objects.values_list("digest", flat=True) for code in codes)
    phase(pb.process, "vote")
    # an anonymous voter with a Millbrook code votes in the city and in the North budget via the web form
    anon = client_as(None)
    url = f"/budgeting/{pb.process.slug}/budgets/{pb.north.pk}/vote/"
    response = anon.post(url, {"code": codes[0], "choices": [pb.proposals["North crossing"].pk]})
    assert response.status_code == 302, (response.context["voter_form"].errors, response.context["form"].errors)
    response = anon.post(url, {"code": codes[0], "choices": [pb.proposals["North crossing"].pk]})
    assert response.status_code == 302  # the same code again changes that ballot (one ballot stays)
    response = anon.post(url, {"code": "nope", "choices": [pb.proposals["North crossing"].pk]})
    assert "not known" in str(response.context["voter_form"].errors)
    assert Ballot.objects.count() == 1


def test_census_list_is_hashed_and_checks_area_and_age(pb, personas, client_as, phase):
    Process.objects.filter(pk=pb.process.pk).update(verification="census", min_age=16)
    pb.process.refresh_from_db()
    young = date.today().replace(year=date.today().year - 12).isoformat()
    text = f"id_number,birth_date,area\nAB123456,1980-02-03,millbrook\nCD999,{young},fernside\nEF1,not-a-date,\n"
    client = client_as(personas["org_admin"])
    response = client.post(f"/budgeting/{pb.process.slug}/census/", {"file": SimpleUploadedFile("c.csv", text.encode())})
    assert [line for line, _p in response.context["report"].errors] == [4]
    assert not CensusEntry.objects.exists()
    text = text.rsplit("EF1", 1)[0]
    client.post(f"/budgeting/{pb.process.slug}/census/", {"file": SimpleUploadedFile("c.csv", text.encode())})
    assert CensusEntry.objects.count() == 2
    assert "AB123456" not in str(list(CensusEntry.objects.values_list("digest", flat=True)))
    phase(pb.process, "vote")
    pb.city.process = pb.process
    anyone = AnonymousUser()
    skate = [pb.proposals["Skate park"].pk]
    services.cast_ballot(anyone, pb.city, choices=skate, census_id="ab 123456", census_birth=date(1980, 2, 3))
    with pytest.raises(ValidationError) as exc:
        services.cast_ballot(anyone, pb.city, choices=skate, census_id="CD999", census_birth=date.fromisoformat(young))
    assert "at least 16" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        services.cast_ballot(anyone, pb.city, choices=skate, census_id="AB123456", census_birth=date(1980, 2, 4))
    assert "could not find you" in str(exc.value)
    # the census voter may change their ballot like any voter
    services.cast_ballot(anyone, pb.city, choices=[pb.proposals["Benches by the river"].pk], census_id="AB123456",
                         census_birth=date(1980, 2, 3))
    assert Ballot.objects.count() == 1
