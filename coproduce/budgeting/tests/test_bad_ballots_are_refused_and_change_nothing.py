"""Bad ballots are refused with a clear error next to the right field, and nothing is written:
no ballot, no audit entry, no code marked as used."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from coproduce.budgeting import services
from coproduce.budgeting.models import Ballot, Process
from coproduce.core.models import AuditEntry


def refused(call, field, text):
    before = (Ballot.objects.count(), AuditEntry.objects.filter(action__startswith="ballot.").count())
    with pytest.raises(ValidationError) as exc:
        call()
    assert field in exc.value.message_dict, exc.value.message_dict
    assert text in " ".join(exc.value.message_dict[field]), exc.value.message_dict
    assert (Ballot.objects.count(), AuditEntry.objects.filter(action__startswith="ballot.").count()) == before


@pytest.fixture
def voting(pb, phase):
    phase(pb.process, "vote")
    return pb


def test_too_many_and_too_few_choices(voting, personas):
    p = voting.proposals
    carla = personas["citizen"]
    many = [p[t].pk for t in ("Benches by the river", "Library late opening", "Skate park")]
    # the fixture allows 1 to 3 choices
    refused(lambda: services.cast_ballot(carla, voting.city, choices=[]), "choices", "at least 1")
    Process.objects.filter(pk=voting.process.pk).update(max_choices=2)
    voting.city.process.refresh_from_db()
    refused(lambda: services.cast_ballot(carla, voting.city, choices=many), "choices", "at most 2")


def test_unknown_or_foreign_project(voting, personas):
    carla = personas["citizen"]
    refused(lambda: services.cast_ballot(carla, voting.city, choices=[999999]), "choices", "Unknown project")
    north_only = voting.proposals["North crossing"].pk  # on the North ballot, not the city one
    refused(lambda: services.cast_ballot(carla, voting.city, choices=[north_only]), "choices", "Unknown project")
    refused(lambda: services.cast_ballot(carla, voting.city, choices=["x"]), "choices", "Unknown project")
    b = voting.proposals["Skate park"].pk
    refused(lambda: services.cast_ballot(carla, voting.city, choices=[b, b]), "choices", "only once")


def test_over_budget_and_below_minimum_spend(voting, personas):
    Process.objects.filter(pk=voting.process.pk).update(method="cost_approval", min_spend_percent=50)
    voting.city.process.refresh_from_db()
    p = voting.proposals
    carla = personas["citizen"]
    over = [p["Library late opening"].pk, p["Skate park"].pk]  # 600 + 500 > 1000
    refused(lambda: services.cast_ballot(carla, voting.city, choices=over), "choices", "more than the budget")
    refused(lambda: services.cast_ballot(carla, voting.city, choices=[p["Benches by the river"].pk]),
            "choices", "at least 50%")
    services.cast_ballot(carla, voting.city, choices=[p["Benches by the river"].pk, p["Skate park"].pk])
    assert Ballot.objects.count() == 1


def test_before_opening_and_after_close(pb, personas, phase):
    choice = [pb.proposals["Skate park"].pk]
    refused(lambda: services.cast_ballot(personas["citizen"], pb.city, choices=choice), "budget", "cannot be done now")
    phase(pb.process, "results")
    refused(lambda: services.cast_ballot(personas["citizen"], pb.city, choices=choice), "budget", "cannot be done now")


def test_wrong_area_and_missing_home_area(voting, personas, world):
    carla = personas["citizen"]
    fernside = [voting.proposals["Fernside lights"].pk]
    refused(lambda: services.cast_ballot(carla, voting.south, choices=fernside), "voter", "own district")
    sam = personas["staff"]  # no home area on his profile
    refused(lambda: services.cast_ballot(sam, voting.city, choices=[voting.proposals["Skate park"].pk]),
            "voter", "home area")
    from coproduce.core.models import Area

    elsewhere = Area.objects.create(name="Elsewhere", slug="elsewhere", kind="city", path="/999/")
    sam.person.home_area = elsewhere
    sam.person.save()
    sam.__dict__.pop("_coproduce_person", None)
    refused(lambda: services.cast_ballot(sam, voting.city, choices=[voting.proposals["Skate park"].pk]),
            "voter", "people living in Testville")


def test_too_young(voting, personas):
    Process.objects.filter(pk=voting.process.pk).update(min_age=16)
    voting.city.process.refresh_from_db()
    carla = personas["citizen"]
    carla.person.birth_date = date.today().replace(year=date.today().year - 14)
    carla.person.save()
    carla.__dict__.pop("_coproduce_person", None)
    refused(lambda: services.cast_ballot(carla, voting.city, choices=[voting.proposals["Skate park"].pk]),
            "voter", "at least 16")


def test_anonymous_without_login_is_refused(voting, client_as):
    from django.contrib.auth.models import AnonymousUser

    refused(lambda: services.cast_ballot(AnonymousUser(), voting.city, choices=[voting.proposals["Skate park"].pk]),
            "voter", "Log in")


def test_unknown_and_empty_codes(voting, personas):
    admin = personas["org_admin"]
    Process.objects.filter(pk=voting.process.pk).update(verification="codes")
    voting.process.refresh_from_db()
    voting.city.process = voting.process
    from django.contrib.auth.models import AnonymousUser

    code = services.generate_codes(admin, voting.process, count=1)[0]
    anyone = AnonymousUser()
    choice = [voting.proposals["Skate park"].pk]
    refused(lambda: services.cast_ballot(anyone, voting.city, choices=choice, code="ABCD-EFGH-JKLM"), "code", "not known")
    refused(lambda: services.cast_ballot(anyone, voting.city, choices=choice, code=""), "code", "Enter the voting code")
    services.cast_ballot(anyone, voting.city, choices=choice, code=code.lower().replace("-", " "))
    assert voting.process.codes.get().used_at is not None
    assert Ballot.objects.count() == 1


def test_api_refusals_use_the_json_error_format(voting, personas, api_as):
    client = api_as(personas["citizen"])
    response = client.post(f"/api/v1/budgeting/budgets/{voting.city.pk}/ballot", {"choices": [424242]},
                           content_type="application/json")
    assert response.status_code == 400
    body = response.json()["error"]
    assert body["code"] == "invalid" and "Unknown project" in body["fields"]["choices"][0]
    response = client.post(f"/api/v1/budgeting/budgets/{voting.south.pk}/ballot",
                           {"choices": [voting.proposals["Fernside lights"].pk]}, content_type="application/json")
    assert response.status_code == 400 and "own district" in response.json()["error"]["fields"]["voter"][0]
    assert Ballot.objects.count() == 0


def test_web_form_shows_the_error_and_writes_nothing(voting, personas, client_as):
    response = client_as(personas["citizen"]).post(
        f"/budgeting/{voting.process.slug}/budgets/{voting.city.pk}/vote/", {})
    assert response.status_code == 200
    assert "at least 1" in str(response.context["form"].errors)
    assert Ballot.objects.count() == 0
