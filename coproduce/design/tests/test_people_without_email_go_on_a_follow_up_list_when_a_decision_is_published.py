""""You said, we did" reaches people without email too: publishing a decision puts them on the decision's
follow-up list, where lab staff who may act for them see how to reach them (phone, postal address) and
mark each as told, audited with the channel. Everyone else is refused, and nothing changes."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from coproduce.core import services as core_services
from coproduce.core.models import AuditEntry
from coproduce.design import services
from coproduce.design.models import FollowUp
from coproduce.testing import PERSONAS


@pytest.fixture
def published(lab, conversation, personas, world):
    staff = personas["staff"]
    nell = core_services.register_person(staff, world.service, consent=True, name="Nell Phone", phone="01234 567890")
    paul = core_services.register_person(staff, world.service, consent=True, name="Paul Post",
                                         postal_address="3 Mill Lane\nTestville")
    fern = core_services.register_person(personas["other_org"], world.other_group, consent=True, name="Fern Away",
                                         phone="09876 543210")
    services.record_votes(staff, conversation, {0: 1}, person=nell, channel="phone")
    services.record_votes(staff, conversation, {0: -1}, person=paul, channel="paper")
    services.record_votes(personas["platform_admin"], conversation, {0: 1}, person=fern, channel="in_person")
    services.cast_vote(personas["citizen"], conversation, 0, 1)
    insight = services.create_insight(staff, lab, title="Respite", statements=[conversation.statements.get(number=0)])
    decision = services.create_decision(staff, lab, title="Respite within 48 hours", insights=[insight])
    services.set_stage(staff, lab, "decide")
    mail.outbox.clear()
    services.publish_decision(staff, decision)
    return {"decision": decision, "nell": nell, "paul": paul, "fern": fern,
            "url": f"/labs/{lab.slug}/decisions/{decision.pk}/follow-up/"}


def _row(published, name):
    return FollowUp.objects.get(decision=published["decision"], person=published[name])


def test_publishing_emails_some_and_lists_the_others(published):
    assert [m.to[0] for m in mail.outbox] == ["carla@example.org"]
    listed = set(FollowUp.objects.filter(decision=published["decision"]).values_list("person__name", flat=True))
    assert listed == {"Nell Phone", "Paul Post", "Fern Away"}
    entry = AuditEntry.objects.get(action="decision.publish")
    assert sorted(entry.details["to_tell_offline"]) == sorted(published[n].pk for n in ("nell", "paul", "fern"))


def test_staff_see_how_to_reach_the_people_they_may_act_for(published, personas, client_as):
    response = client_as(personas["staff"]).get(published["url"])
    html = response.content.decode()
    assert response.status_code == 200
    assert "01234 567890" in html and "3 Mill Lane" in html
    assert "Fern Away" in html and "09876 543210" not in html  # another organisation's person: name only
    decision_page = client_as(personas["staff"]).get(published["decision"].get_absolute_url()).content.decode()
    assert published["url"] in decision_page


def test_staff_mark_someone_as_told_by_phone(published, personas, client_as):
    response = client_as(personas["staff"]).post(f"{published['url']}{_row(published, 'nell').pk}/",
                                                 {f"f{_row(published, 'nell').pk}-channel": "phone",
                                                  f"f{_row(published, 'nell').pk}-note": "Pleased to hear it"})
    assert response.status_code == 302
    row = _row(published, "nell")
    assert row.told_at is not None and row.channel == "phone" and row.told_by == personas["staff"]
    entry = AuditEntry.objects.get(action="decision.told_offline")
    assert entry.channel == "phone" and entry.details["person"] == published["nell"].pk
    page = client_as(personas["staff"]).get(published["url"]).content.decode()
    assert "By phone" in page and "Pleased to hear it" in page


def test_bad_or_repeated_marks_are_refused_on_the_field(published, personas, client_as):
    client, pk = client_as(personas["staff"]), _row(published, "paul").pk
    response = client.post(f"{published['url']}{pk}/", {f"f{pk}-channel": "web"})
    form = next(row.form for row in response.context["rows"] if row.pk == pk)
    assert response.status_code == 400 and "channel" in form.errors
    assert f'id="id_f{pk}-channel_error"' in response.content.decode()
    with pytest.raises(ValidationError) as refused:  # the service's own check, for callers other than the form
        services.record_told_offline(personas["staff"], _row(published, "paul"), channel="web")
    assert "channel" in refused.value.message_dict
    assert _row(published, "paul").told_at is None and not AuditEntry.objects.filter(action="decision.told_offline")
    services.record_told_offline(personas["staff"], _row(published, "paul"), channel="paper")
    with pytest.raises(ValidationError) as refused:
        services.record_told_offline(personas["staff"], _row(published, "paul"), channel="phone")
    assert "follow_up" in refused.value.message_dict
    assert _row(published, "paul").channel == "paper"


PAGE = {"anonymous": "login", "citizen": 403, "other_org": 403, "staff": 200, "broker": 403, "org_admin": 200,
        "platform_admin": 200}
MARK = {"anonymous": "login", "citizen": 403, "other_org": 403, "staff": "ok", "broker": 403, "org_admin": "ok",
        "platform_admin": "ok"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_lab_staff_see_the_list_and_mark_people_as_told(persona, published, personas, client_as):
    client = client_as(personas[persona])
    response = client.get(published["url"])
    if PAGE[persona] == "login":
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == PAGE[persona]
    pk = _row(published, "nell").pk
    response = client.post(f"{published['url']}{pk}/", {f"f{pk}-channel": "phone"})
    told = _row(published, "nell").told_at is not None
    if MARK[persona] == "login":
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/") and not told
    elif MARK[persona] == 403:
        assert response.status_code == 403 and not told
    else:
        assert response.status_code == 302 and told


def test_lab_staff_who_may_not_act_for_the_person_are_refused(published, personas, client_as):
    pk = _row(published, "fern").pk
    response = client_as(personas["staff"]).post(f"{published['url']}{pk}/", {f"f{pk}-channel": "phone"})
    assert response.status_code == 403 and _row(published, "fern").told_at is None
