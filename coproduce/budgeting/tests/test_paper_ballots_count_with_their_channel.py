"""Staff enter paper ballots one by one or as a spreadsheet; they count as participants with their
channel, and a code on a paper ballot stops the same voter voting twice."""

from django.core.files.uploadedfile import SimpleUploadedFile

from coproduce.budgeting import services
from coproduce.budgeting.models import Ballot, Process, Tally
from coproduce.core.models import AuditEntry


def test_one_by_one_and_as_csv(pb, personas, phase, client_as):
    phase(pb.process, "vote")
    client = client_as(personas["org_admin"])
    url = f"/budgeting/{pb.process.slug}/budgets/{pb.city.pk}/paper/"
    skate, benches = pb.proposals["Skate park"], pb.proposals["Benches by the river"]
    assert client.post(url, {"enter": "1", "choices": [skate.pk]}).status_code == 302
    bad = f"choices\n{skate.pk} {benches.pk}\n999\n\n{skate.pk} {skate.pk}\n"
    response = client.post(url, {"upload": "1", "file": SimpleUploadedFile("b.csv", bad.encode())})
    assert [line for line, _p in response.context["report"].errors] == [3, 5]
    assert Ballot.objects.count() == 1
    good = f"choices\n{skate.pk} {benches.pk}\n{benches.pk}\n"
    response = client.post(url, {"upload": "1", "file": SimpleUploadedFile("b.csv", good.encode())})
    assert response.status_code == 302 and Ballot.objects.filter(channel="paper").count() == 3
    assert AuditEntry.objects.filter(action="ballot.import", channel="paper").get().details == {"ballots": 2}
    services.cast_ballot(personas["citizen"], pb.city, choices=[skate.pk])
    services.set_phase(personas["org_admin"], pb.process, "results")
    tally = Tally.objects.get(budget=pb.city, official=True)
    assert tally.turnout == {"paper": 3, "web": 1} and tally.n_ballots == 4
    page = client_as(None).get(f"/budgeting/{pb.process.slug}/budgets/{pb.city.pk}/results/")
    assert ("Paper", 3) in page.context["turnout"] and ("Website", 1) in page.context["turnout"]


def test_a_paper_ballot_with_a_code_uses_up_the_code(pb, personas, phase):
    Process.objects.filter(pk=pb.process.pk).update(verification="codes")
    pb.process.refresh_from_db()
    pb.city.process = pb.process
    code = services.generate_codes(personas["org_admin"], pb.process, count=1)[0]
    phase(pb.process, "vote")
    skate = pb.proposals["Skate park"]
    services.enter_paper_ballot(personas["org_admin"], pb.city, choices=[skate.pk], code=code)
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import ValidationError

    try:
        services.cast_ballot(AnonymousUser(), pb.city, choices=[skate.pk], code=code)
    except ValidationError as exc:
        assert "already been used for this budget on a paper ballot" in str(exc)
    else:
        raise AssertionError("the code was used twice")
    assert Ballot.objects.count() == 1
