"""A voter who votes with a code from their letter can change their ballot until the vote closes,
like a voter with an account: the second ballot replaces the first, the ballot stays secret (it
holds neither the code nor its digest), and two ballots with one code at once never make two. A
ballot staff entered from paper with the code cannot be changed online, and a paper ballot is
refused for a code that already voted."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from coproduce.budgeting import services, voting
from coproduce.budgeting.models import Ballot, Process, VotingCode
from coproduce.core.models import AuditEntry
from coproduce.testing import at_once


def with_codes(pb, personas, phase, count=1):
    Process.objects.filter(pk=pb.process.pk).update(verification="codes")
    pb.process.refresh_from_db()
    pb.city.process = pb.process
    codes = services.generate_codes(personas["org_admin"], pb.process, count=count)
    phase(pb.process, "vote")
    return codes


def test_a_second_ballot_with_the_same_code_replaces_the_first(pb, personas, phase):
    code = with_codes(pb, personas, phase)[0]
    skate, benches = pb.proposals["Skate park"].pk, pb.proposals["Benches by the river"].pk
    services.cast_ballot(AnonymousUser(), pb.city, choices=[skate], code=code)
    first_used = VotingCode.objects.get().used_at
    services.cast_ballot(AnonymousUser(), pb.city, choices=[benches], code=code.lower(), channel="api")
    ballot = Ballot.objects.get()
    assert (ballot.budget, ballot.choices, ballot.channel) == (pb.city, [benches], "api")
    assert VotingCode.objects.get().used_at == first_used  # the code's first use is kept
    assert AuditEntry.objects.filter(action="ballot.cast").count() == 2
    # secret: the ballot is filed under an HMAC of the identity, not under the code or its digest
    digest = VotingCode.objects.get().digest
    assert ballot.voter_key == voting.voter_key(pb.process.pk, f"code:{digest}")
    assert digest not in ballot.voter_key and code.replace("-", "") not in str(ballot.__dict__)

    phase(pb.process, "results")
    with pytest.raises(ValidationError) as exc:
        services.cast_ballot(AnonymousUser(), pb.city, choices=[skate], code=code)
    assert "budget" in exc.value.message_dict
    assert Ballot.objects.get().choices == [benches]


def test_a_code_ballot_does_not_touch_another_codes_ballot(pb, personas, phase):
    first, second = with_codes(pb, personas, phase, count=2)
    skate, benches = pb.proposals["Skate park"].pk, pb.proposals["Benches by the river"].pk
    services.cast_ballot(AnonymousUser(), pb.city, choices=[skate], code=first)
    services.cast_ballot(AnonymousUser(), pb.city, choices=[benches], code=second)
    services.cast_ballot(AnonymousUser(), pb.city, choices=[benches], code=first)
    assert sorted(b.choices[0] for b in Ballot.objects.all()) == [benches, benches]


def test_paper_and_online_ballots_with_one_code_do_not_replace_each_other(pb, personas, phase):
    online, paper = with_codes(pb, personas, phase, count=2)
    skate, benches = pb.proposals["Skate park"].pk, pb.proposals["Benches by the river"].pk
    admin = personas["org_admin"]
    services.cast_ballot(AnonymousUser(), pb.city, choices=[skate], code=online)
    with pytest.raises(ValidationError) as exc:
        services.enter_paper_ballot(admin, pb.city, choices=[benches], code=online)
    assert "already been used" in exc.value.message_dict["code"][0]
    services.enter_paper_ballot(admin, pb.city, choices=[skate], code=paper)
    with pytest.raises(ValidationError) as exc:
        services.cast_ballot(AnonymousUser(), pb.city, choices=[benches], code=paper)
    assert "paper ballot" in exc.value.message_dict["code"][0]
    assert sorted((b.channel, b.choices) for b in Ballot.objects.all()) == [("paper", [skate]), ("web", [skate])]
    assert AuditEntry.objects.filter(action__in=("ballot.cast", "ballot.enter")).count() == 2


def test_a_changed_code_ballot_through_the_vote_page(pb, personas, phase, client):
    code = with_codes(pb, personas, phase)[0]
    url = f"/budgeting/{pb.process.slug}/budgets/{pb.city.pk}/vote/"
    for title in ("Skate park", "Library late opening"):
        response = client.post(url, {"choices": [pb.proposals[title].pk], "code": code})
        assert response.status_code == 302, response.context and response.context["form"].errors
    assert Ballot.objects.get().choices == [pb.proposals["Library late opening"].pk]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ballots_with_one_code_at_once_make_one_ballot(pb, personas, phase):
    code = with_codes(pb, personas, phase)[0]
    ids = [pb.proposals[t].pk for t in ("Skate park", "Benches by the river", "Library late opening")]
    budget = pb.city

    for _round in range(3):
        at_once(lambda i: services.cast_ballot(AnonymousUser(), budget, choices=[ids[i % 3]], code=code), 8)
        assert Ballot.objects.filter(budget=budget).count() == 1
    assert Ballot.objects.get().choices[0] in ids
    assert AuditEntry.objects.filter(action="ballot.cast").count() == 24
