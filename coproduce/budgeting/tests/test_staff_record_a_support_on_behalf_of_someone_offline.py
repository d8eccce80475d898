"""Someone without the internet supports a proposal by phone, on paper or at a stall: staff of the
organisation running the process record the support (or take it back) on their behalf, recorded
as such. Others may not, and a bad request writes nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coproduce.budgeting import services
from coproduce.budgeting.models import Support
from coproduce.core.models import AuditEntry


@pytest.fixture
def nell(personas, world):
    from coproduce.core import services as core_services

    return core_services.register_person(personas["org_admin"], world.council, consent=True, name="Nell Offline")


def test_staff_record_and_take_back_a_support_by_phone(pb, personas, nell):
    skate = pb.proposals["Skate park"]
    assert services.toggle_support(personas["org_admin"], skate, on_behalf_of=nell, channel="phone") is True
    skate.refresh_from_db()
    assert skate.support_count == 1 and Support.objects.filter(proposal=skate, person=nell).exists()
    entry = AuditEntry.objects.get(action="proposal.support", object_id=str(skate.pk))
    assert (entry.actor, entry.on_behalf_of, entry.channel) == (personas["org_admin"], nell, "phone")

    assert services.toggle_support(personas["org_admin"], skate, on_behalf_of=nell, channel="paper") is False
    skate.refresh_from_db()
    assert skate.support_count == 0 and not Support.objects.filter(proposal=skate).exists()
    entry = AuditEntry.objects.get(action="proposal.unsupport", object_id=str(skate.pk))
    assert (entry.on_behalf_of, entry.channel) == (nell, "paper")


def test_a_citizens_own_support_is_not_recorded_as_on_behalf(pb, personas):
    skate = pb.proposals["Skate park"]
    assert services.toggle_support(personas["citizen"], skate) is True
    entry = AuditEntry.objects.get(action="proposal.support", object_id=str(skate.pk))
    assert entry.on_behalf_of is None and entry.channel == "web"


@pytest.mark.parametrize("persona", ["citizen", "broker", "staff", "other_org"])
def test_people_who_do_not_run_the_process_cannot_support_for_someone_else(pb, personas, nell, persona):
    skate = pb.proposals["Skate park"]
    with pytest.raises(PermissionDenied):
        services.toggle_support(personas[persona], skate, on_behalf_of=nell, channel="phone")
    assert not Support.objects.exists() and not AuditEntry.objects.filter(action="proposal.support").exists()


def test_a_support_by_phone_must_name_the_person(pb, personas):
    skate = pb.proposals["Skate park"]
    with pytest.raises(ValidationError) as exc:
        services.toggle_support(personas["org_admin"], skate, channel="phone")
    assert "on_behalf_of" in exc.value.message_dict
    skate.refresh_from_db()
    assert skate.support_count == 0 and not Support.objects.exists()


def test_after_the_review_a_support_on_behalf_is_refused(pb, personas, nell, phase):
    phase(pb.process, "vote")
    skate = pb.proposals["Skate park"]
    skate.process = pb.process
    with pytest.raises(ValidationError, match="cannot be done now"):
        services.toggle_support(personas["org_admin"], skate, on_behalf_of=nell, channel="phone")
    assert not Support.objects.exists()


def test_the_web_form_for_staff(pb, personas, client_as, nell):
    skate = pb.proposals["Skate park"]
    page = f"/budgeting/{pb.process.slug}/proposals/{skate.pk}/"
    admin = client_as(personas["org_admin"])
    content = admin.get(page).content.decode()
    assert "Record a support on someone's behalf" in content and 'name="on_behalf_of"' in content
    assert 'name="on_behalf_of"' not in client_as(personas["citizen"]).get(page).content.decode()

    response = admin.post(page + "support/", {"on_behalf_of": nell.pk, "channel": "in_person"})
    assert response.status_code == 302 and response["Location"] == page
    assert Support.objects.filter(proposal=skate, person=nell).exists()
    assert AuditEntry.objects.get(action="proposal.support").channel == "in_person"


def test_the_web_form_shows_a_missing_person_and_writes_nothing(pb, personas, client_as):
    skate = pb.proposals["Skate park"]
    response = client_as(personas["org_admin"]).post(
        f"/budgeting/{pb.process.slug}/proposals/{skate.pk}/support/", {"channel": "phone"})
    assert response.status_code == 400 and "on_behalf_of" in response.context["form"].errors
    assert not Support.objects.exists()


@pytest.mark.parametrize("persona,status", [("anonymous", 302), ("citizen", 403), ("broker", 403),
                                            ("staff", 403), ("other_org", 403)])
def test_the_web_form_refuses_people_who_do_not_run_the_process(pb, personas, client_as, nell, persona, status):
    skate = pb.proposals["Skate park"]
    response = client_as(personas[persona]).post(
        f"/budgeting/{pb.process.slug}/proposals/{skate.pk}/support/", {"on_behalf_of": nell.pk, "channel": "phone"})
    assert response.status_code == status
    assert not Support.objects.exists()
