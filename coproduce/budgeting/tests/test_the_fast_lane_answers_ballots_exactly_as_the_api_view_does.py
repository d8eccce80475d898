"""`POST /api/v1/budgeting/budgets/<id>/ballot` through the WSGI application with the fast lane in front
gives what Django's view gives — status, headers, body and the ballots and audit entries afterwards —
for every persona, accepted or refused (not eligible for a district, outside the vote, bad ballots,
bad input, a bad token, a session without its CSRF token). The fast lane answers only an accepted
ballot itself; every refusal falls through to the view, which explains it."""

import pytest

from coproduce.budgeting.models import Ballot
from coproduce.core.models import AuditEntry
from coproduce.core.tests.wsgi_requests import both_ways

PERSONAS = ["citizen", "other_org", "staff", "broker", "org_admin", "platform_admin"]


def snapshot():
    return (
        sorted((b.budget_id, b.voter_key, b.choices, b.points, b.channel, b.voter_area_id, b.age_band)
               for b in Ballot.objects.all()),
        list(AuditEntry.objects.order_by("id").values_list("action", "actor_id", "actor_label", "object_id",
                                                           "object_label", "channel", "organisation_id", "details")),
    )


@pytest.fixture
def tokens(personas, pb, phase):
    from coproduce.core import services as core

    phase(pb.process, "vote")
    return {name: core.create_api_token(personas[name], personas[name], "test")[1] for name in PERSONAS}


def bearer(tokens, persona):
    return {"Authorization": f"Bearer {tokens[persona]}"}


def url(budget):
    return f"/api/v1/budgeting/budgets/{budget.pk}/ballot"


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_persona_gets_the_same_answer_for_the_city_and_a_district(persona, pb, tokens):
    p = pb.proposals
    outcomes = []
    for budget, choices in [(pb.city, [p["Skate park"].pk]),
                            (pb.city, [p["Benches by the river"].pk, p["Library late opening"].pk]),
                            (pb.north, [p["North crossing"].pk]), (pb.south, [p["Skate park"].pk])]:
        outcome = both_ways(url(budget), {"choices": choices}, bearer(tokens, persona), snapshot)
        assert outcome.fast == (outcome.answer.status == 200), outcome.answer.body
        outcomes.append(outcome.answer.status)
    if persona == "citizen":  # lives in the North: may vote there, not in the South
        assert outcomes == [200, 200, 200, 400]
        assert Ballot.objects.filter(budget=pb.city).get().choices == [p["Benches by the river"].pk,
                                                                        p["Library late opening"].pk]


@pytest.mark.parametrize("body", [
    {"choices": []}, {"choices": [999999]}, {"choices": ["x"]}, {"choices": "1"}, {"choices": [1.5]},
    {"points": {"1": 2}}, {}, [1], b"not json", b"",
])
def test_bad_ballots_are_refused_alike_and_change_nothing(body, pb, tokens):
    before = snapshot()
    outcome = both_ways(url(pb.city), body, bearer(tokens, "citizen"), snapshot)
    assert outcome.answer.status in (400, 422) and not outcome.fast, outcome.answer.body
    assert snapshot() == before


def test_lax_input_the_api_converts_is_answered_alike_but_never_by_the_fast_lane(pb, tokens):
    pk = pb.proposals["Skate park"].pk
    for body in ({"choices": [str(pk)]}, {"choices": [pk], "code": ""}, {"choices": [float(pk)]}):
        outcome = both_ways(url(pb.city), body, bearer(tokens, "citizen"), snapshot)
        assert outcome.answer.status == 200 and not outcome.fast, outcome.answer.body


def test_too_many_choices_and_a_proposal_of_another_budget_are_refused_alike(pb, tokens):
    p = pb.proposals
    for choices in ([p["Skate park"].pk, p["Benches by the river"].pk, p["Library late opening"].pk,
                     p["North crossing"].pk], [p["North crossing"].pk]):
        outcome = both_ways(url(pb.city), {"choices": choices}, bearer(tokens, "citizen"), snapshot)
        assert outcome.answer.status == 400 and not outcome.fast


@pytest.mark.parametrize("when", ["collect", "results"])
def test_ballots_outside_the_vote_are_refused_alike(when, pb, tokens, phase):
    phase(pb.process, when)
    outcome = both_ways(url(pb.city), {"choices": [pb.proposals["Skate park"].pk]}, bearer(tokens, "citizen"),
                        snapshot)
    assert outcome.answer.status == 400 and not outcome.fast
    assert not Ballot.objects.exists()


def test_bad_tokens_unknown_budgets_and_sessions_without_csrf_are_refused_alike(pb, tokens, personas, client_as):
    from django.conf import settings

    body = {"choices": [pb.proposals["Skate park"].pk]}
    for headers, status in (({"Authorization": "Bearer cp_not-a-token"}, 401), ({}, 400)):
        outcome = both_ways(url(pb.city), body, headers, snapshot)  # anonymous: a code or census details
        assert outcome.answer.status == status and not outcome.fast
    outcome = both_ways("/api/v1/budgeting/budgets/999999/ballot", body, bearer(tokens, "citizen"), snapshot)
    assert outcome.answer.status == 404 and not outcome.fast
    client = client_as(personas["citizen"])
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    outcome = both_ways(url(pb.city), body, {"Cookie": cookie}, snapshot)
    assert outcome.answer.status == 403 and not outcome.fast
    assert not Ballot.objects.exists()
