"""Matching built from stored data: a member on an opt-out period is never suggested; a helper whose
stored safeguarding check has expired is excluded from regular work with children; the cached index
sees each change (the version moves)."""

from datetime import date, timedelta

from django.utils import timezone

from coproduce.timebank import postings, suggestions, trust

from .codelivery import ask, offer


def _suggested(request):
    rows, _pairs, _notes = suggestions.suggest_for(request)
    return {row.member.pk for row in rows}


def test_opted_out_member_is_never_suggested(personas, ledger):
    bea = personas["broker"]
    offer(bea, ledger.dan)
    offer(bea, ledger.cafe)
    request = ask(personas["citizen"], ledger.carla, starts_at=timezone.now() + timedelta(days=3))
    assert _suggested(request) == {ledger.dan.pk, ledger.cafe.pk}
    today = timezone.localdate()
    trust.add_opt_out(bea, ledger.dan, starts_on=today, ends_on=today + timedelta(days=7), reason="Holiday")
    assert _suggested(request) == {ledger.cafe.pk}
    assert any("not to be contacted" in r for r in suggestions.why_not(request, ledger.dan))


def test_an_expired_check_excludes_a_helper(personas, ledger):
    bea = personas["broker"]
    today = timezone.localdate()
    for member in (ledger.dan, ledger.cafe):
        offer(bea, member, "childcare")
        trust.record_reference(bea, member, referee_name="Ref", requested_on=today, received_on=today,
                               honesty="yes", reliability="yes", team_working="yes", getting_on="yes")
    trust.record_check(bea, ledger.dan, kind="dbs_enhanced", reference_number="001", issued_on=date(2020, 1, 1),
                       expires_on=today - timedelta(days=1), covers_children=True)
    trust.record_check(bea, ledger.cafe, kind="dbs_enhanced", reference_number="002", issued_on=date(2020, 1, 1),
                       expires_on=today + timedelta(days=400), covers_children=True)
    request = postings.create_request(
        personas["citizen"], ledger.carla, category=ask.__globals__["category"]("childcare").pk,
        description="After-school care every Tuesday", regular=True, involves_children=True,
        starts_at=timezone.now() + timedelta(days=2))
    assert _suggested(request) == {ledger.cafe.pk}
    assert any("safeguarding check" in r for r in suggestions.why_not(request, ledger.dan))
